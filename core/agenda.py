"""«Что сделать сейчас»: the next actions of the signed-in user, gathered from every app.

Each app publishes its own (``registry.agenda_source``): the school what is due and was
returned, the curator its queue (oldest first), regional and municipal staff what is late and
where. The home page shows them in one list: urgent first, then the longest waiting.
"""

from __future__ import annotations

import datetime

from .registry import AgendaItem, agenda_sources
from .scope import scope_of

#: The home page shows at most this many; the rest are behind each app's own page.
HOME_AGENDA = 10


def _moment(item: AgendaItem) -> datetime.datetime:
    since = item.since
    if since is None:
        return datetime.datetime.max.replace(tzinfo=datetime.UTC)
    if isinstance(since, datetime.datetime):
        return since if since.tzinfo else since.replace(tzinfo=datetime.UTC)
    return datetime.datetime.combine(since, datetime.time.min, tzinfo=datetime.UTC)


def agenda_for(user) -> list[AgendaItem]:
    roles = scope_of(user).roles
    items: list[AgendaItem] = []
    for source in agenda_sources():
        if source.roles & roles:
            items.extend(source.items(user))
    return sorted(items, key=lambda i: (not i.urgent, _moment(i)))
