"""Scoped reads of the management cycle's indicators. An indicator belongs to a region and
year; what a user sees of it is territories: the region as a whole and each municipality
for regional staff, its own municipalities for a municipal coordinator."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from django.db.models import QuerySet
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


def _by_place(rows) -> dict[int | None, object]:
    return {row.municipality_id: row for row in rows}


def territory_rows(user, indicator: Indicator) -> list[TerritoryRow]:
    """The region (for who reads it whole) and the municipalities the user reads, with the
    value, last year's value of the same indicator, the target and the region's target."""
    from . import rules

    visible = visible_municipalities(user, indicator.region)
    if visible is None:
        places = [None, *Municipality.objects.filter(region=indicator.region).order_by("name")]
    else:
        places = visible
    previous = Indicator.objects.filter(region=indicator.region, year=indicator.year - 1,
                                        code=indicator.code).first()
    values = _by_place(IndicatorValue.objects.filter(indicator=indicator))
    before = (_by_place(IndicatorValue.objects.filter(indicator=previous)) if previous
              else {})
    targets = _by_place(Target.objects.filter(indicator=indicator))
    rows = []
    for place in places:
        key = place.pk if place else None
        if place is not None and key not in values and key not in targets and visible is None:
            continue  # a municipality without programme schools and without a target
        rows.append(TerritoryRow(
            indicator=indicator, municipality=place, value=values.get(key),
            previous=before.get(key), target=targets.get(key), regional_target=targets.get(None),
            actions=rules.territory_actions(user, indicator, place or indicator.region)))
    return rows


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
