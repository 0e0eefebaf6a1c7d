"""Scoped reads of ``core``. Every list starts from the user's scope (``core.scope``)."""

from __future__ import annotations

from uuid import UUID

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from .models import AuditEntry, Job, Municipality, Notification, Region, RoleMembership
from .roles import Role
from .scope import scope_of


def regions_for(user) -> QuerySet[Region]:
    """Regions a user belongs to; every region for administrators and federal observers
    (a region's name and counts are aggregates, not records)."""
    scope = scope_of(user)
    qs = Region.objects.all()
    if scope.sees_all_aggregates:
        return qs
    return qs.filter(pk__in=scope.member_region_ids)


def municipalities_for(user) -> QuerySet[Municipality]:
    scope = scope_of(user)
    qs = Municipality.objects.select_related("region")
    q = scope.filter(region="region", municipality="pk", school=None)
    return qs if q is None else qs.filter(q)


def audit_entries_for(user) -> QuerySet[AuditEntry]:
    """The audit trail a user may read: administrators all of it, regional staff their
    region's, municipal coordinators their municipality's; nobody else anything."""
    scope = scope_of(user)
    qs = AuditEntry.objects.select_related("actor", "target_type", "region")
    if Role.ADMINISTRATOR in scope.roles:
        return qs
    q = Q(pk__in=[])
    if scope.region_ids:
        q |= Q(region_id__in=scope.region_ids)
    if scope.municipality_ids:
        q |= Q(municipality_id__in=scope.municipality_ids)
    return qs.filter(q)


def memberships_for(user) -> QuerySet[RoleMembership]:
    """Memberships a user may see: their own, and those inside their scope for staff."""
    scope = scope_of(user)
    qs = RoleMembership.objects.select_related("user", "region", "municipality", "school")
    if Role.ADMINISTRATOR in scope.roles:
        return qs
    q = Q(user=user)
    if scope.region_ids:
        q |= Q(region_id__in=scope.region_ids)
    return qs.filter(q)


def jobs_for(user) -> QuerySet[Job]:
    """Jobs are personal: one sees the jobs one started (administrators see all)."""
    scope = scope_of(user)
    qs = Job.objects.select_related("created_by", "region")
    if Role.ADMINISTRATOR in scope.roles:
        return qs
    if not user.is_authenticated:
        return qs.none()
    return qs.filter(created_by=user)


def my_jobs(user) -> QuerySet[Job]:
    """«Мои отчёты»: the jobs the user started, newest first (administrators too)."""
    return jobs_for(user).filter(created_by_id=user.pk).order_by("-created_at")


def job_get(user, public_id: UUID) -> Job:
    return get_object_or_404(jobs_for(user), public_id=public_id)


def notifications_for(user) -> QuerySet[Notification]:
    """The user's own notifications, newest first (nobody sees anyone else's)."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def notification_get(user, public_id: UUID) -> Notification:
    return get_object_or_404(notifications_for(user), public_id=public_id)


def unread_count(user) -> int:
    return notifications_for(user).filter(read_at__isnull=True).count()


def history_of(obj) -> QuerySet[AuditEntry]:
    """The audit trail of one object, newest first. The caller fetched ``obj`` through its
    scoped selector, so the trail is in scope too."""
    from django.contrib.contenttypes.models import ContentType

    return (AuditEntry.objects.filter(target_type=ContentType.objects.get_for_model(obj),
                                      target_id=str(getattr(obj, "public_id", None) or obj.pk))
            .select_related("actor").order_by("-created_at", "-pk"))


def staff_region(user) -> Region:
    """The one region a regional staff member manages (pages that create region-owned
    records); anyone else is refused."""
    from django.core.exceptions import PermissionDenied

    from .scope import scope_of

    regions = sorted(scope_of(user).region_ids)
    if len(regions) != 1:
        raise PermissionDenied("Эта страница открывается региональному координатору.")
    return regions_for(user).get(pk=regions[0])


def region_pick(user, code, *, required: bool = False
                ) -> tuple[Region | None, QuerySet[Region]]:
    """The region a page is about: ``code`` (from the query string) among the user's
    regions, else the first of them; a code outside them is a 404, never a silent switch.
    ``required``: a page that only exists for a region answers 404 to a user with none."""
    from django.http import Http404

    regions = regions_for(user).order_by("code")
    if code in (None, ""):
        region = regions.first()
        if region is None and required:
            raise Http404("Нет региона.")
        return region, regions
    try:
        return regions.get(code=int(code)), regions
    except (ValueError, Region.DoesNotExist):
        raise Http404("Регион не найден.")
