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
    for role in (Role.REGIONAL_STAFF, Role.MUNICIPAL_COORDINATOR):
        grant(role, ISSUE, DECIDE)
    grant(Role.REGIONAL_STAFF, REVIEW_EXIT)


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


# -- targeted recommendations -------------------------------------------------------------------
ISSUE = "management.issue_recommendation"


def may_issue(user, place) -> bool:
    """Addresses recommendations at ``place`` (a region, a municipality, a recommendation):
    regional staff in the region, a municipal coordinator in its municipality."""
    return has_perm(user, ISSUE, place)


def is_addressee(user, recommendation) -> bool:
    """The school's coordinators (its head's side) for a school or a curator school; the
    municipality's coordinators for a municipality."""
    from core.scope import scope_of

    scope = scope_of(user)
    if recommendation.school_id:
        return recommendation.school_id in scope.school_ids_by_role.get(
            Role.SCHOOL_COORDINATOR, frozenset())
    return recommendation.municipality_id in scope.municipality_ids


def recommendation_actions(user, recommendation) -> frozenset[str]:
    """«acknowledge» and then «report» for the addressee; «accept» or «return» of the
    report for who may issue recommendations there."""
    status = recommendation.Status
    actions = set()
    if is_addressee(user, recommendation):
        if recommendation.status == status.ISSUED:
            actions.add("acknowledge")
        if recommendation.status == status.ACKNOWLEDGED:
            actions.add("report")
    if recommendation.status == status.REPORTED and may_issue(user, recommendation):
        actions |= {"accept", "return"}
    if may_make_measure(user, recommendation):
        actions.add("measure")
    return frozenset(actions)


def may_issue_in_municipality(user) -> bool:
    """A municipal coordinator addresses its municipality's schools."""
    from core.scope import scope_of

    return bool(scope_of(user).municipality_ids) and has_perm(user, ISSUE)


def may_answer_any(user) -> bool:
    """Addressed by recommendations at all: a school's or a municipality's coordinator."""
    from core.scope import scope_of

    scope = scope_of(user)
    return bool(scope.school_ids_by_role.get(Role.SCHOOL_COORDINATOR) or scope.municipality_ids)


def may_read_recommendations(user) -> bool:
    """Recommendations are between their issuers (regional staff, municipal coordinators)
    and their addressees (school and municipal coordinators)."""
    return may_view(user) or may_answer_any(user)


# -- recommendations into measures --------------------------------------------------------------
def may_make_measure(user, recommendation) -> bool:
    """The school addressed turns an open recommendation into a measure of its roadmap
    (once); the roadmap's own rules decide the rest."""
    return (recommendation.addressee == recommendation.Addressee.SCHOOL
            and recommendation.is_open and recommendation.measure_id is None
            and is_addressee(user, recommendation))


# -- analysis, decisions, the cycle's report ----------------------------------------------------
DECIDE = "management.record_decision"
REVIEW_EXIT = "management.review_exit"


def may_conclude(user, indicator) -> bool:
    """The region's analysts (regional staff) write the conclusions on an indicator."""
    return has_perm(user, SET_TARGET, indicator.region)


def may_record_decision(user, place) -> bool:
    """Records decisions of ``place``'s level: regional staff for the region and any of its
    municipalities, a municipal coordinator for its municipality."""
    return has_perm(user, DECIDE, place)


def may_read_decisions(user) -> bool:
    return may_view(user)


def may_report(user, place) -> bool:
    """Forms and approves (with the working group's protocol) the cycle's yearly report of
    ``place`` (the region or a municipality)."""
    return has_perm(user, DECIDE, place)


def report_actions(user, report) -> frozenset[str]:
    if not report.is_approved and may_report(user, report):
        return frozenset({"approve"})
    return frozenset()


# -- the exit list ------------------------------------------------------------------------------
def may_review_exit(user, region) -> bool:
    """Regional staff build the list, approve it with a decision and export it."""
    return has_perm(user, REVIEW_EXIT, region)


def may_read_exit(user) -> bool:
    return may_view(user)


def exit_actions(user, proposal) -> frozenset[str]:
    if proposal.is_proposed and may_review_exit(user, proposal.region):
        return frozenset({"approve", "reject"})
    return frozenset()
