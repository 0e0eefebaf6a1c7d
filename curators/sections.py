from __future__ import annotations

from core.permissions import has_perm

from .selectors import (
    active_assignments_for,
    is_own_queue,
    queue_years,
    review_queue_for,
    review_stats_for,
    scheme_for_school,
    sheets_for,
)

HOME_QUEUE = 10


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
    from .services import SHEET_PERM

    sheets = list(sheets_for(user).filter(school=school).order_by("-year"))
    fill_year = None
    scheme = scheme_for_school(school)
    if (scheme is not None and has_perm(user, SHEET_PERM, school, year=scheme.year)
            and all(s.year != scheme.year or s.status == "draft" for s in sheets)):
        fill_year = scheme.year
    if not sheets and fill_year is None:
        return None
    return {"sheets": sheets, "school": school, "fill_year": fill_year}
