"""Sections this app adds to the school page and to home pages (registered in apps.py)."""

from __future__ import annotations

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone

from core.registry import AgendaItem
from core.roles import Role
from core.scope import scope_of
from core.text import in_case, plural
from schools.selectors import schools_for

from . import rules
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

#: Roadmaps named one by one in «Что сделать сейчас»; the rest behind «Все просроченные».
AGENDA_ROADMAPS = 3


def school_documents(user, school) -> dict | None:
    """The school page: the newest year's checklist in short, and every year's documents
    by status, with the way to the checklist of each year."""
    if not rules.may_view_document(user):
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
    if not rules.may_view_roadmap(user):
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
    if not rules.may_view_roadmap(user):
        return None
    roadmaps = list(roadmaps_for(user).filter(mine_roadmaps_q(user))
                    .order_by("level", "-start_year", "title")[:6])
    progress = progress_of(roadmaps)
    day = today()
    overdue = _actionable(user, items_for(user).filter(overdue_q(day)))
    mine = overdue.filter(mine_q(user)).count()
    if not (scope_of(user).roles & {Role.REGIONAL_STAFF, Role.MUNICIPAL_COORDINATOR}):
        # a school or a curator cannot act on the region's measures: only its own count
        return {"rows": [(r, progress[r.pk]) for r in roadmaps], "overdue_total": mine,
                "overdue_mine": 0, "own_only": True}
    return {"rows": [(r, progress[r.pk]) for r in roadmaps],
            "overdue_total": overdue.count(), "overdue_mine": mine}


def _actionable(user, items):
    """The measures a user can act on: regional staff every one in scope; a municipal
    coordinator those of its municipality's and schools' roadmaps (the region's plan is
    the region's to keep) and any named to it; everyone else only its own."""
    roles = scope_of(user).roles
    if Role.REGIONAL_STAFF in roles:
        return items
    if Role.MUNICIPAL_COORDINATOR in roles:
        return items.filter(~Q(roadmap__level=Roadmap.Level.REGION) | mine_q(user))
    return items.filter(mine_q(user))


# -- «Что сделать сейчас» (core.agenda) -----------------------------------------------------------
def agenda_school(user) -> list[AgendaItem]:
    """The school coordinator's documents: returned ones to rework (urgent), uploaded ones
    not yet sent, and those still to upload — of each school's newest year."""
    ids = scope_of(user).school_ids_by_role.get(Role.SCHOOL_COORDINATOR, frozenset())
    if not ids:
        return []
    years = kind_years()
    items: list[AgendaItem] = []
    for school in schools_for(user).filter(pk__in=ids).order_by("short_name")[:5]:
        school_years = school_years_with_documents(user, school)
        year = next((y for y in school_years if y in years), years[0] if years else None)
        if year is None:
            continue
        checklist = school_checklist(user, school, year)
        where = f"{school.short_name}, {year} год"
        checklist_url = reverse("roadmaps:checklist", args=[school.public_id, year])
        for row in checklist.due:
            title = row.kind.title + (f": {row.risk.code}. {row.risk.title}" if row.risk else "")
            document = row.document
            if document is None:
                items.append(AgendaItem(f"Загрузить {in_case(title, 'accs')}", checklist_url,
                                        where))
            elif document.status == Document.Status.RETURNED:
                when = (f", {timezone.localtime(document.reviewed_at):%d.%m.%Y}"
                        if document.reviewed_at else "")
                items.append(AgendaItem(f"Доработать и снова отправить {in_case(title, 'accs')}",
                                        document.get_absolute_url(),
                                        f"{where}: {document.said('возвращён')} куратором{when}",
                                        since=document.reviewed_at, urgent=True))
            elif document.status == Document.Status.DRAFT:
                items.append(AgendaItem(f"Отправить на проверку {in_case(title, 'accs')}",
                                        document.get_absolute_url(),
                                        f"{where}: {document.said('загружен')}, но ещё не "
                                        f"{document.said('отправлен')}",
                                        since=document.updated_at))
    return items


def agenda_overdue(user) -> list[AgendaItem]:
    """Overdue measures, by roadmap (where they are late): for staff of a territory every
    roadmap in scope, for schools and curators only the measures that are their own."""
    if not rules.may_view_roadmap(user):
        return []
    overdue = _actionable(user, items_for(user).filter(overdue_q(today())))
    roles = scope_of(user).roles
    own_only = not (roles & {Role.REGIONAL_STAFF, Role.MUNICIPAL_COORDINATOR})
    if own_only:
        overdue = overdue.filter(mine_q(user))
    rows = list(overdue.order_by().values("roadmap").annotate(n=Count("pk"), oldest=Min("due_end"))
                .order_by("-n", "oldest")[:AGENDA_ROADMAPS + 1])
    roadmaps = roadmaps_for(user).in_bulk([r["roadmap"] for r in rows])
    items = []
    for row in rows[:AGENDA_ROADMAPS]:
        roadmap = roadmaps[row["roadmap"]]
        n = row["n"]
        items.append(AgendaItem(
            f"{plural(n, 'Просрочено', 'Просрочены', 'Просрочено')} {n} "
            f"{plural(n, 'мероприятие', 'мероприятия', 'мероприятий')}: {roadmap.title}",
            roadmap.get_absolute_url(),
            f"самый ранний срок — {row['oldest']:%d.%m.%Y}",
            since=row["oldest"], urgent=True))
    if len(rows) > AGENDA_ROADMAPS:
        items.append(AgendaItem("Все просроченные мероприятия",
                                reverse("roadmaps:overdue") + ("?mine=on" if own_only else ""),
                                "и в других дорожных картах", since=rows[-1]["oldest"],
                                urgent=True))
    return items
