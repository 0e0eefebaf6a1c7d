"""Scoped reads of the registry."""

from __future__ import annotations

from uuid import UUID

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from core.models import Region
from core.scope import scope_of
from core.selectors import regions_for

from .models import School


def schools_for(user) -> QuerySet[School]:
    """Schools ``user`` may see: all (national roles), the region (regional staff), the
    municipality (municipal coordinator), granted schools (curators, school coordinators)."""
    qs = School.objects.select_related("region", "municipality")
    q = scope_of(user).filter(region="region_id", municipality="municipality_id", school="pk")
    return qs if q is None else qs.filter(q)


def school_get(user, public_id: UUID) -> School:
    return get_object_or_404(schools_for(user), public_id=public_id)


def region_summaries_for(user) -> QuerySet[Region]:
    """Regions in scope with their counts of municipalities and schools (one query)."""
    return regions_for(user).annotate(
        municipality_count=Count("municipalities", distinct=True),
        school_count=Count("schools", distinct=True),
    ).order_by("code")
