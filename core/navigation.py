"""The signed-in menu, built in Python from the user's roles and permissions."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from .permissions import has_perm
from .registry import nav_items
from .scope import scope_of


@dataclass(frozen=True)
class MenuEntry:
    label: str
    url: str
    active: bool


def menu_for(user, path: str) -> list[MenuEntry]:
    if not user.is_authenticated:
        return []
    roles = scope_of(user).roles
    entries = []
    for item in nav_items():
        if item.roles and not (item.roles & roles):
            continue
        if item.permission and not has_perm(user, item.permission):
            continue
        url = reverse(item.url_name)
        active = path == url if url == "/" else path.startswith(url)
        entries.append(MenuEntry(item.label, url, active))
    return entries
