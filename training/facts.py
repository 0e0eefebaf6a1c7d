"""Facts the training app publishes to other apps (monitoring, the management cycle, the
API): how many of the schools' active staff completed a course in the three years to a
year. The rule (who counts as trained) is :func:`training.selectors.trained_q`, the same
one the coverage pages count with."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet

from .models import StaffMember
from .selectors import share, trained_q

__all__ = ["StaffTrained", "share", "staff_trained"]


@dataclass(frozen=True)
class StaffTrained:
    staff: int = 0  # active staff of the schools in the staff records
    trained: int = 0  # of them, completed a course in the three years to the year

    @property
    def percent(self) -> int | None:
        return share(self.trained, self.staff)


def staff_trained(school_ids: QuerySet | list[int], year: int, *, by: str = "school_id",
                  region=None) -> dict[int, StaffTrained]:
    """Active staff and trained staff of the schools ``school_ids``, summed by ``by`` (a
    field of the staff member: ``"school_id"``, ``"region_id"``,
    ``"school__municipality_id"``). ``region`` bounds the query (the same rows, without
    scanning the country). One aggregate query."""
    in_region = {"region": region} if region is not None else {}
    rows = (StaffMember.objects.filter(school_id__in=school_ids, is_active=True, **in_region)
            .order_by().values(by)
            .annotate(n=Count("pk", distinct=True),
                      t=Count("pk", filter=trained_q(year), distinct=True)))
    return {row[by]: StaffTrained(row["n"], row["t"]) for row in rows}
