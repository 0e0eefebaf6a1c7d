"""Who may do what with network pairs: regional staff create and end the pairs of their
region, a municipal coordinator those of its municipality's schools (the mentor may be in
another municipality of the region); the joint activities are logged by either school's
coordinators, the municipal coordinator or regional staff; the curators and the
coordinators of the two schools read their pairs."""

from __future__ import annotations

from core.permissions import ensure, has_perm  # noqa: F401 (ensure: the views' refusal)
from core.roles import Role

VIEW = "mentoring.view_pair"
ADD = "mentoring.add_pair"
END = "mentoring.end_pair"
LOG = "mentoring.log_activity"


def register() -> None:
    from core.roles import grant

    for role in (Role.REGIONAL_STAFF, Role.MUNICIPAL_COORDINATOR):
        grant(role, VIEW, ADD, END, LOG)
    grant(Role.SCHOOL_COORDINATOR, VIEW, LOG)
    grant(Role.CURATOR, VIEW)


def _school_ids(user, role: str) -> frozenset[int]:
    from core.scope import scope_of

    return scope_of(user).school_ids_by_role.get(role, frozenset())


def is_party(user, pair, role: str = Role.SCHOOL_COORDINATOR) -> bool:
    """``user`` holds ``role`` (a school coordinator, a curator) at either school."""
    return bool({pair.school_id, pair.mentor_id} & _school_ids(user, role))


def may_view(user) -> bool:
    """Reads pairs at all (the list; which pairs: ``selectors.pairs_for``)."""
    return has_perm(user, VIEW)


def may_create_any(user) -> bool:
    """Forms pairs somewhere (the «new pair» page): regional staff, municipal coordinators."""
    return has_perm(user, ADD)


def may_create(user, school) -> bool:
    """Forms a pair for ``school`` (the programme school): regional staff of its region,
    the coordinator of its municipality."""
    return has_perm(user, ADD, school)


def may_read(user, pair) -> bool:
    """Opens the pair, its agreement and its log: who forms pairs there, and the curators
    and school coordinators of either school."""
    return (has_perm(user, VIEW, pair) or is_party(user, pair)
            or is_party(user, pair, Role.CURATOR))


def may_log(user, pair) -> bool:
    """Logs a joint activity: regional staff, the school's municipal coordinator, the
    coordinators of the school or of the mentor (whatever the pair's state)."""
    if has_perm(user, LOG, pair):
        return True
    return has_perm(user, LOG) and pair.mentor_id in _school_ids(user, Role.SCHOOL_COORDINATOR)


def pair_actions(user, pair, day) -> frozenset[str]:
    """What ``user`` may do with ``pair`` on ``day``: «log» (add a joint activity) and
    «end» (end it with a date and a reason), while the pair holds."""
    if not pair.is_current(day):
        return frozenset()
    actions = set()
    if may_log(user, pair):
        actions.add("log")
    if has_perm(user, END, pair):
        actions.add("end")
    return frozenset(actions)
