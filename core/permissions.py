"""Every permission question and every object grant in one module.

* ``require(user, perm, obj)`` — 403 unless the user's roles give ``perm`` on ``obj``.
  Call it *after* fetching ``obj`` through a scoped selector (which already 404s outside
  the scope), so 403 only ever means "inside your scope, but not allowed".
* ``object_grant`` / ``object_revoke`` — django-guardian object rights, used only by the
  audited services that create or end memberships and assignments. Views never import
  guardian.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from guardian.models import UserObjectPermission
from guardian.shortcuts import assign_perm, remove_perm

from .roles import Role, role_perms

#: (role, perm) pairs whose right on a school's object holds only for the programme years
#: in which the role's holder is assigned to that school (a curator reviews the 2023
#: documents of a school only under a 2023 assignment of it).
_PER_YEAR: set[tuple[str, str]] = set()


def per_assignment_year(role: str, *perms: str) -> None:
    """Declare (in ``AppConfig.ready``) that ``role``'s ``perms`` on a school's objects
    follow the year: the object's ``year`` (or the ``year=`` given to :func:`has_perm`)
    must be one of the years the role holds the school for (``Scope.years_of``)."""
    for perm in perms:
        _PER_YEAR.add((role, perm))


def has_perm(user, perm: str, obj=None, *, year: int | None = None) -> bool:
    """True when one of the user's roles grants ``perm`` and covers ``obj``'s place.

    For a per-year right (:func:`per_assignment_year`) on a school's object the year is
    ``year`` or ``obj.year``; without a year such a right is not given (fail closed)."""
    from .scope import scope_of

    if user is None or not user.is_authenticated or not user.is_active:
        return False
    scope = scope_of(user)
    if Role.ADMINISTRATOR in scope.roles:
        return True
    roles = [r for r in scope.roles if perm in role_perms(r)]
    if not roles:
        return False
    if obj is None:
        return True
    path = getattr(obj, "scope_path", None)
    if path is None:
        return False
    covering = scope.roles_covering(path) & set(roles)
    if path.school_id is not None:
        if year is None:
            year = getattr(obj, "year", None)
        covering = {role for role in covering
                    if (role, perm) not in _PER_YEAR
                    or (year is not None and year in scope.years_of(role, path.school_id))}
    return bool(covering)


REFUSED = "Недостаточно прав для этого действия."


def ensure(allowed: bool) -> None:
    """403 unless ``allowed`` — a view's answer to one of its app's ``rules`` predicates
    (``rules.ensure(rules.may_review(user, document))``)."""
    if not allowed:
        raise PermissionDenied(REFUSED)


def require(user, perm: str, obj=None, *, year: int | None = None) -> None:
    ensure(has_perm(user, perm, obj, year=year))


def object_grant(user, perm: str, obj) -> None:
    assign_perm(perm, user, obj)


def object_revoke(user, perm: str, obj) -> None:
    remove_perm(perm, user, obj)


def object_ids_with_perm(user, perm: str) -> frozenset[int]:
    """Primary keys of the objects on which ``user`` holds the guardian grant ``perm``.

    Reads guardian's table by app label and codename, so ``core`` needs no import of the
    model the grant is about.
    """
    app_label, codename = perm.split(".", 1)
    rows = UserObjectPermission.objects.filter(
        user=user, permission__codename=codename, permission__content_type__app_label=app_label
    ).values_list("object_pk", flat=True)
    return frozenset(int(pk) for pk in rows)


def users_granted(perm: str, obj):
    """Active users holding the guardian grant ``perm`` on ``obj`` (a school's curators or
    coordinators: grants are revoked when the assignment or membership ends)."""
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType

    app_label, codename = perm.split(".", 1)
    user_ids = UserObjectPermission.objects.filter(
        permission__codename=codename, permission__content_type__app_label=app_label,
        content_type=ContentType.objects.get_for_model(obj), object_pk=str(obj.pk),
    ).values("user_id")
    return get_user_model().objects.filter(pk__in=user_ids, is_active=True)
