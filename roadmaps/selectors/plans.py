"""Scoped reads of roadmaps, their measures and the plan-schedule, with the computed state
of every measure: done, confirmed, late, overdue — never stored, always derived from the
deadline, the completion mark and (for a school) the curator's decision on the evidence.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from uuid import UUID

from django.conf import settings
from django.db.models import BooleanField, Case, Count, Max, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone

from core.models import RoleMembership, User
from core.permissions import users_granted
from core.roles import Role
from core.scope import scope_of
from core.selectors import history_of
from risk_profiles.models import RiskProfile
from schools.models import School, SchoolYear
from schools.selectors import schools_for

from ..facts import confirmed_measure_q
from ..models import Document, PlanStage, Roadmap, RoadmapItem, RoadmapSection

_CONFIRMING = (Document.Status.SUBMITTED, Document.Status.APPROVED)


def today() -> datetime.date:
    return timezone.localdate()


# -- roadmaps -------------------------------------------------------------------------------------
def roadmaps_for(user) -> QuerySet[Roadmap]:
    """School roadmaps: the school's people, its curators, its municipality and region;
    municipal ones: the municipality and the region's staff; the regional roadmap: every
    member of the region. A federal observer sees none (no aggregates here)."""
    qs = Roadmap.objects.select_related("region", "municipality", "school")
    scope = scope_of(user)
    # a school's roadmap follows the school's municipality of today (a school may move)
    school_q = scope.filter(region="region_id", municipality="school__municipality_id",
                            school="school_id")
    if school_q is None:
        return qs
    owner_q = scope.filter(region="region_id", municipality="municipality_id", school=None)
    return qs.filter((Q(level=Roadmap.Level.SCHOOL) & school_q)
                     | (Q(level=Roadmap.Level.MUNICIPALITY) & owner_q)
                     | Q(level=Roadmap.Level.REGION, region_id__in=scope.member_region_ids))


def roadmap_get(user, public_id: UUID) -> Roadmap:
    return get_object_or_404(roadmaps_for(user), public_id=public_id)


def school_roadmap(user, school: School, year: int) -> Roadmap | None:
    return roadmaps_for(user).filter(level=Roadmap.Level.SCHOOL, school=school,
                                     start_year=year).first()


def sections_of(roadmap: Roadmap) -> QuerySet[RoadmapSection]:
    return roadmap.sections.order_by("position", "pk")


# -- measures and their state ---------------------------------------------------------------------
def items_for(user) -> QuerySet[RoadmapItem]:
    return (RoadmapItem.objects.filter(removed_at__isnull=True,
                                       roadmap__in=roadmaps_for(user))
            .select_related("roadmap", "roadmap__school", "roadmap__municipality", "section",
                            "risk_factor", "stage", "evidence", "responsible_user"))


def item_get(user, public_id: UUID) -> RoadmapItem:
    return get_object_or_404(items_for(user), public_id=public_id)


def completed_q() -> Q:
    """Marked done — and, for a school's measure, its evidence with the curator or approved
    (a returned or withdrawn evidence makes the measure open again)."""
    return Q(done_on__isnull=False) & (~Q(roadmap__level=Roadmap.Level.SCHOOL)
                                       | Q(evidence__status__in=_CONFIRMING))


def overdue_q(day: datetime.date) -> Q:
    """Past its last day (``due_end`` itself is still in time) and not completed."""
    return Q(due_end__lt=day) & ~completed_q()


def with_state(qs: QuerySet[RoadmapItem], day: datetime.date) -> QuerySet[RoadmapItem]:
    """Annotate ``is_completed`` and ``is_overdue`` (usable in filters and ordering)."""
    return qs.annotate(
        is_completed=Case(When(completed_q(), then=Value(True)), default=Value(False),
                          output_field=BooleanField()),
        is_overdue=Case(When(overdue_q(day), then=Value(True)), default=Value(False),
                        output_field=BooleanField()))


@dataclass(frozen=True)
class ItemState:
    code: str
    label: str
    overdue: bool = False
    late: bool = False

    @property
    def css(self) -> str:
        return {"confirmed": "ok", "done": "ok", "waiting": "info", "returned": "bad",
                "overdue": "bad", "no_date": "warn"}.get(self.code, "neutral")


def item_state(item: RoadmapItem, day: datetime.date) -> ItemState:
    """The Python twin of :func:`completed_q` / :func:`overdue_q` for one loaded item."""
    school = item.roadmap.level == Roadmap.Level.SCHOOL
    status = item.evidence.status if item.evidence_id else None
    completed = item.done_on is not None and (not school or status in _CONFIRMING)
    past = item.due_end is not None and item.due_end < day
    if completed:
        late = item.due_end is not None and item.done_on > item.due_end
        if school and status == Document.Status.APPROVED:
            return ItemState("confirmed", "подтверждено куратором", late=late)
        if school:
            return ItemState("waiting", "ждёт подтверждения куратора", late=late)
        return ItemState("done", "выполнено", late=late)
    if item.done_on is not None and status == Document.Status.RETURNED:
        return ItemState("returned", "подтверждение возвращено куратором", overdue=past)
    if item.due_end is None:
        return ItemState("no_date", "срок не распознан — укажите даты")
    if past:
        return ItemState("overdue", "просрочено", overdue=True)
    return ItemState("open", "в работе")


def items_of(roadmap: Roadmap) -> list[RoadmapItem]:
    """The roadmap's measures in order, each with ``state`` set."""
    day = today()
    items = list(roadmap.items.filter(removed_at__isnull=True)
                 .select_related("section", "risk_factor", "stage", "evidence",
                                 "responsible_user", "roadmap")
                 .order_by("section__position", "section_id", "position", "pk"))
    for item in items:
        item.state = item_state(item, day)
    return items


@dataclass
class Progress:
    total: int = 0
    completed: int = 0
    confirmed: int = 0
    overdue: int = 0
    no_date: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.completed / self.total) if self.total else 0


def progress_of(roadmaps: QuerySet[Roadmap] | list[Roadmap], day: datetime.date | None = None
                ) -> dict[int, Progress]:
    """Progress of each roadmap (one aggregate query for all of them)."""
    day = day or today()
    ids = [r.pk for r in roadmaps]
    rows = (RoadmapItem.objects.filter(roadmap_id__in=ids, removed_at__isnull=True)
            .order_by().values("roadmap_id")
            .annotate(total=Count("pk"), completed=Count("pk", filter=completed_q()),
                      confirmed=Count("pk", filter=confirmed_measure_q()),
                      overdue=Count("pk", filter=overdue_q(day)),
                      no_date=Count("pk", filter=Q(due_end__isnull=True))))
    progress = {pk: Progress() for pk in ids}
    for row in rows:
        pk = row.pop("roadmap_id")
        progress[pk] = Progress(**row)
    return progress


def overdue_items(user, day: datetime.date | None = None) -> QuerySet[RoadmapItem]:
    """The measures in the user's scope past their deadline and not completed, the longest
    overdue first."""
    day = day or today()
    return items_for(user).filter(overdue_q(day)).order_by("due_end", "roadmap__title",
                                                           "position")


def _kept_q(user, prefix: str = "") -> Q:
    """Roadmaps the user keeps or curates: its schools', its municipality's, its region's
    (``prefix`` reaches the roadmap from another model, e.g. ``"roadmap__"``)."""
    scope = scope_of(user)
    return (Q(**{f"{prefix}level": Roadmap.Level.SCHOOL,
                 f"{prefix}school_id__in": scope.school_ids})
            | Q(**{f"{prefix}level": Roadmap.Level.MUNICIPALITY,
                   f"{prefix}municipality_id__in": scope.municipality_ids})
            | Q(**{f"{prefix}level": Roadmap.Level.REGION,
                   f"{prefix}region_id__in": scope.region_ids}))


def mine_q(user) -> Q:
    """Measures that are the user's own: named responsible, or on a roadmap the user keeps
    or curates."""
    return Q(responsible_user=user) | _kept_q(user, "roadmap__")


def keepers_of(roadmap: Roadmap) -> QuerySet[User]:
    """Who keeps the roadmap: the school's coordinators, the municipality's coordinators,
    the region's staff. They are reminded of measures that name no responsible user, and
    they are the choices for one."""
    if roadmap.level == Roadmap.Level.SCHOOL:
        return users_granted(settings.PORTAL_SCHOOL_COORDINATOR_PERM, roadmap.school)
    role, where = ((Role.MUNICIPAL_COORDINATOR, {"municipality_id": roadmap.municipality_id})
                   if roadmap.level == Roadmap.Level.MUNICIPALITY
                   else (Role.REGIONAL_STAFF, {"region_id": roadmap.region_id}))
    return User.objects.filter(is_active=True, pk__in=RoleMembership.objects.filter(
        role=role, ended_at__isnull=True, **where).values("user_id")).order_by("last_name")


def stages_of(user, roadmap: Roadmap) -> QuerySet[PlanStage]:
    """Stages a measure of ``roadmap`` may belong to: its region's, within its years."""
    return stages_for(user).filter(region_id=roadmap.region_id,
                                   year__range=(roadmap.start_year, roadmap.end_year)
                                   ).order_by("year", "due_on", "position")


def mine_roadmaps_q(user) -> Q:
    """Roadmaps the user keeps or curates (the roadmap side of :func:`mine_q`)."""
    return _kept_q(user)


def item_history(item: RoadmapItem):
    return history_of(item)


def evidence_versions(item: RoadmapItem):
    if not item.evidence_id:
        return []
    from . import document_versions

    return document_versions(item.evidence)


# -- the plan-schedule ----------------------------------------------------------------------------
def stages_for(user) -> QuerySet[PlanStage]:
    """Stages are regional rows: every member of the region reads them."""
    q = scope_of(user).filter(region="region_id", municipality=None, school=None)
    qs = PlanStage.objects.select_related("region")
    return qs if q is None else qs.filter(q)


def stage_get(user, public_id: UUID) -> PlanStage:
    return get_object_or_404(stages_for(user), public_id=public_id)


def schedule_years(user) -> list[int]:
    years = set(stages_for(user).values_list("year", flat=True).distinct())
    years |= set(SchoolYear.objects.filter(school__in=schools_for(user), is_participant=True)
                 .values_list("year", flat=True).distinct())
    return sorted(years, reverse=True)


@dataclass
class StageCell:
    due_on: datetime.date
    met_on: datetime.date | None = None
    overdue: bool = False
    #: «measures»: how many of the stage's measures the school has, and how many confirmed.
    total: int | None = None
    done: int | None = None

    @property
    def late(self) -> bool:
        return self.met_on is not None and self.met_on > self.due_on

    @property
    def code(self) -> str:
        """ok (met in time), late, overdue (not met, due date passed) or pending."""
        if self.met_on is not None:
            return "late" if self.late else "ok"
        return "overdue" if self.overdue else "pending"


@dataclass
class ScheduleRow:
    school: School
    cells: list[StageCell]
    met: int = 0
    on_time: int = 0


@dataclass
class StageTotals:
    stage: PlanStage
    on_time: int = 0
    late: int = 0
    overdue: int = 0
    pending: int = 0


@dataclass
class Schedule:
    year: int
    stages: list[PlanStage]
    rows: list[ScheduleRow] = field(default_factory=list)
    totals: list[StageTotals] = field(default_factory=list)


@dataclass
class _ScheduleFacts:
    """What the schools of a schedule have done, read in one query each: the day each
    school's risk profile was verified, its documents per kind (total, approved, last
    review) and its measures per stage (total, confirmed, last done)."""

    verified: dict[int, datetime.datetime | None]
    documents: dict[tuple[int, str], tuple[int, int, datetime.datetime | None]]
    measures: dict[tuple[int, int], tuple[int, int, datetime.date | None]]


def _schedule_schools(user, year: int, region_ids, municipality) -> list[School]:
    schools = (schools_for(user).filter(years__year=year, years__is_participant=True)
               .select_related("municipality").order_by("municipality__name", "short_name"))
    if region_ids is not None:
        schools = schools.filter(region_id__in=region_ids)
    if municipality is not None:
        schools = schools.filter(municipality=municipality)
    return list(schools.distinct())


def _schedule_facts(school_ids: list[int], year: int, stages: list[PlanStage]
                    ) -> _ScheduleFacts:
    verified = dict(RiskProfile.objects.filter(
        school_id__in=school_ids, year=year, status=RiskProfile.Status.VERIFIED)
        .values_list("school_id", "reviewed_at"))
    kinds = {s.kind_code for s in stages if s.rule == PlanStage.Rule.DOCUMENTS}
    documents: dict[tuple[int, str], tuple[int, int, datetime.datetime | None]] = {}
    for row in (Document.objects.filter(school_id__in=school_ids, year=year,
                                        kind__code__in=kinds).order_by()
                .values("school_id", "kind__code")
                .annotate(total=Count("pk"),
                          approved=Count("pk", filter=Q(status=Document.Status.APPROVED)),
                          last=Max("reviewed_at"))):
        documents[(row["school_id"], row["kind__code"])] = (row["total"], row["approved"],
                                                            row["last"])
    measures: dict[tuple[int, int], tuple[int, int, datetime.date | None]] = {}
    confirmed = confirmed_measure_q()
    for row in (RoadmapItem.objects.filter(
            roadmap__school_id__in=school_ids, roadmap__level=Roadmap.Level.SCHOOL,
            roadmap__start_year=year, stage__in=stages, removed_at__isnull=True).order_by()
            .values("roadmap__school_id", "stage_id")
            .annotate(total=Count("pk"), done=Count("pk", filter=confirmed),
                      last=Max("done_on"))):
        measures[(row["roadmap__school_id"], row["stage_id"])] = (row["total"], row["done"],
                                                                  row["last"])
    return _ScheduleFacts(verified=verified, documents=documents, measures=measures)


def _stage_cell(school: School, stage: PlanStage, facts: _ScheduleFacts,
                day: datetime.date) -> StageCell:
    cell = StageCell(due_on=stage.due_on)
    if stage.rule == PlanStage.Rule.RISK_PROFILE:
        moment = facts.verified.get(school.pk)
        if school.pk in facts.verified:
            cell.met_on = timezone.localdate(moment) if moment else stage.due_on
    elif stage.rule == PlanStage.Rule.DOCUMENTS:
        total, approved, last = facts.documents.get((school.pk, stage.kind_code),
                                                    (0, 0, None))
        if total and approved == total:
            cell.met_on = timezone.localdate(last) if last else stage.due_on
    else:
        total, done, last = facts.measures.get((school.pk, stage.pk), (0, 0, None))
        cell.total, cell.done = total, done
        if total and done == total:
            cell.met_on = last
    cell.overdue = cell.met_on is None and stage.due_on < day
    return cell


def _add_rows(schedule: Schedule, schools: list[School],
              met: dict[tuple[int, int], StageCell]) -> None:
    """A row per school, and per stage the count of each outcome."""
    stages = schedule.stages
    totals = {stage.pk: StageTotals(stage) for stage in stages}
    for school in schools:
        row = ScheduleRow(school=school, cells=[met[(school.pk, s.pk)] for s in stages])
        for stage, cell in zip(stages, row.cells, strict=True):
            name = "on_time" if cell.code == "ok" else cell.code
            setattr(totals[stage.pk], name, getattr(totals[stage.pk], name) + 1)
            row.met += cell.met_on is not None
            row.on_time += cell.code == "ok"
        schedule.rows.append(row)
    schedule.totals = [totals[s.pk] for s in stages]


def schedule_progress(user, year: int, *, region_ids=None, municipality=None,
                      day: datetime.date | None = None) -> Schedule:
    """Each participant school of ``year`` in scope against each stage of its region's
    plan-schedule: the day it met the stage (from the risk profile, the documents or the
    stage's measures), on time or late, or overdue. A fixed number of queries."""
    day = day or today()
    stages = list(stages_for(user).filter(year=year).order_by("due_on", "position", "pk"))
    schools = _schedule_schools(user, year, region_ids, municipality)
    schedule = Schedule(year=year, stages=stages)
    if not stages:
        return schedule
    facts = _schedule_facts([s.pk for s in schools], year, stages)
    met = {(school.pk, stage.pk): _stage_cell(school, stage, facts, day)
           for school in schools for stage in stages}
    _add_rows(schedule, schools, met)
    return schedule
