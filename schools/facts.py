"""Facts the schools app publishes to other apps (monitoring, the management cycle, the
API): which schools take part in a programme year and the groups of seed 004. Other apps
read these and never query ``schools.models`` themselves."""

from __future__ import annotations

from django.db.models import Max, QuerySet

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
