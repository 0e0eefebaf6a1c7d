"""Sections of the contest on pages assembled by core: the school page and the home page."""

from core.registry import AgendaItem

from . import rules
from .selectors import applications_for, editions_for, own_assignments, practices_for


def school_contests(user, school) -> dict | None:
    if not rules.may_view_applications(user, school):
        return None
    applications = (applications_for(user).filter(school=school)
                    .order_by("-edition__year", "nomination__number"))
    open_edition = (editions_for(user).filter(region_id=school.region_id,
                                              stage="applications").order_by("-year").first())
    return {"applications": list(applications), "open_edition": open_edition,
            "can_apply": open_edition is not None and rules.may_apply(user, school)}


#: Applications named one by one in «Что сделать сейчас».
AGENDA_REVIEWS = 6


def home_jury(user) -> dict:
    assignments = own_assignments(user).order_by("-application__edition__year",
                                                 "application__nomination__number")
    rows = list(assignments[:30])
    waiting = [a for a in rows if not (getattr(a, "review", None) and a.review.is_submitted)]
    return {"assignments": rows, "waiting": len(waiting), "total": assignments.count()}


def course_practices(user, course) -> dict | None:
    """Best practices of the contest included in the course's programme."""
    practices = list(practices_for(user).filter(courses=course).order_by("-edition__year",
                                                                         "title"))
    return {"practices": practices} if practices else None


def agenda_jury(user) -> list[AgendaItem]:
    """A juror's applications still to score (not sent), the earliest assigned first."""
    waiting = [a for a in own_assignments(user).select_related("application")
               .order_by("assigned_at", "pk")[:AGENDA_REVIEWS + 1]
               if not (getattr(a, "review", None) and a.review.is_submitted)]
    return [AgendaItem(f"Оценить заявку: {a.application.title}", a.get_absolute_url(),
                       "черновик оценки сохранён" if getattr(a, "review", None)
                       else "оценка ещё не начата", since=a.assigned_at)
            for a in waiting[:AGENDA_REVIEWS]]
