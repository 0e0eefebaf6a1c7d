"""Every write of the curators app: one transaction, the permission checked here, one audit
entry per changed object. Assignments grant and revoke the curator's object right on the
school — only here."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core import audit
from core.exceptions import DomainError
from core.jobs import job_start
from core.models import Municipality, Region, User
from core.notifications import notify
from core.permissions import object_grant, object_revoke
from core.roles import Role
from core.scope import forget_scope
from core.text import count_phrase
from core.years import MIN_YEAR
from roadmaps.models import Document
from roadmaps.selectors import school_coordinators
from roadmaps.services import Upload, upload_stored
from schools.models import School

from . import defaults, rules
from .models import (
    Affiliation,
    CuratorAssignment,
    CuratorOrder,
    ExpertiseCriterion,
    ExpertiseScheme,
    ExpertiseScore,
    ExpertiseSheet,
    WorkLogEntry,
)
from .selectors import conflicts_of

MANAGE_PERM = rules.MANAGE_PERM
LOG_PERM = rules.LOG_PERM
SHEET_PERM = rules.SHEET_PERM
TEXT_MAX = 3000


class AssignmentError(DomainError):
    pass


class AssignmentConflict(AssignmentError):
    """The curator declared a work place in the school or its municipality's
    administration; the assignment needs an explicit «назначить несмотря на это»."""


def _d(date: datetime.date) -> str:
    return f"{date:%d.%m.%Y}"


def _today() -> datetime.date:
    return timezone.localdate()


# -- orders ---------------------------------------------------------------------------------------
def order_date_check(date: datetime.date, year: int, *, today: datetime.date | None = None
                     ) -> None:
    """An order is signed in the programme year or the year before it, never later than
    today and never after the year it assigns curators for."""
    today = today or _today()
    if date > today:
        raise AssignmentError(f"Дата приказа {_d(date)} ещё не наступила. Укажите дату, "
                              "когда приказ подписан.")
    if date.year > year:
        raise AssignmentError(f"Приказ от {_d(date)} подписан позже {year} года, на который "
                              "закрепляются кураторы. Проверьте год или дату.")
    if date.year < year - 1:
        raise AssignmentError(f"Приказ от {_d(date)} подписан раньше {year - 1} года: для "
                              f"программы {year} года нужен приказ этого года.")


@transaction.atomic
def order_create(*, actor, region: Region, year: int, number: str, date: datetime.date,
                 title: str = "", upload: Upload | None = None) -> CuratorOrder:
    number = (number or "").strip().lstrip("№").strip()
    order = CuratorOrder(region=region, year=year, number=number, date=date,
                         title=(title or "").strip(), created_by=actor)
    if actor is not None:  # the demo loader and commands act as the system
        rules.ensure(rules.may_manage_assignments(actor, order))
    if not number:
        raise AssignmentError("Укажите номер приказа.")
    order_date_check(date, year)
    duplicate = AssignmentError(f"Приказ от {_d(date)} № {number} уже добавлен.")
    if CuratorOrder.objects.filter(region=region, number=number, date=date).exists():
        raise duplicate
    try:
        if upload is None:
            with transaction.atomic():
                order.save()
        else:
            order.file_name = upload.name
            with upload_stored(upload, f"curators/orders/{region.pk}/{order.public_id}."
                                       f"{upload.extension}") as stored:
                order.file.name = stored
                with transaction.atomic():
                    order.save()
    except IntegrityError:  # the same order added at the same moment by a colleague
        raise duplicate
    audit.record(actor, "curators.order.created", order,
                 {"number": number, "date": date.isoformat(), "year": year,
                  "file": order.file_name})
    return order


# -- assignments ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class AssignmentTerms:
    """What one assignment (or a bulk of them) is made under."""

    year: int
    order: CuratorOrder | None = None
    organisation: str = ""
    unit: str = ""
    starts_on: datetime.date | None = None
    co_curator: bool = False
    accept_conflict: bool = False


def curator_check(curator: User, region: Region) -> None:
    if not curator.memberships.filter(role=Role.CURATOR, region=region,
                                      ended_at__isnull=True).exists():
        raise AssignmentError(f"{curator.short_name} не является куратором в регионе "
                              f"«{region}».")


def _terms_check(terms: AssignmentTerms, region: Region) -> None:
    if terms.order is not None:
        if terms.order.region_id != region.pk:
            raise AssignmentError("Приказ относится к другому региону.")
        if terms.order.year != terms.year:
            raise AssignmentError(f"{terms.order.label} закрепляет кураторов на "
                                  f"{terms.order.year} год, а назначение — на {terms.year}.")
    if terms.starts_on is not None and terms.starts_on.year not in (terms.year,
                                                                    terms.year - 1):
        raise AssignmentError(f"Дата начала {_d(terms.starts_on)} не относится к "
                              f"{terms.year} году программы.")


def _default_start(terms: AssignmentTerms) -> datetime.date:
    """The order's date; without an order — today in the programme year, else its 1 January."""
    if terms.order is not None:
        return terms.order.date
    today = _today()
    return today if today.year == terms.year else datetime.date(terms.year, 1, 1)


def assign_within(actor, curator: User, school: School, terms: AssignmentTerms
                  ) -> CuratorAssignment:
    """One assignment inside the caller's transaction (checks, row, grant, audit); the
    bulk service and the curator-list import share it."""
    assignment = CuratorAssignment(
        region=school.region, curator=curator, school=school, year=terms.year,
        order=terms.order, organisation=terms.organisation.strip()[:255],
        unit=terms.unit.strip()[:255], is_co_curator=terms.co_curator,
        starts_on=terms.starts_on or _default_start(terms),
        created_by=actor)
    if actor is not None:
        rules.ensure(rules.may_manage_assignments(actor, assignment))
    active = CuratorAssignment.objects.filter(school=school, year=terms.year,
                                              ended_at__isnull=True).select_related("curator")
    if any(a.curator_id == curator.pk for a in active):
        raise AssignmentError(f"{curator.short_name} уже назначен куратором школы "
                              f"«{school.short_name}» на {terms.year} год.")
    lead = next((a for a in active if not a.is_co_curator), None)
    if lead is None and terms.co_curator:
        raise AssignmentError(f"У школы «{school.short_name}» нет основного куратора на "
                              f"{terms.year} год: сокуратор назначается в помощь основному. "
                              "Снимите отметку «сокуратор».")
    if lead is not None and not terms.co_curator:
        raise AssignmentError(
            f"У школы «{school.short_name}» уже есть куратор на {terms.year} год: "
            f"{lead.curator.short_name}. Чтобы назначить второго, отметьте «сокуратор»; "
            "чтобы заменить, сначала завершите прежнее назначение.")
    conflicts = conflicts_of(curator, [school]).get(school.pk, [])
    if conflicts:
        if not terms.accept_conflict:
            raise AssignmentConflict(
                f"Конфликт интересов: {curator.short_name} — {'; '.join(conflicts)}. "
                f"Школа «{school.short_name}». Назначьте другого куратора или отметьте "
                "«назначить, несмотря на конфликт интересов».")
        assignment.conflict_note = "; ".join(conflicts)[:500]
    try:
        assignment.full_clean(exclude=["created_by", "order"], validate_constraints=False)
    except ValidationError as exc:
        raise AssignmentError(" ".join(exc.messages))
    try:
        with transaction.atomic():
            assignment.save()
    except IntegrityError:
        raise AssignmentError(f"Школу «{school.short_name}» только что назначили другому "
                              "куратору. Обновите страницу.")
    object_grant(curator, settings.PORTAL_CURATOR_PERM, school)
    forget_scope(curator)
    audit.record(actor, "curators.assignment.created", assignment,
                 {"curator": curator.username, "school": school.login, "year": terms.year,
                  "order": assignment.order_label, "co_curator": terms.co_curator,
                  "conflict": assignment.conflict_note})
    return assignment


@transaction.atomic
def assignment_create(*, actor, curator: User, school: School,
                      terms: AssignmentTerms | None = None, year: int | None = None
                      ) -> CuratorAssignment:
    """Assign ``curator`` to ``school`` and grant the curator's object right on it
    (``year`` alone stands for plain terms of that year).

    The curator must hold the curator role in the school's region; a school has one
    (lead) curator a year, others only as co-curators; a declared conflict of interest
    refuses unless accepted.
    """
    terms = terms or AssignmentTerms(year=year)
    if actor is not None:
        rules.ensure(rules.may_manage_assignments(actor, school))
    curator_check(curator, school.region)
    _terms_check(terms, school.region)
    return assign_within(actor, curator, school, terms)


@transaction.atomic
def assignments_bulk_create(*, actor, curator: User, schools: Iterable[School],
                            terms: AssignmentTerms) -> list[CuratorAssignment]:
    """Assign several schools at once — all or none: every refusal is listed together."""
    schools = list(schools)
    if not schools:
        raise AssignmentError("Отметьте хотя бы одну школу.")
    regions = {s.region_id for s in schools}
    if len(regions) > 1:
        raise AssignmentError("Школы относятся к разным регионам.")
    region = schools[0].region
    if actor is not None:
        for school in schools:
            rules.ensure(rules.may_manage_assignments(actor, school))
    curator_check(curator, region)
    _terms_check(terms, region)
    problems, made = [], []
    for school in schools:
        try:
            with transaction.atomic():
                made.append(assign_within(actor, curator, school, terms))
        except AssignmentError as exc:  # conflicts included: every refusal is listed
            problems.append(str(exc))
    if problems:
        conflict = any(p.startswith("Конфликт интересов") for p in problems)
        raise (AssignmentConflict if conflict else AssignmentError)(
            "Ни одна школа не назначена. " + " ".join(problems))
    return made


@transaction.atomic
def assignment_end(*, actor, assignment: CuratorAssignment,
                   ends_on: datetime.date | None = None, now=None) -> CuratorAssignment:
    """End an assignment; the object right goes when no other active assignment keeps it."""
    assignment = (CuratorAssignment.objects.select_for_update(of=("self",))
                  .select_related("curator", "school").get(pk=assignment.pk))
    if actor is not None:
        rules.ensure(rules.may_manage_assignments(actor, assignment))
    if assignment.ended_at is not None:
        raise AssignmentError("Это назначение уже завершено.")
    ends_on = ends_on or _today()
    if assignment.starts_on and ends_on < assignment.starts_on:
        raise AssignmentError(f"Дата окончания {_d(ends_on)} раньше начала "
                              f"{_d(assignment.starts_on)}.")
    assignment.ended_at = now or timezone.now()
    assignment.ends_on = ends_on
    assignment.save(update_fields=["ended_at", "ends_on"])
    still = CuratorAssignment.objects.filter(curator=assignment.curator, school=assignment.school,
                                             ended_at__isnull=True).exists()
    if not still:
        object_revoke(assignment.curator, settings.PORTAL_CURATOR_PERM, assignment.school)
    forget_scope(assignment.curator)
    audit.record(actor, "curators.assignment.ended", assignment,
                 {"curator": assignment.curator.username, "school": assignment.school.login,
                  "ends_on": ends_on.isoformat()})
    return assignment


# -- declared work places -------------------------------------------------------------------------
@transaction.atomic
def affiliation_add(*, actor, user: User, municipality: Municipality,
                    school: School | None = None, position: str = "") -> Affiliation:
    """Declare that ``user`` works in ``school`` (or in ``municipality``'s education
    administration when ``school`` is empty). A curator declares its own; regional staff
    may declare for any curator of the region."""
    if school is not None and school.municipality_id != municipality.pk:
        raise AssignmentError(f"Школа «{school.short_name}» не относится к муниципалитету "
                              f"«{municipality.name}».")
    affiliation = Affiliation(region=municipality.region, user=user, municipality=municipality,
                              school=school, position=(position or "").strip()[:255],
                              created_by=actor)
    rules.ensure(rules.may_declare_affiliation(actor, user, affiliation))
    curator_check(user, municipality.region)
    duplicate = Affiliation.objects.filter(user=user, municipality=municipality, school=school,
                                           ended_at__isnull=True).exists()
    if duplicate:
        raise AssignmentError(f"Это место работы уже указано: {affiliation.place}.")
    affiliation.save()
    audit.record(actor, "curators.affiliation.added", affiliation,
                 {"user": user.username, "place": affiliation.place})
    return affiliation


@transaction.atomic
def affiliation_end(*, actor, affiliation: Affiliation, now=None) -> Affiliation:
    affiliation = Affiliation.objects.select_for_update().get(pk=affiliation.pk)
    # a curator withdraws what it declared itself; what regional staff declared stays theirs
    rules.ensure(rules.may_end_affiliation(actor, affiliation))
    if affiliation.ended_at is not None:
        raise AssignmentError("Это место работы уже снято.")
    affiliation.ended_at = now or timezone.now()
    affiliation.save(update_fields=["ended_at"])
    audit.record(actor, "curators.affiliation.ended", affiliation,
                 {"user": affiliation.user.username, "place": affiliation.place})
    return affiliation


# -- the work log ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class LogInput:
    date: datetime.date
    kind: str
    minutes: int
    text: str
    school: School | None = None


def _log_check(actor, region: Region, data: LogInput) -> None:
    if data.kind not in WorkLogEntry.Kind.values:
        raise AssignmentError("Выберите вид работы из списка.")
    if data.date > _today():
        raise AssignmentError(f"Дата {_d(data.date)} ещё не наступила: в журнал пишут "
                              "сделанную работу.")
    if data.date.year < MIN_YEAR:
        raise AssignmentError(f"Проект «500+» начался в {MIN_YEAR} году: проверьте дату.")
    if not 1 <= data.minutes <= 24 * 60:
        raise AssignmentError("Длительность — от 1 минуты до 24 часов (1440 минут).")
    if not data.text.strip():
        raise AssignmentError("Опишите, что сделано.")
    if len(data.text) > TEXT_MAX:
        raise AssignmentError(f"Описание длиннее {TEXT_MAX} знаков: сократите его.")
    if data.school is not None:
        # an open assignment (a programme year runs on) or one of the entry's year
        assigned = CuratorAssignment.objects.filter(curator=actor, school=data.school).filter(
            Q(ended_at__isnull=True) | Q(year=data.date.year)).exists()
        if not assigned:
            raise AssignmentError(f"Школа «{data.school.short_name}» не закреплена за вами.")
    elif not CuratorAssignment.objects.filter(curator=actor, region=region).exists():
        raise AssignmentError("За вами не закреплено ни одной школы в этом регионе.")


def worklog_add(*, actor, region: Region, data: LogInput, upload: Upload | None = None
                ) -> WorkLogEntry:
    """A curator records its own work; the evidence file is stored before the transaction
    and removed again if the entry is refused."""
    entry = WorkLogEntry(region=region, curator=actor, school=data.school, date=data.date,
                         kind=data.kind, minutes=data.minutes, text=data.text.strip())
    if not rules.may_add_log_entry(actor, WorkLogEntry(region=region)):
        raise AssignmentError("Журнал работы ведут кураторы закреплённых школ.")
    _log_check(actor, region, data)
    if upload is None:
        return _worklog_commit(actor, entry)
    entry.evidence_name, entry.evidence_size = upload.name, upload.size
    with upload_stored(upload, f"curators/log/{region.pk}/{entry.public_id}."
                               f"{upload.extension}") as stored:
        entry.evidence.name = stored
        return _worklog_commit(actor, entry)


@transaction.atomic
def _worklog_commit(actor, entry: WorkLogEntry) -> WorkLogEntry:
    entry.save()
    audit.record(actor, "curators.log.added", entry,
                 {"date": entry.date.isoformat(), "kind": entry.kind, "minutes": entry.minutes,
                  "school": entry.school.login if entry.school_id else "",
                  "file": entry.evidence_name})
    return entry


@transaction.atomic
def worklog_remove(*, actor, entry: WorkLogEntry, now=None) -> WorkLogEntry:
    """Hide an entry from the log and the report; the row and its file stay (audited)."""
    entry = WorkLogEntry.objects.select_for_update().get(pk=entry.pk)
    if not rules.may_remove_log_entry(actor, entry):
        raise AssignmentError("Удалить запись может только куратор, который её сделал.")
    if entry.removed_at is not None:
        raise AssignmentError("Эта запись уже удалена.")
    entry.removed_at, entry.removed_by = now or timezone.now(), actor
    entry.save(update_fields=["removed_at", "removed_by"])
    audit.record(actor, "curators.log.removed", entry,
                 {"date": entry.date.isoformat(), "kind": entry.kind})
    return entry


# -- the expertise sheet --------------------------------------------------------------------------
@transaction.atomic
def scheme_load(*, actor, year: int) -> ExpertiseScheme:
    """Create the year's expertise sheet from seed 001's defaults (max 14 points, zones
    0–5 / 6–10 / 11–14) unless the year has one."""
    scheme = ExpertiseScheme.objects.filter(year=year).first()
    if scheme is not None:
        return scheme
    if actor is not None:
        rules.ensure(rules.may_load_scheme(actor))
    scheme = ExpertiseScheme.objects.create(year=year, title=defaults.SCHEME_TITLE,
                                            red_max=defaults.RED_MAX,
                                            yellow_max=defaults.YELLOW_MAX)
    for position, (document, title, high) in enumerate(defaults.CRITERIA, start=1):
        ExpertiseCriterion.objects.create(scheme=scheme, position=position, title=title,
                                          document=document, min_points=0, max_points=high)
    audit.record(actor, "curators.scheme.loaded", scheme, {"year": year})
    return scheme


def _latest_version(school: School, year: int, code: str):
    document = (Document.objects.filter(school=school, year=year, kind__code=code)
                .order_by("-updated_at").first())
    return document.versions.order_by("-number").first() if document else None


@transaction.atomic
def sheet_save(*, actor, school: School, year: int, scores: Mapping[int, tuple[int, str]],
               comment: str = "", publish: bool = False, now=None) -> ExpertiseSheet:
    """Score ``school``'s concept documents of ``year`` (``scores``: criterion id →
    (points, comment)). A draft may be saved with criteria missing; publishing needs all
    of them and locks the sheet. Points outside a criterion's range change nothing."""
    scheme = ExpertiseScheme.objects.filter(year=year).first()
    if scheme is None:
        raise AssignmentError(f"Экспертный лист на {year} год не настроен.")
    sheet = (ExpertiseSheet.objects.select_for_update(of=("self",))
             .filter(school=school, year=year).first())
    if sheet is None:
        sheet = ExpertiseSheet(region=school.region, school=school, year=year, scheme=scheme,
                               expert=actor)
    if not rules.may_fill_sheet(actor, school, year):
        raise AssignmentError(f"Заполнять экспертный лист школы «{school.short_name}» за "
                              f"{year} год могут её куратор на этот год и региональные "
                              "эксперты.")
    if sheet.is_published:
        raise AssignmentError("Экспертный лист опубликован: баллы изменить нельзя.")
    comment = (comment or "").strip()
    if len(comment) > TEXT_MAX:
        raise AssignmentError(f"Заключение длиннее {TEXT_MAX} знаков.")
    criteria = {c.pk: c for c in sheet.scheme.criteria.all()}
    unknown = set(scores) - set(criteria)
    if unknown:
        raise AssignmentError("Критерий не относится к экспертному листу этого года.")
    for pk, (points, _) in scores.items():
        c = criteria[pk]
        if points is None or not c.min_points <= points <= c.max_points:
            raise AssignmentError(f"Критерий {c.position} «{c.title}»: балл должен быть от "
                                  f"{c.min_points} до {c.max_points}, указано {points}.")
    if publish and set(scores) != set(criteria):
        missing = sorted(criteria[pk].position for pk in set(criteria) - set(scores))
        raise AssignmentError("Чтобы опубликовать лист, оцените все критерии. Не оценены: "
                              + ", ".join(map(str, missing)) + ".")
    sheet.expert, sheet.comment = actor, comment
    sheet.total = sum(points for points, _ in scores.values())
    sheet.concept_version = _latest_version(school, year, "concept")
    sheet.programme_version = _latest_version(school, year, "midterm")
    if publish:
        sheet.status, sheet.published_at = ExpertiseSheet.Status.PUBLISHED, now or timezone.now()
    try:
        with transaction.atomic():
            sheet.save()
    except IntegrityError:  # a colleague saved the first draft at the same moment
        raise AssignmentError("Этот экспертный лист только что сохранил другой эксперт. "
                              "Обновите страницу.")
    sheet.scores.all().delete()
    ExpertiseScore.objects.bulk_create(
        ExpertiseScore(sheet=sheet, criterion_id=pk, points=points,
                       comment=(text or "").strip()[:1000])
        for pk, (points, text) in scores.items())
    audit.record(actor, "curators.sheet.published" if publish else "curators.sheet.saved",
                 sheet, {"total": sheet.total, "zone": sheet.zone,
                         "scores": {criteria[pk].position: p for pk, (p, _) in scores.items()}})
    if publish:
        url = reverse("curators:sheet", args=[school.public_id, year])
        notify(school_coordinators(school), kind="curators.sheet.published",
               title=f"Опубликован экспертный лист: "
               f"{sheet.total} из {count_phrase(sheet.scheme.max_points, 'балл', case='gent')}",
               body=f"Концептуальные документы {year} года, зона: {sheet.get_zone_display()}.",
               url=url, region=school.region, exclude=actor)
    return sheet


# -- the curator's report -------------------------------------------------------------------------
def report_pdf_start(*, actor, curator: User, region: Region, date_from: datetime.date,
                     date_to: datetime.date):
    """Render the curator's report to PDF in the worker (``curators.report_pdf``)."""
    if date_from > date_to:
        raise AssignmentError("Начало периода позже его конца.")
    return job_start(actor=actor, kind="curators.report_pdf", region=region,
                     params={"curator": str(curator.public_id), "from": date_from.isoformat(),
                             "to": date_to.isoformat()})
