from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.exceptions import DomainError
from core.files import stored_file_response
from core.selectors import municipalities_for, region_pick
from core.years import year_from

from .. import rules, selectors, services
from ..computations import COMPUTATIONS
from ..filters import RecommendationFilter
from ..forms import EventDoneForm, RecommendationForm, ReportForm, TargetForm, ValueForm


def _page_url(name: str, region, year: int) -> str:
    return f"{reverse(name)}?region={region.code}&year={year}"


def _list_url(region, year: int) -> str:
    return _page_url("management:indicators", region, year)


def _picked(request):
    """The page's region (``?region=<code>``, 404 outside the user's) and programme year."""
    rules.ensure(rules.may_view(request.user))
    region, regions = region_pick(request.user, request.GET.get("region"), required=True)
    years = selectors.years_of(request.user, region)
    return region, regions, years, year_from(request, years)


@require_GET
@login_required
def indicators_view(request):
    region, regions, years, year = _picked(request)
    indicators = (list(selectors.indicators_for(request.user).filter(region=region, year=year))
                  if year else [])
    rows = [(i, selectors.territory_rows(request.user, i)) for i in indicators]
    return render(request, "management/indicators.html", {
        "region": region, "regions": regions, "years": years, "year": year, "rows": rows,
        "can_create": not indicators and rules.may_add_catalogue(request.user, region),
        "can_compute": bool(indicators) and rules.may_compute(request.user, region),
        "computations": COMPUTATIONS,
    })


def _place(request, indicator, raw):
    """The territory of a form: the region (empty) or a municipality the user reads."""
    if raw in (None, ""):
        return None
    try:
        pk = int(raw)
    except ValueError:
        raise Http404("Нет такого муниципалитета.") from None
    municipality = municipalities_for(request.user).filter(pk=pk,
                                                           region=indicator.region).first()
    if municipality is None:
        raise Http404("Нет такого муниципалитета.")
    return municipality


@require_GET
@login_required
def indicator_view(request, public_id):
    indicator = selectors.indicator_get(request.user, public_id)
    rules.ensure(rules.may_view(request.user))
    rows = selectors.territory_rows(request.user, indicator)
    place = _place(request, indicator, request.GET.get("territory"))
    shown = next((r for r in rows if r.municipality == place), rows[0] if rows else None)
    return render(request, "management/indicator.html", {
        "indicator": indicator, "rows": rows, "shown": shown,
        "schools": selectors.schools_behind(request.user, shown.value if shown else None),
        "computation": COMPUTATIONS.get(indicator.fact),
        "target_form": TargetForm(), "value_form": ValueForm(),
    })


def _back(indicator, place) -> str:
    url = indicator.get_absolute_url()
    return f"{url}?territory={place.pk}" if place else url


@require_POST
@login_required
def target_set_view(request, public_id):
    indicator = selectors.indicator_get(request.user, public_id)
    place = _place(request, indicator, request.POST.get("territory"))
    form = TargetForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["value"]))
        return redirect(_back(indicator, place))
    try:
        target = services.target_set(actor=request.user, indicator=indicator,
                                     municipality=place, value=form.cleaned_data["value"])
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Цель «{indicator.code}» ({target.territory}) сохранена.")
    return redirect(_back(indicator, place))


@require_POST
@login_required
def value_enter_view(request, public_id):
    indicator = selectors.indicator_get(request.user, public_id)
    place = _place(request, indicator, request.POST.get("territory"))
    form = ValueForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(_back(indicator, place))
    try:
        row = services.value_enter(actor=request.user, indicator=indicator,
                                   municipality=place, value=form.cleaned_data["value"],
                                   note=form.cleaned_data["note"],
                                   upload=form.cleaned_data["evidence"])
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Значение «{indicator.code}» ({row.territory}) внесено.")
    return redirect(_back(indicator, place))


@require_GET
@login_required
def evidence_view(request, public_id):
    indicator = selectors.indicator_get(request.user, public_id)
    rules.ensure(rules.may_view(request.user))
    place = _place(request, indicator, request.GET.get("territory"))
    row = next((r for r in selectors.territory_rows(request.user, indicator)
                if r.municipality == place), None)
    if row is None or row.value is None or not row.value.evidence:
        raise Http404("К значению не приложен файл.")
    name = row.value.evidence_name
    return stored_file_response(row.value.evidence, name, name.rsplit(".", 1)[-1])


def _region_year(request):
    """The region (a code outside the user's regions: 404) and the programme year of a
    form; ``None`` for a year the region has neither ШНОР nor indicators in."""
    region, _ = region_pick(request.user, request.POST.get("region"), required=True)
    raw = request.POST.get("year", "")
    year = int(raw) if raw.isdigit() else None
    return region, (year if year in selectors.years_of(request.user, region) else None)


def _no_year(request, region):
    messages.error(request, "Выберите год, в котором у региона есть перечень ШНОР и ШССУ.")
    return redirect(f"{reverse('management:indicators')}?region={region.code}")


@require_POST
@login_required
def catalogue_create_view(request):
    region, year = _region_year(request)
    if year is None:
        return _no_year(request, region)
    try:
        created = services.catalogue_create(actor=request.user, region=region, year=year)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Показатели {year} г. заведены: {len(created)}.")
    return redirect(_list_url(region, year))


@require_POST
@login_required
def compute_view(request):
    region, year = _region_year(request)
    if year is None:
        return _no_year(request, region)
    try:
        job = services.compute_start(actor=request.user, region=region, year=year)
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect(_list_url(region, year))
    return redirect(f"{job.get_absolute_url()}?stay=1")


# -- the monitoring calendar ---------------------------------------------------------------------
def _calendar_url(region, year: int) -> str:
    return _page_url("management:calendar", region, year)


@require_GET
@login_required
def calendar_view(request):
    region, regions, years, year = _picked(request)
    events = list(selectors.events_for(request.user).filter(region=region, year=year)
                  .order_by("due_on", "code")) if year else []
    today = timezone.localdate()
    manages = rules.may_add_catalogue(request.user, region)
    return render(request, "management/calendar.html", {
        "region": region, "regions": regions, "years": years, "year": year,
        "events": [(e, e.is_overdue(today)) for e in events], "today": today,
        "can_create": bool(year) and not events and manages, "can_complete": manages,
        "form": EventDoneForm(initial={"done_on": today}),
    })


@require_POST
@login_required
def calendar_create_view(request):
    region, year = _region_year(request)
    if year is None:
        return _no_year(request, region)
    try:
        services.calendar_create(actor=request.user, region=region, year=year)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Календарь мониторинга {year} г. составлен.")
    return redirect(_calendar_url(region, year))


@require_POST
@login_required
def event_complete_view(request, public_id):
    event = selectors.event_get(request.user, public_id)
    form = EventDoneForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(event)
    try:
        services.event_complete(actor=request.user, event=event,
                                done_on=form.cleaned_data["done_on"],
                                note=form.cleaned_data["note"],
                                upload=form.cleaned_data["result"])
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"«{event.title}» — отмечено проведённым.")
    return redirect(event)


@require_GET
@login_required
def event_result_view(request, public_id):
    event = selectors.event_get(request.user, public_id)
    rules.ensure(rules.may_view(request.user))
    if not event.result:
        raise Http404("Итоговый документ не приложен.")
    return stored_file_response(event.result, event.result_name,
                                event.result_name.rsplit(".", 1)[-1])


# -- targeted recommendations -------------------------------------------------------------------
@require_GET
@login_required
def recommendation_list_view(request):
    rules.ensure(rules.may_read_recommendations(request.user))
    base = selectors.recommendations_for(request.user)
    listed = RecommendationFilter(request.GET or None, queryset=base)
    page = Paginator(listed.qs.order_by("due_on", "pk"), 30).get_page(request.GET.get("page"))
    region, _ = region_pick(request.user, None)
    today = timezone.localdate()
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "management/recommendation_list.html", {
        "filter": listed, "page": page, "query": query.urlencode(),
        "rows": [(r, r.is_overdue(today)) for r in page.object_list],
        "can_issue": region is not None and rules.may_issue(request.user, region)
        or rules.may_issue_in_municipality(request.user),
    })


def _recommendation_form(request, data=None):
    region, _ = region_pick(request.user, None, required=True)
    municipalities = municipalities_for(request.user).filter(region=region).order_by("name")
    return region, RecommendationForm(
        data, schools=selectors.issuable_schools(request.user, region),
        municipalities=municipalities,
        indicators=selectors.indicators_for(request.user).filter(region=region))


def _outside_scope(form) -> bool:
    """An addressee the issuer does not reach (another region, another municipality): the
    choices are the issuer's scope, so such an id is not among them."""
    errors = form.errors.as_data() if form.is_bound else {}
    return any(e.code == "invalid_choice" for name in ("school", "helped_school",
                                                        "municipality")
               for e in errors.get(name, []))


@require_http_methods(["GET", "POST"])
@login_required
def recommendation_new_view(request):
    region, form = _recommendation_form(request, request.POST or None)
    rules.ensure(rules.may_issue(request.user, region)
                 or rules.may_issue_in_municipality(request.user))
    if request.method == "POST" and _outside_scope(form):
        raise Http404("Нет такого адресата.")
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        data = services.RecommendationInput(
            addressee=d["addressee"], year=d["due_on"].year, text=d["text"],
            due_on=d["due_on"], municipality=d["municipality"], school=d["school"],
            helped_school=d["helped_school"], indicator=d["indicator"],
            risk_code=d["risk_code"])
        try:
            recommendation = services.recommendation_issue(actor=request.user, region=region,
                                                           data=data)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Рекомендация направлена: {recommendation.addressed_to}.")
            return redirect(recommendation)
    return render(request, "management/recommendation_form.html", {"form": form},
                  status=400 if form.errors else 200)


@require_GET
@login_required
def recommendation_view(request, public_id):
    recommendation = selectors.recommendation_get(request.user, public_id)
    rules.ensure(rules.may_read_recommendations(request.user))
    return render(request, "management/recommendation.html", {
        "r": recommendation, "report_form": ReportForm(),
        "actions": rules.recommendation_actions(request.user, recommendation),
        "overdue": recommendation.is_overdue(timezone.localdate()),
        "can_view_indicators": rules.may_view(request.user),
    })


@require_POST
@login_required
def recommendation_act_view(request, public_id):
    recommendation = selectors.recommendation_get(request.user, public_id)
    action = request.POST.get("action", "")
    try:
        if action == "acknowledge":
            services.recommendation_acknowledge(actor=request.user,
                                                recommendation=recommendation)
            messages.success(request, "Рекомендация принята к исполнению.")
        elif action in ("accept", "return"):
            services.recommendation_decide(actor=request.user, recommendation=recommendation,
                                           accept=action == "accept",
                                           comment=request.POST.get("comment", ""))
            messages.success(request, "Отчёт принят: рекомендация исполнена." if action ==
                             "accept" else "Отчёт возвращён на доработку.")
        else:
            messages.error(request, "Неизвестное действие.")
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect(recommendation)


@require_POST
@login_required
def recommendation_report_view(request, public_id):
    recommendation = selectors.recommendation_get(request.user, public_id)
    form = ReportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(recommendation)
    try:
        services.recommendation_report(actor=request.user, recommendation=recommendation,
                                       text=form.cleaned_data["report"],
                                       upload=form.cleaned_data["evidence"])
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Отчёт об исполнении отправлен.")
    return redirect(recommendation)


@require_GET
@login_required
def recommendation_file_view(request, public_id):
    recommendation = selectors.recommendation_get(request.user, public_id)
    rules.ensure(rules.may_read_recommendations(request.user))
    if not recommendation.report_file:
        raise Http404("К отчёту не приложен файл.")
    name = recommendation.report_name
    return stored_file_response(recommendation.report_file, name, name.rsplit(".", 1)[-1])
