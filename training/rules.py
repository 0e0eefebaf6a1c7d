"""Who may do what in training: the role grants of the app (:func:`register`), the named
predicates views and services ask (courses and their runs, staff records, coverage,
individual routes and who works on one), and for each state machine the actions a user
may take on an object now — an enrolment (:func:`enrolment_actions`) and an individual
route, ИОМ (:func:`route_actions`)."""

from __future__ import annotations

from core.permissions import ensure, has_perm  # noqa: F401  (views: rules.ensure(...))
from core.roles import Role, grant

VIEW_COURSE = "training.view_course"
#: Courses, their runs and enrolments are managed by one right (regional staff).
MANAGE_COURSE = "training.add_course"
VIEW_STAFF = "training.view_staffmember"
MANAGE_STAFF = "training.add_staffmember"
VIEW_ENROLMENT = "training.view_enrolment"
VIEW_ROUTE = "training.view_route"
ADD_ROUTE = "training.add_route"
#: Choosing a route's tutor (regional staff: the tutors are the region's methodists).
SET_TUTOR = "training.change_route"


def register() -> None:
    """The role grants of training (called from ``TrainingConfig.ready``)."""
    everyone = (Role.REGIONAL_STAFF, Role.MUNICIPAL_COORDINATOR, Role.CURATOR,
                Role.SCHOOL_COORDINATOR, Role.METHODIST)
    for role in everyone:
        grant(role, VIEW_COURSE)
    # personal data: regional staff, the school's curator and coordinator
    for role in (Role.REGIONAL_STAFF, Role.CURATOR, Role.SCHOOL_COORDINATOR):
        grant(role, VIEW_STAFF, VIEW_ROUTE, ADD_ROUTE)
    grant(Role.METHODIST, VIEW_ROUTE)  # the routes it tutors
    grant(Role.REGIONAL_STAFF, MANAGE_COURSE, MANAGE_STAFF, SET_TUTOR, VIEW_ENROLMENT)
    grant(Role.SCHOOL_COORDINATOR, MANAGE_STAFF)
    grant(Role.MUNICIPAL_COORDINATOR, VIEW_ENROLMENT)
    grant(Role.CURATOR, VIEW_ENROLMENT)


# -- courses, runs, enrolments ------------------------------------------------------------------
def may_view_courses(user) -> bool:
    """The catalogue is the region's: any member who reads courses reads each of them."""
    return has_perm(user, VIEW_COURSE)


def may_manage_course(user, obj=None) -> bool:
    """Create or change a course, its runs and their enrolments (``obj``: a course, a run,
    or an unsaved ``Course(region=...)`` for a new one)."""
    return has_perm(user, MANAGE_COURSE, obj)


def may_view_coverage(user) -> bool:
    return has_perm(user, VIEW_ENROLMENT)


def enrolment_actions(user, enrolment) -> frozenset[str]:
    """``edit`` (the record of one student) and, while the student is still studying,
    ``complete`` (marked among those who finished the run)."""
    if not may_manage_course(user, enrolment.run):
        return frozenset()
    return frozenset({"edit", "complete"} if enrolment.is_enrolled else {"edit"})


# -- staff records ------------------------------------------------------------------------------
def may_view_staff(user, obj=None) -> bool:
    """Names of a school's staff (and of the students of a run): personal data."""
    return has_perm(user, VIEW_STAFF, obj)


def may_manage_staff(user, obj=None) -> bool:
    return has_perm(user, MANAGE_STAFF, obj)


# -- individual routes --------------------------------------------------------------------------
def may_view_routes(user) -> bool:
    return has_perm(user, VIEW_ROUTE)


def may_add_route(user, obj=None) -> bool:
    """Draw up a route (``obj``: the staff member or the unsaved route)."""
    return has_perm(user, ADD_ROUTE, obj)


def may_set_tutor(user, obj=None) -> bool:
    return has_perm(user, SET_TUTOR, obj)


def may_work_on_route(user, route) -> bool:
    """The school's side (coordinator, curator, regional staff) or the route's tutor."""
    if has_perm(user, ADD_ROUTE, route):
        return True
    return bool(route.tutor_id and route.tutor.user_id == getattr(user, "pk", None)
                and route.tutor.is_active)


#: What one who works on a route does while the route is open.
OPEN_ROUTE_ACTIONS = frozenset({"finish", "add_deficit", "close_deficit", "add_step",
                                "mark_step"})


def route_actions(user, route) -> frozenset[str]:
    """``note`` (any time), the :data:`OPEN_ROUTE_ACTIONS` while the route is active, for
    those who work on it; ``set_tutor`` for those who choose tutors."""
    actions = set()
    if may_work_on_route(user, route):
        actions.add("note")
        if route.is_active:
            actions |= OPEN_ROUTE_ACTIONS
    if may_set_tutor(user, route):
        actions.add("set_tutor")
    return frozenset(actions)
