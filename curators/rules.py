"""The rules of the curators app, in one place.

* :func:`register` — the role grants (called from ``AppConfig.ready``): who manages
  assignments, who keeps and reads the work log, who fills and reads expertise sheets, and
  that a curator's rights on a school follow the years it is assigned the school.
* ``may_*`` predicates — the permission questions views, services and sections ask
  (wrapping :func:`core.permissions.has_perm`), and the object rules (a curator declares
  and withdraws its own work places, removes only its own log entries).
* The state machines and what a user may do to an object now: an expertise sheet goes
  draft → published (:func:`sheet_actions`); an assignment, a declared work place and a log
  entry are open until ended or removed (:func:`assignment_actions`,
  :func:`affiliation_actions`, :func:`log_entry_actions`).
"""

from __future__ import annotations

from core.permissions import (
    ensure,  # noqa: F401  (views: rules.ensure(rules.may_…))
    has_perm,
)
from core.roles import Role
from core.scope import scope_of

from .models import Affiliation, ExpertiseSheet, WorkLogEntry

VIEW_PERM = "curators.view_curatorassignment"
MANAGE_PERM = "curators.add_curatorassignment"
LOG_VIEW_PERM = "curators.view_worklogentry"
LOG_PERM = "curators.add_worklogentry"
SHEET_VIEW_PERM = "curators.view_expertisesheet"
SHEET_PERM = "curators.add_expertisesheet"
SCHEME_PERM = "curators.add_expertisescheme"
QUEUE_PERM = "roadmaps.view_document"
#: Who keeps or watches the review queue (a school only sends to it).
QUEUE_ROLES = frozenset({Role.CURATOR, Role.REGIONAL_STAFF, Role.MUNICIPAL_COORDINATOR,
                         Role.ADMINISTRATOR, Role.FEDERAL_OBSERVER})


def register() -> None:
    """The app's role grants (``core.roles.grant``), declared once at start-up."""
    from core.permissions import per_assignment_year
    from core.roles import grant
    from core.scope import register_school_years

    from .selectors import assigned_years

    grant(Role.REGIONAL_STAFF, VIEW_PERM, MANAGE_PERM, LOG_VIEW_PERM, SHEET_VIEW_PERM,
          SHEET_PERM)
    grant(Role.MUNICIPAL_COORDINATOR, VIEW_PERM, LOG_VIEW_PERM, SHEET_VIEW_PERM)
    grant(Role.CURATOR, VIEW_PERM, LOG_VIEW_PERM, LOG_PERM, SHEET_VIEW_PERM, SHEET_PERM)
    grant(Role.SCHOOL_COORDINATOR, SHEET_VIEW_PERM)
    # A curator's decisions on a school hold for the years it is assigned the school.
    register_school_years(Role.CURATOR, assigned_years)
    per_assignment_year(Role.CURATOR, SHEET_PERM)


# -- assignments, orders and declared work places -------------------------------------------------
def may_view_assignments(user) -> bool:
    return has_perm(user, VIEW_PERM)


def may_manage_assignments(user, obj=None) -> bool:
    """Assign and end curators, add orders, import the curator list (regional staff);
    ``obj``: the assignment, order, school or work place concerned."""
    return has_perm(user, MANAGE_PERM, obj)


def may_declare_affiliation(user, curator, affiliation: Affiliation | None = None) -> bool:
    """A curator declares its own work places; regional staff may for any curator of the
    region (``affiliation``: the unsaved row, so its region is checked)."""
    return ((user is not None and user.pk == curator.pk)
            or has_perm(user, MANAGE_PERM, affiliation))


def may_end_affiliation(user, affiliation: Affiliation) -> bool:
    """A curator withdraws what it declared itself; what regional staff declared stays
    theirs."""
    return (user.pk == affiliation.user_id == affiliation.created_by_id
            or has_perm(user, MANAGE_PERM, affiliation))


# -- the work log ---------------------------------------------------------------------------------
def may_view_log(user) -> bool:
    """Read work logs and curators' reports (whose: ``selectors.work_log_for``)."""
    return has_perm(user, LOG_VIEW_PERM)


def may_add_log_entry(user, entry: WorkLogEntry | None = None) -> bool:
    """The right to write the log (``entry``: the unsaved row, so its region is checked)."""
    return has_perm(user, LOG_PERM, entry)


def keeps_log(user) -> bool:
    """The user writes its own work log: a curator with the right to."""
    return may_add_log_entry(user) and Role.CURATOR in scope_of(user).roles


def may_remove_log_entry(user, entry: WorkLogEntry) -> bool:
    """Only the curator who made an entry removes it."""
    return entry.curator_id == user.pk


def log_entry_actions(user, entry: WorkLogEntry) -> frozenset[str]:
    """``remove`` while the entry is in the log, for the curator who made it."""
    if entry.removed_at is None and may_remove_log_entry(user, entry):
        return frozenset({"remove"})
    return frozenset()


# -- expertise sheets -----------------------------------------------------------------------------
def may_view_sheets(user) -> bool:
    return has_perm(user, SHEET_VIEW_PERM)


def may_fill_sheet(user, school, year: int) -> bool:
    """Score ``school``'s documents of ``year``: its curator for that year, regional
    experts — whatever the sheet's state."""
    return has_perm(user, SHEET_PERM, school, year=year)


def may_load_scheme(user) -> bool:
    """Create a year's expertise scheme from the defaults."""
    return user.is_superuser or has_perm(user, SCHEME_PERM)


def sheet_actions(user, sheet: ExpertiseSheet) -> frozenset[str]:
    """What ``user`` may do to ``sheet`` now (an unsaved sheet is a draft not yet saved):
    ``save`` the draft and ``publish`` it while it is a draft; a published sheet is locked."""
    if sheet.is_draft and may_fill_sheet(user, sheet.school, sheet.year):
        return frozenset({"save", "publish"})
    return frozenset()


# -- the review queue -----------------------------------------------------------------------------
def may_view_queue(user) -> bool:
    """The right to read documents under review (the queue lists them)."""
    return has_perm(user, QUEUE_PERM)


def keeps_queue(user) -> bool:
    """The user keeps or watches the review queue (a school only sends to it)."""
    return bool(scope_of(user).roles & QUEUE_ROLES)
