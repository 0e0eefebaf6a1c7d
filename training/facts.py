"""Facts the training app publishes to other apps (monitoring, the management cycle, the
API): how many of the schools' active staff completed a course in the three years to a
year. The rule (who counts as trained, :func:`trained_q`) is the one the coverage pages of
``training.selectors`` count with too."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet

from .models import Enrolment, StaffMember

#: Teachers take further training at least once in three years (273-ФЗ, art. 47): a
#: completion counts towards a year's coverage for the year itself and the two before.
COVERAGE_YEARS = 3


def share(part: int, whole: int) -> int | None:
    """A whole percent, rounded half up as the seed does (510 of 1 676 → 30)."""
    if not whole:
        return None
    return int((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal(1), ROUND_HALF_UP))


def trained_q(year: int) -> Q:
    """Staff (by ``pk``) who completed a course in the three years to ``year``."""
    start = datetime.date(year - COVERAGE_YEARS + 1, 1, 1)
    end = datetime.date(year, 12, 31)
    return Q(pk__in=Enrolment.objects.filter(status=Enrolment.Status.COMPLETED,
                                             completed_on__range=(start, end))
             .values("staff_id"))


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


def staff_with_routes(school_ids, year: int) -> tuple[int, int]:
    """(active staff of ``school_ids``, of them with an individual route (ИОМ) of ``year``
    built on diagnosed deficits — a route with at least one deficit). Two queries."""
    from .models import Route

    staff = StaffMember.objects.filter(school_id__in=school_ids, is_active=True)
    with_route = (Route.objects.filter(staff__in=staff, year=year, deficits__isnull=False)
                  .values("staff_id").distinct().count())
    return staff.count(), with_route
