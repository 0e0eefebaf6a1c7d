"""Who may do what in monitoring: the role grants, and the predicates the views, the
services and the report jobs ask. Dashboards and scores are aggregates: the national roles
(the administrator, a national federal observer) read them for every region wherever their
role grants the permission; everyone else at the places of their scope."""

from __future__ import annotations

from core.permissions import ensure, has_perm  # noqa: F401 (ensure: the views' refusal)
from core.roles import Role, grant
from core.scope import scope_of
from core.selectors import municipalities_for

VIEW_DASHBOARD = "monitoring.view_dashboard"
VIEW_REPORT = "monitoring.view_report"
VIEW_SCORE = "monitoring.view_engagementscore"
RECOMPUTE = "monitoring.recompute_engagementscore"
CONFIRM = "monitoring.confirm_engagementscore"
CHANGE_RULES = "monitoring.change_engagementrules"


def register() -> None:
    for role in (Role.REGIONAL_STAFF, Role.MUNICIPAL_COORDINATOR, Role.FEDERAL_OBSERVER):
        grant(role, VIEW_DASHBOARD, VIEW_REPORT, VIEW_SCORE)
    grant(Role.REGIONAL_STAFF, RECOMPUTE, CONFIRM)


def may(user, perm: str, place=None) -> bool:
    """``perm`` at ``place`` (a municipality, a region, a score; ``None``: anywhere)."""
    if place is None or scope_of(user).sees_all_aggregates:
        return has_perm(user, perm)
    return has_perm(user, perm, place)


def may_view_dashboard(user, place=None) -> bool:
    return may(user, VIEW_DASHBOARD, place)


def may_view_report(user, place=None) -> bool:
    return may(user, VIEW_REPORT, place)


def may_view_score(user, score) -> bool:
    """A region's score is read at the region's level or, by a municipal coordinator, from
    one of its municipalities there."""
    if may(user, VIEW_SCORE, score):
        return True
    return any(has_perm(user, VIEW_SCORE, m)
               for m in municipalities_for(user).filter(region_id=score.region_id)[:5])


def may_recompute(user, region) -> bool:
    return region is not None and has_perm(user, RECOMPUTE, region)


def may_confirm(user, score) -> bool:
    return has_perm(user, CONFIRM, score)


def may_change_rules(user, rules) -> bool:
    return has_perm(user, CHANGE_RULES, rules)


def may_read_history(user, obj) -> bool:
    return has_perm(user, "core.view_auditentry", obj)


def shows_people(user) -> bool:
    """Names of staff are personal data: never for a federal observer."""
    scope = scope_of(user)
    return not (Role.FEDERAL_OBSERVER in scope.roles and not scope.is_national)
