"""The rules of risk profiles, in one place.

* :func:`register` — the role grants of the app (called from ``AppConfig.ready``): who reads
  the catalogue, who fills, sends and verifies profiles, who sees the region's distribution
  and the curators' matrix.
* ``may_*`` predicates — the permission questions views, services, selectors and sections
  ask (wrapping :func:`core.permissions.has_perm`).
* The profile's state machine: draft → submitted → verified | returned (→ submitted …),
  unlocked back to returned (:data:`TRANSITIONS`), and :func:`profile_actions` — what a user
  may do to a profile now (its right *and* the profile's state).
"""

from __future__ import annotations

from dataclasses import dataclass

from core.permissions import (
    ensure,  # noqa: F401  (views: rules.ensure(rules.may_…))
    has_perm,
)

from .models import RiskProfile

VIEW_FACTOR = "risk_profiles.view_riskfactor"
ADD_FACTOR = "risk_profiles.add_riskfactor"
CHANGE_FACTOR = "risk_profiles.change_riskfactor"
DELETE_FACTOR = "risk_profiles.delete_riskfactor"
VIEW_PROFILE = "risk_profiles.view_riskprofile"
ADD_PROFILE = "risk_profiles.add_riskprofile"
CHANGE_PROFILE = "risk_profiles.change_riskprofile"
SUBMIT_PROFILE = "risk_profiles.submit_riskprofile"
VERIFY_PROFILE = "risk_profiles.verify_riskprofile"
VIEW_DISTRIBUTION = "risk_profiles.view_distribution"
VIEW_MATRIX = "risk_profiles.view_matrix"
IMPORT = "schools.add_importbatch"


def register() -> None:
    """The app's role grants (``core.roles.grant``), declared once at start-up."""
    from core.permissions import per_assignment_year
    from core.roles import Role, grant

    for role in (Role.REGIONAL_STAFF, Role.MUNICIPAL_COORDINATOR, Role.CURATOR,
                 Role.SCHOOL_COORDINATOR, Role.METHODIST, Role.FEDERAL_OBSERVER):
        grant(role, VIEW_FACTOR)
    for role in (Role.REGIONAL_STAFF, Role.MUNICIPAL_COORDINATOR, Role.CURATOR,
                 Role.SCHOOL_COORDINATOR):
        grant(role, VIEW_PROFILE)
    for role in (Role.REGIONAL_STAFF, Role.CURATOR, Role.SCHOOL_COORDINATOR):
        grant(role, ADD_PROFILE, CHANGE_PROFILE)
    grant(Role.SCHOOL_COORDINATOR, SUBMIT_PROFILE)
    grant(Role.REGIONAL_STAFF, SUBMIT_PROFILE)
    # only the curator assigned to the school (a guardian grant) reaches its profiles
    grant(Role.CURATOR, VERIFY_PROFILE)
    # ... for the programme years in which the curator is assigned the school
    per_assignment_year(Role.CURATOR, VERIFY_PROFILE)
    for role in (Role.REGIONAL_STAFF, Role.MUNICIPAL_COORDINATOR, Role.CURATOR,
                 Role.FEDERAL_OBSERVER):
        grant(role, VIEW_DISTRIBUTION)
    grant(Role.REGIONAL_STAFF, VIEW_MATRIX)
    grant(Role.CURATOR, VIEW_MATRIX)


# -- the catalogue --------------------------------------------------------------------------------
def may_view_factors(user) -> bool:
    return has_perm(user, VIEW_FACTOR)


def may_add_factor(user) -> bool:
    """Add factors to a year's catalogue, copy or load a catalogue (administrators)."""
    return has_perm(user, ADD_FACTOR)


def may_change_factor(user) -> bool:
    return has_perm(user, CHANGE_FACTOR)


def may_delete_factor(user) -> bool:
    return has_perm(user, DELETE_FACTOR)


# -- profiles -------------------------------------------------------------------------------------
def may_view_profiles(user) -> bool:
    return has_perm(user, VIEW_PROFILE)


def may_create_profile(user, profile: RiskProfile | None = None) -> bool:
    """Open a profile (``profile``: the unsaved row, so its school's place is checked)."""
    return has_perm(user, ADD_PROFILE, profile)


def may_change_profile(user, profile: RiskProfile | None = None) -> bool:
    """The right to edit the profile's factors, whatever its state."""
    return has_perm(user, CHANGE_PROFILE, profile)


def may_submit_profile(user, profile: RiskProfile) -> bool:
    """The school's side (or regional staff for it): the right to send, whatever the state."""
    return has_perm(user, SUBMIT_PROFILE, profile)


def may_verify_profile(user, profile: RiskProfile) -> bool:
    """The curator assigned to the school for the profile's year (an administrator may stand
    in): verify, return or unlock, whatever the state."""
    return has_perm(user, VERIFY_PROFILE, profile)


def may_import_profiles(user) -> bool:
    """Load ФИОКО's profile table (the import pages of ``schools``)."""
    return has_perm(user, IMPORT)


def may_view_distribution(user) -> bool:
    return has_perm(user, VIEW_DISTRIBUTION)


def may_view_matrix(user) -> bool:
    return has_perm(user, VIEW_MATRIX)


# -- the profile's state machine ------------------------------------------------------------------
@dataclass(frozen=True)
class Transition:
    sources: tuple[str, ...]
    target: str
    permission: str
    audit_code: str
    comment_required: str = ""


S = RiskProfile.Status
TRANSITIONS = {
    "submit": Transition((S.DRAFT, S.RETURNED), S.SUBMITTED, SUBMIT_PROFILE,
                         "risk_profiles.profile.submitted"),
    "verify": Transition((S.SUBMITTED,), S.VERIFIED, VERIFY_PROFILE,
                         "risk_profiles.profile.verified"),
    "return": Transition((S.SUBMITTED,), S.RETURNED, VERIFY_PROFILE,
                         "risk_profiles.profile.returned",
                         "Напишите, что нужно исправить: комментарий увидит школа."),
    "unlock": Transition((S.VERIFIED,), S.RETURNED, VERIFY_PROFILE,
                         "risk_profiles.profile.unlocked",
                         "Укажите причину разблокировки: она попадёт в журнал и её увидит "
                         "школа."),
}


def may_transition(user, profile: RiskProfile, action: str) -> bool:
    """The user's right to take ``action`` (a key of :data:`TRANSITIONS`) on ``profile``,
    whatever its state."""
    return has_perm(user, TRANSITIONS[action].permission, profile)


def state_allows(profile: RiskProfile, action: str) -> bool:
    """Whether ``profile``'s state lets ``action`` move it, whoever asks."""
    return profile.status in TRANSITIONS[action].sources


def profile_actions(user, profile: RiskProfile) -> frozenset[str]:
    """What ``user`` may do to ``profile`` now: ``edit`` (change its factors and save),
    ``submit``, ``verify``, ``return``, ``unlock``."""
    actions = set()
    if profile.is_editable and may_change_profile(user, profile):
        actions.add("edit")
    rights: dict[str, bool] = {}
    for action, rule in TRANSITIONS.items():
        if not state_allows(profile, action):
            continue
        if rule.permission not in rights:
            rights[rule.permission] = has_perm(user, rule.permission, profile)
        if rights[rule.permission]:
            actions.add(action)
    return frozenset(actions)
