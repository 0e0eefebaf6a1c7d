"""Who may do what with the management cycle's indicators: regional staff keep the region's
catalogue, targets and values; a municipal coordinator sets its municipality's targets
(stricter than the region's, never looser) and enters its values."""

from __future__ import annotations

from core.permissions import ensure, has_perm  # noqa: F401 (ensure: the views' refusal)
from core.roles import Role, grant

VIEW = "management.view_indicator"
ADD = "management.add_indicator"
SET_TARGET = "management.set_target"
ENTER_VALUE = "management.enter_value"
COMPUTE = "management.compute_value"


def register() -> None:
    for role in (Role.REGIONAL_STAFF, Role.MUNICIPAL_COORDINATOR):
        grant(role, VIEW, SET_TARGET, ENTER_VALUE)
    grant(Role.REGIONAL_STAFF, ADD, COMPUTE)


def may_view(user) -> bool:
    """Reads the indicators of its regions (``selectors.indicators_for``) — of what a
    territory it reads, ``selectors.visible_municipalities`` says."""
    return has_perm(user, VIEW)


def may_add_catalogue(user, region) -> bool:
    return has_perm(user, ADD, region)


def may_compute(user, region) -> bool:
    return has_perm(user, COMPUTE, region)


def may_set_target(user, place) -> bool:
    """``place``: the territory — the region (its regional target) or a municipality."""
    return has_perm(user, SET_TARGET, place)


def may_enter_value(user, indicator, place) -> bool:
    return not indicator.is_computed and has_perm(user, ENTER_VALUE, place)


def territory_actions(user, indicator, place) -> frozenset[str]:
    """What ``user`` may do about ``indicator`` in one territory (the region or a
    municipality): «target» (set the target), «enter» (enter the value, for an indicator the
    portal does not compute)."""
    actions = set()
    if may_set_target(user, place):
        actions.add("target")
    if may_enter_value(user, indicator, place):
        actions.add("enter")
    return frozenset(actions)
