"""Reads that may go to a read replica of PostgreSQL: dashboards and their exports
(monitoring.boards, the report jobs) read inside :func:`replica_reads`; everything else —
every write, every page a person acts on — reads the primary.

A replica lags behind its primary. A board computed from a replica that has not yet
replayed the newest change would be kept in the cache as if it were current, so the replica
is used only when its newest data-changing audit entry is the primary's
(core.audit.watermark); otherwise the primary answers.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

_reading: ContextVar[str | None] = ContextVar("portal_replica_reads", default=None)


def replica_alias() -> str:
    """The alias of the read replica ('' when there is none: DATABASE_REPLICA_URL unset)."""
    return settings.DATABASE_READ_REPLICA


@contextmanager
def replica_reads(region_id: int | None = None):
    """Reads inside go to the replica when it holds the region's newest change; yields the
    alias read from."""
    from .audit import watermark

    alias = replica_alias()
    if not alias or watermark(region_id, using=alias) < watermark(region_id):
        yield "default"
        return
    token = _reading.set(alias)
    try:
        yield alias
    finally:
        _reading.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return _reading.get()

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is the primary's copy: the same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
