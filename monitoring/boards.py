"""The dashboard's figures, kept in the cache with exact invalidation.

A board (``selectors.dashboard``) costs tens of aggregate queries over the region's data;
thousands of coordinators open the same few boards near a deadline. A computed board is kept
under a key made of

* who looks (the scope the figures are narrowed to, whether people are named),
* the filters and the day (measures fall overdue by the calendar),
* the region's data versions: the newest audit entry that changed the region's data (or
  data of no single region, such as a federal list) — every write goes through a service
  that records one in its transaction (STYLE §5) — and a version token renewed after each
  such transaction commits (``core.audit.data_changed``), which also catches a transaction
  that committed after a later one.

So a write makes the next view compute afresh: the figures are never older than the
data, and the page says when they were computed («Данные на 10:42»). With a broker, a
committed write also queues ``monitoring.tasks.boards_refresh_task``, which computes again
the boards of the region viewed lately, so the next person finds them ready.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.http import Http404
from django.utils import timezone

from core.audit import watermark
from core.dbrouter import replica_reads
from core.scope import scope_of

from . import rules

logger = logging.getLogger(__name__)

#: How long a computed board is kept when nothing changes (its day also ends it).
BOARD_SECONDS = 6 * 3600
#: Boards of a region remembered for the refresh task (the most recently viewed).
RECENT_VIEWS = 20
#: A burst of writes in a region is refreshed once, this many seconds after the first.
REFRESH_DELAY = 3
_PREFIX = "monitoring:board:v1"
ALL = "all"  # the version of every region's data together (national boards)
SHARED = "shared"  # data of no single region


def _version_key(place) -> str:
    return f"{_PREFIX}:version:{place}"


def _version(place) -> str:
    return cache.get_or_set(_version_key(place), lambda: uuid.uuid4().hex, None)


def _scope_key(user) -> tuple:
    scope = scope_of(user)

    def frozen(by_role: dict) -> tuple:
        return tuple(sorted((role, tuple(sorted(ids))) for role, ids in by_role.items()))

    years = tuple(sorted((role, tuple(sorted((school, tuple(sorted(ys)))
                                             for school, ys in by_school.items())))
                         for role, by_school in scope.school_years_by_role.items()))
    return (scope.is_national, scope.sees_all_aggregates, tuple(sorted(scope.roles)),
            frozen(scope.region_ids_by_role), frozen(scope.municipality_ids_by_role),
            frozen(scope.school_ids_by_role), years, rules.shows_people(user))


def _data_key(region_id: int | None) -> tuple:
    if region_id is None:
        return (watermark(None), _version(ALL))
    return (watermark(region_id), _version(region_id), _version(SHARED))


def board_key(user, filters, day: datetime.date) -> str:
    region_id = filters.region.pk if filters.region is not None else None
    raw = repr((_scope_key(user), sorted(filters.params().items()), day.isoformat(),
                _data_key(region_id)))
    return f"{_PREFIX}:{hashlib.sha256(raw.encode()).hexdigest()}"


def board(user, filters, *, day: datetime.date | None = None):
    """The board of ``filters`` as ``user`` may see it: from the cache when no data of its
    region changed since it was computed, otherwise computed now and kept."""
    day = day or timezone.localdate()
    key = board_key(user, filters, day)
    found = cache.get(key)
    _remember_view(user, filters)
    if found is not None:
        return found
    return _compute(user, filters, day, key)


def _compute(user, filters, day: datetime.date, key: str):
    """The board computed now — from the read replica when it has caught up with the
    primary (core.dbrouter) — and kept under ``key``."""
    from .selectors import dashboard

    with replica_reads(filters.region.pk if filters.region is not None else None):
        computed = dashboard(user, filters, day=day)
    computed.computed_at = timezone.now()
    cache.set(key, computed, BOARD_SECONDS)
    return computed


def _views_key(region_id) -> str:
    return f"{_PREFIX}:views:{region_id or ALL}"


def _remember_view(user, filters) -> None:
    region_id = filters.region.pk if filters.region is not None else None
    view = (user.pk, tuple(sorted(filters.params().items())))
    views = cache.get(_views_key(region_id)) or []
    if views[:1] == [view]:
        return
    views = [view, *(v for v in views if v != view)][:RECENT_VIEWS]
    cache.set(_views_key(region_id), views, BOARD_SECONDS)


def data_changed(sender, region_id=None, **kwargs) -> None:
    """``core.audit.data_changed``: renew the versions the region's boards are keyed on
    (and every national board's), then queue their refresh. A broker that is down costs
    only the refresh: the next view computes the board itself."""
    cache.set(_version_key(ALL), uuid.uuid4().hex, None)
    cache.set(_version_key(region_id if region_id is not None else SHARED),
              uuid.uuid4().hex, None)
    if not settings.USE_CELERY_BROKER:
        return  # in-process: the next view computes what it needs
    places = [region_id, None] if region_id is not None else [None]
    for place in places:
        if not cache.add(f"{_PREFIX}:refresh-queued:{place or ALL}", 1, REFRESH_DELAY + 30):
            continue
        try:
            from .tasks import boards_refresh_task

            boards_refresh_task.apply_async(kwargs={"region_id": place},
                                            countdown=REFRESH_DELAY)
        except Exception:
            cache.delete(f"{_PREFIX}:refresh-queued:{place or ALL}")
            logger.warning("boards refresh of region %s not queued", place, exc_info=True)


def boards_refresh(region_id: int | None) -> int:
    """Compute again the boards of the region (``None``: national ones) viewed lately, with
    the data as it is now; returns how many. Run by the refresh task after a write."""
    from core.models import User

    from .selectors import filters_from

    cache.delete(f"{_PREFIX}:refresh-queued:{region_id or ALL}")
    views = cache.get(_views_key(region_id)) or []
    users = User.objects.in_bulk({user_id for user_id, _ in views})
    done = 0
    for user_id, params in views:
        user = users.get(user_id)
        if user is None or not user.is_active:
            continue
        try:
            filters = filters_from(user, dict(params))
        except Http404:  # the user lost the region, or the municipality is gone
            continue
        if not rules.may_view_dashboard(user, filters.municipality or filters.region):
            continue
        day = timezone.localdate()
        key = board_key(user, filters, day)
        if cache.get(key) is None:
            _compute(user, filters, day, key)
            done += 1
    return done
