"""The signed-in menu, built in Python from the user's roles and permissions.

Entries are grouped by task (:data:`GROUPS`): a role sees at most these seven top-level
entries, whatever the apps register. A group with one entry for the user is a plain link
named after that entry; a group with several opens a list. The group holding the current
page is marked, and so is the entry (the longest address that is a prefix of the page's).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from .permissions import has_perm
from .registry import nav_items, reference_books
from .scope import scope_of

#: The task groups of the menu, in their order: (code, label).
GROUPS: tuple[tuple[str, str], ...] = (
    ("home", "Главная"),
    ("schools", "Школы"),
    ("documents", "Документы"),
    ("monitoring", "Мониторинг"),
    ("methodical", "Методическая работа"),
    ("contest", "Конкурс"),
    ("admin", "Администрирование"),
)
GROUP_LABELS = dict(GROUPS)


@dataclass(frozen=True)
class MenuEntry:
    label: str
    url: str
    active: bool


@dataclass(frozen=True)
class MenuGroup:
    code: str
    label: str
    entries: tuple[MenuEntry, ...]

    @property
    def active(self) -> bool:
        return any(e.active for e in self.entries)

    @property
    def single(self) -> MenuEntry | None:
        """The group's only entry, shown as a plain link instead of a list."""
        return self.entries[0] if len(self.entries) == 1 else None


def _visible(user) -> list[tuple[str, str, str]]:
    roles = scope_of(user).roles
    visible = []
    for item in nav_items():
        if item.roles and not (item.roles & roles):
            continue
        if item.permission and not has_perm(user, item.permission):
            continue
        visible.append((item.group, item.label, reverse(item.url_name)))
    return visible


def _current(urls: list[str], path: str) -> str | None:
    matches = [url for url in urls if (path == url if url == "/" else path.startswith(url))]
    return max(matches, key=len, default=None)


def menu_for(user, path: str) -> list[MenuGroup]:
    if not user.is_authenticated:
        return []
    visible = _visible(user)
    current = _current([url for _, _, url in visible], path)
    groups = []
    for code, label in GROUPS:
        entries = tuple(MenuEntry(lab, url, url == current)
                        for group, lab, url in visible if group == code)
        if entries:
            groups.append(MenuGroup(code, label, entries))
    return groups


def menu_urls(user) -> list[str]:
    """Every address the user's menu links to (the reachability tests start here)."""
    return [url for _, _, url in _visible(user)] if user.is_authenticated else []


def references_for(user) -> list[MenuEntry]:
    """The reference books the footer links for this user (those it may read)."""
    if not user.is_authenticated:
        return []
    return [MenuEntry(item.label, reverse(item.url_name), False) for item in reference_books()
            if has_perm(user, item.permission)]
