"""Facts the management cycle publishes to other apps (the monitoring dashboards, the API):
how targeted recommendations are followed up."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q

from .models import Recommendation


@dataclass
class RecommendationCounts:
    name: str
    issued: int = 0
    open: int = 0
    overdue: int = 0
    accepted: int = 0


def recommendation_counts(region, year: int, day: datetime.date, *, municipality=None
                          ) -> tuple[list[RecommendationCounts], RecommendationCounts]:
    """Recommendations of ``region``'s ``year`` by municipality addressed (to the
    municipality or to its schools): issued, open (not accepted), overdue (open, not
    reported, past due) and accepted; and the totals. One query."""
    status = Recommendation.Status
    qs = Recommendation.objects.filter(region=region, year=year)
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    rows = [RecommendationCounts(name=r["municipality__name"], issued=r["issued"],
                                 open=r["open"], overdue=r["overdue"], accepted=r["accepted"])
            for r in qs.order_by("municipality__name").values("municipality__name").annotate(
                issued=Count("pk"), open=Count("pk", filter=~Q(status=status.ACCEPTED)),
                accepted=Count("pk", filter=Q(status=status.ACCEPTED)),
                overdue=Count("pk", filter=Q(due_on__lt=day) & ~Q(
                    status__in=[status.ACCEPTED, status.REPORTED])))]
    total = RecommendationCounts(name="Итого", **{
        k: sum(getattr(r, k) for r in rows) for k in ("issued", "open", "overdue",
                                                       "accepted")})
    return rows, total
