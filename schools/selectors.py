"""Scoped reads of the registry."""

from __future__ import annotations

from uuid import UUID

from django.db.models import Case, CharField, Count, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.shortcuts import get_object_or_404

from core.models import Job, Region
from core.roles import Role
from core.scope import scope_of
from core.selectors import regions_for

from .models import Group, ImportBatch, IndexThresholds, School, SchoolYear


def schools_for(user) -> QuerySet[School]:
    """Schools ``user`` may see: all (administrators), the region (regional staff), the
    municipality (municipal coordinator), granted schools (curators, school coordinators).
    A federal observer sees aggregates only, never a school."""
    qs = School.objects.select_related("region", "municipality")
    q = scope_of(user).filter(region="region_id", municipality="municipality_id", school="pk")
    return qs if q is None else qs.filter(q)


def school_get(user, public_id: UUID) -> School:
    return get_object_or_404(schools_for(user), public_id=public_id)


def with_group(qs: QuerySet[SchoolYear]) -> QuerySet[SchoolYear]:
    """Annotate ``group`` from the indices and the region's thresholds of that year.

    A thresholds row has both values or there is none, so one null check covers both.
    The thresholds are aliases (not selected), and the CASE is ordered so that each is
    referenced as few times as possible: PostgreSQL runs a correlated subquery once per
    reference and row."""
    thresholds = IndexThresholds.objects.filter(region=OuterRef("region"),
                                                year=OuterRef("year")).order_by()
    qs = qs.alias(ior_min=Subquery(thresholds.values("ior_min")[:1]),
                  isb_min=Subquery(thresholds.values("isb_min")[:1]))
    high = Q(ior__gte=F("ior_min"))
    good = Q(isb__gte=F("isb_min"))
    return qs.annotate(group=Case(
        When(Q(ior__isnull=True) | Q(isb__isnull=True) | Q(ior_min__isnull=True),
             then=Value("")),
        When(high & good, then=Value(Group.EFFECTIVE)),
        When(high, then=Value(Group.RESILIENT)),
        When(good, then=Value(Group.STRUGGLING)),
        default=Value(Group.DEPRIVED), output_field=CharField(),
    ))


def school_years_for(user) -> QuerySet[SchoolYear]:
    """Yearly statuses of the schools in scope, with their computed group."""
    qs = SchoolYear.objects.select_related("school", "school__municipality", "region")
    q = scope_of(user).filter(region="region_id", municipality="school__municipality_id",
                              school="school_id")
    return with_group(qs if q is None else qs.filter(q))


def years_for(user) -> list[int]:
    return list(school_years_for(user).order_by("-year").values_list("year", flat=True)
                .distinct())


def categories_for(user, year: int | None) -> list[str]:
    qs = school_years_for(user).exclude(category="")
    if year:
        qs = qs.filter(year=year)
    return list(qs.order_by("category").values_list("category", flat=True).distinct())


def region_summaries_for(user) -> QuerySet[Region]:
    """Regions in scope with their counts of municipalities and schools (one query)."""
    return regions_for(user).annotate(
        municipality_count=Count("municipalities", distinct=True),
        school_count=Count("schools", distinct=True),
    ).order_by("code")


def import_batches_for(user) -> QuerySet[ImportBatch]:
    """Batches of the user's regions; federal (region-less) batches for administrators."""
    scope = scope_of(user)
    qs = ImportBatch.objects.select_related("region", "created_by", "applied_by")
    if scope.is_national:
        return qs
    return qs.filter(region_id__in=scope.region_ids)


def import_batch_get(user, public_id: UUID) -> ImportBatch:
    return get_object_or_404(import_batches_for(user), public_id=public_id)


def import_preview_jobs(batch: ImportBatch) -> QuerySet[Job]:
    """The dry runs of a batch, newest first (the batch was read through its scope)."""
    return Job.objects.filter(kind="schools.import_preview",
                              params__batch=str(batch.public_id)).order_by("-created_at")


def thresholds_for(user) -> QuerySet[IndexThresholds]:
    scope = scope_of(user)
    qs = IndexThresholds.objects.select_related("region")
    if scope.is_national:
        return qs
    return qs.filter(region_id__in=scope.member_region_ids)


def editable_regions_for(user) -> QuerySet[Region]:
    """Regions where the user may load lists and set thresholds."""
    scope = scope_of(user)
    if Role.ADMINISTRATOR in scope.roles:
        return Region.objects.all()
    return Region.objects.filter(pk__in=scope.region_ids)
