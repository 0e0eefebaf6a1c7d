"""Sections this app adds to the school page and to home pages (registered in apps.py)."""

from __future__ import annotations

from django.db.models import Count

from core.permissions import has_perm
from core.roles import Role
from core.scope import scope_of
from schools.selectors import schools_for

from .models import Document, Roadmap
from .selectors import documents_for, kind_years, school_checklist, school_years_with_documents
from .selectors.plans import (
    items_for,
    mine_q,
    mine_roadmaps_q,
    overdue_q,
    progress_of,
    roadmaps_for,
    today,
)


def school_documents(user, school) -> dict | None:
    """The school page: the newest year's checklist in short, and every year's documents
    by status, with the way to the checklist of each year."""
    if not has_perm(user, "roadmaps.view_document"):
        return None
    years = school_years_with_documents(user, school)
    if not years:
        return {"school": school, "years": []}
    counts = {}
    for year, status, n in (documents_for(user).filter(school=school).order_by()
                            .values_list("year", "status").annotate(n=Count("pk"))
                            .values_list("year", "status", "n")):
        counts.setdefault(year, {})[status] = n
    rows = [(year, [(label, counts.get(year, {}).get(value, 0))
                    for value, label in Document.Status.choices]) for year in years]
    return {"school": school, "years": years, "rows": rows,
            "checklist": school_checklist(user, school, years[0])}


def home_school(user) -> dict | None:
    """The school coordinator's home page: the checklist of its school's newest year."""
    ids = scope_of(user).school_ids_by_role.get(Role.SCHOOL_COORDINATOR, frozenset())
    if not ids:
        return None
    years = kind_years()
    if not years:
        return {"checklists": []}
    checklists = []
    for school in schools_for(user).filter(pk__in=ids).order_by("short_name")[:5]:
        school_years = school_years_with_documents(user, school)
        year = next((y for y in school_years if y in years), years[0])
        checklists.append(school_checklist(user, school, year))
    return {"checklists": checklists}


def school_roadmap(user, school) -> dict | None:
    """The school page: its roadmaps by year with progress, the newest first."""
    if not has_perm(user, "roadmaps.view_roadmap"):
        return None
    roadmaps = list(roadmaps_for(user).filter(level=Roadmap.Level.SCHOOL, school=school)
                    .order_by("-start_year")[:5])
    progress = progress_of(roadmaps)
    years = school_years_with_documents(user, school)
    return {"school": school, "rows": [(r, progress[r.pk]) for r in roadmaps],
            "start_year": years[0] if years and not any(
                r.start_year == years[0] for r in roadmaps) else None}


def home_roadmaps(user) -> dict | None:
    """Home pages: the roadmaps the user keeps or follows, with progress, and the overdue
    measures of the scope (the user's own first)."""
    if not has_perm(user, "roadmaps.view_roadmap"):
        return None
    roadmaps = list(roadmaps_for(user).filter(mine_roadmaps_q(user))
                    .order_by("level", "-start_year", "title")[:6])
    progress = progress_of(roadmaps)
    day = today()
    overdue = items_for(user).filter(overdue_q(day))
    return {"rows": [(r, progress[r.pk]) for r in roadmaps],
            "overdue_total": overdue.count(),
            "overdue_mine": overdue.filter(mine_q(user)).count()}
