from __future__ import annotations

import datetime

from django.conf import settings
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

from . import rules, selectors, services
from .filters import PairFilter
from .forms import ActivityForm, EndForm, PairForm, SchoolPickForm


def _picked(request):
    """The page's region (``?region=<code>``, 404 outside the user's) and programme year."""
    region, regions = region_pick(request.user, request.GET.get("region"), required=True)
    years = selectors.years_of(region)
    return region, regions, years, year_from(request, years)


def _errors(form) -> str:
    return " ".join(e for errors in form.errors.values() for e in errors)


@require_GET
@login_required
def pair_list_view(request):
    rules.ensure(rules.may_view(request.user))
    region, regions, years, year = _picked(request)
    base = selectors.pairs_for(request.user).filter(region=region)
    if year:
        base = base.filter(start_on__lte=datetime.date(year, 12, 31)).exclude(
            end_on__lt=datetime.date(year, 1, 1))
    municipalities = municipalities_for(request.user).filter(region=region).order_by("name")
    params = request.GET.copy()
    for key in ("region", "year", "page"):
        params.pop(key, None)
    listed = PairFilter(params or None, queryset=base, municipalities=municipalities)
    page = Paginator(listed.qs.order_by("school__municipality__name", "school__short_name",
                                        "-start_on", "pk"), 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    today = timezone.localdate()
    return render(request, "mentoring/pair_list.html", {
        "region": region, "regions": regions, "years": years, "year": year,
        "filter": listed, "page": page, "query": query.urlencode(),
        "rows": [(p, p.is_current(today)) for p in page.object_list],
        "can_create": rules.may_create_any(request.user),
    })


def _new_url(region, year, school=None) -> str:
    url = f"{reverse('mentoring:pair_new')}?region={region.code}&year={year}"
    return f"{url}&school={school.public_id}" if school else url


def _picked_school(request, schools):
    form = SchoolPickForm(request.GET if request.GET.get("school") else None,
                          schools=schools)
    if form.is_bound and not form.is_valid():
        raise Http404("Нет такой школы в перечне.")
    return form, (form.cleaned_data["school"] if form.is_bound else None)


def _pair_input(school, year, d) -> services.PairInput:
    return services.PairInput(
        school=school, mentor=d["mentor"], year=year, start_on=d["start_on"],
        end_on=d["end_on"], agreement_number=d["agreement_number"],
        agreement_date=d["agreement_date"], areas=tuple(d["areas"]))


@require_http_methods(["GET", "POST"])
@login_required
def pair_new_view(request):
    rules.ensure(rules.may_create_any(request.user))
    region, regions, years, year = _picked(request)
    schools = (selectors.programme_schools_for(request.user, region, year) if year
               else selectors.region_schools(region).none())
    pick, school = _picked_school(request, schools)
    form = None
    if school is not None:
        rules.ensure(rules.may_create(request.user, school))
        form = PairForm(request.POST or None, request.FILES or None,
                        mentors=selectors.region_schools(region),
                        initial={"start_on": timezone.localdate()})
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            pair = services.pair_create(actor=request.user,
                                        data=_pair_input(school, year, form.cleaned_data),
                                        upload=form.cleaned_data["agreement"])
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Сетевая пара составлена: {pair.school.short_name} и "
                                      f"{pair.mentor.short_name}.")
            return redirect(pair)
    elif request.method == "POST" and form is None:
        messages.error(request, "Сначала выберите школу перечня.")
        return redirect(_new_url(region, year or ""))
    return render(request, "mentoring/pair_new.html", {
        "region": region, "regions": regions, "years": years, "year": year, "pick": pick,
        "school": school, "form": form, "has_schools": schools.exists(),
        "max_pairs": settings.PORTAL_MENTOR_MAX_PAIRS,
        "suggestions": selectors.mentor_suggestions(school, year) if school else [],
        "risks": selectors.activated_risks(school, year) if school else {},
        "chosen": {"mentor": request.POST.get("mentor", ""),
                   "areas": request.POST.getlist("areas")},
    }, status=400 if form is not None and form.errors else 200)


@require_GET
@login_required
def pair_view(request, public_id):
    pair = selectors.pair_get(request.user, public_id)
    rules.ensure(rules.may_read(request.user, pair))
    today = timezone.localdate()
    return render(request, "mentoring/pair.html", {
        "pair": pair, "current": pair.is_current(today),
        "actions": rules.pair_actions(request.user, pair, today),
        "areas": selectors.risk_titles(pair.year, pair.areas),
        "activities": selectors.activities_of(pair),
        "activity_form": ActivityForm(initial={"held_on": today}),
        "end_form": EndForm(initial={"end_on": today}),
    })


@require_GET
@login_required
def pair_agreement_view(request, public_id):
    pair = selectors.pair_get(request.user, public_id)
    rules.ensure(rules.may_read(request.user, pair))
    if not pair.agreement:
        raise Http404("Соглашение не приложено.")
    name = pair.agreement_name
    return stored_file_response(pair.agreement, name, name.rsplit(".", 1)[-1])


@require_POST
@login_required
def pair_end_view(request, public_id):
    pair = selectors.pair_get(request.user, public_id)
    form = EndForm(request.POST)
    if not form.is_valid():
        rules.ensure(rules.may_read(request.user, pair)
                     and "end" in rules.pair_actions(request.user, pair, timezone.localdate()))
        messages.error(request, _errors(form))
        return redirect(pair)
    try:
        services.pair_end(actor=request.user, pair=pair, end_on=form.cleaned_data["end_on"],
                          reason=form.cleaned_data["reason"])
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Пара завершена; её журнал сохранён.")
    return redirect(pair)


@require_POST
@login_required
def activity_add_view(request, public_id):
    pair = selectors.pair_get(request.user, public_id)
    form = ActivityForm(request.POST, request.FILES)
    if not form.is_valid():
        rules.ensure(rules.may_read(request.user, pair)
                     and "log" in rules.pair_actions(request.user, pair, timezone.localdate()))
        messages.error(request, _errors(form))
        return redirect(pair)
    d = form.cleaned_data
    try:
        activity = services.activity_add(
            actor=request.user, pair=pair, upload=d["evidence"],
            data=services.ActivityInput(kind=d["kind"], held_on=d["held_on"], title=d["title"],
                                        participants=d["participants"],
                                        participants_count=d["participants_count"]))
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Мероприятие внесено в журнал: {activity.title}.")
    return redirect(pair)


@require_GET
@login_required
def activity_evidence_view(request, public_id):
    activity = selectors.activity_get(request.user, public_id)
    rules.ensure(rules.may_read(request.user, activity.pair))
    if not activity.evidence:
        raise Http404("К мероприятию не приложен файл.")
    name = activity.evidence_name
    return stored_file_response(activity.evidence, name, name.rsplit(".", 1)[-1])
