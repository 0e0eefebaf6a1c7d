from __future__ import annotations

from django.db.models import QuerySet

from core.scope import scope_of

from .models import CuratorAssignment


def assignments_for(user) -> QuerySet[CuratorAssignment]:
    """Assignments of schools in the user's scope (a curator sees its own schools)."""
    qs = CuratorAssignment.objects.select_related("curator", "school", "school__municipality",
                                                  "region")
    q = scope_of(user).filter(region="region_id", municipality="school__municipality_id",
                              school="school_id")
    return qs if q is None else qs.filter(q)


def active_assignments_for(user) -> QuerySet[CuratorAssignment]:
    return assignments_for(user).filter(ended_at__isnull=True)
