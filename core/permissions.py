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


def has_perm(user, perm: str, obj=None) -> bool:
    """True when one of the user's roles grants ``perm`` and covers ``obj``'s place."""
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
    return bool(scope.roles_covering(path) & set(roles))


def require(user, perm: str, obj=None) -> None:
    if not has_perm(user, perm, obj):
        raise PermissionDenied("Недостаточно прав для этого действия.")


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
