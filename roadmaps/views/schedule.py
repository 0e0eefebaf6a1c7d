"""The plan-schedule of a region's year: the stages (added, changed, removed by regional
staff) and each school's progress towards them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from core.db import ru
from core.exceptions import DomainError
from core.paging import paginate
from core.selectors import municipalities_for, staff_region
from core.years import is_programme_year, year_from

from .. import rules
from ..filters import ScheduleFilter
from ..forms import StageForm
from ..selectors import kinds_of_year
from ..selectors.plans import schedule_progress, schedule_years, stage_get, today
from ..services import plans as services
from ..services.plans import StageInput
from .plans import scope_region_ids


# -- the plan-schedule ----------------------------------------------------------------------------
def _schedule_year(request, years: list[int]) -> int:
    return year_from(request, years, default=years[0] if years else today().year)


def _schedule_context(request, year: int, *, stage_form=None) -> dict:
    user = request.user
    years = schedule_years(user)
    filterset = ScheduleFilter(request.GET, queryset=municipalities_for(user).order_by(ru("name")))
    municipalities, municipality = filterset.municipalities, filterset.chosen
    schedule = schedule_progress(user, year, municipality=municipality)
    page, query = paginate(request, schedule.rows, per_page=50)
    context = {"year": year, "years": years or [year], "schedule": schedule, "page": page,
               "query": query, "municipalities": municipalities,
               "municipality": municipality, "today": today(),
               "can_manage": rules.may_manage_stages(user) and bool(scope_region_ids(user))}
    # «документы вида … подтверждены»: the kind by its name, not its code
    context["kind_titles"] = {k.code: k.title for k in kinds_of_year(year)}
    if context["can_manage"]:
        kinds = list(kinds_of_year(year))
        context["stage_form"] = stage_form or StageForm(kinds=kinds)
        context["stage_forms"] = [
            (stage, StageForm(kinds=kinds, prefix=f"s{stage.pk}", initial={
                "title": stage.title, "due_on": stage.due_on, "rule": stage.rule,
                "kind_code": stage.kind_code, "position": stage.position}))
            for stage in schedule.stages]
    return context


@require_GET
@login_required
def schedule(request):
    rules.ensure(rules.may_view_roadmap(request.user))
    year = _schedule_year(request, schedule_years(request.user))
    return render(request, "roadmaps/plans/schedule.html", _schedule_context(request, year))


def _stage_input(data) -> StageInput:
    return StageInput(title=data["title"], due_on=data["due_on"], rule=data["rule"],
                      kind_code=data.get("kind_code") or "", position=data.get("position") or 0)


@require_POST
@login_required
def stage_add(request):
    rules.ensure(rules.may_manage_stages(request.user))
    region = staff_region(request.user)
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        year = 0
    if not is_programme_year(year):
        messages.error(request, "Год план-графика не указан.")
        return redirect("roadmaps:schedule")
    form = StageForm(request.POST, kinds=list(kinds_of_year(year)))
    if form.is_valid():
        try:
            services.stage_save(actor=request.user, region=region, year=year,
                                data=_stage_input(form.cleaned_data))
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Этап добавлен в план-график.")
            return redirect(reverse("roadmaps:schedule") + f"?year={year}")
    return render(request, "roadmaps/plans/schedule.html",
                  _schedule_context(request, year, stage_form=form), status=400)


@require_POST
@login_required
def stage_edit(request, public_id):
    stage = stage_get(request.user, public_id)
    rules.ensure(rules.may_manage_stages(request.user, stage))
    form = StageForm(request.POST, prefix=f"s{stage.pk}", kinds=list(kinds_of_year(stage.year)))
    if form.is_valid():
        try:
            services.stage_save(actor=request.user, region=stage.region, year=stage.year,
                                data=_stage_input(form.cleaned_data), stage=stage)
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Этап сохранён.")
    else:
        errors = "; ".join(str(e) for errs in form.errors.values() for e in errs)
        messages.error(request, f"Этап не сохранён: {errors}")
    return redirect(reverse("roadmaps:schedule") + f"?year={stage.year}")


@require_POST
@login_required
def stage_remove(request, public_id):
    stage = stage_get(request.user, public_id)
    rules.ensure(rules.may_manage_stages(request.user, stage))
    try:
        services.stage_remove(actor=request.user, stage=stage)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Этап «{stage.title}» удалён из план-графика.")
    return redirect(reverse("roadmaps:schedule") + f"?year={stage.year}")
