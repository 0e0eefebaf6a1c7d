"""Pages of the electronic roadmaps: the list, one roadmap (table, timeline, exports), one
measure (edit, completion with evidence), the overdue list and the plan-schedule."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from core import permissions
from core.db import ru
from core.exceptions import DomainError
from core.paging import paginate
from core.scope import scope_of
from core.selectors import municipalities_for, staff_region
from core.years import is_programme_year, year_from
from schools.models import ImportBatch
from schools.selectors import school_get
from schools.services import import_batch_create

from .exports import file_stem, roadmap_xlsx
from .forms import (
    CompleteForm,
    ItemForm,
    OverdueFilter,
    ReasonForm,
    RoadmapCreateForm,
    RoadmapImportForm,
    SectionForm,
    StageForm,
)
from .models import Roadmap
from .selectors import activated_risks, kinds_of_year
from .selectors.plans import (
    EDIT_PERM,
    can_edit,
    completed_q,
    evidence_versions,
    item_get,
    item_history,
    item_state,
    items_for,
    items_of,
    keepers_of,
    mine_q,
    overdue_q,
    progress_of,
    roadmap_get,
    roadmaps_for,
    schedule_progress,
    schedule_years,
    school_roadmap,
    sections_of,
    stage_get,
    stages_of,
    today,
)
from .services import plans as services
from .services.plans import ItemInput, StageInput

VIEW_PERM = "roadmaps.view_roadmap"
IMPORT_PERM = "schools.add_importbatch"


# -- the list -------------------------------------------------------------------------------------
def _list_context(request, *, create_form=None, import_form=None) -> dict:
    user = request.user
    roadmaps = roadmaps_for(user)
    level = request.GET.get("level", "")
    if level in Roadmap.Level.values:
        roadmaps = roadmaps.filter(level=level)
    query = (request.GET.get("q") or "").strip()
    if query:
        roadmaps = roadmaps.filter(Q(title__icontains=query)
                                   | Q(school__short_name__icontains=query)
                                   | Q(municipality__name__icontains=query))
    roadmaps = roadmaps.order_by("level", "-start_year", ru("title"))
    page, page_query = paginate(request, roadmaps)
    progress = progress_of(page.object_list)
    for roadmap in page.object_list:
        roadmap.progress = progress[roadmap.pk]
    context = {"page": page, "query": page_query, "level": level, "q": query,
               "levels": Roadmap.Level.choices}
    municipalities = list(municipalities_for(user).order_by(ru("name")))
    if permissions.has_perm(user, EDIT_PERM) and scope_region_ids(user):
        context["create_form"] = create_form or RoadmapCreateForm(
            municipalities=municipalities, initial={"start_year": today().year,
                                                    "end_year": today().year})
    if permissions.has_perm(user, IMPORT_PERM) and scope_region_ids(user):
        context["import_form"] = import_form or RoadmapImportForm(
            municipalities=municipalities, initial={"start_year": today().year,
                                                    "end_year": today().year})
    return context


def scope_region_ids(user):
    return scope_of(user).region_ids


@require_GET
@login_required
def plan_list(request):
    permissions.require(request.user, VIEW_PERM)
    return render(request, "roadmaps/plans/list.html", _list_context(request))


@require_POST
@login_required
def plan_create(request):
    permissions.require(request.user, EDIT_PERM)
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


@require_POST
@login_required
def plan_import(request):
    permissions.require(request.user, IMPORT_PERM)
    region = staff_region(request.user)
    form = RoadmapImportForm(request.POST, request.FILES, municipalities=list(
        municipalities_for(request.user).filter(region=region)))
    if form.is_valid():
        data, upload = form.cleaned_data, form.cleaned_data["file"]
        params = {"level": data["level"], "title": data["title"].strip(),
                  "start_year": data["start_year"], "end_year": data["end_year"],
                  "municipality": str(data["municipality"].public_id)
                  if data["municipality"] else "",
                  "existing": data.get("existing") or "update"}
        try:
            batch, _ = import_batch_create(
                actor=request.user, region=region, year=data["start_year"],
                kind=ImportBatch.Kind.ROADMAP, file_name=upload.name, content=upload.read(),
                params=params)
        except DomainError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect(batch)
    return render(request, "roadmaps/plans/list.html",
                  _list_context(request, import_form=form), status=400)


# -- a school's roadmap ---------------------------------------------------------------------------
@require_GET
@login_required
def school_plan(request, school, year):
    permissions.require(request.user, VIEW_PERM)
    school = school_get(request.user, school)
    if not is_programme_year(year):
        raise Http404
    roadmap = school_roadmap(request.user, school, year)
    if roadmap is not None:
        return redirect(roadmap)
    probe = Roadmap(region=school.region, level=Roadmap.Level.SCHOOL, school=school,
                    municipality=school.municipality, start_year=year, end_year=year)
    return render(request, "roadmaps/plans/school_empty.html", {
        "school": school, "year": year, "can_start": can_edit(request.user, probe),
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
    editable = can_edit(request.user, roadmap)
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
    permissions.require(request.user, VIEW_PERM)
    roadmap = roadmap_get(request.user, public_id)
    return render(request, "roadmaps/plans/detail.html", _detail_context(request, roadmap))


@require_GET
@login_required
def plan_timeline(request, public_id):
    permissions.require(request.user, VIEW_PERM)
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
    permissions.require(request.user, VIEW_PERM)
    roadmap = roadmap_get(request.user, public_id)
    response = HttpResponse(
        roadmap_xlsx(roadmap),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{file_stem(roadmap)}.xlsx"'
    return response


@require_POST
@login_required
def plan_pdf(request, public_id):
    permissions.require(request.user, VIEW_PERM)
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
    if not can_edit(request.user, roadmap):
        raise PermissionDenied("Вести эту дорожную карту вы не можете.")
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
    if not can_edit(request.user, roadmap):
        raise PermissionDenied("Вести эту дорожную карту вы не можете.")
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


# -- one measure ----------------------------------------------------------------------------------
def _item_context(request, item, *, edit_form=None, complete_form=None,
                  reason_form=None) -> dict:
    roadmap = item.roadmap
    editable = can_edit(request.user, roadmap)
    item.state = item_state(item, today())
    context = {"item": item, "roadmap": roadmap, "editable": editable,
               "versions": evidence_versions(item), "history": item_history(item)[:50]}
    if editable:
        initial = {"section": str(item.section_id or ""), "number": item.number,
                   "activity": item.activity, "deadline_text": item.deadline_text,
                   "due_start": item.due_start if item.due_manual else None,
                   "due_end": item.due_end if item.due_manual else None,
                   "responsible": item.responsible,
                   "responsible_user": str(item.responsible_user.public_id)
                   if item.responsible_user_id else "",
                   "expected_result": item.expected_result,
                   "risk": item.risk_factor.code if item.risk_factor_id else "",
                   "stage": str(item.stage.public_id) if item.stage_id else "",
                   "evidence_required": item.evidence_required}
        context["edit_form"] = edit_form or _item_form(request, roadmap, initial=initial)
        context["complete_form"] = complete_form or CompleteForm(
            initial={"done_on": today()})
        context["reason_form"] = reason_form or ReasonForm()
    return context


@require_GET
@login_required
def item_detail(request, public_id):
    permissions.require(request.user, VIEW_PERM)
    item = item_get(request.user, public_id)
    return render(request, "roadmaps/plans/item.html", _item_context(request, item))


def _item_for_edit(request, public_id):
    item = item_get(request.user, public_id)
    if not can_edit(request.user, item.roadmap):
        raise PermissionDenied("Вести эту дорожную карту вы не можете.")
    return item


@require_POST
@login_required
def item_edit(request, public_id):
    item = _item_for_edit(request, public_id)
    form = _item_form(request, item.roadmap, request.POST)
    if form.is_valid():
        try:
            item = services.item_update(actor=request.user, item=item,
                                        data=_item_input(form.cleaned_data))
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            _saved_message(request, item, "сохранено")
            return redirect(item)
    return render(request, "roadmaps/plans/item.html",
                  _item_context(request, item, edit_form=form), status=400)


@require_POST
@login_required
def item_complete(request, public_id):
    item = _item_for_edit(request, public_id)
    form = CompleteForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            item = services.item_complete(actor=request.user, item=item,
                                          done_on=data["done_on"], note=data["note"],
                                          upload=data["file"])
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            if item.roadmap.needs_confirmation:
                messages.success(request, "Мероприятие отмечено выполненным. Подтверждающий "
                                          "документ отправлен куратору на проверку.")
            else:
                messages.success(request, "Мероприятие отмечено выполненным.")
            return redirect(item)
    return render(request, "roadmaps/plans/item.html",
                  _item_context(request, item, complete_form=form), status=400)


def _reasoned(request, public_id, action, done_text: str):
    item = _item_for_edit(request, public_id)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            item = action(actor=request.user, item=item, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, done_text)
            return item, None
    return item, render(request, "roadmaps/plans/item.html",
                        _item_context(request, item, reason_form=form), status=400)


@require_POST
@login_required
def item_reopen(request, public_id):
    item, failed = _reasoned(request, public_id, services.item_reopen,
                             "Отметка о выполнении снята.")
    return failed or redirect(item)


@require_POST
@login_required
def item_remove(request, public_id):
    item, failed = _reasoned(request, public_id, services.item_remove,
                             "Мероприятие удалено из дорожной карты (оно сохранено в журнале "
                             "действий).")
    return failed or redirect(item.roadmap)


# -- overdue --------------------------------------------------------------------------------------
@require_GET
@login_required
def overdue(request):
    permissions.require(request.user, VIEW_PERM)
    user = request.user
    municipalities = list(municipalities_for(user).order_by(ru("name")))
    form = OverdueFilter(request.GET or None, municipalities=municipalities)
    day = today()
    items = items_for(user)
    soon = False
    if form.is_valid():
        data = form.cleaned_data
        soon = data["soon"]
        if data["q"]:
            items = items.filter(Q(activity__icontains=data["q"])
                                 | Q(roadmap__school__short_name__icontains=data["q"])
                                 | Q(roadmap__title__icontains=data["q"]))
        if data["level"]:
            items = items.filter(roadmap__level=data["level"])
        if data.get("municipality"):
            items = items.filter(roadmap__municipality__public_id=data["municipality"])
        if data["mine"]:
            items = items.filter(mine_q(user))
    if soon:
        items = items.filter(due_end__gte=day,
                             due_end__lte=day + datetime.timedelta(services.REMIND_DAYS)
                             ).exclude(completed_q())
    else:
        items = items.filter(overdue_q(day))
    items = items.order_by("due_end", "roadmap__title", "position", "pk")
    page, query = paginate(request, items)
    for item in page.object_list:
        item.state = item_state(item, day)
        item.days = (day - item.due_end).days
    return render(request, "roadmaps/plans/overdue.html", {
        "form": form, "page": page, "query": query, "soon": soon, "today": day})


# -- the plan-schedule ----------------------------------------------------------------------------
def _schedule_year(request, years: list[int]) -> int:
    return year_from(request, years, default=years[0] if years else today().year)


def _schedule_context(request, year: int, *, stage_form=None) -> dict:
    user = request.user
    years = schedule_years(user)
    municipalities = list(municipalities_for(user).order_by(ru("name")))
    municipality = next((m for m in municipalities
                         if str(m.public_id) == request.GET.get("municipality")), None)
    schedule = schedule_progress(user, year, municipality=municipality)
    page, query = paginate(request, schedule.rows, per_page=50)
    context = {"year": year, "years": years or [year], "schedule": schedule, "page": page,
               "query": query, "municipalities": municipalities,
               "municipality": municipality, "today": today(),
               "can_manage": permissions.has_perm(user, services.STAGE_PERM)
               and bool(scope_region_ids(user))}
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
    permissions.require(request.user, VIEW_PERM)
    year = _schedule_year(request, schedule_years(request.user))
    return render(request, "roadmaps/plans/schedule.html", _schedule_context(request, year))


def _stage_input(data) -> StageInput:
    return StageInput(title=data["title"], due_on=data["due_on"], rule=data["rule"],
                      kind_code=data.get("kind_code") or "", position=data.get("position") or 0)


@require_POST
@login_required
def stage_add(request):
    permissions.require(request.user, services.STAGE_PERM)
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
    permissions.require(request.user, services.STAGE_PERM, stage)
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
    permissions.require(request.user, services.STAGE_PERM, stage)
    try:
        services.stage_remove(actor=request.user, stage=stage)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Этап «{stage.title}» удалён из план-графика.")
    return redirect(reverse("roadmaps:schedule") + f"?year={stage.year}")

