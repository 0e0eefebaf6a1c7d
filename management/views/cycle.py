"""The analysis of an indicator, management decisions and their effect, the cycle's yearly
report and the exit list."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.exceptions import DomainError
from core.files import stored_file_response
from core.pdf import html_to_pdf
from core.selectors import municipalities_for, region_pick
from core.xlsx import book_bytes, new_book, sheet_write, xlsx_response

from .. import rules, selectors, services
from ..forms import ConclusionForm, DecisionForm, ProtocolForm
from . import _page_url, _picked


def _form_errors(form) -> str:
    return " ".join(e for errors in form.errors.values() for e in errors)


# -- analysis -----------------------------------------------------------------------------------
def _analysis(request, indicator) -> dict:
    years, rows = selectors.analysis_rows(request.user, indicator)
    return {"indicator": indicator, "years": years, "rows": rows,
            "gaps": selectors.gaps_ranked(indicator, rows),
            "conclusions": list(selectors.conclusions_of(indicator)[:10]),
            "now": timezone.localtime()}


@require_GET
@login_required
def analysis_view(request, public_id):
    indicator = selectors.indicator_get(request.user, public_id)
    rules.ensure(rules.may_view(request.user))
    return render(request, "management/analysis.html", _analysis(request, indicator) | {
        "can_conclude": rules.may_conclude(request.user, indicator),
        "form": ConclusionForm()})


def _number(value) -> float | None:
    """A figure as a number cell (analysts sum and pivot them)."""
    return None if value is None else float(value)


def _analysis_xlsx(context: dict) -> bytes:
    indicator, years = context["indicator"], context["years"]
    book = new_book()
    header = ["Территория"] + [f"{y}: значение" for y in years] + [f"{y}: цель" for y in years]
    rows = [[row.name] + [_number(c.value) for c in row.cells]
            + [_number(c.goal) for c in row.cells] for row in context["rows"]]
    sheet_write(book, "Значения", header, rows, [36] + [14] * (2 * len(years)),
                note=f"{indicator.code}. {indicator.title} ({indicator.region.name})")
    sheet_write(book, "Отставание от цели", ["Место", "Территория", "Значение", "Цель",
                                             "Отставание"],
                [[n, g.row.name, _number(g.cell.value), _number(g.cell.goal), _number(g.gap)]
                 for n, g in enumerate(context["gaps"], start=1)], [8, 36, 14, 14, 14],
                note=f"{indicator.year} г.: территории, не достигшие цели")
    sheet_write(book, "Выводы", ["Дата", "Автор", "Выводы"],
                [[c.written_at.strftime("%d.%m.%Y %H:%M"),
                  c.written_by.short_name if c.written_by else "", c.text]
                 for c in context["conclusions"]], [18, 28, 100])
    return book_bytes(book)


@require_GET
@login_required
def analysis_export_view(request, public_id, fmt):
    if fmt not in ("xlsx", "pdf"):
        raise Http404("Нет такого формата выгрузки.")
    indicator = selectors.indicator_get(request.user, public_id)
    rules.ensure(rules.may_view(request.user))
    context = _analysis(request, indicator)
    stem = f"analiz-{indicator.code}-{indicator.region.code}-{indicator.year}"
    if fmt == "xlsx":
        return xlsx_response(_analysis_xlsx(context), f"{stem}.xlsx")
    from django.http import HttpResponse

    from core.files import content_disposition

    pdf = html_to_pdf(render_to_string("management/pdf/analysis.html", context))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(f"{stem}.pdf")
    return response


@require_POST
@login_required
def conclusion_view(request, public_id):
    indicator = selectors.indicator_get(request.user, public_id)
    form = ConclusionForm(request.POST)
    url = reverse("management:analysis", args=[indicator.public_id])
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect(url)
    try:
        services.conclusion_write(actor=request.user, indicator=indicator,
                                  text=form.cleaned_data["text"])
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Выводы анализа сохранены.")
    return redirect(url)


@require_POST
@login_required
def recommendation_measure_view(request, public_id):
    recommendation = selectors.recommendation_get(request.user, public_id)
    try:
        item = services.recommendation_to_measure(actor=request.user,
                                                  recommendation=recommendation)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Рекомендация внесена в дорожную карту: «{item.roadmap}».")
    return redirect(recommendation)


# -- management decisions -----------------------------------------------------------------------
@require_GET
@login_required
def decision_list_view(request):
    region, regions, years, year = _picked(request)
    decisions = selectors.decisions_for(request.user).filter(region=region)
    if year:
        decisions = decisions.filter(year=year)
    page = Paginator(decisions.order_by("-signed_on", "-pk"), 30).get_page(
        request.GET.get("page"))
    return render(request, "management/decision_list.html", {
        "region": region, "regions": regions, "years": years, "year": year, "page": page,
        "can_record": rules.may_record_decision(request.user, region)
        or any(rules.may_record_decision(request.user, m)
               for m in municipalities_for(request.user).filter(region=region)[:50]),
    })


def _decision_choices(request, region, year: int) -> dict:
    """The decision form's choices: the levels, indicators, schools and recommendations
    within the user's scope."""
    regional = rules.may_record_decision(request.user, region)
    places = municipalities_for(request.user).filter(region=region).order_by("name")
    return dict(
        regional=regional, municipalities=places,
        indicators=selectors.indicators_for(request.user).filter(region=region, year=year),
        schools=selectors.issuable_schools(request.user, region),
        recommendations=selectors.recommendations_for(request.user).filter(region=region,
                                                                           year=year))


def _decision_input(d: dict, year: int) -> services.DecisionInput:
    return services.DecisionInput(
        kind=d["kind"], title=d["title"], document_type=d["document_type"],
        number=d["number"], signed_on=d["signed_on"], author=d["author"], year=year,
        municipality=d["municipality"], indicator_codes=tuple(d["indicators"]),
        schools=tuple(d["schools"]), recommendations=tuple(d["recommendations"]))


@require_http_methods(["GET", "POST"])
@login_required
def decision_new_view(request):
    region, _, years, year = _picked(request)
    if not year:
        raise Http404("У региона нет года программы.")
    form = DecisionForm(request.POST or None, request.FILES or None,
                        **_decision_choices(request, region, year))
    rules.ensure(rules.may_record_decision(request.user, region)
                 or form.fields["municipality"].queryset.exists())
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.decision_record(actor=request.user, region=region,
                                                data=_decision_input(form.cleaned_data, year),
                                                upload=form.cleaned_data["file"])
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Решение внесено: {decision}.")
            return redirect(decision)
    return render(request, "management/decision_form.html", {
        "form": form, "region": region, "year": year},
        status=400 if form.errors else 200)


@require_GET
@login_required
def decision_view(request, public_id):
    decision = selectors.decision_get(request.user, public_id)
    rules.ensure(rules.may_read_decisions(request.user))
    return render(request, "management/decision.html", {
        "decision": decision, "effect": selectors.decision_effect(decision),
        "schools": decision.schools.select_related("municipality").order_by("short_name"),
        "recommendations": decision.recommendations.select_related("school", "municipality"),
    })


@require_GET
@login_required
def decision_file_view(request, public_id):
    decision = selectors.decision_get(request.user, public_id)
    rules.ensure(rules.may_read_decisions(request.user))
    return stored_file_response(decision.file, decision.file_name,
                                decision.file_name.rsplit(".", 1)[-1])


# -- the cycle's yearly report --------------------------------------------------------------------
@require_GET
@login_required
def report_list_view(request):
    region, regions, years, year = _picked(request)
    reports = selectors.reports_for(request.user).filter(region=region)
    if year:
        reports = reports.filter(year=year)
    places = [m for m in municipalities_for(request.user).filter(region=region).order_by("name")
              if rules.may_report(request.user, m)]
    return render(request, "management/report_list.html", {
        "region": region, "regions": regions, "years": years, "year": year,
        "reports": [(r, rules.report_actions(request.user, r))
                    for r in reports.order_by("municipality__name", "-created_at")[:200]],
        "regional": rules.may_report(request.user, region), "places": places,
        "form": ProtocolForm(),
    })


@require_POST
@login_required
def report_start_view(request):
    region, _ = region_pick(request.user, request.POST.get("region"), required=True)
    raw, place = request.POST.get("year", ""), request.POST.get("municipality", "")
    year = int(raw) if raw.isdigit() else None
    if year not in selectors.years_of(request.user, region):
        messages.error(request, "Выберите год, в котором у региона есть перечень ШНОР и ШССУ.")
        return redirect(f"{reverse('management:reports')}?region={region.code}")
    municipality = None
    if place:
        municipality = municipalities_for(request.user).filter(
            pk=int(place) if place.isdigit() else 0, region=region).first()
        if municipality is None:
            raise Http404("Нет такого муниципалитета.")
    try:
        job = services.report_start(actor=request.user, region=region,
                                    municipality=municipality, year=year)
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect(_page_url("management:reports", region, year))
    return redirect(f"{job.get_absolute_url()}?stay=1")


@require_GET
@login_required
def report_file_view(request, public_id):
    report = selectors.report_get(request.user, public_id)
    rules.ensure(rules.may_view(request.user))
    return stored_file_response(report.file, report.file_name, "pdf")


@require_POST
@login_required
def report_approve_view(request, public_id):
    report = selectors.report_get(request.user, public_id)
    form = ProtocolForm(request.POST)
    back = _page_url("management:reports", report.region, report.year)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect(back)
    try:
        services.report_approve(actor=request.user, report=report,
                                protocol_number=form.cleaned_data["protocol_number"],
                                protocol_on=form.cleaned_data["protocol_on"])
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Отчёт утверждён протоколом № "
                                  f"{form.cleaned_data['protocol_number']}.")
    return redirect(back)


# -- the exit list ------------------------------------------------------------------------------
def _exits(request, region, year):
    return (selectors.exit_for(request.user).filter(region=region, year=year)
            .order_by("municipality__name", "school__short_name"))


@require_GET
@login_required
def exit_list_view(request):
    region, regions, years, year = _picked(request)
    rows = list(_exits(request, region, year)) if year else []
    reviews = rules.may_review_exit(request.user, region)
    return render(request, "management/exit_list.html", {
        "region": region, "regions": regions, "years": years, "year": year,
        "rows": [(r, rules.exit_actions(request.user, r)) for r in rows],
        "can_build": bool(year) and reviews, "streak": services.exit_streak(),
        "any_open": any(rules.exit_actions(request.user, r) for r in rows),
        "decisions": selectors.decision_choices(request.user, region, year) if reviews and year
        else [],
    })


def _region_and_year(request):
    region, _ = region_pick(request.user, request.POST.get("region"), required=True)
    raw = request.POST.get("year", "")
    year = int(raw) if raw.isdigit() else None
    return region, (year if year in selectors.years_of(request.user, region) else None)


@require_POST
@login_required
def exit_build_view(request):
    region, year = _region_and_year(request)
    if year is None:
        messages.error(request, "Выберите год, в котором у региона есть перечень ШНОР и ШССУ.")
        return redirect(f"{reverse('management:exit_list')}?region={region.code}")
    try:
        added = services.exit_list_build(actor=request.user, region=region, year=year)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Список {year} г. обновлён: новых школ — {added}."
                         if added else f"Новых школ для списка {year} г. нет.")
    return redirect(_page_url("management:exit_list", region, year))


@require_POST
@login_required
def exit_review_view(request):
    region, year = _region_and_year(request)
    if year is None:
        messages.error(request, "Выберите год списка.")
        return redirect(f"{reverse('management:exit_list')}?region={region.code}")
    chosen = list(_exits(request, region, year).filter(
        public_id__in=[v for v in request.POST.getlist("proposal") if _is_uuid(v)]))
    decision = None
    if request.POST.get("decision"):
        if not _is_uuid(request.POST["decision"]):
            raise Http404("Нет такого решения.")
        decision = selectors.decision_get(request.user, request.POST["decision"])
    try:
        n = services.exit_review(actor=request.user, proposals=chosen,
                                 approve=request.POST.get("action") == "approve",
                                 decision=decision, comment=request.POST.get("comment", ""))
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Рассмотрено школ: {n}.")
    return redirect(_page_url("management:exit_list", region, year))


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


@require_GET
@login_required
def exit_export_view(request):
    region, _, _, year = _picked(request)
    book = new_book()
    rows = [[r.municipality.name, r.school.full_name, r.school.inn or "",
             "; ".join(f"{y}: {v}".replace(".", ",") for y, v in r.ior_series),
             r.risks_before, r.risks_now, r.get_status_display(),
             str(r.decision) if r.decision else "", r.comment]
            for r in (_exits(request, region, year) if year else [])]
    sheet_write(book, "Список на исключение",
                ["Муниципалитет", "Школа", "ИНН", "ИОР по годам", "Рисков было",
                 "Рисков стало", "Состояние", "Решение", "Комментарий"], rows,
                [28, 48, 14, 34, 12, 12, 22, 34, 40],
                note=f"{region.name}, {year} г.: школы с положительной динамикой ИОР, "
                     f"предложенные к исключению из программы")
    return xlsx_response(book_bytes(book), f"exit-list-{region.code}-{year}.xlsx")
