"""Scoped reads of the monitoring app: the dashboard of a filtered view, the engagement
scores, the federal overview. Every figure is an aggregate query over the schools in scope;
a federal observer gets aggregates of every region and never a person's name."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode
from uuid import UUID

from django.db.models import Avg, Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from core.models import Municipality, Region
from core.roles import Role
from core.scope import scope_of
from core.selectors import municipalities_for, regions_for
from core.suppression import hidden_rows, reads_only_aggregates, too_small
from curators.models import CuratorAssignment, WorkLogEntry
from risk_profiles.selectors import Distribution, risk_distribution
from roadmaps.facts import documents_due
from roadmaps.models import Document, DocumentKind, Review, Roadmap, RoadmapItem
from roadmaps.selectors.plans import overdue_q
from schools.models import Group, SchoolYear
from schools.selectors import with_group

from . import engagement
from .models import EngagementComponent, EngagementRules, EngagementScore


# -- filters --------------------------------------------------------------------------------
@dataclass
class Filters:
    year: int
    region: Region | None = None
    municipality: Municipality | None = None
    category: str = ""
    group: str = ""
    #: The years the user may choose from (read once, for the form too).
    years: list[int] = field(default_factory=list, compare=False, repr=False)

    def params(self) -> dict[str, str]:
        """The filters as URL parameters (also a report job's parameters)."""
        out = {"year": str(self.year)}
        if self.region is not None:
            out["region"] = str(self.region.code)
        if self.municipality is not None:
            out["municipality"] = str(self.municipality.pk)
        if self.category:
            out["category"] = self.category
        if self.group:
            out["group"] = self.group
        return out

    @property
    def querystring(self) -> str:
        return urlencode(self.params())

    @property
    def group_label(self) -> str:
        return Group(self.group).label if self.group else ""

    def describe(self) -> str:
        parts = [f"{self.year} г."]
        parts.append(self.region.name if self.region else "все регионы")
        if self.municipality:
            parts.append(self.municipality.name)
        if self.category:
            parts.append(f"категория «{self.category}»")
        if self.group:
            parts.append(f"группа «{self.group_label}»")
        return ", ".join(parts)


def dashboard_regions(user) -> QuerySet[Region]:
    return regions_for(user).order_by("code")


def dashboard_municipalities(user, region: Region | None) -> QuerySet[Municipality]:
    if region is None:
        return Municipality.objects.none()
    qs = (Municipality.objects.filter(region=region) if scope_of(user).sees_all_aggregates
          else municipalities_for(user).filter(region=region))
    return qs.order_by("name")


def dashboard_years(user) -> list[int]:
    return sorted(set(_base(user).filter(is_participant=True)
                      .values_list("year", flat=True).distinct()), reverse=True)


def _id(raw) -> int | None:
    if raw in (None, ""):
        return None
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise Http404("Нет такого региона или муниципалитета.") from None


def filters_from(user, data) -> Filters:
    """Filters from URL parameters (or a report job's). A region or municipality outside
    the user's scope answers 404; an unknown year, category or group falls back to none."""
    regions = dashboard_regions(user)
    region_code, municipality_id = _id(data.get("region")), _id(data.get("municipality"))
    region = None
    if region_code is not None:
        region = regions.filter(code=region_code).first()
        if region is None:
            raise Http404("Нет такого региона.")
    elif len(first := list(regions[:2])) == 1:
        region = first[0]
    municipality = None
    scope = scope_of(user)
    own = sorted(scope.municipality_ids) if not (scope.sees_all_aggregates
                                                 or scope.region_ids) else []
    if municipality_id is None and len(own) == 1:
        municipality_id = own[0]  # a municipal coordinator sees its municipality
    if municipality_id is not None:
        pool = (Municipality.objects.all() if scope.sees_all_aggregates
                else municipalities_for(user))
        municipality = pool.select_related("region").filter(pk=municipality_id).first()
        if municipality is None or (region is not None and municipality.region_id != region.pk):
            raise Http404("Нет такого муниципалитета.")
        region = municipality.region
    years = dashboard_years(user)
    try:
        year = int(data.get("year") or 0)
    except (TypeError, ValueError):
        year = 0
    if year not in years:
        year = years[0] if years else timezone.localdate().year
    group = data.get("group") or ""
    return Filters(year=year, region=region, municipality=municipality,
                   category=(data.get("category") or "").strip()[:100],
                   group=group if group in Group.values else "", years=years)


# -- the filtered set of schools -----------------------------------------------------------
def _base(user) -> QuerySet[SchoolYear]:
    """School-years a user may count: every region for the national roles."""
    scope = scope_of(user)
    qs = SchoolYear.objects.all()
    if scope.sees_all_aggregates:
        return qs
    # the municipality branch only where the user has one (it joins the schools table)
    q = scope.filter(region="region_id", school="school_id",
                     municipality="school__municipality_id" if scope.municipality_ids
                     else None)
    return qs if q is None else qs.filter(q)


def participants_of(user, f: Filters) -> QuerySet[SchoolYear]:
    qs = _base(user).filter(year=f.year, is_participant=True)
    if f.region is not None:
        qs = qs.filter(region=f.region)
    if f.municipality is not None:
        qs = qs.filter(school__municipality=f.municipality)
    if f.category:
        qs = qs.filter(category=f.category)
    if f.group:
        qs = with_group(qs).filter(group=f.group)
    return qs


# -- the dashboard ----------------------------------------------------------------------------
@dataclass
class AreaRow:
    """One municipality (or, federally, one region) of a table."""

    key: int
    name: str
    schools: int = 0
    due: int = 0
    uploaded: int = 0
    submitted: int = 0
    approved: int = 0
    returned: int = 0
    overdue: int = 0
    measures: int = 0
    staff: int = 0  # active staff of the schools in the staff records
    trained: int = 0  # of them, completed a course in the three years to the year
    methodists: int = 0  # active methodists of the pool working in the area
    #: Built from too few schools for an aggregate-only reader (core.suppression): every
    #: figure of the row is None and shown as «менее 3 школ».
    hidden: bool = False

    FIGURES = ("schools", "due", "uploaded", "submitted", "approved", "returned", "overdue",
               "measures", "staff", "trained", "methodists")

    def hide(self) -> None:
        self.hidden = True
        for name in self.FIGURES:
            setattr(self, name, None)

    @property
    def approved_percent(self) -> float | None:
        """None when the row owes no document: nothing to be a share of (not 0 %)."""
        if self.hidden or not self.due:
            return None
        return round(self.approved * 100 / self.due, 1)

    @property
    def trained_percent(self) -> int | None:
        from training.selectors import share

        return None if self.hidden else share(self.trained, self.staff)


@dataclass
class CuratorRow:
    name: str
    schools: int = 0
    waiting: int = 0
    decided: int = 0
    returned: int = 0
    hold_days: float | None = None
    log_entries: int = 0
    hidden: bool = False


@dataclass
class EngagementView:
    score: EngagementScore | None
    components: list = field(default_factory=list)

    @property
    def confirmed(self) -> int:
        return sum(c.is_confirmed for c in self.components)


@dataclass
class Dashboard:
    filters: Filters
    personal: bool
    by: str  # "municipality" or "region"
    schools: int = 0
    areas: list[AreaRow] = field(default_factory=list)
    totals: AreaRow | None = None
    risks: Distribution | None = None
    curators: list[CuratorRow] = field(default_factory=list)
    curator_totals: CuratorRow | None = None
    engagement: EngagementView | None = None
    engagement_scores: list = field(default_factory=list)
    plan_overdue: list = field(default_factory=list)
    day: datetime.date | None = None
    #: Figures of small groups are hidden (core.suppression): an aggregate-only reader.
    suppressed: bool = False
    #: Why the curators' «Ждут проверки» differs from the documents' «На проверке», and
    #: what of it nobody can act on (footnotes of the curators' block).
    curator_notes: list[str] = field(default_factory=list)
    #: Block id → the sentence saying which filters of the view the block does not apply.
    ignored: dict[str, str] = field(default_factory=dict)

    @property
    def hidden_label(self) -> str:
        from core.suppression import label

        return label()

    @property
    def by_label(self) -> str:
        return "Муниципалитет" if self.by == "municipality" else "Регион"


def may(user, perm: str, place) -> bool:
    """``perm`` at ``place`` (a municipality, a region, a score); the national roles read
    aggregates of every region wherever their role grants the permission."""
    from core.permissions import has_perm

    if scope_of(user).sees_all_aggregates:
        return has_perm(user, perm)
    return has_perm(user, perm, place)


def can_view_score(user, score: EngagementScore) -> bool:
    """A region's score is read at the region's level or, by a municipal coordinator, from
    one of its municipalities there."""
    perm = "monitoring.view_engagementscore"
    if may(user, perm, score):
        return True
    from core.permissions import has_perm

    return any(has_perm(user, perm, m)
               for m in municipalities_for(user).filter(region_id=score.region_id)[:5])


def shows_people(user) -> bool:
    """Names of staff are personal data: never for a federal observer."""
    scope = scope_of(user)
    return not (Role.FEDERAL_OBSERVER in scope.roles and not scope.is_national)


def dashboard(user, f: Filters, *, day: datetime.date | None = None) -> Dashboard:
    day = day or timezone.localdate()
    by = "municipality" if f.region is not None else "region"
    board = Dashboard(filters=f, personal=shows_people(user), by=by, day=day)
    participants = participants_of(user, f)
    school_ids = participants.values("school_id")
    key = "school__municipality_id" if by == "municipality" else "region_id"
    areas: dict[int, AreaRow] = {}
    for row in participants.order_by().values(key).annotate(n=Count("pk")):
        areas[row[key]] = AreaRow(key=row[key], name="", schools=row["n"])
    names = (Municipality.objects.filter(pk__in=list(areas)).values_list("pk", "name")
             if by == "municipality"
             else Region.objects.filter(pk__in=list(areas)).values_list("pk", "name"))
    for pk, name in names:
        areas[pk].name = name
    # documents due and approved: the checklist's rule, published by roadmaps as a fact
    school_key = "municipality_id" if by == "municipality" else "region_id"
    for pk, fact in documents_due(school_ids, f.year, by=school_key).items():
        if pk in areas:
            areas[pk].due, areas[pk].approved = fact.due, fact.approved
    doc_key = ("school__municipality_id" if by == "municipality" else "region_id")
    # each query is bounded by the region too: the same rows, without scanning the country
    in_region = {"region": f.region} if f.region is not None else {}
    status = Document.Status
    owed = Q(kind__required=True,
             kind__mode__in=(DocumentKind.Mode.SINGLE, DocumentKind.Mode.PER_RISK))
    for row in (Document.objects.filter(owed, school_id__in=school_ids, year=f.year,
                                        **in_region).order_by().values(doc_key)
                .annotate(uploaded=Count("pk", filter=~Q(status=status.DRAFT)),
                          submitted=Count("pk", filter=Q(status=status.SUBMITTED)),
                          returned=Count("pk", filter=Q(status=status.RETURNED)))):
        area = areas.get(row[doc_key])
        if area is not None:
            area.uploaded, area.submitted = row["uploaded"], row["submitted"]
            area.returned = row["returned"]
    # school roadmaps of the year: measures and those overdue today
    item_key = ("roadmap__school__municipality_id" if by == "municipality"
                else "roadmap__region_id")
    for row in (RoadmapItem.objects.filter(
            roadmap__level=Roadmap.Level.SCHOOL, roadmap__school_id__in=school_ids,
            roadmap__start_year=f.year, removed_at__isnull=True,
            **_prefix("roadmap", in_region)).order_by()
            .values(item_key).annotate(n=Count("pk"), overdue=Count("pk",
                                                                    filter=overdue_q(day)))):
        area = areas.get(row[item_key])
        if area is not None:
            area.measures, area.overdue = row["n"], row["overdue"]
    _training(areas, by, f, school_ids)
    board.areas = sorted(areas.values(), key=lambda a: a.name)
    board.totals = AreaRow(key=0, name="Итого", **{
        name: sum(getattr(a, name) for a in board.areas) for name in AreaRow.FIGURES})
    board.schools = board.totals.schools
    board.plan_overdue = _plan_overdue(user, f, day)
    board.risks = risk_distribution(user, year=f.year, region=f.region,
                                    municipality=f.municipality, category=f.category,
                                    schools=participants.values("school_id") if f.group
                                    else None)
    board.curators, board.curator_totals, waiting = _curators(f, school_ids, board.personal,
                                                              owed)
    board.suppressed = reads_only_aggregates(user, f.region)
    if board.suppressed:
        _suppress(board)
    else:
        board.curator_notes = _curator_notes(board, waiting)
    board.ignored = _ignored(f, board)
    if f.region is not None:
        board.engagement = engagement_view(f.region, f.year)
    else:
        board.engagement_scores = list(
            scores_for(user).filter(year=f.year).select_related("region")
            .order_by("region__code"))
    return board


def _suppress(board: Dashboard) -> None:
    """For an aggregate-only reader: the rows of fewer than the minimum of schools, with
    the rows hidden to protect them, and a total of too few schools (core.suppression)."""
    for i in hidden_rows([a.schools for a in board.areas]):
        board.areas[i].hide()
    if too_small(board.totals.schools):
        board.totals.hide()
        board.curator_totals = CuratorRow(name=board.curator_totals.name, schools=None,
                                          waiting=None, decided=None, returned=None,
                                          log_entries=None, hidden=True)
        board.schools = None


def _training(areas: dict[int, AreaRow], by: str, f: Filters, school_ids) -> None:
    """Training coverage of the filtered schools' staff and the pool's methodists, per area
    (counts only: the dashboard names nobody)."""
    from methodists.models import Methodist
    from training.models import StaffMember
    from training.selectors import trained_q

    key = "school__municipality_id" if by == "municipality" else "region_id"
    in_region = {"region": f.region} if f.region is not None else {}
    for row in (StaffMember.objects.filter(school_id__in=school_ids, is_active=True,
                                           **in_region)
                .order_by().values(key)
                .annotate(n=Count("pk", distinct=True),
                          t=Count("pk", filter=trained_q(f.year), distinct=True))):
        area = areas.get(row[key])
        if area is not None:
            area.staff, area.trained = row["n"], row["t"]
    pool_key = "municipality_id" if by == "municipality" else "region_id"
    for row in (Methodist.objects.filter(status=Methodist.Status.ACTIVE,
                                         **{f"{pool_key}__in": list(areas)})
                .order_by().values(pool_key).annotate(n=Count("pk"))):
        areas[row[pool_key]].methodists = row["n"]


def _plan_overdue(user, f: Filters, day) -> list[tuple[str, int, int]]:
    """Regional and municipal roadmaps covering the year that the user may see (every one
    of the region for the national roles): (title, measures, overdue)."""
    from roadmaps.selectors.plans import roadmaps_for

    if f.region is None:
        return []
    base = (Roadmap.objects.all() if scope_of(user).sees_all_aggregates
            else roadmaps_for(user))
    roadmaps = base.filter(region=f.region, start_year__lte=f.year,
                           end_year__gte=f.year).exclude(level=Roadmap.Level.SCHOOL)
    if f.municipality is not None:
        roadmaps = roadmaps.filter(Q(level=Roadmap.Level.REGION)
                                   | Q(municipality=f.municipality))
    counts = {row["roadmap_id"]: (row["n"], row["late"]) for row in (
        RoadmapItem.objects.filter(roadmap__in=roadmaps, removed_at__isnull=True).order_by()
        .values("roadmap_id").annotate(n=Count("pk"), late=Count("pk", filter=overdue_q(day))))}
    return [(title, *counts.get(pk, (0, 0)))
            for pk, title in roadmaps.order_by("level", "title").values_list("pk", "title")]


def _prefix(relation: str, lookups: dict) -> dict:
    return {f"{relation}__{key}": value for key, value in lookups.items()}


def _curators(f: Filters, school_ids, personal: bool, owed: Q):
    in_region = {"region": f.region} if f.region is not None else {}
    assignments = CuratorAssignment.objects.filter(year=f.year, ended_at__isnull=True,
                                                   school_id__in=school_ids, **in_region)
    rows: dict[int, CuratorRow] = {}
    for row in (assignments.order_by().values("curator_id", "curator__last_name",
                                              "curator__first_name", "curator__middle_name")
                .annotate(schools=Count("school_id", distinct=True))):
        name = " ".join(filter(None, (row["curator__last_name"], row["curator__first_name"],
                                      row["curator__middle_name"])))
        rows[row["curator_id"]] = CuratorRow(name=name, schools=row["schools"])
    sent = Document.objects.filter(school_id__in=school_ids, year=f.year,
                                   status=Document.Status.SUBMITTED, **in_region)
    waiting = dict(sent.order_by().values("school_id").annotate(n=Count("pk"))
                   .values_list("school_id", "n"))
    curated = set(assignments.values_list("school_id", flat=True))
    split = WaitingSplit(
        other=sent.exclude(owed).count(),
        uncurated=sum(n for school_id, n in waiting.items() if school_id not in curated),
        shared=any(waiting.get(school_id) for school_id in (
            assignments.order_by().values("school_id")
            .annotate(n=Count("curator_id", distinct=True)).filter(n__gt=1)
            .values_list("school_id", flat=True))))
    for curator_id, school_id in assignments.order_by().values_list("curator_id",
                                                                     "school_id"):
        rows[curator_id].waiting += waiting.get(school_id, 0)
    reviews = Review.objects.filter(version__document__school_id__in=school_ids,
                                    version__document__year=f.year, **in_region)
    for row in (reviews.order_by().values("reviewer_id")
                .annotate(n=Count("pk"),
                          back=Count("pk", filter=Q(decision=Review.Decision.RETURNED)),
                          hold=Avg("waited"))):
        target = rows.get(row["reviewer_id"])
        if target is not None:
            target.decided, target.returned = row["n"], row["back"]
            target.hold_days = _days(row["hold"])
    for curator_id, n in (WorkLogEntry.objects.filter(curator_id__in=list(rows),
                                                      date__year=f.year, **in_region)
                          .filter(Q(school_id__in=school_ids) | Q(school__isnull=True))
                          .order_by().values("curator_id").annotate(n=Count("pk"))
                          .values_list("curator_id", "n")):
        rows[curator_id].log_entries = n
    overall = reviews.filter(reviewer_id__in=list(rows)).aggregate(hold=Avg("waited"))
    listed = sorted(rows.values(), key=lambda r: r.name)
    totals = CuratorRow(name=f"Кураторов: {len(listed)}",
                        schools=assignments.values("school_id").distinct().count(),
                        waiting=sum(waiting.values()),
                        decided=sum(r.decided for r in listed),
                        returned=sum(r.returned for r in listed),
                        hold_days=_days(overall["hold"]),
                        log_entries=sum(r.log_entries for r in listed))
    return (listed if personal else []), totals, split


@dataclass
class WaitingSplit:
    """The documents waiting for a curator that the documents' block does not count."""

    other: int  # measure evidence and optional kinds (not among the year's owed documents)
    uncurated: int  # at schools with no curator of the year: nobody can decide them yet
    shared: bool  # some school has more than one curator: its documents are in each row


def _curator_notes(board: Dashboard, split: WaitingSplit) -> list[str]:
    """Footnotes of the curators' block: why its «Ждут проверки» is not the documents'
    «На проверке», and which of the waiting documents nobody can decide."""
    notes = []
    waiting, owed = board.curator_totals.waiting, board.totals.submitted
    if waiting and split.other:
        notes.append(f"«Ждут проверки» — всё, что школы отправили куратору: обязательные "
                     f"документы года (их в блоке «Концептуальные документы» «На проверке» — "
                     f"{owed}) и ещё подтверждения мероприятий дорожных карт и "
                     f"необязательные документы — {split.other}.")
    if split.uncurated:
        notes.append(f"Из ждущих проверки документы школ без куратора — {split.uncurated}: "
                     f"их некому проверить, пока школе не назначен куратор, поэтому в строках "
                     f"кураторов их нет.")
    if split.shared and board.curators:
        notes.append("Документ школы, у которой несколько кураторов, ждёт каждого из них и "
                     "считается в каждой их строке.")
    return notes


def _ignored(f: Filters, board: Dashboard) -> dict[str, str]:
    """Which of the view's filters each block does not apply, said in the block."""

    def said(parts: list[str]) -> str:
        return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} и {parts[-1]}"

    school_filters = [*([f"категории «{f.category}»"] if f.category else []),
                      *([f"группе «{f.group_label}»"] if f.group else [])]
    out = {}
    if f.region is not None:
        place = [f"муниципалитету «{f.municipality.name}»"] if f.municipality else []
        if place or school_filters:
            out["engagement"] = (f"Оценка вовлеченности ставится региону в целом: отбор по "
                                 f"{said(place + school_filters)} к ней не применяется.")
    elif school_filters and board.engagement_scores:
        out["engagement"] = (f"Оценки вовлеченности ставятся регионам в целом: отбор по "
                             f"{said(school_filters)} к ним не применяется.")
    if school_filters and board.plan_overdue:
        out["overdue"] = (f"Региональные и муниципальные дорожные карты относятся не к "
                          f"отдельным школам: отбор по {said(school_filters)} к ним не "
                          f"применяется.")
    if school_filters:
        out["coverage"] = (f"Методисты РМА считаются по месту работы: отбор по "
                           f"{said(school_filters)} к ним не применяется — только к "
                           f"педагогам школ.")
    if f.municipality is not None or school_filters:
        out["curators"] = ("Записи журнала без школы (общие) считаются у каждого куратора "
                           "отбора.")
    return out


def _days(value) -> float | None:
    if value is None:
        return None
    if isinstance(value, datetime.timedelta):
        return round(value.total_seconds() / 86400, 1)
    return round(float(value) / 86_400_000_000, 1)  # microseconds (SQLite)


# -- engagement -------------------------------------------------------------------------------
def scores_for(user) -> QuerySet[EngagementScore]:
    """Scores are aggregates: every region for the national roles, else the user's regions."""
    qs = EngagementScore.objects.select_related("region")
    scope = scope_of(user)
    if scope.sees_all_aggregates:
        return qs
    return qs.filter(region_id__in=scope.member_region_ids)


def score_get(user, public_id: UUID) -> EngagementScore:
    return get_object_or_404(scores_for(user), public_id=public_id)


def component_get(user, public_id: UUID) -> EngagementComponent:
    return get_object_or_404(
        EngagementComponent.objects.select_related("score", "score__region")
        .filter(score__in=scores_for(user)), public_id=public_id)


def engagement_view(region: Region, year: int) -> EngagementView:
    score = (EngagementScore.objects.filter(region=region, year=year)
             .select_related("region").first())
    components = []
    if score is not None:
        order = {code: i for i, code in enumerate(engagement.PART)}
        components = sorted(score.components.select_related("confirmed_by"),
                            key=lambda c: order[c.code])
    return EngagementView(score, components)


def rules_list() -> QuerySet[EngagementRules]:
    return EngagementRules.objects.select_related("updated_by")


def report_schools(user, f: Filters) -> list[SchoolYear]:
    """The participant schools of the regional report (names of schools, no persons)."""
    return list(participants_of(user, f).select_related("school", "school__municipality")
                .order_by("school__municipality__name", "school__short_name"))


number_text = engagement.number_text
