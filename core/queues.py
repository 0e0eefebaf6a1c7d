"""Review queues: where a decision leads. After a curator approves or returns an item of its
queue it goes to the next item of that queue (oldest first), or, when none is left, to the
queue's page. The app owning the items picks the next one (a selector); the app showing the
queue registers its page here, so the owner needs no import of it (STYLE 1.5).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse

_PAGES: dict[str, str] = {}


def queue_page(kind: str, url_name: str) -> None:
    """Declare (in ``AppConfig.ready``) the page that lists the queue of ``kind``."""
    _PAGES[kind] = url_name


def queue_url(kind: str, default: str, *, year: int | None = None) -> str:
    """The queue page of ``kind`` (of ``year`` when given), or ``default`` when no app
    shows that queue."""
    url_name = _PAGES.get(kind)
    if url_name is None:
        return default
    url = reverse(url_name)
    return f"{url}?year={year}" if year else url


def after_decision(request, done: str, following, *, label: str = "",
                   empty_url: str) -> HttpResponseRedirect:
    """The answer to a decision taken from a queue: a message saying what was done and
    what comes next, and a redirect to ``following`` (the next item, with ``label`` its
    name) or, when it is ``None``, to ``empty_url`` (the queue page)."""
    if following is None:
        messages.success(request, f"{done} Очередь пуста.")
        return redirect(empty_url)
    messages.success(request, f"{done} Следующий в очереди: {label}.")
    return redirect(following)
