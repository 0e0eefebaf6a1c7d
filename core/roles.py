"""Roles and what each may do.

A role is bound to a level (national, region, municipality, school). Apps declare which
permissions each role gets with :func:`grant` in their ``AppConfig.ready`` — ``core`` knows
no domain permission by name. Where a role's permission applies is decided by the scope
(``core.scope``), so "regional staff may change schools" means "schools of its region".
"""

from __future__ import annotations

from collections import defaultdict

from django.db import models


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", "администратор"
    FEDERAL_OBSERVER = "federal_observer", "федеральный наблюдатель"
    REGIONAL_STAFF = "regional_staff", "региональный координатор"
    MUNICIPAL_COORDINATOR = "municipal_coordinator", "муниципальный координатор"
    CURATOR = "curator", "куратор"
    SCHOOL_COORDINATOR = "school_coordinator", "школьный координатор"
    METHODIST = "methodist", "методист / член жюри"

    @classmethod
    def level(cls, role: str) -> str:
        return _LEVELS[role]


_LEVELS = {
    Role.ADMINISTRATOR: "national",
    Role.FEDERAL_OBSERVER: "national",
    Role.REGIONAL_STAFF: "region",
    Role.CURATOR: "region",
    Role.METHODIST: "region",
    Role.MUNICIPAL_COORDINATOR: "municipality",
    Role.SCHOOL_COORDINATOR: "school",
}

#: Roles that may never change anything, whatever an app grants them.
READ_ONLY_ROLES = frozenset({Role.FEDERAL_OBSERVER})

_GRANTS: dict[str, set[str]] = defaultdict(set)


def grant(role: str, *perms: str) -> None:
    """Give ``role`` the permissions ``perms`` ("app_label.codename") inside its scope."""
    for perm in perms:
        if role in READ_ONLY_ROLES and not perm.split(".", 1)[1].startswith("view_"):
            raise ValueError(f"{role} is read-only and cannot be granted {perm}")
        _GRANTS[role].add(perm)


def role_perms(role: str) -> frozenset[str]:
    return frozenset(_GRANTS.get(role, ()))
