"""A small same-origin crawler over Django's test client.

``crawl(client, start="/", limit=60)`` follows ``<a href>`` links from ``start`` (GET only)
and returns ``{path: (status, html)}`` for every HTML page it opened. It skips logout,
downloads and other non-HTML answers (files, PDF, Excel, CSV, ZIP), anchors, ``mailto:``
and other origins, and it treats links that differ only in paging/sorting/filter values as
one page (the first met is opened), so a long list does not eat the budget.
"""

from __future__ import annotations

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

#: Paths never opened: they change the session or hand out files.
SKIP_PATH = re.compile(
    r"(^/logout/)|(^/admin/logout/)|(/(download|export|exports|files?|media|static)/)"
    r"|(\.(pdf|xlsx?|csv|zip|docx?|png|jpe?g|svg|js|css|ico|json|txt)$)",
    re.IGNORECASE,
)
#: Query parameters whose value does not make another kind of page.
VOLATILE_PARAMS = {"page", "sort", "order", "o", "q", "dir", "next", "year", "status",
                   "municipality", "region", "school", "kind", "filter", "period", "tab"}


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag != "a":
            return
        values = dict(attrs)
        if "download" in values:
            return
        href = values.get("href")
        if href:
            self.hrefs.append(href)


def links_of(html: str, base: str) -> list[str]:
    """Same-origin paths (with their query strings) linked from ``html`` opened at ``base``."""
    parser = _Links()
    parser.feed(html)
    out = []
    for href in parser.hrefs:
        href = href.strip()
        if not href or href.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
            continue
        parts = urlsplit(urljoin(base, href))
        if parts.scheme not in ("", "http", "https") or parts.netloc not in ("", "testserver"):
            continue
        path = parts.path or "/"
        out.append(f"{path}?{parts.query}" if parts.query else path)
    return out


def page_key(url: str) -> str:
    """The dedupe key of a URL: its path plus the *names* of volatile parameters only."""
    parts = urlsplit(url)
    params = sorted({(k, "" if k in VOLATILE_PARAMS else v)
                     for k, v in parse_qsl(parts.query, keep_blank_values=True)})
    return parts.path + ("?" + "&".join(f"{k}={v}" for k, v in params) if params else "")


def crawl(client, start: str = "/", limit: int = 60) -> dict[str, tuple[int, str]]:
    """Open up to ``limit`` HTML pages reachable by links from ``start``.

    Returns ``{url: (status, html)}``; redirects are followed (the key stays the linked URL,
    the status is the final one). Non-HTML answers are not returned and not counted.
    """
    seen = {page_key(start)}
    queue: deque[str] = deque([start])
    pages: dict[str, tuple[int, str]] = {}
    while queue and len(pages) < limit:
        url = queue.popleft()
        if SKIP_PATH.search(urlsplit(url).path):
            continue
        response = client.get(url, follow=True)
        content_type = response.get("Content-Type", "")
        if "text/html" not in content_type or getattr(response, "streaming", False):
            continue
        html = response.content.decode(response.charset or "utf-8", errors="replace")
        pages[url] = (response.status_code, html)
        final = response.request.get("PATH_INFO", url) if response.redirect_chain else url
        for link in links_of(html, final):
            key = page_key(link)
            if key in seen or SKIP_PATH.search(urlsplit(link).path):
                continue
            seen.add(key)
            queue.append(link)
    return pages
