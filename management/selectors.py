"""Scoped reads of the management cycle's indicators. An indicator belongs to a region and
year; what a user sees of it is territories: the region as a whole and each municipality
for regional staff, its own municipalities for a municipal coordinator."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from core.models import Municipality, Region
from core.scope import scope_of
from core.selectors import municipalities_for
from schools import facts as school_facts
from schools.selectors import schools_for

from .models import Indicator, IndicatorValue, Target


def indicators_for(user) -> QuerySet[Indicator]:
    qs = Indicator.objects.select_related("region")
    scope = scope_of(user)
    return qs if scope.is_national else qs.filter(region_id__in=scope.member_region_ids)


def indicator_get(user, public_id: UUID) -> Indicator:
    return get_object_or_404(indicators_for(user), public_id=public_id)


def years_of(user, region: Region) -> list[int]:
    years = set(indicators_for(user).filter(region=region).values_list("year", flat=True))
    years |= set(school_facts.programme_schools_years(region))
    return sorted(years, reverse=True)


def target_of(indicator: Indicator, municipality: Municipality | None) -> Target | None:
    return Target.objects.filter(indicator=indicator, municipality=municipality).first()


def programme_territories(region: Region, year: int) -> dict[Municipality | None, list[int]]:
    """The programme's schools (ШНОР, ШССУ) of ``year``: all of the region (key None) and
    per municipality. System read (the nightly task has no user)."""
    rows = list(school_facts.programme_schools(year, region=region)
                .values_list("school_id", "school__municipality_id"))
    by_place: dict[int, list[int]] = {}
    for school_id, municipality_id in rows:
        by_place.setdefault(municipality_id, []).append(school_id)
    places = {m.pk: m for m in Municipality.objects.filter(pk__in=list(by_place))}
    territories: dict[Municipality | None, list[int]] = {None: [pk for pk, _ in rows]}
    for pk in sorted(by_place, key=lambda pk: places[pk].name):
        territories[places[pk]] = by_place[pk]
    return territories


def visible_municipalities(user, region: Region) -> list[Municipality] | None:
    """``None``: the user reads the region as a whole and every municipality; else the
    municipalities it reads (a municipal coordinator)."""
    scope = scope_of(user)
    if scope.is_national or region.pk in scope.region_ids:
        return None
    return list(municipalities_for(user).filter(region=region).order_by("name"))


@dataclass
class TerritoryRow:
    indicator: Indicator
    municipality: Municipality | None
    value: IndicatorValue | None
    previous: IndicatorValue | None
    target: Target | None
    regional_target: Target | None
    actions: frozenset[str] = frozenset()

    @property
    def name(self) -> str:
        return self.municipality.name if self.municipality else "Регион в целом"

    @property
    def figure(self) -> Decimal | None:
        return self.value.value if self.value else None

    @property
    def previous_figure(self) -> Decimal | None:
        return self.previous.value if self.previous else None

    @property
    def change(self) -> Decimal | None:
        if self.figure is None or self.previous_figure is None:
            return None
        return self.figure - self.previous_figure

    @property
    def goal(self) -> Decimal | None:
        target = self.target or self.regional_target
        return target.value if target else None

    @property
    def met(self) -> bool | None:
        return self.indicator.meets(self.figure, self.goal)


def territory_rows(user, indicator: Indicator) -> list[TerritoryRow]:
    """The region (for who reads it whole) and the municipalities the user reads, with the
    value, last year's value of the same indicator, the target and the region's target."""
    return territories(user, [indicator])[indicator.pk]


def territories(user, indicators, *, with_actions: bool = True
                ) -> dict[int, list[TerritoryRow]]:
    """:func:`territory_rows` of many indicators in a fixed number of queries (the read API
    pages through them): values, last year's values and targets are read once for all."""
    from collections import defaultdict

    from . import rules

    indicators = list(indicators)
    places_of: dict[int, tuple[list, bool]] = {}
    for region_id in {i.region_id for i in indicators}:
        region = next(i.region for i in indicators if i.region_id == region_id)
        visible = visible_municipalities(user, region)
        places_of[region_id] = (visible, False) if visible is not None else (
            [None, *Municipality.objects.filter(region=region).order_by("name")], True)
    previous = {(p.region_id, p.year, p.code): p.pk for p in Indicator.objects.filter(
        Q(*[Q(region_id=i.region_id, year=i.year - 1, code=i.code) for i in indicators],
          _connector=Q.OR))} if indicators else {}
    wanted = [i.pk for i in indicators] + list(previous.values())
    values, targets = defaultdict(dict), defaultdict(dict)
    for v in IndicatorValue.objects.filter(indicator_id__in=wanted):
        values[v.indicator_id][v.municipality_id] = v
    for t in Target.objects.filter(indicator_id__in=wanted):
        targets[t.indicator_id][t.municipality_id] = t
    result = {}
    for indicator in indicators:
        places, whole = places_of[indicator.region_id]
        mine, goals = values[indicator.pk], targets[indicator.pk]
        before = values[previous.get((indicator.region_id, indicator.year - 1, indicator.code))]
        result[indicator.pk] = [TerritoryRow(
            indicator=indicator, municipality=place, value=mine.get(key),
            previous=before.get(key), target=goals.get(key), regional_target=goals.get(None),
            actions=rules.territory_actions(user, indicator, place or indicator.region)
            if with_actions else frozenset())
            for place in places if (key := place.pk if place else None) is None
            or not whole or key in mine or key in goals]
    return result


def schools_behind(user, value: IndicatorValue | None):
    """The schools a computed value counts, those the user may see, by name."""
    if value is None or not value.school_ids:
        return schools_for(user).none()
    return (schools_for(user).filter(pk__in=value.school_ids)
            .select_related("municipality").order_by("municipality__name", "short_name"))


# -- the monitoring calendar ---------------------------------------------------------------------
def events_for(user) -> QuerySet:
    from .models import MonitoringEvent

    qs = MonitoringEvent.objects.select_related("region", "owner", "done_by")
    scope = scope_of(user)
    return qs if scope.is_national else qs.filter(region_id__in=scope.member_region_ids)


def event_get(user, public_id: UUID):
    return get_object_or_404(events_for(user), public_id=public_id)


# -- targeted recommendations -------------------------------------------------------------------
def recommendations_for(user) -> QuerySet:
    """Regional staff: the region's; a municipal coordinator: its municipality's (to its
    schools and to itself); a school coordinator: those addressed to its school."""
    from .models import Recommendation

    qs = Recommendation.objects.select_related("region", "municipality", "school",
                                               "helped_school", "indicator", "created_by")
    q = scope_of(user).filter(region="region_id", municipality="municipality_id",
                              school="school_id")
    return qs if q is None else qs.filter(q)


def recommendation_get(user, public_id: UUID):
    return get_object_or_404(recommendations_for(user), public_id=public_id)


def issuable_schools(user, region: Region) -> QuerySet:
    """The schools of the region the user may address: regional staff every one, a
    municipal coordinator those of its municipalities."""
    return (schools_for(user).filter(municipality__region=region)
            .select_related("municipality").order_by("municipality__name", "short_name"))


# -- analysis: an indicator's values by territory and year --------------------------------------
@dataclass
class Cell:
    year: int
    value: Decimal | None
    goal: Decimal | None
    met: bool | None


@dataclass
class SeriesRow:
    municipality: Municipality | None
    cells: list[Cell]

    @property
    def name(self) -> str:
        return self.municipality.name if self.municipality else "Регион в целом"


def _series(region: Region, code: str, years: list[int] | None = None
            ) -> tuple[list[Indicator], dict, dict]:
    """The region's indicators of ``code`` (by year, oldest first), and their values and
    targets keyed by (year, municipality id or None)."""
    indicators = list(Indicator.objects.filter(region=region, code=code).order_by("year"))
    if years is not None:
        indicators = [i for i in indicators if i.year in years]
    year_of = {i.pk: i.year for i in indicators}
    values = {(year_of[v.indicator_id], v.municipality_id): v.value for v in
              IndicatorValue.objects.filter(indicator__in=indicators)}
    targets = {(year_of[t.indicator_id], t.municipality_id): t.value for t in
               Target.objects.filter(indicator__in=indicators)}
    return indicators, values, targets


def _cell(indicator: Indicator, values: dict, targets: dict, key: int | None) -> Cell:
    year = indicator.year
    value = values.get((year, key))
    goal = targets.get((year, key), targets.get((year, None)))
    return Cell(year, value, goal, indicator.meets(value, goal))


def analysis_rows(user, indicator: Indicator) -> tuple[list[int], list[SeriesRow]]:
    """The years of ``indicator``'s code in its region and, for each territory the user reads
    (the region and the municipalities with a value or a target; a municipal coordinator its
    own), the value, the target and whether it was met in each year."""
    indicators, values, targets = _series(indicator.region, indicator.code)
    visible = visible_municipalities(user, indicator.region)
    if visible is None:
        keys = {m for (_, m) in values} | {m for (_, m) in targets}
        places = [None, *Municipality.objects.filter(pk__in=keys - {None}).order_by("name")]
    else:
        places = visible
    rows = [SeriesRow(place, [_cell(i, values, targets, place.pk if place else None)
                              for i in indicators]) for place in places]
    return [i.year for i in indicators], rows


@dataclass
class Gap:
    row: SeriesRow
    cell: Cell
    gap: Decimal


def gaps_ranked(indicator: Indicator, rows: list[SeriesRow]) -> list[Gap]:
    """The territories behind their target in ``indicator``'s year, the largest gap first."""
    gaps = []
    for row in rows:
        cell = next((c for c in row.cells if c.year == indicator.year), None)
        if cell is None or cell.value is None or cell.goal is None or cell.met:
            continue
        gap = (cell.goal - cell.value if indicator.higher_is_better
               else cell.value - cell.goal)
        gaps.append(Gap(row, cell, gap))
    return sorted(gaps, key=lambda g: (-g.gap, g.row.name))


def conclusions_of(indicator: Indicator) -> QuerySet:
    from .models import Conclusion

    return Conclusion.objects.filter(indicator=indicator).select_related("written_by")


# -- management decisions and their effect ------------------------------------------------------
def _region_or_own_municipality(user) -> Q | None:
    """Rows of a region or one of its municipalities: regional staff all of them; a
    municipal coordinator its municipality's and the region's own (no municipality)."""
    scope = scope_of(user)
    q = scope.filter(region="region_id", municipality="municipality_id", school=None)
    if q is None:
        return None
    return q | Q(municipality__isnull=True, region_id__in=scope.member_region_ids)


def decisions_for(user) -> QuerySet:
    from .models import Decision

    qs = Decision.objects.select_related("region", "municipality", "created_by")
    q = _region_or_own_municipality(user)
    return qs if q is None else qs.filter(q)


def decision_get(user, public_id: UUID):
    return get_object_or_404(decisions_for(user), public_id=public_id)


VERDICT_MET, VERDICT_MISSED, VERDICT_NONE = "цель достигнута", "цель не достигнута", "нет данных"


@dataclass
class EffectRow:
    indicator: Indicator | None
    code: str
    title: str
    territory: str
    cells: list[Cell]
    verdict: str
    explanation: str


def figure_text(indicator: Indicator | None, value: Decimal) -> str:
    """«66,7 %» for a share, «0,36» for an index."""
    from core.text import decimal_ru

    if indicator is not None and indicator.is_percent:
        return f"{decimal_ru(value, 1)}\u00a0%"
    return decimal_ru(value, 2)


def _verdict(indicator, cells: list[Cell], year: int) -> tuple[str, str]:
    after = [c for c in cells if c.year > year and c.value is not None]
    if not after:
        return VERDICT_NONE, f"Значений за годы после {year} г. ещё нет."
    last = after[-1]
    if last.goal is None:
        return VERDICT_NONE, f"На {last.year} г. цель не задана."
    said = (f"В {last.year} г. значение {figure_text(indicator, last.value)} при цели "
            f"{figure_text(indicator, last.goal)}.")
    return (VERDICT_MET if last.met else VERDICT_MISSED), said


def decision_effect(decision) -> list[EffectRow]:
    """For each indicator the decision targets: its values in the decision's territory in the
    year of the decision and the years after, and the verdict on the latest year after it."""
    key = decision.municipality_id
    rows = []
    for code in decision.indicator_codes:
        indicators, values, targets = _series(decision.region, code)
        indicators = [i for i in indicators if i.year >= decision.year]
        if not indicators:
            rows.append(EffectRow(None, code, "", decision.level, [], VERDICT_NONE,
                                  f"Показателя {code} нет за {decision.year} г. и позже."))
            continue
        cells = [_cell(i, values, targets, key) for i in indicators]
        verdict, explanation = _verdict(indicators[-1], cells, decision.year)
        territory = decision.municipality.name if key else "регион в целом"
        rows.append(EffectRow(indicators[-1], code, indicators[0].title, territory, cells,
                              verdict, explanation))
    return rows


def decision_choices(user, region: Region, year: int):
    """Decisions of the region's ``year`` a user may cite (approving the exit list)."""
    return decisions_for(user).filter(region=region, year=year)


# -- the cycle's yearly report ------------------------------------------------------------------
def reports_for(user) -> QuerySet:
    from .models import CycleReport

    qs = CycleReport.objects.select_related("region", "municipality", "created_by",
                                            "approved_by")
    q = _region_or_own_municipality(user)
    return qs if q is None else qs.filter(q)


def report_get(user, public_id: UUID):
    return get_object_or_404(reports_for(user), public_id=public_id)


# -- the exit list ------------------------------------------------------------------------------
def exit_for(user) -> QuerySet:
    from .models import ExitProposal

    qs = ExitProposal.objects.select_related("region", "municipality", "school", "decision",
                                             "reviewed_by")
    q = scope_of(user).filter(region="region_id", municipality="municipality_id",
                              school="school_id")
    return qs if q is None else qs.filter(q)


def exit_get(user, public_id: UUID):
    return get_object_or_404(exit_for(user), public_id=public_id)


@dataclass(frozen=True)
class ExitCandidate:
    school_id: int
    municipality_id: int
    series: list[tuple[int, Decimal]]
    risks_before: int
    risks_now: int
    basis: str


def exit_rule(series: dict[int, Decimal], risks: dict[int, int], year: int, streak: int
              ) -> tuple[list[tuple[int, Decimal]], int, int] | None:
    """Seed 004 §6: ИОР rose in each of the ``streak`` years up to ``year`` and the latest
    passed-on risk profile shows fewer activated risks than the one before the streak.
    ``series``: {year: ИОР}; ``risks``: {year: activated risks}. None: not a candidate."""
    years = list(range(year - streak, year + 1))
    if any(y not in series for y in years):
        return None
    if any(series[b] <= series[a] for a, b in zip(years, years[1:], strict=False)):
        return None
    before = next((risks[y] for y in years[:-1] if y in risks), None)
    now = risks.get(year)
    if before is None or now is None or now >= before:
        return None
    return [(y, series[y]) for y in years], before, now


def exit_candidates(region: Region, year: int, streak: int) -> list[ExitCandidate]:
    """The programme schools of the region's ``year`` that meet :func:`exit_rule`."""
    from core.text import decimal_ru
    from risk_profiles import facts as risk_facts

    rows = dict(school_facts.programme_schools(year, region=region)
                .values_list("school_id", "school__municipality_id"))
    years = range(year - streak, year + 1)
    ior = school_facts.ior_by_year(list(rows), years)
    risks = risk_facts.activated_counts(list(rows), years)
    found = []
    for school_id, municipality_id in rows.items():
        by_year = {y: n for (s, y), n in risks.items() if s == school_id}
        hit = exit_rule(ior.get(school_id, {}), by_year, year, streak)
        if hit is None:
            continue
        series, before, now = hit
        rises = ", ".join(f"{y} — {decimal_ru(v)}" for y, v in series)
        found.append(ExitCandidate(
            school_id, municipality_id, series, before, now,
            f"ИОР рос {streak} {_years_word(streak)} подряд ({rises}); активированных рисков "
            f"в риск-профиле: было {before}, стало {now}."))
    return found


def _years_word(n: int) -> str:
    from core.text import noun_form

    return noun_form(n, "год")
