"""Who may do what in the methodical pool (РМА): the role grants of the app
(:func:`register`), the named predicates views and services ask (read the pool, add to it,
change a record) and :func:`methodist_actions`, what a user may do to one record now."""

from __future__ import annotations

from core.permissions import ensure, has_perm  # noqa: F401  (views: rules.ensure(...))
from core.roles import Role, grant

VIEW = "methodists.view_methodist"
ADD = "methodists.add_methodist"
CHANGE = "methodists.change_methodist"


def register() -> None:
    """The role grants of the pool (called from ``MethodistsConfig.ready``)."""
    grant(Role.REGIONAL_STAFF, VIEW, ADD, CHANGE)
    grant(Role.MUNICIPAL_COORDINATOR, VIEW)
    grant(Role.CURATOR, VIEW)
    grant(Role.METHODIST, VIEW)


def may_view_pool(user, obj=None) -> bool:
    """Read the pool (its lists and tables) or, with ``obj``, one record of it."""
    return has_perm(user, VIEW, obj)


def may_add_methodist(user, obj=None) -> bool:
    """Add to a region's pool, one by one or from Excel (``obj``: an unsaved
    ``Methodist(region=...)``)."""
    return has_perm(user, ADD, obj)


def may_change_methodist(user, methodist) -> bool:
    return has_perm(user, CHANGE, methodist)


def methodist_actions(user, methodist) -> frozenset[str]:
    """``change`` (the record, its status among them) for those who keep the pool."""
    return frozenset({"change"}) if may_change_methodist(user, methodist) else frozenset()
