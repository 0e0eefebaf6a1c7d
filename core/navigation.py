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
    visible = []
    for item in nav_items():
        if item.roles and not (item.roles & roles):
            continue
        if item.permission and not has_perm(user, item.permission):
            continue
        visible.append((item.label, reverse(item.url_name)))
    # the entry whose address is the longest prefix of the page is the current one
    matches = [url for _, url in visible if (path == url if url == "/" else path.startswith(url))]
    current = max(matches, key=len, default=None)
    return [MenuEntry(label, url, url == current) for label, url in visible]
