"""Registries that let apps add to pages assembled by ``core`` without ``core`` importing
them: navigation items, home-page sections per role, sections of the school page, of a
course's page and of a methodist's page, and the open work that holds a tutor.

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
    group: str = ""


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    template: str
    context: Callable[..., dict | None]
    order: int = 50
    roles: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class AgendaItem:
    """One thing the user should do next, for the home page's «Что сделать сейчас».

    ``urgent`` items (returned work, overdue dates) come first; within each kind, the one
    waiting longest (``since``, oldest first) leads."""
    title: str
    url: str
    detail: str = ""
    since: object = None  # a date or datetime the item has been waiting since
    urgent: bool = False


@dataclass(frozen=True)
class AgendaSource:
    key: str
    items: Callable[..., list[AgendaItem]]
    roles: frozenset[str]
    order: int = 50


@dataclass(frozen=True)
class TutorHold:
    key: str
    count: Callable[..., int]
    what: str


_NAV: dict[str, NavItem] = {}
_AGENDA: dict[str, AgendaSource] = {}
_HOME: dict[str, Section] = {}
_SCHOOL: dict[str, Section] = {}
_PROFILE: dict[str, Section] = {}
_COURSE: dict[str, Section] = {}
_METHODIST: dict[str, Section] = {}
_TUTOR_HOLDS: dict[str, TutorHold] = {}
_REFERENCES: dict[str, NavItem] = {}


def nav_item(key: str, label: str, url_name: str, *, group: str, order: int = 50,
             permission: str | None = None, roles: tuple[str, ...] = ()) -> None:
    """A menu entry in one of the task groups of :data:`core.navigation.GROUPS`."""
    _NAV[key] = NavItem(key, label, url_name, order, permission, frozenset(roles), group)


def home_section(key: str, title: str, template: str, context: Callable[..., dict | None], *,
                 roles: tuple[str, ...], order: int = 50) -> None:
    _HOME[key] = Section(key, title, template, context, order, frozenset(roles))


def agenda_source(key: str, items: Callable[..., list[AgendaItem]], *, roles: tuple[str, ...],
                  order: int = 50) -> None:
    """``items(user)`` lists the user's next actions of one app (for users holding ``roles``)."""
    _AGENDA[key] = AgendaSource(key, items, frozenset(roles), order)


def agenda_sources() -> list[AgendaSource]:
    return sorted(_AGENDA.values(), key=lambda s: (s.order, s.key))


def profile_section(key: str, title: str, template: str,
                    context: Callable[..., dict | None], *, order: int = 50) -> None:
    """A section of the user's own profile page; ``context(user)`` (None: not shown)."""
    _PROFILE[key] = Section(key, title, template, context, order)


def profile_sections() -> list[Section]:
    return sorted(_PROFILE.values(), key=lambda s: (s.order, s.key))


def school_section(key: str, title: str, template: str, context: Callable[..., dict | None],
                   *, order: int = 50) -> None:
    _SCHOOL[key] = Section(key, title, template, context, order)


def course_section(key: str, title: str, template: str, context: Callable[..., dict | None],
                   *, order: int = 50) -> None:
    """A section of a course's page (training's course; the contest adds its practices)."""
    _COURSE[key] = Section(key, title, template, context, order)


def course_sections() -> list[Section]:
    return sorted(_COURSE.values(), key=lambda s: (s.order, s.key))


def methodist_section(key: str, title: str, template: str,
                      context: Callable[..., dict | None], *, order: int = 50) -> None:
    """Facts of a methodist's page (methodists' detail) from other apps: ``context(user,
    methodist)``. The template renders ``<dt>``/``<dd>`` rows of the page's facts list."""
    _METHODIST[key] = Section(key, title, template, context, order)


def methodist_sections() -> list[Section]:
    return sorted(_METHODIST.values(), key=lambda s: (s.order, s.key))


def tutor_hold(key: str, count: Callable[..., int], what: str) -> None:
    """Open work another app keeps a tutor on: ``count(methodist)`` of it; ``what`` names it
    in messages (e.g. «незавершённые ИОМ»). Methodists will not take such a tutor off."""
    _TUTOR_HOLDS[key] = TutorHold(key, count, what)


def tutor_holds() -> list[TutorHold]:
    return [_TUTOR_HOLDS[key] for key in sorted(_TUTOR_HOLDS)]


def reference_book(key: str, label: str, url_name: str, *, permission: str,
                   order: int = 50) -> None:
    """A reference book (a catalogue every role reads) linked from the page footer."""
    _REFERENCES[key] = NavItem(key, label, url_name, order, permission)


def reference_books() -> list[NavItem]:
    return sorted(_REFERENCES.values(), key=lambda i: (i.order, i.key))


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
