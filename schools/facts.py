"""Facts the schools app publishes to other apps (monitoring, the management cycle, the
API): which schools take part in a programme year and the groups of seed 004. Other apps
read these and never query ``schools.models`` themselves."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Avg, Max, Q, QuerySet

from .models import Group, SchoolYear

#: The groups of seed 004 (ИОР × ИСБ) as (code, label) choices, for filters.
GROUP_CHOICES = Group.choices


def is_group(code: str) -> bool:
    return code in Group.values


def group_label(code: str) -> str:
    return Group(code).label if code else ""


def school_years() -> QuerySet[SchoolYear]:
    """Every school-year row, unfiltered: the caller bounds it by its scope."""
    return SchoolYear.objects.all()


def participants(year: int, *, region=None) -> QuerySet[SchoolYear]:
    """The school-years taking part in the programme in ``year`` (of ``region``)."""
    qs = SchoolYear.objects.filter(year=year, is_participant=True)
    return qs if region is None else qs.filter(region=region)


def latest_year_by_region() -> dict[int, int]:
    """Each region's latest programme year: {region id: year}."""
    return dict(SchoolYear.objects.filter(is_participant=True).order_by()
                .values("region_id").annotate(year=Max("year"))
                .values_list("region_id", "year"))


def programme_schools(year: int, *, region=None, municipality=None) -> QuerySet[SchoolYear]:
    """The ШНОР and ШССУ of ``year`` (of ``region``, of ``municipality``): the schools the
    programme's indicators are about."""
    qs = SchoolYear.objects.filter(year=year).filter(Q(is_shnor=True) | Q(is_shssu=True))
    if region is not None:
        qs = qs.filter(region=region)
    if municipality is not None:
        qs = qs.filter(school__municipality=municipality)
    return qs


@dataclass(frozen=True)
class IorDynamics:
    """Of some schools: those with an ИОР in both years, and of them those whose ИОР rose."""

    compared: frozenset[int]
    improved: frozenset[int]


def ior_dynamics(school_ids, year: int) -> IorDynamics:
    """The year-on-year change of ИОР of ``school_ids``: ``year`` against ``year - 1``
    (a school counts only where both years have an index). Two queries."""
    now = dict(SchoolYear.objects.filter(school_id__in=school_ids, year=year,
                                         ior__isnull=False).values_list("school_id", "ior"))
    before = dict(SchoolYear.objects.filter(school_id__in=list(now), year=year - 1,
                                            ior__isnull=False).values_list("school_id", "ior"))
    return IorDynamics(compared=frozenset(before),
                       improved=frozenset(pk for pk, ior in before.items() if now[pk] > ior))


def mean_indices(school_ids, year: int) -> tuple[Decimal | None, Decimal | None]:
    """The mean ИОР and ИСБ of ``school_ids`` in ``year`` (None where no school has one)."""
    agg = SchoolYear.objects.filter(school_id__in=school_ids, year=year).aggregate(
        ior=Avg("ior"), isb=Avg("isb"))
    return agg["ior"], agg["isb"]


def programme_schools_years(region) -> list[int]:
    """The years in which ``region`` has ШНОР or ШССУ."""
    return list(SchoolYear.objects.filter(region=region).filter(
        Q(is_shnor=True) | Q(is_shssu=True)).values_list("year", flat=True).distinct())


def ior_by_year(school_ids, years) -> dict[int, dict[int, Decimal]]:
    """ИОР of ``school_ids`` in ``years``: {school id: {year: ИОР}} (a year without an index
    is absent). One query."""
    series: dict[int, dict[int, Decimal]] = {}
    for school_id, year, ior in (SchoolYear.objects.filter(
            school_id__in=school_ids, year__in=list(years), ior__isnull=False)
            .values_list("school_id", "year", "ior")):
        series.setdefault(school_id, {})[year] = ior
    return series
