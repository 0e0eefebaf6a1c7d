"""Writes of roadmaps: creating one, its sections and measures, the completion mark with its
evidence, the plan-schedule's stages, the import of a whole roadmap and the daily reminders.

The evidence of a measure is a :class:`~roadmaps.models.Document` of the «evidence» kind:
its versions go through the same checks and the same ``version_commit`` as every school
document, and a school's evidence goes to the curator and comes back through the same
``document_transition`` — the measure counts as done only while its evidence is with the
curator or approved (``selectors.plans.completed_q``).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, OuterRef
from django.urls import reverse
from django.utils import timezone

from core import audit
from core.exceptions import DomainError
from core.jobs import job_start
from core.models import Municipality, Region, User
from core.notifications import notify
from core.text import count_phrase
from core.years import MAX_YEAR, MIN_YEAR, is_programme_year
from risk_profiles.models import RiskFactor
from schools.models import School

from .. import rules
from ..deadlines import parse_deadline, stored_fields
from ..models import (
    Document,
    DocumentKind,
    DocumentVersion,
    PlanStage,
    Reminder,
    Roadmap,
    RoadmapItem,
    RoadmapSection,
)
from ..selectors import activated_risks
from ..selectors.plans import completed_q, keepers_of, overdue_q
from . import Upload, document_transition, upload_stored, version_commit

STAGE_PERM = rules.MANAGE_STAGES
ACTIVITY_MAX = RoadmapItem._meta.get_field("activity").max_length
TEXT_MAX = RoadmapItem._meta.get_field("done_note").max_length
EVIDENCE_CODE = "measure_evidence"
REMIND_DAYS = 7
NEW_OVERDUE_DAYS = 30


class RoadmapError(DomainError):
    pass


def _require_editor(actor, roadmap: Roadmap) -> None:
    if not rules.may_edit_roadmap(actor, roadmap):
        owner = {Roadmap.Level.REGION: "региональный координатор",
                 Roadmap.Level.MUNICIPALITY: "муниципальный координатор этого муниципалитета "
                                             "или региональный координатор",
                 Roadmap.Level.SCHOOL: "школьный координатор этой школы"}[roadmap.level]
        raise RoadmapError(f"Вести дорожную карту «{roadmap.title}» может только {owner}.")


# -- roadmaps and sections ------------------------------------------------------------------------
def _check_years(start_year: int, end_year: int) -> None:
    if not (is_programme_year(start_year) and is_programme_year(end_year)):
        raise RoadmapError(f"Годы дорожной карты должны быть между {MIN_YEAR} и {MAX_YEAR}.")
    if end_year < start_year:
        raise RoadmapError(f"Последний год ({end_year}) раньше первого ({start_year}).")
    if end_year - start_year > 10:
        raise RoadmapError("Дорожная карта охватывает не больше 10 лет.")


def _roadmap_new(actor, *, level: str, region: Region, title: str, start_year: int,
                 end_year: int, municipality: Municipality | None = None,
                 school: School | None = None, source: str = "") -> Roadmap:
    title = (title or "").strip()
    if not title:
        raise RoadmapError("Укажите название дорожной карты.")
    _check_years(start_year, end_year)
    if level == Roadmap.Level.SCHOOL:
        if school is None or school.region_id != region.pk:
            raise RoadmapError("Школьная дорожная карта принадлежит школе своего региона.")
        municipality = school.municipality
        if end_year != start_year:
            raise RoadmapError("Дорожная карта школы составляется на один год программы.")
    elif level == Roadmap.Level.MUNICIPALITY:
        if municipality is None or municipality.region_id != region.pk:
            raise RoadmapError("Выберите муниципалитет своего региона.")
    else:
        municipality = None
    roadmap = Roadmap(region=region, level=level, municipality=municipality, school=school,
                      title=title[:255], start_year=start_year, end_year=end_year,
                      source=source[:255], created_by=actor)
    _require_editor(actor, roadmap)
    try:
        with transaction.atomic():
            roadmap.save()
    except IntegrityError:
        raise RoadmapError(f"У школы «{school.short_name}» уже есть дорожная карта на "
                           f"{start_year} год.")
    audit.record(actor, "roadmaps.roadmap.created", roadmap,
                 {"level": level, "title": roadmap.title, "period": roadmap.period,
                  "source": roadmap.source})
    return roadmap


@transaction.atomic
def roadmap_create(*, actor, level: str, region: Region, title: str, start_year: int,
                   end_year: int, municipality: Municipality | None = None,
                   school: School | None = None) -> Roadmap:
    """A new, empty roadmap of a region, a municipality or a school-year."""
    return _roadmap_new(actor, level=level, region=region, title=title, start_year=start_year,
                        end_year=end_year, municipality=municipality, school=school)


@transaction.atomic
def school_roadmap_start(*, actor, school: School, year: int) -> Roadmap:
    """The school's roadmap of ``year`` (its coordinator starts it)."""
    return _roadmap_new(actor, level=Roadmap.Level.SCHOOL, region=school.region,
                        title=f"Дорожная карта: {school.short_name}, {year}",
                        start_year=year, end_year=year, school=school)


@transaction.atomic
def section_add(*, actor, roadmap: Roadmap, number: str, title: str) -> RoadmapSection:
    _require_editor(actor, roadmap)
    title = (title or "").strip()
    if not title:
        raise RoadmapError("Укажите название раздела.")
    position = (roadmap.sections.aggregate(p=Max("position"))["p"] or 0) + 1
    section = RoadmapSection.objects.create(region_id=roadmap.region_id, roadmap=roadmap,
                                            number=(number or "").strip()[:16],
                                            title=title[:2000], position=position)
    audit.record(actor, "roadmaps.section.added", roadmap,
                 {"number": section.number, "title": section.title})
    return section


def _import_level(batch, params: dict) -> tuple[str, Municipality | None]:
    region = batch.region
    level = params.get("level") or Roadmap.Level.REGION
    if level not in (Roadmap.Level.REGION, Roadmap.Level.MUNICIPALITY):
        raise RoadmapError("Из файла загружаются региональные и муниципальные дорожные карты.")
    municipality = None
    if level == Roadmap.Level.MUNICIPALITY:
        municipality = region.municipalities.filter(public_id=params.get("municipality")).first()
        if municipality is None:
            raise RoadmapError("Муниципалитет дорожной карты не найден в регионе.")
    return level, municipality


def _planned_item(actor, roadmap: Roadmap, planned, *, section, position: int) -> RoadmapItem:
    parsed = parse_deadline(planned.deadline, start_year=roadmap.start_year,
                            end_year=roadmap.end_year)
    done = planned.done_on is not None
    return RoadmapItem(
        region_id=roadmap.region_id, roadmap=roadmap, created_by=actor, position=position,
        section=section, number=planned.number, activity=planned.activity,
        deadline_text=planned.deadline, **stored_fields(parsed),
        responsible=planned.responsible, expected_result=planned.expected_result,
        # the completion column: a mark, a date or a report is done (with the cell as the
        # note), anything else stays a note of an open measure (importer.read_completion)
        done_note=planned.done_note, done_on=planned.done_on if done else None,
        done_by=actor if done else None)


def roadmap_import_apply(*, actor, batch, params: dict, plan) -> Roadmap:
    """Create the roadmap of an import batch with every section and measure (inside the
    batch's apply transaction: all or nothing). Regional staff only. A roadmap of the same
    level, territory and period already there is refused: it is updated instead
    (:func:`roadmap_import_update`), never copied."""
    region = batch.region
    level, municipality = _import_level(batch, params)
    twin = Roadmap.objects.filter(region=region, level=level, municipality=municipality,
                                  start_year=params["start_year"],
                                  end_year=params["end_year"]).first()
    if twin is not None:
        raise RoadmapError(f"Дорожная карта «{twin.title}» на {twin.period} уже есть: "
                           "загрузите файл снова и обновите её — вторая копия не создаётся.")
    roadmap = _roadmap_new(actor, level=level, region=region, title=params.get("title", ""),
                           start_year=params["start_year"], end_year=params["end_year"],
                           municipality=municipality,
                           source=f"загружена из файла «{batch.file_name}»")
    sections = RoadmapSection.objects.bulk_create([
        RoadmapSection(region=region, roadmap=roadmap, number=s.number, title=s.title[:2000],
                       position=n + 1) for n, s in enumerate(plan.sections)])
    items = [_planned_item(actor, roadmap, planned, position=position,
                           section=sections[planned.section]
                           if planned.section is not None else None)
             for position, planned in enumerate(plan.items, start=1)]
    RoadmapItem.objects.bulk_create(items)
    audit.record(actor, "roadmaps.roadmap.imported", roadmap,
                 {"batch": str(batch.public_id), "file": batch.file_name,
                  "sections": len(sections), "items": len(items),
                  "done": sum(1 for i in items if i.done_on is not None),
                  "unparsed": sum(1 for i in items if i.due_end is None)})
    return roadmap


_UPDATED_FIELDS = ("activity", "number", "section", "deadline_text", "due_start", "due_end",
                   "due_manual", "recurring", "due_periods", "recurrence", "responsible",
                   "expected_result", "done_on", "done_note", "done_by", "position")


def _lock_for_update(roadmap: Roadmap, actor
                     ) -> tuple[Roadmap, list[RoadmapSection], list[RoadmapItem]]:
    """The roadmap, its sections and its measures, locked (the editor's right checked)."""
    roadmap = Roadmap.objects.select_for_update().get(pk=roadmap.pk)
    _require_editor(actor, roadmap)
    if roadmap.level not in (Roadmap.Level.REGION, Roadmap.Level.MUNICIPALITY):
        raise RoadmapError("Из файла обновляются региональные и муниципальные дорожные карты.")
    sections = list(roadmap.sections.select_for_update().order_by("position", "pk"))
    items = list(RoadmapItem.objects.select_for_update(of=("self",))
                 .filter(roadmap=roadmap).select_related("section", "evidence")
                 .order_by("section__position", "position", "pk"))
    for item in items:
        item.roadmap = roadmap
    return roadmap, sections, items


def _place_sections(roadmap: Roadmap, plan, diff, sections: list[RoadmapSection]
                    ) -> tuple[list[RoadmapSection], list[RoadmapSection]]:
    """Sections: the file's order first (new ones created), the roadmap's others after.
    Returns the section of each planned one and the new ones."""
    placed: list[RoadmapSection] = []
    new_sections: list[RoadmapSection] = []
    for planned, existing in zip(plan.sections, diff.sections, strict=True):
        if existing is None:
            existing = RoadmapSection(region_id=roadmap.region_id, roadmap=roadmap,
                                      number=planned.number, title=planned.title[:2000])
            new_sections.append(existing)
        placed.append(existing)
    renamed = {section.pk: title for section, title in diff.renamed}
    ordered = placed + [s for s in sections if s not in placed]
    for position, section in enumerate(ordered, start=1):
        section.position = position
        if section.pk in renamed:
            section.title = renamed[section.pk]
    RoadmapSection.objects.bulk_create(new_sections)
    RoadmapSection.objects.bulk_update([s for s in ordered if s.pk and s not in new_sections],
                                       ["position", "title"])
    return placed, new_sections


def _changed_item(change, placed: list[RoadmapSection], actor) -> RoadmapItem:
    """The measure with the file's changes written on it (not saved)."""
    item = change.item
    for name, value in change.updates.items():
        if name == "section":
            value = placed[value] if isinstance(value, int) else value
        setattr(item, name, value)
    if change.complete:
        item.done_by = actor
    return item


def _place_items(actor, roadmap: Roadmap, plan, diff, placed: list[RoadmapSection]
                 ) -> list[RoadmapItem]:
    """Write the measures in the file's order (new ones created, changed ones rewritten),
    the roadmap's measures absent from the file after them. Returns the new ones."""
    by_planned = {c.planned: c for c in diff.changed}
    kept = {index: item for index, item in diff.unchanged}
    new_items, touched = [], []
    position = 0
    for index, planned in enumerate(plan.items):
        if index in by_planned:
            item = _changed_item(by_planned[index], placed, actor)
        elif index in kept:
            item = kept[index]
        elif index in diff.new:
            section = placed[planned.section] if planned.section is not None else None
            item = _planned_item(actor, roadmap, planned, section=section, position=0)
            new_items.append(item)
        else:
            continue  # removed in the portal: not brought back
        position += 1
        item.position = position
        if item.pk:
            touched.append(item)
    for item in diff.absent:  # kept, after the file's measures, in their own order
        position += 1
        item.position = position
        touched.append(item)
    RoadmapItem.objects.bulk_create(new_items)
    RoadmapItem.objects.bulk_update(touched, list(_UPDATED_FIELDS), batch_size=500)
    return new_items


def _audit_reimport(actor, batch, roadmap: Roadmap, diff, new_items: list[RoadmapItem],
                    new_sections: list[RoadmapSection]) -> None:
    marker = {"batch": str(batch.public_id), "file": batch.file_name}
    for change in diff.changed:
        audit.record(actor, "roadmaps.item.changed", change.item,
                     {**{label: [before, after] for label, before, after in change.fields},
                      **marker})
        if change.complete:
            audit.record(actor, "roadmaps.item.completed", change.item,
                         {"done_on": change.item.done_on.isoformat(),
                          "note": change.item.done_note[:500], "evidence_version": None,
                          "late": bool(change.item.due_end
                                       and change.item.done_on > change.item.due_end),
                          **marker})
    audit.record(actor, "roadmaps.roadmap.reimported", roadmap, {
        **marker, "new": len(new_items), "changed": len(diff.changed),
        "unchanged": len(diff.unchanged), "sections_new": len(new_sections),
        "done": diff.done + sum(1 for i in new_items if i.done_on is not None),
        "absent_kept": [str(i.public_id) for i in diff.absent][:300],
        "not_restored": [str(i.public_id) for _, i in diff.removed][:300],
        "marks_kept": len(diff.kept_marks)})


def roadmap_import_update(*, actor, batch, roadmap: Roadmap, plan) -> Roadmap:
    """Update ``roadmap`` from an import batch of the same level, territory and period
    (inside the batch's apply transaction). The roadmap and its measures are locked and
    matched again (``importer.roadmap_diff``); new measures are added, changed ones
    rewritten, and the roadmap's measures absent from the file are kept as they are.

    Never lost: a completion mark (date, note, who), an evidence file, manual dates of an
    unchanged deadline, a measure confirmed by the curator (left untouched) and a measure
    removed in the portal (not brought back). Audit: one ``roadmaps.roadmap.reimported``
    plus ``roadmaps.item.changed`` / ``roadmaps.item.completed`` for each measure the file
    changes or marks done."""
    from ..importer import roadmap_diff

    roadmap, sections, items = _lock_for_update(roadmap, actor)
    diff = roadmap_diff(plan, roadmap, items=items, sections=sections)
    plan.diff = diff
    placed, new_sections = _place_sections(roadmap, plan, diff, sections)
    new_items = _place_items(actor, roadmap, plan, diff, placed)
    _audit_reimport(actor, batch, roadmap, diff, new_items, new_sections)
    return roadmap


# -- measures -------------------------------------------------------------------------------------
@dataclass
class ItemInput:
    activity: str
    deadline_text: str = ""
    #: Dates typed by hand: they win over the text (which is kept as written).
    due_start: datetime.date | None = None
    due_end: datetime.date | None = None
    number: str = ""
    section: RoadmapSection | None = None
    responsible: str = ""
    responsible_user: User | None = None
    expected_result: str = ""
    risk_factor: RiskFactor | None = None
    stage: PlanStage | None = None
    evidence_required: bool = False


def _checked_texts(data: ItemInput) -> tuple[str, str]:
    """The measure's text and deadline text, stripped, refused when empty or too long."""
    activity = (data.activity or "").strip()
    if not activity:
        raise RoadmapError("Опишите мероприятие.")
    if len(activity) > ACTIVITY_MAX:
        raise RoadmapError(f"Описание мероприятия длиннее {ACTIVITY_MAX} знаков.")
    for label, value in (("Ответственные", data.responsible),
                         ("Ожидаемый результат", data.expected_result)):
        if len(value or "") > TEXT_MAX:
            raise RoadmapError(f"Поле «{label}» длиннее {TEXT_MAX} знаков.")
    text = (data.deadline_text or "").strip()
    if len(text) > 255:
        raise RoadmapError("Срок длиннее 255 знаков: напишите его короче.")
    return activity, text


def _apply_deadline(roadmap: Roadmap, item: RoadmapItem, data: ItemInput, text: str) -> None:
    """Dates typed by hand win over the text; else the dates are read from the text."""
    if (data.due_start is None) != (data.due_end is None):
        raise RoadmapError("Укажите обе даты срока — начало и окончание — или ни одной.")
    if data.due_start is not None:
        if data.due_start > data.due_end:
            raise RoadmapError("Начало срока позже его окончания.")
        if not (roadmap.start_year - 1 <= data.due_start.year
                and data.due_end.year <= roadmap.end_year + 1):
            raise RoadmapError(f"Даты срока должны лежать в периоде дорожной карты "
                               f"({roadmap.period}) или рядом с ним.")
        item.due_start, item.due_end, item.due_manual = data.due_start, data.due_end, True
        parsed = parse_deadline(text, start_year=roadmap.start_year, end_year=roadmap.end_year)
        item.recurring, item.due_periods = parsed.recurring, []
        item.recurrence = parsed.every.code if parsed.every else ""
    else:
        if not text:
            raise RoadmapError("Укажите срок: дату, период («март–апрель 2022», «ежегодно, "
                               "сентябрь») или даты начала и окончания.")
        parsed = parse_deadline(text, start_year=roadmap.start_year, end_year=roadmap.end_year)
        for name, value in stored_fields(parsed).items():
            setattr(item, name, value)
        item.due_manual = False


def _check_links(roadmap: Roadmap, data: ItemInput) -> None:
    """The risk, the plan-schedule stage and the responsible user belong to the roadmap."""
    if roadmap.level == Roadmap.Level.SCHOOL:
        if data.risk_factor is not None and data.risk_factor.pk not in {
                r.pk for r in activated_risks(roadmap.school, roadmap.start_year)}:
            raise RoadmapError(
                f"Риск {data.risk_factor.code} не активирован в риск-профиле школы на "
                f"{roadmap.start_year} год. Мероприятия пишутся под активированные риски.")
    elif data.risk_factor is not None:
        raise RoadmapError("Риск указывается только у мероприятий школы.")
    if data.stage is not None and (data.stage.region_id != roadmap.region_id or not (
            roadmap.start_year <= data.stage.year <= roadmap.end_year)):
        raise RoadmapError("Этап план-графика относится к другому региону или году.")
    if data.responsible_user is not None and not data.responsible_user.memberships.filter(
            region_id=roadmap.region_id, ended_at__isnull=True).exists():
        raise RoadmapError("Ответственный пользователь не работает в регионе этой дорожной "
                           "карты.")


def _apply_input(roadmap: Roadmap, item: RoadmapItem, data: ItemInput) -> None:
    activity, text = _checked_texts(data)
    if data.section is not None and data.section.roadmap_id != roadmap.pk:
        raise RoadmapError("Раздел относится к другой дорожной карте.")
    _apply_deadline(roadmap, item, data, text)
    _check_links(roadmap, data)
    item.deadline_text = text
    item.activity = activity
    item.number = (data.number or "").strip()[:16]
    item.section = data.section
    item.responsible = (data.responsible or "").strip()
    item.responsible_user = data.responsible_user
    item.expected_result = (data.expected_result or "").strip()
    item.risk_factor = data.risk_factor
    item.stage = data.stage
    # a school's measures are always confirmed by the curator on their evidence
    item.evidence_required = data.evidence_required or roadmap.needs_confirmation


def _item_snapshot(item: RoadmapItem) -> dict:
    return {"number": item.number, "activity": item.activity[:300],
            "deadline": item.deadline_text,
            "due": [d.isoformat() if d else None for d in (item.due_start, item.due_end)],
            "manual": item.due_manual, "responsible": item.responsible[:200],
            "risk": item.risk_factor.code if item.risk_factor_id else None,
            "stage": item.stage.title if item.stage_id else None,
            "evidence_required": item.evidence_required}


@transaction.atomic
def item_add(*, actor, roadmap: Roadmap, data: ItemInput) -> RoadmapItem:
    """A new measure. A deadline text the parser cannot read is kept and the measure is
    flagged «срок не распознан» until dates are entered by hand."""
    roadmap = Roadmap.objects.select_for_update().get(pk=roadmap.pk)
    _require_editor(actor, roadmap)
    item = RoadmapItem(region_id=roadmap.region_id, roadmap=roadmap, created_by=actor)
    _apply_input(roadmap, item, data)
    item.position = (roadmap.items.aggregate(p=Max("position"))["p"] or 0) + 1
    item.save()
    audit.record(actor, "roadmaps.item.added", item, _item_snapshot(item))
    return item


@transaction.atomic
def item_update(*, actor, item: RoadmapItem, data: ItemInput) -> RoadmapItem:
    item = _locked(item)
    _require_editor(actor, item.roadmap)
    if _confirmed(item):
        raise RoadmapError("Выполнение мероприятия подтверждено куратором: менять его нельзя.")
    before = _item_snapshot(item)
    _apply_input(item.roadmap, item, data)
    item.save()
    after = _item_snapshot(item)
    audit.record(actor, "roadmaps.item.changed", item,
                 {k: [before[k], after[k]] for k in after if before[k] != after[k]})
    return item


@transaction.atomic
def item_remove(*, actor, item: RoadmapItem, reason: str) -> RoadmapItem:
    """Hide a measure (it stays in the database and in the audit)."""
    item = _locked(item)
    _require_editor(actor, item.roadmap)
    reason = (reason or "").strip()
    if not reason:
        raise RoadmapError("Укажите причину удаления мероприятия.")
    if _confirmed(item):
        raise RoadmapError("Выполнение мероприятия подтверждено куратором: удалить его нельзя.")
    if item.evidence_id and item.evidence.status == Document.Status.SUBMITTED:
        raise RoadmapError("Подтверждение мероприятия на проверке у куратора. Отзовите его "
                           "или дождитесь решения.")
    item.removed_at = timezone.now()
    item.save(update_fields=["removed_at"])
    audit.record(actor, "roadmaps.item.removed", item, {**_item_snapshot(item),
                                                        "reason": reason[:500]})
    return item


def _locked(item: RoadmapItem) -> RoadmapItem:
    item = (RoadmapItem.objects.select_for_update(of=("self",))
            .select_related("roadmap", "roadmap__school", "roadmap__region", "evidence")
            .get(pk=item.pk))
    if item.removed_at is not None:
        raise RoadmapError("Мероприятие удалено из дорожной карты.")
    return item


def _confirmed(item: RoadmapItem) -> bool:
    return bool(item.done_on and item.evidence_id
                and item.evidence.status == Document.Status.APPROVED)


# -- completion and evidence ----------------------------------------------------------------------
def evidence_kind(year: int) -> DocumentKind:
    """The federal «evidence» kind of ``year`` (created on first use, like a setting)."""
    kind, _ = DocumentKind.objects.get_or_create(
        year=year, code=EVIDENCE_CODE,
        defaults={"title": "Подтверждение мероприятия дорожной карты", "position": 900,
                  "mode": DocumentKind.Mode.EVIDENCE, "required": False,
                  "description": "Файл, подтверждающий выполнение мероприятия: приказ, "
                                 "протокол, отчёт, фотоотчёт в PDF."})
    return kind


def _evidence_document(actor, item: RoadmapItem, year: int) -> Document:
    roadmap = item.roadmap
    if item.evidence_id:
        return item.evidence
    title = f"Подтверждение: {item}" if not item.number else \
        f"Подтверждение: {item.number}. {item.activity}"
    document = Document.objects.create(
        region_id=roadmap.region_id, school=roadmap.school,
        municipality=roadmap.municipality if roadmap.school_id is None else None,
        year=year, kind=evidence_kind(year), title=title[:255], slot="", created_by=actor)
    audit.record(actor, "roadmaps.document.created", document,
                 {"kind": EVIDENCE_CODE, "measure": str(item.public_id)})
    item.evidence = document
    item.save(update_fields=["evidence"])
    return document


def item_complete(*, actor, item: RoadmapItem, done_on: datetime.date, note: str = "",
                  upload: Upload | None = None, now=None) -> RoadmapItem:
    """Mark a measure done on ``done_on`` with a note and (when its kind requires it, or
    whenever given) an evidence file. A school's evidence goes to its curator, who confirms
    or returns it like any document; a returned evidence makes the measure open again until
    a corrected file is uploaded here.

    The file is stored before the transaction and deleted if the transaction fails."""
    now = now or timezone.now()
    note = (note or "").strip()
    if done_on is None:
        raise RoadmapError("Укажите дату выполнения.")
    if done_on > timezone.localdate(now):
        raise RoadmapError("Дата выполнения не может быть в будущем.")
    if len(note) > TEXT_MAX:
        raise RoadmapError(f"Отметка о выполнении длиннее {TEXT_MAX} знаков.")
    roadmap = item.roadmap
    year = (item.due_end.year if item.due_end
            and roadmap.start_year <= item.due_end.year <= roadmap.end_year
            else roadmap.start_year)
    if upload is None:
        return _complete_commit(actor, item, done_on, note, None, None, now, year)
    version = DocumentVersion(region_id=roadmap.region_id, original_name=upload.name,
                              extension=upload.extension, sha256=upload.sha256,
                              size=upload.size, note=note[:2000], uploaded_by=actor)
    with upload_stored(upload, f"documents/{roadmap.region_id}/measures/{item.public_id}/"
                               f"{version.public_id}.{upload.extension}") as stored:
        return _complete_commit(actor, item, done_on, note, version, stored, now, year)


@transaction.atomic
def _complete_commit(actor, item, done_on, note, version, stored, now, year) -> RoadmapItem:
    item = _locked(item)
    roadmap = item.roadmap
    _require_editor(actor, roadmap)
    if done_on.year < roadmap.start_year - 1:
        raise RoadmapError(f"Дата выполнения раньше периода дорожной карты ({roadmap.period}).")
    status = item.evidence.status if item.evidence_id else None
    if item.done_on and (not roadmap.needs_confirmation or status in (
            Document.Status.SUBMITTED, Document.Status.APPROVED)):
        raise RoadmapError("Мероприятие уже отмечено выполненным.")
    if version is None and item.evidence_required:
        if not item.evidence_id or not item.evidence.version_count:
            raise RoadmapError("Для этого мероприятия нужен подтверждающий документ: "
                               "приложите файл (приказ, протокол, отчёт).")
        if status == Document.Status.RETURNED:
            raise RoadmapError("Куратор вернул подтверждение на доработку: загрузите "
                               "исправленный файл.")
    if version is not None:
        document = _evidence_document(actor, item, year)
        version_commit(actor=actor, school=roadmap.school, year=document.year, slot=None,
                       document=document, version=version, stored=stored,
                       submit=roadmap.needs_confirmation, now=now)
        item.evidence = Document.objects.get(pk=document.pk)
    elif roadmap.needs_confirmation and status == Document.Status.DRAFT:
        # a withdrawn evidence goes back to the curator as it is
        document_transition(actor=actor, document=item.evidence, action="submit", now=now,
                            via_measure=True)
    item.done_on, item.done_note, item.done_by = done_on, note, actor
    item.save(update_fields=["done_on", "done_note", "done_by", "evidence"])
    audit.record(actor, "roadmaps.item.completed", item,
                 {"done_on": done_on.isoformat(), "note": note[:500],
                  "evidence_version": version.number if version is not None else None,
                  "late": bool(item.due_end and done_on > item.due_end)})
    return item


@transaction.atomic
def item_reopen(*, actor, item: RoadmapItem, reason: str) -> RoadmapItem:
    """Take back a completion mark (with a reason). A school's evidence on review is
    withdrawn from the curator by the document's own transition; a confirmed one stays."""
    item = _locked(item)
    _require_editor(actor, item.roadmap)
    reason = (reason or "").strip()
    if not reason:
        raise RoadmapError("Укажите, почему снимаете отметку о выполнении.")
    if item.done_on is None:
        raise RoadmapError("Мероприятие не отмечено выполненным.")
    if _confirmed(item):
        raise RoadmapError("Выполнение подтверждено куратором: отметку снять нельзя.")
    if item.evidence_id and item.evidence.status == Document.Status.SUBMITTED:
        document_transition(actor=actor, document=item.evidence, action="withdraw",
                            via_measure=True)
    previous = item.done_on
    item.done_on, item.done_note, item.done_by = None, "", None
    item.save(update_fields=["done_on", "done_note", "done_by"])
    audit.record(actor, "roadmaps.item.reopened", item,
                 {"was_done_on": previous.isoformat(), "reason": reason[:500]})
    return item


# -- the plan-schedule ----------------------------------------------------------------------------
@dataclass
class StageInput:
    title: str
    due_on: datetime.date
    rule: str
    kind_code: str = ""
    position: int = 0


@transaction.atomic
def stage_save(*, actor, region: Region, year: int, data: StageInput,
               stage: PlanStage | None = None) -> PlanStage:
    probe = stage or PlanStage(region=region, year=year)
    if not rules.may_manage_stages(actor, probe):
        raise RoadmapError("План-график ведёт региональный координатор.")
    title = (data.title or "").strip()
    if not title:
        raise RoadmapError("Укажите название этапа.")
    if data.due_on is None or not (year - 1 <= data.due_on.year <= year + 1):
        raise RoadmapError(f"Срок этапа должен лежать в {year} году (или рядом с ним).")
    if data.rule not in PlanStage.Rule.values:
        raise RoadmapError("Выберите, как проверяется этап.")
    kind_code = (data.kind_code or "").strip()
    if data.rule == PlanStage.Rule.DOCUMENTS:
        if not DocumentKind.objects.filter(year=year, code=kind_code).exclude(
                mode=DocumentKind.Mode.EVIDENCE).exists():
            raise RoadmapError(f"Выберите вид документа {year} года, который должен быть "
                               "подтверждён.")
    else:
        kind_code = ""
    before = None
    if stage is None:
        stage = PlanStage(region=region, year=year, created_by=actor)
    else:
        stage = PlanStage.objects.select_for_update().get(pk=stage.pk)
        before = {"title": stage.title, "due_on": stage.due_on.isoformat(),
                  "rule": stage.rule, "kind_code": stage.kind_code}
    stage.title, stage.due_on, stage.rule = title[:255], data.due_on, data.rule
    stage.kind_code, stage.position = kind_code, data.position or stage.position
    try:
        with transaction.atomic():
            stage.save()
    except IntegrityError:
        raise RoadmapError(f"Этап «{title}» в {year} году уже есть.")
    audit.record(actor, "roadmaps.stage.saved", stage,
                 {"before": before, "title": stage.title, "due_on": stage.due_on.isoformat(),
                  "rule": stage.rule, "kind_code": stage.kind_code}, region=region)
    return stage


@transaction.atomic
def stage_remove(*, actor, stage: PlanStage) -> None:
    stage = PlanStage.objects.select_for_update().get(pk=stage.pk)
    if not rules.may_manage_stages(actor, stage):
        raise RoadmapError("План-график ведёт региональный координатор.")
    used = stage.items.filter(removed_at__isnull=True).count()
    if used:
        raise RoadmapError(f"К этапу привязаны мероприятия ({used}). Сначала перенесите их на "
                           "другой этап.")
    audit.record(actor, "roadmaps.stage.removed", stage,
                 {"title": stage.title, "due_on": stage.due_on.isoformat(),
                  "rule": stage.rule, "kind_code": stage.kind_code},
                 region=stage.region)
    stage.items.update(stage=None)  # removed measures keep no link to a deleted stage
    stage.delete()


# -- reminders ------------------------------------------------------------------------------------
def reminders_send(*, day: datetime.date | None = None) -> int:
    """Tell the responsible users (in the portal and by e-mail) about measures due within
    ``REMIND_DAYS`` days and about measures that became overdue. Each measure is reminded at
    most once a day and once per kind and deadline, however often this runs (a unique row
    per measure and day is claimed before anyone is told). Returns the reminders sent."""
    day = day or timezone.localdate()
    today_claimed = Reminder.objects.filter(item=OuterRef("pk"), day=day)
    base = (RoadmapItem.objects.filter(removed_at__isnull=True, due_end__isnull=False)
            .exclude(completed_q()).exclude(Exists(today_claimed))
            .select_related("roadmap", "roadmap__school", "roadmap__region",
                            "responsible_user").order_by("due_end", "pk"))
    soon = base.filter(due_end__gte=day, due_end__lte=day + datetime.timedelta(REMIND_DAYS))
    # «new» overdue: past its deadline within the last month (an old roadmap imported
    # today does not flood anybody with years-old deadlines)
    late = base.filter(overdue_q(day), due_end__gte=day - datetime.timedelta(NEW_OVERDUE_DAYS))
    batches: dict[tuple[int, str], list[RoadmapItem]] = defaultdict(list)
    keepers: dict[int, list[User]] = {}  # one query per roadmap, not per measure
    sent = 0
    for kind, qs in ((Reminder.Kind.DUE_SOON, soon), (Reminder.Kind.OVERDUE, late)):
        reminded = Reminder.objects.filter(item=OuterRef("pk"), kind=kind,
                                           due_end=OuterRef("due_end"))
        for item in qs.exclude(Exists(reminded)):
            if item.responsible_user_id:
                recipients = [item.responsible_user]
            else:
                if item.roadmap_id not in keepers:
                    keepers[item.roadmap_id] = list(keepers_of(item.roadmap))
                recipients = keepers[item.roadmap_id]
            recipients = [u for u in recipients if u.is_active]
            try:
                with transaction.atomic():
                    Reminder.objects.create(region_id=item.region_id, item=item, day=day,
                                            kind=kind, due_end=item.due_end,
                                            recipients=len(recipients))
            except IntegrityError:
                continue  # another run claimed this measure today
            sent += 1
            for user in recipients:
                batches[(user.pk, kind)].append(item)
    users = User.objects.in_bulk({pk for pk, _ in batches})
    for (user_pk, kind), items in batches.items():
        _remind(users[user_pk], kind, items)
    return sent


def _remind(user: User, kind: str, items: list[RoadmapItem]) -> None:
    soon = kind == Reminder.Kind.DUE_SOON
    title = (f"Срок через {count_phrase(REMIND_DAYS, 'день', case='accs')} и меньше: "
             f"{count_phrase(len(items), 'мероприятие')}" if soon
             else f"Просрочены мероприятия дорожной карты: {len(items)}")
    lines = [f"• {i.number + '. ' if i.number else ''}{i.activity[:120]} "
             f"— до {i.due_end:%d.%m.%Y} ({i.roadmap.title})" for i in items[:10]]
    if len(items) > 10:
        lines.append(f"… и ещё {len(items) - 10}")
    url = (items[0].get_absolute_url() if len(items) == 1
           else reverse("roadmaps:overdue") + ("?mine=1&soon=1" if soon else "?mine=1"))
    notify([user], kind="roadmaps.measure.reminder", title=title, body="\n".join(lines),
           url=url, region=items[0].roadmap.region)


# -- PDF ------------------------------------------------------------------------------------------
def roadmap_pdf_start(*, actor, roadmap: Roadmap):
    """Render the roadmap to PDF in the worker (``roadmaps.roadmap_pdf``)."""
    return job_start(actor=actor, kind="roadmaps.roadmap_pdf", region=roadmap.region,
                     params={"roadmap": str(roadmap.public_id)})
