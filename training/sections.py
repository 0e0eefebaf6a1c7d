"""Sections of training on pages assembled by core or by another app: the school page, the
home page and a methodist's page (its routes as tutor)."""

from django.db.models import QuerySet

from . import rules
from .models import Route
from .selectors import coverage, coverage_years, enrolments_for, routes_for, staff_for

#: Enrolments listed on the school page (the newest runs first); the rest are counted.
SHOWN = 20


def school_training(user, school) -> dict:
    """Staff of the school and their training. Names only for those who may read the
    school's staff records; everyone else (a municipal coordinator) sees counts."""
    years = coverage_years(school.region)
    data = coverage(school.region, years[0], school=school) if years else None
    row = data.by_school[0] if data and data.by_school else None
    context = {"year": years[0] if years else None, "row": row,
               "period": data.period if data else "",
               "sees_people": rules.may_view_staff(user, school)}
    if context["sees_people"]:
        context["staff"] = staff_for(user).filter(school=school).prefetch_related(
            "subjects").order_by("-is_active", "full_name")
        enrolments = enrolments_for(user).filter(school=school)
        context["enrolment_total"] = enrolments.count()
        context["enrolments"] = enrolments.order_by("-run__starts_on",
                                                    "staff__full_name")[:SHOWN]
        context["routes"] = routes_for(user).filter(school=school).order_by(
            "-year", "staff__full_name")
        context["can_add"] = rules.may_manage_staff(user, school)
    return context


def home_tutor(user) -> dict:
    """A methodist's routes as tutor."""
    routes = routes_for(user).filter(tutor__user=user).order_by("status", "-year")
    return {"routes": list(routes[:20]), "total": routes.count()}


def _open_routes(methodist) -> QuerySet[Route]:
    return Route.objects.filter(tutor=methodist, status=Route.Status.ACTIVE)


def tutor_open_routes(methodist) -> int:
    """Open routes the methodist tutors, all of them whoever asks: the pool does not take a
    tutor off while any is open (registered as a tutor hold)."""
    return _open_routes(methodist).count()


def methodist_routes(user, methodist) -> dict:
    """The «Сопровождает ИОМ» row of a methodist's page: the count of its open routes and,
    for those who may read routes, a link to their list."""
    return {"methodist": methodist,
            "open_routes": tutor_open_routes(methodist) if methodist.is_tutor else 0,
            "can_see_routes": rules.may_view_routes(user)}
