"""Registries that let apps add to pages assembled by ``core`` without ``core`` importing
them: navigation items, home-page sections per role, sections of the school page and of a
course's page.

Apps register in ``AppConfig.ready``. A section's ``context(user, obj)`` returns the
template context, or ``None`` when the section does not apply to this user at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    url_name: str
    order: int = 50
    permission: str | None = None
    roles: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    template: str
    context: Callable[..., dict | None]
    order: int = 50
    roles: frozenset[str] = field(default_factory=frozenset)


_NAV: dict[str, NavItem] = {}
_HOME: dict[str, Section] = {}
_SCHOOL: dict[str, Section] = {}
_COURSE: dict[str, Section] = {}


def nav_item(key: str, label: str, url_name: str, *, order: int = 50,
             permission: str | None = None, roles: tuple[str, ...] = ()) -> None:
    _NAV[key] = NavItem(key, label, url_name, order, permission, frozenset(roles))


def home_section(key: str, title: str, template: str, context: Callable[..., dict | None], *,
                 roles: tuple[str, ...], order: int = 50) -> None:
    _HOME[key] = Section(key, title, template, context, order, frozenset(roles))


def school_section(key: str, title: str, template: str, context: Callable[..., dict | None],
                   *, order: int = 50) -> None:
    _SCHOOL[key] = Section(key, title, template, context, order)


def course_section(key: str, title: str, template: str, context: Callable[..., dict | None],
                   *, order: int = 50) -> None:
    """A section of a course's page (training's course; the contest adds its practices)."""
    _COURSE[key] = Section(key, title, template, context, order)


def course_sections() -> list[Section]:
    return sorted(_COURSE.values(), key=lambda s: (s.order, s.key))


def nav_items() -> list[NavItem]:
    return sorted(_NAV.values(), key=lambda i: (i.order, i.key))


def home_sections() -> list[Section]:
    return sorted(_HOME.values(), key=lambda s: (s.order, s.key))


def school_sections() -> list[Section]:
    return sorted(_SCHOOL.values(), key=lambda s: (s.order, s.key))


def resolve(sections: list[Section], *args) -> list[dict]:
    """Call each section's context with ``args``; keep those that apply (not ``None``)."""
    resolved = []
    for section in sections:
        context = section.context(*args)
        if context is not None:
            resolved.append({"section": section, "context": context})
    return resolved
