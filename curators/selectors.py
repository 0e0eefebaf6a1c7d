from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from statistics import median
from uuid import UUID

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from core.models import User
from core.roles import Role
from core.scope import scope_of
from risk_profiles.models import RiskProfile
from risk_profiles.selectors import curators_for, profiles_for, profiles_waiting
from roadmaps.models import Document, Review
from roadmaps.selectors import documents_for
from schools.models import School, SchoolYear
from schools.selectors import school_years_for

from .facts import with_single_school_curator, zone_counts
from .models import (
    Affiliation,
    CuratorAssignment,
    CuratorOrder,
    ExpertiseScheme,
    ExpertiseSheet,
    WorkLogEntry,
)


def assignments_for(user) -> QuerySet[CuratorAssignment]:
    """Assignments of schools in the user's scope (a curator sees its own schools)."""
    qs = CuratorAssignment.objects.select_related("curator", "school", "school__municipality",
                                                  "region")
    q = scope_of(user).filter(region="region_id", municipality="school__municipality_id",
                              school="school_id")
    return qs if q is None else qs.filter(q)


def active_assignments_for(user) -> QuerySet[CuratorAssignment]:
    return assignments_for(user).filter(ended_at__isnull=True)


def assigned_years(user) -> dict[int, set[int]]:
    """School id → the programme years of the user's open assignments of it: what a
    curator's decisions on that school are limited to (``core.permissions``)."""
    today = timezone.localdate()
    years: dict[int, set[int]] = defaultdict(set)
    rows = (CuratorAssignment.objects.filter(curator=user, ended_at__isnull=True)
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
            .values_list("school_id", "year"))
    for school_id, year in rows:
        years[school_id].add(year)
    return years


def assignment_get(user, public_id: UUID) -> CuratorAssignment:
    return get_object_or_404(assignments_for(user), public_id=public_id)


def orders_for(user) -> QuerySet[CuratorOrder]:
    q = scope_of(user).filter(region="region_id", municipality=None, school=None)
    qs = CuratorOrder.objects.select_related("region").annotate(
        assigned=Count("assignments", filter=Q(assignments__ended_at__isnull=True)))
    return qs if q is None else qs.filter(q)


def order_get(user, public_id: UUID) -> CuratorOrder:
    return get_object_or_404(orders_for(user), public_id=public_id)


def curator_get(user, public_id: UUID) -> User:
    """A curator the user may look at (404 otherwise: another region's curator)."""
    return get_object_or_404(curators_for(user), public_id=public_id)


def affiliations_for(user) -> QuerySet[Affiliation]:
    """Declared work places: a curator sees its own, regional staff those of the region."""
    qs = Affiliation.objects.select_related("user", "municipality", "school")
    if is_own_queue(user):
        return qs.filter(user=user)
    scope = scope_of(user)
    if scope.is_national:
        return qs
    return qs.filter(region_id__in=scope.region_ids)  # regional staff of that region


def affiliation_get(user, public_id: UUID) -> Affiliation:
    return get_object_or_404(affiliations_for(user), public_id=public_id)


def conflicts_of(curator: User, schools) -> dict[int, list[str]]:
    """School id → why ``curator`` should not curate it: a declared work place in the school
    itself or in its municipality's education administration."""
    schools = list(schools)
    out: dict[int, list[str]] = defaultdict(list)
    places = list(Affiliation.objects.filter(
        user=curator, ended_at__isnull=True,
        municipality_id__in={s.municipality_id for s in schools})
        .select_related("municipality", "school"))
    for school in schools:
        for a in places:
            if a.school_id == school.pk:
                out[school.pk].append(f"работает в этой школе{_as(a)}")
            elif a.school_id is None and a.municipality_id == school.municipality_id:
                out[school.pk].append(f"работает в органе управления образованием "
                                      f"«{a.municipality.name}»{_as(a)}")
    return dict(out)


def _as(affiliation: Affiliation) -> str:
    return f" ({affiliation.position})" if affiliation.position else ""


# -- the board: load and conflicts ------------------------------------------------------------
@dataclass
class CuratorLoad:
    curator: User
    assignments: list = field(default_factory=list)
    conflicts: list = field(default_factory=list)

    @property
    def schools(self) -> int:
        return len({a.school_id for a in self.assignments})


@dataclass
class LoadCheck:
    """Seed 000, table 3: «+1, если более 90% школ имеют куратора, у которого одна школа»."""

    participants: int
    with_curator: int
    single: int
    threshold: int = 90

    @property
    def share(self) -> float:
        return round(self.single * 100 / self.participants, 1) if self.participants else 0.0

    @property
    def meets(self) -> bool:
        return self.participants > 0 and self.single * 100 > self.threshold * self.participants


def participants_for(user, year: int) -> QuerySet[SchoolYear]:
    """The year's 500+ schools in scope."""
    return school_years_for(user).filter(year=year, is_participant=True)


def unassigned_schools(user, year: int) -> QuerySet[School]:
    """Participant schools of ``year`` in scope with no active curator that year."""
    curated = CuratorAssignment.objects.filter(year=year, ended_at__isnull=True).values(
        "school_id")
    return (School.objects.filter(pk__in=participants_for(user, year).values("school_id"))
            .exclude(pk__in=curated).select_related("municipality")
            .order_by("municipality__name", "short_name"))


def curator_loads(user, year: int) -> list[CuratorLoad]:
    """Every curator the user may see, with its active schools of ``year`` (busiest first)
    and the conflicts of interest among them."""
    loads = {c.pk: CuratorLoad(c) for c in curators_for(user)}
    for a in active_assignments_for(user).filter(year=year, curator_id__in=list(loads)):
        loads[a.curator_id].assignments.append(a)
    places: dict[int, list[Affiliation]] = defaultdict(list)
    for a in Affiliation.objects.filter(user_id__in=list(loads), ended_at__isnull=True):
        places[a.user_id].append(a)
    for load in loads.values():
        for a in load.assignments:
            for place in places.get(load.curator.pk, []):
                if place.school_id == a.school_id or (
                        place.school_id is None
                        and place.municipality_id == a.school.municipality_id):
                    load.conflicts.append(a)
    return sorted(loads.values(), key=lambda x: (-x.schools, x.curator.last_name))


def load_check(user, year: int) -> LoadCheck:
    """Aggregate queries only: participants in scope, those with a curator, and those
    with a curator who curates only that one school in the year (in the whole region)."""
    schools = participants_for(user, year).values("school_id")
    active = CuratorAssignment.objects.filter(year=year, ended_at__isnull=True,
                                              is_co_curator=False)
    return LoadCheck(
        participants=schools.count(),
        with_curator=active.filter(school_id__in=schools).values("school_id").distinct()
        .count(),
        single=with_single_school_curator(schools, year),
    )


def board_years(user) -> list[int]:
    years = set(school_years_for(user).filter(is_participant=True)
                .values_list("year", flat=True).distinct())
    years |= set(active_assignments_for(user).values_list("year", flat=True).distinct())
    return sorted(years, reverse=True)


# -- the review queue and turnaround ------------------------------------------------------------
@dataclass
class QueueItem:
    document: Document
    curators: list
    waiting: timedelta


@dataclass
class CuratorStats:
    curator: object
    schools: int = 0
    waiting: int = 0
    oldest: QueueItem | None = None
    decided: int = 0
    median: timedelta | None = None


def is_own_queue(user) -> bool:
    """A curator without a wider role sees only its own schools' queue."""
    scope = scope_of(user)
    return (Role.CURATOR in scope.roles and not scope.is_national and not scope.region_ids
            and not scope.municipality_ids)


def _assignments_of_year(user, year: int):
    assignments = active_assignments_for(user).filter(year=year)
    if is_own_queue(user):
        # a curator's queue is its own schools, even where a colleague shares one
        assignments = assignments.filter(curator=user)
    return assignments


def review_queue_for(user, year: int, *, now=None) -> list[QueueItem]:
    """Documents waiting for a curator in ``year``, oldest first: a curator's own schools
    (assigned for that year), or every school in scope for regional and municipal staff
    (a school nobody curates shows an empty curator list)."""
    now = now or timezone.now()
    curators_of: dict[int, list] = defaultdict(list)
    for a in _assignments_of_year(user, year):
        curators_of[a.school_id].append(a.curator)
    documents = documents_for(user).filter(year=year, status=Document.Status.SUBMITTED)
    if is_own_queue(user):
        documents = documents.filter(school_id__in=list(curators_of))
    return [QueueItem(d, curators_of.get(d.school_id, []), now - (d.submitted_at or now))
            for d in documents.order_by("submitted_at", "pk")]


@dataclass
class ProfileQueueItem:
    profile: object
    waiting: timedelta


def profile_queue_for(user, year: int, *, now=None) -> list[ProfileQueueItem]:
    """Risk profiles of ``year`` waiting for verification, oldest first: those a curator
    may verify (its schools of that year), or every one in scope for regional and
    municipal staff — the order in which a decision leads to the next one."""
    now = now or timezone.now()
    if is_own_queue(user):
        profiles = profiles_waiting(user, year)
    else:
        profiles = (profiles_for(user).filter(year=year, status=RiskProfile.Status.SUBMITTED)
                    .order_by("submitted_at", "pk"))
    return [ProfileQueueItem(p, now - (p.submitted_at or now)) for p in profiles]


def review_stats_for(user, year: int, *, queue: list[QueueItem] | None = None,
                     now=None) -> list[CuratorStats]:
    """Per curator of ``year``: schools, documents waiting (and the oldest), decisions made
    and the median time a version waited for them (the hold time). ``queue`` is the
    page's own ``review_queue_for`` result, so it is not read twice."""
    stats: dict[int, CuratorStats] = {}
    for a in _assignments_of_year(user, year).order_by("curator__last_name"):
        s = stats.setdefault(a.curator_id, CuratorStats(a.curator))
        s.schools += 1
    for item in queue if queue is not None else review_queue_for(user, year, now=now):
        for curator in item.curators:
            s = stats.get(curator.pk)
            if s is None:
                continue
            s.waiting += 1
            if s.oldest is None:
                s.oldest = item
    held: dict[int, list[timedelta]] = defaultdict(list)
    for reviewer_id, waited in Review.objects.filter(
            version__document__in=documents_for(user).filter(year=year),
            reviewer_id__in=list(stats)).values_list("reviewer_id", "waited"):
        held[reviewer_id].append(waited)
    for curator_id, values in held.items():
        stats[curator_id].decided = len(values)
        stats[curator_id].median = median(values)
    return sorted(stats.values(), key=lambda s: (s.curator.last_name, s.curator.first_name))


def queue_years(user) -> list[int]:
    years = set(active_assignments_for(user).values_list("year", flat=True))
    years |= set(documents_for(user).values_list("year", flat=True).distinct())
    return sorted(years, reverse=True)


# -- the work log -------------------------------------------------------------------------------
def work_log_for(user) -> QuerySet[WorkLogEntry]:
    """Entries the user may read: a curator its own; regional staff the region's;
    a municipal coordinator those about its schools."""
    qs = WorkLogEntry.objects.filter(removed_at__isnull=True).select_related(
        "curator", "school", "school__municipality")
    if is_own_queue(user):
        return qs.filter(curator=user)
    scope = scope_of(user)
    if scope.is_national:
        return qs
    # a school coordinator does not read its curator's log
    return qs.filter(Q(region_id__in=scope.region_ids)
                     | Q(school__municipality_id__in=scope.municipality_ids))


def log_entry_get(user, public_id: UUID) -> WorkLogEntry:
    return get_object_or_404(work_log_for(user), public_id=public_id)


@dataclass
class LogLine:
    """One line of the work log: an entry, or a decision on a document (read from the
    reviews, never copied)."""

    date: datetime.date
    kind: str
    kind_label: str
    school: School | None
    text: str
    minutes: int | None = None
    entry: WorkLogEntry | None = None
    review: Review | None = None
    curator: User | None = None


def log_lines(user, *, curator: User | None, date_from: datetime.date | None = None,
              date_to: datetime.date | None = None, kind: str = "",
              school: School | None = None) -> list[LogLine]:
    """The work log of ``curator`` (or of every curator in scope) between the dates,
    newest first: written entries plus the curator's decisions on documents."""
    entries = work_log_for(user)
    reviews = (Review.objects.filter(version__document__in=documents_for(user))
               .select_related("reviewer", "version__document__school",
                               "version__document__kind", "version__document__risk_factor"))
    if curator is not None:
        entries, reviews = entries.filter(curator=curator), reviews.filter(reviewer=curator)
    else:
        curators = curators_for(user).values("pk")
        reviews = reviews.filter(reviewer_id__in=curators)
    if date_from:
        entries = entries.filter(date__gte=date_from)
        reviews = reviews.filter(decided_at__date__gte=date_from)
    if date_to:
        entries = entries.filter(date__lte=date_to)
        reviews = reviews.filter(decided_at__date__lte=date_to)
    if school is not None:
        entries = entries.filter(school=school)
        reviews = reviews.filter(version__document__school=school)
    lines = []
    if kind in ("", WorkLogEntry.Kind.REVIEW):
        for r in reviews:
            document = r.version.document
            verdict = document.said("подтверждён" if r.decision == Review.Decision.APPROVED
                                    else "возвращён на доработку")
            lines.append(LogLine(
                timezone.localtime(r.decided_at).date(), WorkLogEntry.Kind.REVIEW,
                "проверка документа (в портале)", document.school,
                f"{document.display_title}, версия {r.version.number}: {verdict}"
                + (f". {r.comment}" if r.comment else ""), review=r, curator=r.reviewer))
    for e in entries if kind in ("", *WorkLogEntry.Kind.values) else []:
        if kind and e.kind != kind:
            continue
        lines.append(LogLine(e.date, e.kind, e.get_kind_display(), e.school, e.text,
                             e.minutes, entry=e, curator=e.curator))
    lines.sort(key=lambda x: (x.date, x.entry.created_at if x.entry else x.review.decided_at),
               reverse=True)
    return lines


# -- the expertise sheets -----------------------------------------------------------------------
def sheets_for(user) -> QuerySet[ExpertiseSheet]:
    """Sheets in scope; a school coordinator sees its school's only once published."""
    qs = ExpertiseSheet.objects.select_related("school", "school__municipality", "scheme",
                                               "expert", "region")
    scope = scope_of(user)
    q = scope.filter(region="region_id", municipality="school__municipality_id",
                     school="school_id")
    if q is None:
        return qs
    drafts_seen = (Q(region_id__in=scope.region_ids)
                   | Q(school__municipality_id__in=scope.municipality_ids)
                   | Q(school_id__in=scope.school_ids_by_role.get(Role.CURATOR, ())))
    return qs.filter(q).filter(drafts_seen | Q(status=ExpertiseSheet.Status.PUBLISHED))


def scheme_for_school(school: School) -> ExpertiseScheme | None:
    """The latest year's expertise sheet among the years the school is in the lists."""
    return (ExpertiseScheme.objects.filter(year__in=school.years.values("year"))
            .order_by("-year").first())


def scheme_of(year: int) -> ExpertiseScheme | None:
    return ExpertiseScheme.objects.filter(year=year).prefetch_related("criteria").first()


@dataclass
class ZoneSummary:
    year: int
    scheme: ExpertiseScheme | None
    red: int = 0
    yellow: int = 0
    green: int = 0
    drafts: int = 0
    not_assessed: int = 0
    lowest: list = field(default_factory=list)

    @property
    def published(self) -> int:
        return self.red + self.yellow + self.green


def zone_summary(user, year: int, *, lowest: int = 10) -> ZoneSummary:
    """Published sheets of ``year`` by zone (one aggregate query), the lowest-scoring
    schools, and the participants still without a published sheet."""
    scheme = scheme_of(year)
    summary = ZoneSummary(year, scheme)
    if scheme is None:
        return summary
    sheets = sheets_for(user).filter(year=year)
    published = sheets.filter(status=ExpertiseSheet.Status.PUBLISHED)
    counts = published.aggregate(**zone_counts(scheme))
    summary.red, summary.yellow, summary.green = counts["red"], counts["yellow"], counts["green"]
    summary.drafts = sheets.filter(status=ExpertiseSheet.Status.DRAFT).count()
    summary.not_assessed = (participants_for(user, year)
                            .exclude(school_id__in=published.values("school_id")).count())
    summary.lowest = list(published.order_by("total", "school__short_name")[:lowest])
    return summary


# -- the curator's report (seed 000, «Отчет по введению кураторства») ---------------------------
@dataclass
class ReportSchool:
    number: int
    assignment: CuratorAssignment
    note: str


@dataclass
class CuratorReport:
    curator: User
    date_from: datetime.date
    date_to: datetime.date
    year: int
    organisation: str
    unit: str
    orders: list
    schools: list[ReportSchool]
    shnor: int
    matrix: object
    days: list[tuple[datetime.date, list[LogLine]]]
    approved: int
    returned: int
    waiting: int
    sheets: list
    entries: int
    minutes: int
    visits: int
    generated_at: datetime.datetime = field(default_factory=timezone.now)

    @property
    def hours(self) -> str:
        hours, minutes = divmod(self.minutes, 60)
        return f"{hours} ч {minutes:02d} мин"


def report_year(user, curator: User, date_to: datetime.date) -> int:
    """The programme year the report is about: the curator's latest assignment year up to
    the end of the period (a 2022 order keeps running into later calendar years)."""
    years = assignments_for(user).filter(curator=curator, year__lte=date_to.year) \
        .values_list("year", flat=True)
    return max(years, default=date_to.year)


def report_period(user, curator: User, today: datetime.date | None = None
                  ) -> tuple[datetime.date, datetime.date]:
    """The default period: from the start of the curator's assignments of its latest year
    (the order's date) to today."""
    today = today or timezone.localdate()
    year = report_year(user, curator, today)
    starts = assignments_for(user).filter(curator=curator, year=year) \
        .exclude(starts_on__isnull=True).values_list("starts_on", flat=True)
    return min(starts, default=datetime.date(year, 1, 1)), today


def curator_report(user, *, curator: User, date_from: datetime.date,
                   date_to: datetime.date) -> CuratorReport:
    """Everything the report shows, read once, for the page and the PDF alike."""
    from risk_profiles.selectors import curator_matrix

    year = report_year(user, curator, date_to)
    assignments = list(assignments_for(user).filter(curator=curator, year=year)
                       .filter(Q(ended_at__isnull=True) | Q(ends_on__gte=date_from))
                       .select_related("order")
                       .order_by("school__municipality__name", "school__short_name"))
    statuses = {sy.school_id: sy for sy in SchoolYear.objects.filter(
        year=year, school_id__in=[a.school_id for a in assignments])}
    rows = []
    for number, a in enumerate(assignments, start=1):
        sy = statuses.get(a.school_id)
        note = (sy.category.upper() if sy and sy.category else
                ", ".join(sy.flags) if sy else "")
        rows.append(ReportSchool(number, a, note))
    lines = log_lines(user, curator=curator, date_from=date_from, date_to=date_to)
    days: dict[datetime.date, list[LogLine]] = defaultdict(list)
    for line in sorted(lines, key=lambda x: x.date):
        days[line.date].append(line)
    decisions = [x.review.decision for x in lines if x.review is not None]
    entries = [x.entry for x in lines if x.entry is not None]
    first = next((a for a in assignments if a.organisation or a.unit), None)
    return CuratorReport(
        curator=curator, date_from=date_from, date_to=date_to, year=year,
        organisation=first.organisation if first else curator.organisation,
        unit=first.unit if first else "",
        orders=sorted({a.order for a in assignments if a.order_id}, key=lambda o: o.date),
        schools=rows, shnor=sum(1 for sy in statuses.values() if sy.is_shnor),
        matrix=curator_matrix(user, curator=curator, year=year),
        days=sorted(days.items()),
        approved=decisions.count(Review.Decision.APPROVED),
        returned=decisions.count(Review.Decision.RETURNED),
        waiting=documents_for(user).filter(
            year=year, status=Document.Status.SUBMITTED,
            school_id__in=[a.school_id for a in assignments]).count(),
        sheets=list(sheets_for(user).filter(year=year,
                                            school_id__in=[a.school_id for a in assignments])
                    .order_by("total")),
        entries=len(entries), minutes=sum(e.minutes for e in entries),
        visits=sum(1 for e in entries if e.kind == WorkLogEntry.Kind.VISIT),
    )
