"""Every page a role may open is reachable by links from its home (issue 23).

For each demo role: every page of the portal without a parameter in its address (lists,
boards, reports, settings) that answers the role with a page is found by following links
from «/», within the crawl's budget; and the role's menu has at most seven top-level
entries. A page nobody links to — «Мои отчёты» once was one — fails here by name.
"""

from __future__ import annotations

from collections import deque

import pytest
from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver

from core.navigation import menu_for
from tests.ui.crawl import SKIP_PATH, links_of, page_key

ROLES = ("rostov.region", "shakhty.mun", "lastovyrya", "pervomayskaya.school", "observer",
         "jury.azov", "admin")
#: Address prefixes that are not pages of the portal for a person: the session, the
#: service panel, machine endpoints.
NOT_PAGES = ("/login/", "/logout/", "/admin/", "/api/", "/healthz", "/static/", "/media/",
             "/password-reset", "/__")


def _plain_routes(resolver: URLResolver | None = None, prefix: str = "") -> list[str]:
    """Addresses of the URL patterns that take no parameter."""
    out = []
    for p in (resolver or get_resolver()).url_patterns:
        route = str(p.pattern)
        if "<" in route or "(?P" in route or route.startswith("^"):
            continue
        if isinstance(p, URLResolver):
            out += _plain_routes(p, prefix + route)
        elif isinstance(p, URLPattern):
            out.append("/" + prefix + route)
    return out


def _pages_for(client) -> set[str]:
    pages = set()
    for path in _plain_routes():
        if path.startswith(NOT_PAGES) or SKIP_PATH.search(path):
            continue
        response = client.get(path)
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            pages.add(path)
    return pages


def _reach(client, wanted: set[str], limit: int = 250) -> tuple[set[str], list[str]]:
    """Follow links breadth-first from «/» until every wanted address is met (or the budget
    is spent); return the addresses met on the way and the links, among those opened, that
    answered «Доступ запрещён» or «не найдено» — a door shown to a role that it may not pass.
    A page is opened only to read its links, so an address counts as soon as a link to it is
    seen; the walk goes on past the last wanted address, within the budget, to test the
    doors of the pages behind it too."""
    met: set[str] = {"/"}
    seen = {page_key("/")}
    queue = deque([("/", "/")])
    opened, refused = 0, []
    while queue and opened < limit:
        url, came_from = queue.popleft()
        response = client.get(url)
        opened += 1
        if response.status_code in (403, 404):
            refused.append(f"{url} ({response.status_code}, link on {came_from})")
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for link in links_of(response.content.decode(), url):
            path = link.split("?", 1)[0]
            met.add(path)
            key = page_key(link)
            if key not in seen and not SKIP_PATH.search(path):
                seen.add(key)
                queue.append((link, url))
    return met, refused


@pytest.mark.django_db
@pytest.mark.parametrize("username", ROLES)
def test_every_page_of_the_role_is_reachable_from_its_home(client, demo, username):
    user = get_user_model().objects.get(username=username)
    client.force_login(user)
    expected = _pages_for(client)
    assert "/" in expected and len(expected) >= 4, expected  # the role sees a real portal
    met, refused = _reach(client, expected)
    missing = sorted(expected - met)
    assert not missing, f"{username}: no link leads to {missing}"
    assert not refused, f"{username}: links that refuse the role: {refused}"


@pytest.mark.django_db
@pytest.mark.parametrize("username", ROLES)
def test_the_menu_has_at_most_seven_entries_and_marks_the_current_one(client, demo,
                                                                       username):
    user = get_user_model().objects.get(username=username)
    groups = menu_for(user, "/")
    assert 1 <= len(groups) <= 7, [g.label for g in groups]
    assert groups[0].active  # «Главная» on the home page
    inner = next((g for g in groups if not g.single), None)
    if inner is not None:
        entry = inner.entries[-1]
        marked = menu_for(user, entry.url)
        assert [g.code for g in marked if g.active] == [inner.code]
        assert [e.label for g in marked for e in g.entries if e.active] == [entry.label]
