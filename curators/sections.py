from __future__ import annotations

from .selectors import active_assignments_for


def home_curator(user) -> dict:
    """The curator's own schools; the review queue fills when documents arrive."""
    assignments = active_assignments_for(user).filter(curator=user).order_by(
        "-year", "school__municipality__name", "school__short_name")
    return {"assignments": assignments}


def school_curators(user, school) -> dict:
    assignments = active_assignments_for(user).filter(school=school).order_by("-year")
    return {"assignments": assignments}
