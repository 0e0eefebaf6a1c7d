"""Sections this app adds to the school page and to home pages (registered in apps.py)."""

from __future__ import annotations

from django.db.models import Count
from django.urls import reverse

from core.registry import AgendaItem
from core.roles import Role
from core.scope import scope_of
from core.text import noun_form, plural, predicate_form
from schools.models import SchoolYear
from schools.selectors import schools_for

from . import rules
from .models import RiskProfile
from .selectors import catalogue_years, profiles_for, school_profiles, schools_without_profile


def school_risks(user, school) -> dict | None:
    """The school's profiles by year, and the years it may still get one."""
    if not rules.may_view_profiles(user):
        return None
    profiles = school_profiles(user, school)
    have = {p.year for p in profiles}
    open_years = sorted((set(SchoolYear.objects.filter(school=school)
                             .values_list("year", flat=True)) & set(catalogue_years())) - have,
                        reverse=True)
    probe = RiskProfile(region_id=school.region_id, school=school)
    return {"profiles": profiles, "open_years": open_years, "school": school,
            "can_create": rules.may_create_profile(user, probe)}


def home_review(user) -> dict:
    """Profiles the curator's schools sent for verification, oldest first."""
    waiting = (profiles_for(user).filter(status=RiskProfile.Status.SUBMITTED)
               .order_by("submitted_at", "pk"))
    return {"waiting": waiting[:20], "total": waiting.count()}


def home_school(user) -> dict | None:
    ids = scope_of(user).school_ids_by_role.get(Role.SCHOOL_COORDINATOR, frozenset())
    if not ids:
        return None
    profiles = profiles_for(user).filter(school_id__in=ids).order_by("-year")[:3]
    return {"profiles": profiles}


def home_overview(user) -> dict:
    """For the region's and the municipality's home pages: the newest year's profiles by
    state, the schools still without one, and the way to the risk pages."""
    years = catalogue_years()
    if not years:
        return {"year": None}
    year = years[0]
    counts = dict(profiles_for(user).filter(year=year).order_by().values_list("status")
                  .annotate(n=Count("pk")).values_list("status", "n"))
    return {"year": year,
            "states": [(value, _state_label(value, counts.get(value, 0)), counts.get(value, 0))
                       for value, _label in RiskProfile.Status.choices],
            "missing": schools_without_profile(user, year).count()}


def _state_label(status: str, n: int) -> str:
    """What follows the count of profiles in a state: «1 черновик», «3 подтверждены
    куратором», «5 возвращено на доработку»."""
    if status == RiskProfile.Status.DRAFT:
        return noun_form(n, "черновик")
    if status == RiskProfile.Status.VERIFIED:
        return predicate_form(n, "профиль", "подтверждён") + " куратором"
    if status == RiskProfile.Status.RETURNED:
        return predicate_form(n, "профиль", "возвращён") + " на доработку"
    return RiskProfile.Status(status).label


# -- «Что сделать сейчас» (core.agenda) -----------------------------------------------------------
def agenda_school(user) -> list[AgendaItem]:
    """The school coordinator's risk profile of the newest year: to create, fill and send,
    or to rework after the curator returned it (urgent)."""
    ids = scope_of(user).school_ids_by_role.get(Role.SCHOOL_COORDINATOR, frozenset())
    years = catalogue_years()
    if not ids or not years:
        return []
    year = years[0]
    items = []
    have = set()
    for profile in profiles_for(user).filter(school_id__in=ids, year=year).select_related(
            "school").order_by("school__short_name"):
        have.add(profile.school_id)
        where = profile.school.short_name
        if profile.is_returned:
            items.append(AgendaItem(f"Доработать и отправить риск-профиль {year} года",
                                    profile.get_absolute_url(),
                                    f"{where}: куратор вернул профиль на доработку",
                                    since=profile.updated_at, urgent=True))
        elif profile.is_draft:
            items.append(AgendaItem(f"Заполнить и отправить риск-профиль {year} года",
                                    profile.get_absolute_url(),
                                    f"{where}: черновик, куратор его ещё не видит",
                                    since=profile.created_at))
    open_ids = set(SchoolYear.objects.filter(school_id__in=ids, year=year)
                   .values_list("school_id", flat=True)) - have
    for school in schools_for(user).filter(pk__in=open_ids).order_by("short_name"):
        items.append(AgendaItem(f"Создать риск-профиль {year} года", school.get_absolute_url(),
                                f"{school.short_name}: профиля этого года ещё нет"))
    return items


def agenda_territory(user) -> list[AgendaItem]:
    """Regional and municipal staff: schools of the newest year still without a profile."""
    years = catalogue_years()
    if not years or not rules.may_view_profiles(user):
        return []
    year = years[0]
    n = schools_without_profile(user, year).count()
    if not n:
        return []
    return [AgendaItem(f"{n} {plural(n, 'школа', 'школы', 'школ')} без риск-профиля "
                       f"{year} года", reverse("risk_profiles:profile_list") + f"?year={year}",
                       "список школ — под таблицей профилей")]
