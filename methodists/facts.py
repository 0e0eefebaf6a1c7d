"""Facts the methodists app publishes to other apps (monitoring, the management cycle, the
API): the coverage of places by the regional methodical team (РМА) — how many active
methodists work in each region or municipality."""

from __future__ import annotations

from django.db.models import Count

from .models import Methodist


def active_methodists(area_ids, *, by: str = "region_id") -> dict[int, int]:
    """Active methodists of the pool per place: ``by`` is ``"region_id"`` or
    ``"municipality_id"`` (their place of work), ``area_ids`` the places counted. One
    aggregate query."""
    rows = (Methodist.objects.filter(status=Methodist.Status.ACTIVE, **{f"{by}__in": area_ids})
            .order_by().values(by).annotate(n=Count("pk")))
    return {row[by]: row["n"] for row in rows}
