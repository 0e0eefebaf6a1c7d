"""Facts the risk_profiles app publishes to other apps (monitoring, roadmaps' plan-schedule,
the management cycle, the API): which schools' profiles are verified and which passed on
activated risks."""

from __future__ import annotations

from django.db.models import Q

from .models import RiskProfile


def verified_by(school_ids, year: int, moment) -> int:
    """Schools among ``school_ids`` whose ``year`` profile is verified, and was so before
    ``moment`` (a verified profile with no review time counts: loaded verified)."""
    return (RiskProfile.objects.filter(school_id__in=school_ids, year=year,
                                       status=RiskProfile.Status.VERIFIED)
            .filter(Q(reviewed_at__lt=moment) | Q(reviewed_at__isnull=True))
            .values("school_id").distinct().count())


def with_activated_risks(school_ids, year: int) -> int:
    """Schools among ``school_ids`` that passed on (not a draft) a ``year`` profile with at
    least one activated risk."""
    return (RiskProfile.objects.filter(school_id__in=school_ids, year=year,
                                       items__activated=True)
            .exclude(status=RiskProfile.Status.DRAFT)
            .values("school_id").distinct().count())


def activated_counts(school_ids, years) -> dict[tuple[int, int], int]:
    """The number of activated risks of each passed-on (not draft) profile of ``school_ids``
    in ``years``: {(school id, year): count}; a school-year without such a profile is absent
    (a profile with no activated risk counts 0)."""
    from django.db.models import Count

    rows = (RiskProfile.objects.filter(school_id__in=school_ids, year__in=list(years))
            .exclude(status=RiskProfile.Status.DRAFT)
            .annotate(n=Count("items", filter=Q(items__activated=True)))
            .values_list("school_id", "year", "n"))
    return {(school_id, year): n for school_id, year, n in rows}
