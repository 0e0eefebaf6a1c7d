from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.exceptions import DomainError
from core.middleware import read_action
from core.scope import scope_of
from core.selectors import history_of
from core.years import is_programme_year
from risk_profiles.selectors import categories_of_year
from schools.facts import GROUP_CHOICES

from . import boards, charts, rules, selectors, services
from .engagement import CONTENT_MAX, ORGANISATION_MAX, PART, TOTAL_MAX
from .forms import ComponentForm, RulesForm, scale_text
from .proposals import rules_of

REPORT_KINDS = {"pdf": "monitoring.dashboard_pdf", "xlsx": "monitoring.dashboard_xlsx",
                "region": "monitoring.region_report"}


def _back(filters: selectors.Filters) -> str:
    return f"{reverse('monitoring:dashboard')}?{filters.querystring}"


@require_GET
@login_required
def dashboard_view(request):
    rules.ensure(rules.may_view_dashboard(request.user))
    f = selectors.filters_from(request.user, request.GET)
    if not rules.may_view_dashboard(request.user, f.municipality or f.region):
        raise PermissionDenied("Недостаточно прав для панели этого региона.")
    board = boards.board(request.user, f)
    figures = {
        "engagement-chart": charts.engagement_figure(board),
        "federal-chart": charts.federal_figure(board),
        "documents-chart": charts.documents_figure(board),
        "overdue-chart": charts.overdue_figure(board),
        "curators-chart": charts.curators_figure(board),
    }
    if board.risks is not None and not board.risks.hidden and (
            board.risks.profiles or board.risks.previous_profiles):
        from risk_profiles.charts import distribution_figure

        figures["risks-chart"] = distribution_figure(board.risks)
    region = f.region
    return render(request, "monitoring/dashboard.html", {
        "board": board, "f": f, "figures": {k: v for k, v in figures.items() if v},
        "regions": selectors.dashboard_regions(request.user),
        "municipalities": selectors.dashboard_municipalities(request.user, region),
        "years": f.years,
        "categories": categories_of_year(request.user, f.year, f.region),
        "groups": GROUP_CHOICES,
        "can_recompute": rules.may_recompute(request.user, region),
        "can_export": rules.may_view_report(request.user, f.municipality or region),
        "maxima": {"content": CONTENT_MAX, "organisation": ORGANISATION_MAX,
                   "total": TOTAL_MAX},
    })


@read_action
@require_POST
@login_required
def report_start_view(request):
    kind = REPORT_KINDS.get(request.POST.get("format", ""))
    f = selectors.filters_from(request.user, request.POST)
    if kind is None:
        messages.error(request, "Неизвестный вид отчёта.")
        return redirect(_back(f))
    if kind == "monitoring.region_report" and f.region is None:
        messages.error(request, "Информационно-аналитический отчёт строится по одному "
                                "региону: выберите регион в отборе.")
        return redirect(_back(f))
    national = scope_of(request.user).sees_all_aggregates
    if not rules.may_view_report(request.user, f.municipality or f.region):
        raise PermissionDenied("Недостаточно прав для отчёта по этому региону.")
    try:
        # a national role's report belongs to no region (its filters say which one)
        job = services.report_start(actor=request.user, kind=kind,
                                    region=None if national else f.region,
                                    filters=f.params(),
                                    place=None if national else f.municipality or f.region,
                                    description=f.describe())
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect(_back(f))
    return redirect(f"{job.get_absolute_url()}?stay=1")


@require_POST
@login_required
def recompute_view(request):
    f = selectors.filters_from(request.user, request.POST)
    if f.region is None:
        raise Http404("Выберите регион.")
    try:
        job = services.engagement_recompute_start(actor=request.user, region=f.region,
                                                  year=f.year)
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect(_back(f))
    return redirect(job)


@require_GET
@login_required
def engagement_view(request, public_id):
    score = selectors.score_get(request.user, public_id)
    if not rules.may_view_score(request.user, score):
        raise PermissionDenied("Недостаточно прав для оценки вовлеченности.")
    view = selectors.engagement_view(score.region, score.year)
    can_confirm = rules.may_confirm(request.user, score)
    rows = [(c, ComponentForm(initial={
        "value": selectors.number_text(c.value if c.value is not None else c.proposed),
        "reason": c.reason}, prefix=c.code)) for c in view.components]
    return render(request, "monitoring/engagement.html", {
        "score": score, "view": view, "rows": rows, "parts": PART,
        "can_confirm": can_confirm, "personal": rules.shows_people(request.user),
        "rules": rules_of(score.year),
        "history": (history_of(score)[:30]
                    if rules.may_read_history(request.user, score) else []),
        "can_recompute": rules.may_recompute(request.user, score.region),
        "filters": selectors.Filters(year=score.year, region=score.region),
        "maxima": {"content": CONTENT_MAX, "organisation": ORGANISATION_MAX,
                   "total": TOTAL_MAX},
    })


@require_POST
@login_required
def component_confirm_view(request, public_id):
    component = selectors.component_get(request.user, public_id)
    form = ComponentForm(request.POST, prefix=component.code)
    target = component.score.get_absolute_url() + f"#c-{component.code}"
    if not form.is_valid():
        messages.error(request, "Укажите значение составляющей.")
        return redirect(target)
    try:
        services.component_confirm(actor=request.user, component=component,
                                   value=services.parse_value(form.cleaned_data["value"]),
                                   reason=form.cleaned_data["reason"])
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect(target)
    messages.success(request, f"«{component.get_code_display()}»: значение подтверждено.")
    return redirect(target)


@require_POST
@login_required
def proposals_confirm_view(request, public_id):
    score = selectors.score_get(request.user, public_id)
    try:
        n = services.proposals_confirm(actor=request.user, score=score)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Подтверждено предложений: {n}.")
    return redirect(score)


@require_http_methods(["GET", "POST"])
@login_required
def rules_view(request, year: int):
    if not is_programme_year(year):
        raise Http404("Нет такого года программы.")
    methodology = rules_of(year)
    rules.ensure(rules.may_change_rules(request.user, methodology))
    form = RulesForm(request.POST or None, initial={
        "plan_scale": scale_text(methodology.plan_scale),
        "documents_scale": scale_text(methodology.documents_scale),
        "curator_scale": scale_text(methodology.curator_scale),
        "one_school_threshold": methodology.one_school_threshold})
    if request.method == "POST" and form.is_valid():
        try:
            services.rules_save(actor=request.user, year=year, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Правила мониторинга {year} г. сохранены. Пересчитайте "
                                      "предложения, чтобы они применились.")
            return redirect("monitoring:rules", year=year)
    return render(request, "monitoring/rules.html", {
        "form": form, "rules": methodology, "year": year, "saved": methodology.pk is not None,
        "years": list(selectors.rules_list().values_list("year", flat=True))},
        status=400 if form.errors else 200)
