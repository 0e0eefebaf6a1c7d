"""Facts the methodists app publishes to other apps (monitoring, the management cycle, the
API): the coverage of places by the regional methodical team (РМА) — how many active
methodists work in each region or municipality."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from .models import Methodist


def active_pool(region=None) -> QuerySet[Methodist]:
    """The methodists who count in the pool: active ones (of ``region``). The one
    definition the pool's pages and other apps' coverage figures count with."""
    active = Methodist.objects.filter(status=Methodist.Status.ACTIVE)
    return active if region is None else active.filter(region=region)


def active_methodists(area_ids, *, by: str = "region_id") -> dict[int, int]:
    """Active methodists of the pool per place: ``by`` is ``"region_id"`` or
    ``"municipality_id"`` (their place of work), ``area_ids`` the places counted. One
    aggregate query."""
    rows = (active_pool().filter(**{f"{by}__in": area_ids})
            .order_by().values(by).annotate(n=Count("pk")))
    return {row[by]: row["n"] for row in rows}
