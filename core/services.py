"""Writes of ``core``: users and role memberships. One transaction, one audit entry each;
permissions are checked here as well as in views."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import audit
from .exceptions import DomainError
from .models import AuditEntry, Municipality, Region, RoleMembership, User
from .permissions import object_grant, object_revoke, require
from .roles import Role
from .scope import forget_scope
from .text import clean_spaces


class MembershipError(DomainError):
    pass


def _validation_message(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@transaction.atomic
def user_create(*, actor: User | None, username: str, password: str | None, last_name: str,
                first_name: str, middle_name: str = "", email: str = "", position: str = "",
                organisation: str = "", validate: bool = True) -> User:
    """Create a portal user. ``actor=None`` is the system (demo loader, commands).

    Raises ``DomainError`` on a taken login/e-mail or a weak password.
    """
    if actor is not None:
        require(actor, "core.add_user")
    user = User(
        username=clean_spaces(username).lower(), last_name=clean_spaces(last_name),
        first_name=clean_spaces(first_name), middle_name=clean_spaces(middle_name),
        email=clean_spaces(email).lower(), position=clean_spaces(position),
        organisation=clean_spaces(organisation),
    )
    try:
        if password and validate:
            validate_password(password, user)
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        raise DomainError(_validation_message(exc))
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    audit.record(actor, "core.user.created", user, {"username": user.username})
    return user


def membership_build(*, actor: User | None, user: User, role: str,
                     region: Region | None = None, municipality: Municipality | None = None,
                     school=None) -> RoleMembership:
    """Validate a new role without saving it (also used by the admin form to re-show errors).

    The region is derived from the municipality or school. The actor needs
    ``core.add_rolemembership`` covering that place (an administrator for national roles).
    Raises ``MembershipError`` for an inconsistent place or a duplicate active role, and
    ``PermissionDenied`` for an actor without the right.
    """
    if role not in Role.values:
        raise MembershipError("Неизвестная роль.")
    if school is not None:
        region = school.region
    elif municipality is not None:
        region = municipality.region
    membership = RoleMembership(user=user, role=role, region=region, municipality=municipality,
                                school=school, created_by=actor)
    if actor is not None:
        require(actor, "core.add_rolemembership", membership)
    try:
        membership.full_clean(exclude=["created_by"], validate_constraints=False)
    except ValidationError as exc:
        raise MembershipError(_validation_message(exc))
    duplicate = RoleMembership.objects.filter(
        user=user, role=role, region=region, municipality=municipality, school=school,
        ended_at__isnull=True,
    ).exists()
    if duplicate:
        raise MembershipError("У пользователя уже есть такая действующая роль.")
    return membership


@transaction.atomic
def membership_create(*, actor: User | None, user: User, role: str, region: Region | None = None,
                      municipality: Municipality | None = None, school=None) -> RoleMembership:
    """Give ``user`` a role at a place, and the guardian object right that goes with it.

    Validation as :func:`membership_build`; one audit entry.
    """
    membership = membership_build(actor=actor, user=user, role=role, region=region,
                                  municipality=municipality, school=school)
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError:  # a concurrent request won the race; the constraint caught it
        raise MembershipError("У пользователя уже есть такая действующая роль.")
    if role == Role.ADMINISTRATOR and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    if membership.school is not None:
        object_grant(user, settings.PORTAL_SCHOOL_COORDINATOR_PERM, membership.school)
    forget_scope(user)
    audit.record(actor, "core.membership.created", membership,
                 {"user": user.username, "role": role})
    return membership


@transaction.atomic
def membership_end(*, actor: User | None, membership: RoleMembership, now=None) -> RoleMembership:
    """End an active role; revokes the object right it granted. Ending twice is refused."""
    membership = RoleMembership.objects.select_for_update().get(pk=membership.pk)
    if actor is not None:
        require(actor, "core.add_rolemembership", membership)
    if membership.ended_at is not None:
        raise MembershipError("Эта роль уже завершена.")
    membership.ended_at = now or timezone.now()
    membership.save(update_fields=["ended_at"])
    user = membership.user
    if membership.role == Role.ADMINISTRATOR:
        still_admin = user.memberships.filter(role=Role.ADMINISTRATOR,
                                              ended_at__isnull=True).exists()
        if not still_admin and not user.is_superuser:
            user.is_staff = False
            user.save(update_fields=["is_staff"])
    if membership.school_id is not None and not RoleMembership.objects.filter(
        user=user, school_id=membership.school_id, ended_at__isnull=True
    ).exists():
        object_revoke(user, settings.PORTAL_SCHOOL_COORDINATOR_PERM, membership.school)
    forget_scope(user)
    audit.record(actor, "core.membership.ended", membership,
                 {"user": user.username, "role": membership.role})
    return membership


@transaction.atomic
def region_create(*, actor: User | None, code: int, name: str) -> Region:
    if actor is not None:
        require(actor, "core.add_region")
    region = Region(code=code, name=clean_spaces(name))
    try:
        region.full_clean()
    except ValidationError as exc:
        raise DomainError(_validation_message(exc))
    region.save()
    audit.record(actor, "core.region.created", region, {"code": code})
    return region


@transaction.atomic
def municipality_create(*, actor: User | None, region: Region, name: str) -> Municipality:
    municipality = Municipality(region=region, name=name)
    if actor is not None:
        require(actor, "core.add_municipality", municipality)
    try:
        municipality.full_clean()
    except ValidationError as exc:
        raise DomainError(_validation_message(exc))
    municipality.save()
    audit.record(actor, "core.municipality.created", municipality, {"name": municipality.name})
    return municipality


@transaction.atomic
def password_check_blocked(user: User, *, now=None) -> bool:
    """Whether ``user`` typed a wrong current password on the password-change form
    ``AXES_FAILURE_LIMIT`` times within the lockout's cool-off: then the check is not made
    at all until it passes (a stolen session cannot guess the password; issue 22)."""
    now = now or timezone.now()
    since = now - timedelta(hours=settings.AXES_COOLOFF_TIME)
    failures = AuditEntry.objects.filter(actor=user, action="core.password.check_failed",
                                         created_at__gte=since).count()
    return failures >= settings.AXES_FAILURE_LIMIT


@transaction.atomic
def password_check_failed(*, user: User) -> bool:
    """Audit a wrong current password; returns whether the check is blocked now."""
    audit.record(user, "core.password.check_failed", user, {})
    blocked = password_check_blocked(user)
    if blocked:
        audit.record(user, "core.password.check_locked", user, {})
    return blocked


def user_password_change(*, actor: User, user: User, new_password: str) -> User:
    """Set a new password (already validated by the form); users change only their own."""
    if actor.pk != user.pk:
        require(actor, "core.change_user", None)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    audit.record(actor, "core.password.changed", user, {})
    return user


@transaction.atomic
def municipalities_bulk_create(*, actor: User | None, region: Region, names: list[str]
                               ) -> list[Municipality]:
    """Add a region's directory of municipalities at once (missing names only).

    Names that spell an existing municipality differently are not added twice. One audit
    entry for the whole directory.
    """
    from .text import municipality_key

    if actor is not None:
        require(actor, "core.add_municipality", Municipality(region=region))
    existing = set(Municipality.objects.filter(region=region).values_list("name_key", flat=True))
    new = []
    for name in names:
        name = clean_spaces(name)
        key = municipality_key(name)
        if name and key not in existing:
            existing.add(key)
            new.append(Municipality(region=region, name=name, name_key=key))
    Municipality.objects.bulk_create(new, batch_size=2000)
    if new:
        audit.record(actor, "core.municipality.bulk_created", region,
                     {"count": len(new)}, region=region)
    return new
