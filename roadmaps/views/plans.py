"""Pages of the electronic roadmaps: the list (and a new roadmap), a school's roadmap, one
roadmap (table, timeline, exports, its sections and measures added)."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from core.db import ru
from core.exceptions import DomainError
from core.paging import paginate
from core.scope import scope_of
from core.selectors import municipalities_for, staff_region
from core.years import is_programme_year
from schools.selectors import school_get

from .. import rules
from ..exports import file_stem, roadmap_xlsx
from ..filters import RoadmapFilter
from ..forms import ItemForm, RoadmapCreateForm, RoadmapImportForm, SectionForm
from ..models import Roadmap
from ..selectors import activated_risks
from ..selectors.plans import (
    items_of,
    keepers_of,
    progress_of,
    roadmap_get,
    roadmaps_for,
    school_roadmap,
    sections_of,
    stages_of,
    today,
)
from ..services import plans as services
from ..services.plans import ItemInput

EDITING_REFUSED = "Вести эту дорожную карту вы не можете."


# -- the list -------------------------------------------------------------------------------------
def _list_context(request, *, create_form=None, import_form=None) -> dict:
    user = request.user
    filterset = RoadmapFilter(request.GET, queryset=roadmaps_for(user))
    level = filterset.data.get("level", "")
    query = (filterset.data.get("q") or "").strip()
    roadmaps = filterset.qs.order_by("level", "-start_year", ru("title"))
    page, page_query = paginate(request, roadmaps)
    progress = progress_of(page.object_list)
    for roadmap in page.object_list:
        roadmap.progress = progress[roadmap.pk]
    context = {"page": page, "query": page_query, "level": level, "q": query,
               "levels": Roadmap.Level.choices}
    municipalities = list(municipalities_for(user).order_by(ru("name")))
    if rules.may_edit_roadmap(user) and scope_region_ids(user):
        context["create_form"] = create_form or RoadmapCreateForm(
            municipalities=municipalities, initial={"start_year": today().year,
                                                    "end_year": today().year})
    if rules.may_import_roadmap(user) and scope_region_ids(user):
        context["import_form"] = import_form or RoadmapImportForm(
            municipalities=municipalities, initial={"start_year": today().year,
                                                    "end_year": today().year})
    return context


def scope_region_ids(user):
    return scope_of(user).region_ids


@require_GET
@login_required
def plan_list(request):
    rules.ensure(rules.may_view_roadmap(request.user))
    return render(request, "roadmaps/plans/list.html", _list_context(request))


@require_POST
@login_required
def plan_create(request):
    rules.ensure(rules.may_edit_roadmap(request.user))
    region = staff_region(request.user)
    form = RoadmapCreateForm(request.POST, municipalities=list(
        municipalities_for(request.user).filter(region=region)))
    if form.is_valid():
        data = form.cleaned_data
        try:
            roadmap = services.roadmap_create(
                actor=request.user, level=data["level"], region=region, title=data["title"],
                start_year=data["start_year"], end_year=data["end_year"],
                municipality=data["municipality"])
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Дорожная карта «{roadmap.title}» создана. Добавьте "
                                      "разделы и мероприятия.")
            return redirect(roadmap)
    return render(request, "roadmaps/plans/list.html",
                  _list_context(request, create_form=form), status=400)


# -- a school's roadmap ---------------------------------------------------------------------------
@require_GET
@login_required
def school_plan(request, school, year):
    rules.ensure(rules.may_view_roadmap(request.user))
    school = school_get(request.user, school)
    if not is_programme_year(year):
        raise Http404
    roadmap = school_roadmap(request.user, school, year)
    if roadmap is not None:
        return redirect(roadmap)
    return render(request, "roadmaps/plans/school_empty.html", {
        "school": school, "year": year,
        "can_start": rules.may_start_school_roadmap(request.user, school, year),
        "risks": activated_risks(school, year)})


@require_POST
@login_required
def school_plan_start(request, school, year):
    school = school_get(request.user, school)
    if not is_programme_year(year):
        raise Http404
    try:
        roadmap = services.school_roadmap_start(actor=request.user, school=school, year=year)
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("roadmaps:school_plan", school=school.public_id, year=year)
    messages.success(request, "Дорожная карта школы начата. Добавьте мероприятия под "
                              "активированные риски.")
    return redirect(roadmap)


# -- one roadmap ----------------------------------------------------------------------------------
def _item_form(request, roadmap, data=None, initial=None, prefix=None) -> ItemForm:
    school = roadmap.level == Roadmap.Level.SCHOOL
    return ItemForm(data, initial=initial, prefix=prefix,
                    sections=list(sections_of(roadmap)),
                    risks=activated_risks(roadmap.school, roadmap.start_year) if school else [],
                    stages=list(stages_of(request.user, roadmap)),
                    users=list(keepers_of(roadmap)), school_level=school)


def _detail_context(request, roadmap, *, item_form=None, section_form=None) -> dict:
    items = items_of(roadmap)
    editable = rules.may_edit_roadmap(request.user, roadmap)
    groups: list[tuple[object, list]] = []
    if roadmap.level == Roadmap.Level.SCHOOL:
        by_risk: dict = {}
        for item in items:
            by_risk.setdefault(item.risk_factor, []).append(item)
        risks = activated_risks(roadmap.school, roadmap.start_year)
        for risk in risks:
            groups.append((risk, by_risk.pop(risk, [])))
        groups.extend((risk, rows) for risk, rows in by_risk.items())
    else:
        by_section: dict = {}
        for item in items:
            by_section.setdefault(item.section_id, []).append(item)
        for section in sections_of(roadmap):
            groups.append((section, by_section.pop(section.pk, [])))
        if by_section.get(None):
            groups.append((None, by_section.pop(None)))
    context = {"roadmap": roadmap, "groups": groups, "items": items, "editable": editable,
               "progress": progress_of([roadmap])[roadmap.pk], "today": today()}
    if editable:
        context["item_form"] = item_form or _item_form(request, roadmap)
        if roadmap.level != Roadmap.Level.SCHOOL:
            context["section_form"] = section_form or SectionForm()
    return context


@require_GET
@login_required
def plan_detail(request, public_id):
    rules.ensure(rules.may_view_roadmap(request.user))
    roadmap = roadmap_get(request.user, public_id)
    return render(request, "roadmaps/plans/detail.html", _detail_context(request, roadmap))


@require_GET
@login_required
def plan_timeline(request, public_id):
    rules.ensure(rules.may_view_roadmap(request.user))
    roadmap = roadmap_get(request.user, public_id)
    items = items_of(roadmap)
    start = datetime.date(roadmap.start_year, 1, 1)
    dated = [i for i in items if i.due_end]
    end = max([datetime.date(roadmap.end_year, 12, 31)] + [i.due_end for i in dated])
    start = min([start] + [i.due_start for i in dated if i.due_start])
    span = (end - start).days + 1

    def percent(day):
        return round(100 * (day - start).days / span, 2)

    for item in dated:
        first = item.due_start or item.due_end
        item.bar_left = percent(first)
        item.bar_width = max(round(100 * ((item.due_end - first).days + 1) / span, 2), 0.6)
    years = list(range(start.year, end.year + 1))
    ticks = [(y, percent(max(datetime.date(y, 1, 1), start))) for y in years]
    day = today()
    return render(request, "roadmaps/plans/timeline.html", {
        "roadmap": roadmap, "dated": dated, "undated": [i for i in items if not i.due_end],
        "ticks": ticks, "today_left": percent(day) if start <= day <= end else None,
        "today": day, "start": start, "end": end})


@require_GET
@login_required
def plan_xlsx(request, public_id):
    rules.ensure(rules.may_view_roadmap(request.user))
    roadmap = roadmap_get(request.user, public_id)
    response = HttpResponse(
        roadmap_xlsx(roadmap),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{file_stem(roadmap)}.xlsx"'
    return response


@require_POST
@login_required
def plan_pdf(request, public_id):
    rules.ensure(rules.may_view_roadmap(request.user))
    roadmap = roadmap_get(request.user, public_id)
    job = services.roadmap_pdf_start(actor=request.user, roadmap=roadmap)
    return redirect(job)


@require_POST
@login_required
def section_add(request, public_id):
    roadmap = roadmap_get(request.user, public_id)
    form = SectionForm(request.POST)
    if form.is_valid():
        try:
            services.section_add(actor=request.user, roadmap=roadmap,
                                 number=form.cleaned_data["number"],
                                 title=form.cleaned_data["title"])
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Раздел добавлен.")
            return redirect(roadmap)
    if not rules.may_edit_roadmap(request.user, roadmap):
        raise PermissionDenied(EDITING_REFUSED)
    return render(request, "roadmaps/plans/detail.html",
                  _detail_context(request, roadmap, section_form=form), status=400)


def _item_input(data) -> ItemInput:
    return ItemInput(
        activity=data["activity"], deadline_text=data.get("deadline_text") or "",
        due_start=data.get("due_start"), due_end=data.get("due_end"),
        number=data.get("number") or "", section=data.get("section"),
        responsible=data.get("responsible") or "",
        responsible_user=data.get("responsible_user"),
        expected_result=data.get("expected_result") or "", risk_factor=data.get("risk"),
        stage=data.get("stage"), evidence_required=bool(data.get("evidence_required")))


def _saved_message(request, item, verb: str) -> None:
    if item.due_end is None:
        messages.warning(request, f"Мероприятие {verb}, но срок «{item.deadline_text}» не "
                                  "распознан: укажите даты начала и окончания вручную.")
    else:
        messages.success(request, f"Мероприятие {verb}. Срок: {item.due_start:%d.%m.%Y} — "
                                  f"{item.due_end:%d.%m.%Y}.")


@require_POST
@login_required
def item_add(request, public_id):
    roadmap = roadmap_get(request.user, public_id)
    if not rules.may_edit_roadmap(request.user, roadmap):
        raise PermissionDenied(EDITING_REFUSED)
    form = _item_form(request, roadmap, request.POST)
    if form.is_valid():
        try:
            item = services.item_add(actor=request.user, roadmap=roadmap,
                                     data=_item_input(form.cleaned_data))
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            _saved_message(request, item, "добавлено")
            return redirect(roadmap)
    return render(request, "roadmaps/plans/detail.html",
                  _detail_context(request, roadmap, item_form=form), status=400)
