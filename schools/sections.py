"""Home-page sections of the registry, one per role (registered in ``apps.py``)."""

from __future__ import annotations

from django.db.models import Count

from core.roles import Role
from core.scope import scope_of
from core.selectors import municipalities_for

from .selectors import region_summaries_for, schools_for


def home_regions(user) -> dict:
    regions = list(region_summaries_for(user))
    return {
        "regions": regions,
        "total_schools": sum(r.school_count for r in regions),
        "is_admin": Role.ADMINISTRATOR in scope_of(user).roles,
    }


def home_region(user) -> dict | None:
    scope = scope_of(user)
    regions = list(region_summaries_for(user).filter(pk__in=scope.region_ids))
    if not regions:
        return None
    municipalities = (
        municipalities_for(user).filter(region__in=regions)
        .annotate(school_count=Count("schools")).order_by("-school_count", "name")
    )
    return {"regions": regions, "municipalities": municipalities[:10],
            "municipality_total": municipalities.count()}


def home_municipality(user) -> dict | None:
    scope = scope_of(user)
    municipalities = list(municipalities_for(user).filter(pk__in=scope.municipality_ids))
    if not municipalities:
        return None
    schools = schools_for(user).filter(municipality__in=municipalities).order_by("short_name")
    return {"municipalities": municipalities, "schools": schools}


def home_school(user) -> dict | None:
    scope = scope_of(user)
    ids = scope.school_ids_by_role.get(Role.SCHOOL_COORDINATOR, frozenset())
    schools = list(schools_for(user).filter(pk__in=ids).order_by("short_name"))
    return {"schools": schools}


