"""Scoped reads of the monitoring app: the dashboard of a filtered view, the engagement
scores, the federal overview. Every figure is an aggregate query over the schools in scope;
a federal observer gets aggregates of every region and never a person's name."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode
from uuid import UUID

from django.db.models import Count, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from core.models import Municipality, Region
from core.scope import scope_of
from core.selectors import municipalities_for, regions_for
from core.suppression import hidden_rows, reads_only_aggregates, too_small
from curators import facts as curator_facts
from management import facts as management_facts
from methodists import facts as methodist_facts
from risk_profiles.selectors import Distribution, risk_distribution
from roadmaps import facts as roadmap_facts
from schools import facts as school_facts
from schools.selectors import with_group
from training import facts as training_facts

from . import engagement, rules
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
        return school_facts.group_label(self.group)

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
                   group=group if school_facts.is_group(group) else "", years=years)


# -- the filtered set of schools -----------------------------------------------------------
def _base(user) -> QuerySet:
    """School-years a user may count: every region for the national roles."""
    scope = scope_of(user)
    qs = school_facts.school_years()
    if scope.sees_all_aggregates:
        return qs
    # the municipality branch only where the user has one (it joins the schools table)
    q = scope.filter(region="region_id", school="school_id",
                     municipality="school__municipality_id" if scope.municipality_ids
                     else None)
    return qs if q is None else qs.filter(q)


def participants_of(user, f: Filters) -> QuerySet:
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
        return None if self.hidden else training_facts.share(self.trained, self.staff)


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
    #: Targeted recommendations of the region's year by municipality, and their totals.
    recommendations: list = field(default_factory=list)
    recommendation_totals: object = None
    day: datetime.date | None = None
    #: Figures of small groups are hidden (core.suppression): an aggregate-only reader.
    suppressed: bool = False
    #: Why the curators' «Ждут проверки» differs from the documents' «На проверке», and
    #: what of it nobody can act on (footnotes of the curators' block).
    curator_notes: list[str] = field(default_factory=list)
    #: Block id → the sentence saying which filters of the view the block does not apply.
    ignored: dict[str, str] = field(default_factory=dict)
    #: When the figures were computed (monitoring.boards keeps a board until data changes).
    computed_at: datetime.datetime | None = None

    @property
    def hidden_label(self) -> str:
        from core.suppression import label

        return label()

    @property
    def by_label(self) -> str:
        return "Муниципалитет" if self.by == "municipality" else "Регион"


def dashboard(user, f: Filters, *, day: datetime.date | None = None) -> Dashboard:
    day = day or timezone.localdate()
    by = "municipality" if f.region is not None else "region"
    board = Dashboard(filters=f, personal=rules.shows_people(user), by=by, day=day)
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
    _documents(areas, by, f, school_ids)
    _measures(areas, by, f, school_ids, day)
    _training(areas, by, f, school_ids)
    board.areas = sorted(areas.values(), key=lambda a: a.name)
    board.totals = AreaRow(key=0, name="Итого", **{
        name: sum(getattr(a, name) for a in board.areas) for name in AreaRow.FIGURES})
    board.schools = board.totals.schools
    board.plan_overdue = _plan_overdue(user, f, day)
    if f.region is not None:
        board.recommendations, board.recommendation_totals = (
            management_facts.recommendation_counts(f.region, f.year, day,
                                                   municipality=f.municipality))
    board.risks = risk_distribution(user, year=f.year, region=f.region,
                                    municipality=f.municipality, category=f.category,
                                    schools=participants.values("school_id") if f.group
                                    else None)
    board.curators, board.curator_totals, waiting = _curators(f, school_ids, board.personal)
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


def _documents(areas: dict[int, AreaRow], by: str, f: Filters, school_ids) -> None:
    """Documents due and approved (the checklist's rule) and their progress, per area: facts
    published by roadmaps."""
    school_key = "municipality_id" if by == "municipality" else "region_id"
    for pk, fact in roadmap_facts.documents_due(school_ids, f.year, by=school_key).items():
        if pk in areas:
            areas[pk].due, areas[pk].approved = fact.due, fact.approved
    doc_key = "school__municipality_id" if by == "municipality" else "region_id"
    for pk, progress in roadmap_facts.document_progress(school_ids, f.year, by=doc_key,
                                                        region=f.region).items():
        area = areas.get(pk)
        if area is not None:
            area.uploaded, area.submitted = progress.uploaded, progress.submitted
            area.returned = progress.returned


def _measures(areas: dict[int, AreaRow], by: str, f: Filters, school_ids, day) -> None:
    """School roadmaps of the year: measures and those overdue today, per area."""
    key = "municipality_id" if by == "municipality" else "region_id"
    for pk, fact in roadmap_facts.school_measures(school_ids, f.year, by=key, day=day,
                                                  region=f.region).items():
        area = areas.get(pk)
        if area is not None:
            area.measures, area.overdue = fact.measures, fact.overdue


def _training(areas: dict[int, AreaRow], by: str, f: Filters, school_ids) -> None:
    """Training coverage of the filtered schools' staff and the pool's methodists, per area
    (counts only: the dashboard names nobody)."""
    key = "school__municipality_id" if by == "municipality" else "region_id"
    for pk, fact in training_facts.staff_trained(school_ids, f.year, by=key,
                                                 region=f.region).items():
        area = areas.get(pk)
        if area is not None:
            area.staff, area.trained = fact.staff, fact.trained
    pool_key = "municipality_id" if by == "municipality" else "region_id"
    for pk, n in methodist_facts.active_methodists(list(areas), by=pool_key).items():
        areas[pk].methodists = n


def _plan_overdue(user, f: Filters, day) -> list[tuple[str, int, int]]:
    """Regional and municipal roadmaps covering the year that the user may see (every one
    of the region for the national roles): (title, measures, overdue)."""
    if f.region is None:
        return []
    return roadmap_facts.plan_measures(user, f.region, f.year, day=day,
                                       municipality=f.municipality,
                                       everything=scope_of(user).sees_all_aggregates)


def _curators(f: Filters, school_ids, personal: bool):
    load = curator_facts.curator_load(school_ids, f.year, region=f.region)
    rows = {pk: CuratorRow(name=name, schools=n) for pk, (name, n) in load.curators.items()}
    sent = roadmap_facts.waiting(school_ids, f.year, region=f.region)
    waiting = sent.by_school
    split = WaitingSplit(
        other=sent.outside_slots,
        uncurated=sum(n for school_id, n in waiting.items() if school_id not in load.curated),
        shared=any(waiting.get(school_id) for school_id in load.shared))
    for curator_id, school_id in load.pairs:
        rows[curator_id].waiting += waiting.get(school_id, 0)
    decided, reviews = roadmap_facts.decisions(school_ids, f.year, region=f.region)
    for reviewer_id, fact in decided.items():
        target = rows.get(reviewer_id)
        if target is not None:
            target.decided, target.returned = fact.decided, fact.returned
            target.hold_days = _days(fact.hold)
    for curator_id, n in curator_facts.log_entries(rows, school_ids, f.year,
                                                   region=f.region).items():
        rows[curator_id].log_entries = n
    listed = sorted(rows.values(), key=lambda r: r.name)
    totals = CuratorRow(name=f"Кураторов: {len(listed)}",
                        schools=len(load.curated),
                        waiting=sum(waiting.values()),
                        decided=sum(r.decided for r in listed),
                        returned=sum(r.returned for r in listed),
                        hold_days=_days(roadmap_facts.mean_hold(reviews, rows)),
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


def report_schools(user, f: Filters) -> list:
    """The participant schools of the regional report (names of schools, no persons)."""
    return list(participants_of(user, f).select_related("school", "school__municipality")
                .order_by("school__municipality__name", "school__short_name"))


number_text = engagement.number_text
