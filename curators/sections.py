from __future__ import annotations

from datetime import timedelta

from django.urls import reverse

from core.registry import AgendaItem
from core.text import in_case, plural

from . import rules
from .selectors import (
    active_assignments_for,
    is_own_queue,
    profile_queue_for,
    queue_years,
    review_queue_for,
    review_stats_for,
    scheme_for_school,
    sheets_for,
)

HOME_QUEUE = 10
AGENDA_QUEUE = 6


def home_curator(user) -> dict:
    """The curator's own schools and the head of its review queue (the newest year)."""
    assignments = active_assignments_for(user).filter(curator=user).order_by(
        "-year", "school__municipality__name", "school__short_name")
    years = queue_years(user)
    year = years[0] if years else None
    queue = review_queue_for(user, year) if year else []
    stats = review_stats_for(user, year, queue=queue) if year else []
    return {"assignments": assignments, "year": year, "queue": queue[:HOME_QUEUE],
            "queue_total": len(queue), "stats": [s for s in stats if s.curator.pk == user.pk],
            "is_curator_view": is_own_queue(user)}


def home_review_board(user) -> dict:
    """Regional and municipal staff: each curator's queue and hold time this year."""
    years = queue_years(user)
    if not years:
        return {"year": None}
    year = years[0]
    queue = review_queue_for(user, year)
    return {"year": year, "stats": review_stats_for(user, year, queue=queue),
            "queue_total": len(queue),
            "oldest": queue[0] if queue else None, "is_curator_view": False}


def school_curators(user, school) -> dict:
    assignments = active_assignments_for(user).filter(school=school).order_by("-year")
    return {"assignments": assignments}


def school_expertise(user, school) -> dict | None:
    """The school's expertise sheets (its coordinator sees published ones); experts get a
    link to fill this year's."""
    sheets = list(sheets_for(user).filter(school=school).order_by("-year"))
    fill_year = None
    scheme = scheme_for_school(school)
    if (scheme is not None and rules.may_fill_sheet(user, school, scheme.year)
            and all(s.year != scheme.year or s.is_draft for s in sheets)):
        fill_year = scheme.year
    if not sheets and fill_year is None:
        return None
    return {"sheets": sheets, "school": school, "fill_year": fill_year}


# -- «Что сделать сейчас» (core.agenda) -----------------------------------------------------------
#: A document or profile waiting longer than this for its curator is late for the staff.
REVIEW_LATE = timedelta(days=7)


def _waited(waiting: timedelta) -> str:
    days = waiting.days
    if days >= 1:
        return f"ждёт {days} {plural(days, 'день', 'дня', 'дней')}"
    hours = int(waiting.total_seconds() // 3600)
    return f"ждёт {hours} ч" if hours else "ждёт меньше часа"


def agenda_curator(user) -> list[AgendaItem]:
    """The curator's own queue of the newest year, oldest first: documents and risk
    profiles its schools sent."""
    if not is_own_queue(user):
        return []
    years = queue_years(user)
    if not years:
        return []
    year = years[0]
    items = []
    for q in review_queue_for(user, year)[:AGENDA_QUEUE]:
        d = q.document
        items.append(AgendaItem(f"Проверить {in_case(d.display_title, 'accs')}",
                                d.get_absolute_url(),
                                f"{d.school.short_name if d.school_id else d.region.name} · "
                                f"{_waited(q.waiting)}", since=d.submitted_at,
                                urgent=q.waiting >= REVIEW_LATE))
    for q in profile_queue_for(user, year)[:AGENDA_QUEUE]:
        p = q.profile
        items.append(AgendaItem(f"Проверить риск-профиль {p.year} года", p.get_absolute_url(),
                                f"{p.school.short_name} · {_waited(q.waiting)}",
                                since=p.submitted_at, urgent=q.waiting >= REVIEW_LATE))
    return items


def agenda_review_late(user) -> list[AgendaItem]:
    """Regional and municipal staff: documents their curators hold longer than a week."""
    if is_own_queue(user):
        return []
    years = queue_years(user)
    if not years:
        return []
    late = [q for q in review_queue_for(user, years[0]) if q.waiting >= REVIEW_LATE]
    if not late:
        return []
    n = len(late)
    return [AgendaItem(
        f"{n} {plural(n, 'документ ждёт', 'документа ждут', 'документов ждут')} "
        f"проверки куратором дольше недели", reverse("curators:queue"),
        f"дольше всех — {late[0].document.display_title} "
        f"({late[0].document.school.short_name if late[0].document.school_id else ''}), "
        f"{_waited(late[0].waiting)}", since=late[0].document.submitted_at, urgent=True)]
