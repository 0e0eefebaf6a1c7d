"""``/health/``: whether this host can serve — the database, the cache, the object store (a
file written, read back and removed), and with a broker: Redis and a Celery round trip to a
worker (django-health-check). 200 when every check passes, 500 otherwise; ``?format=json``
for machines (nginx, compose and cluster health checks, monitoring). Open without signing
in, and it names no data: only which service answers."""

from __future__ import annotations

import asyncio
import datetime
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import transaction
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.decorators import method_decorator
from django.views.generic import View
from health_check.contrib.celery import Ping
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView


class WorkerRoundTrip(Ping):
    """Celery's ping to every worker and their queues, over a connection of its own each time:
    the app's shared control connection, once a ping found no worker, kept failing after a
    worker came back."""

    def run(self):
        with self.app.connection_for_write() as connection:
            try:
                replies = self.app.control.ping(timeout=self.timeout.total_seconds(),
                                                limit=self.limit, connection=connection)
            except OSError as e:
                raise ServiceUnavailable("broker unreachable") from e
            if not replies:
                raise ServiceUnavailable("no Celery worker answered")
            workers = list(self.active_workers(replies))
            queues = {queue.get("name") for found in (self.app.control.inspect(
                workers, connection=connection).active_queues() or {}).values()
                for queue in found}
        if self.app.conf.task_default_queue not in queues:
            raise ServiceUnavailable(f"no worker for queue {self.app.conf.task_default_queue}")


def _checks() -> list:
    checks: list = ["health_check.checks.Database", "health_check.checks.Cache",
                    "health_check.checks.Storage"]
    if settings.DATABASE_READ_REPLICA:
        checks.append(("health_check.checks.Database",
                       {"alias": settings.DATABASE_READ_REPLICA}))
    if settings.USE_CELERY_BROKER:
        from redis.asyncio import Redis

        broker = settings.CELERY_BROKER_URL
        checks += [("health_check.contrib.redis.Redis",
                    {"client_factory": lambda: Redis.from_url(broker)}),
                   (WorkerRoundTrip,
                    {"timeout": datetime.timedelta(seconds=settings.HEALTH_CELERY_SECONDS)})]
    return checks


class PortalHealthView(HealthCheckView):
    """Always JSON (a machine reads it): {check: "OK" or what failed}.

    A plain (synchronous) view: the library's view is a coroutine that Django runs with
    ``async_to_sync``, which refuses to run in a thread where an event loop is already
    running (any caller that drives an asyncio loop in its thread, as Playwright's sync API
    does). The checks run on a loop of their own in a short-lived thread instead."""

    @method_decorator(transaction.non_atomic_requests)
    def dispatch(self, request, *args, **kwargs):
        response = View.dispatch(self, request, *args, **kwargs)
        patch_vary_headers(response, ["Accept"])
        add_never_cache_headers(response)
        return response

    def get(self, request, *args, **kwargs):
        with ThreadPoolExecutor(max_workers=1) as thread:
            return thread.submit(asyncio.run, HealthCheckView.get(
                self, request, *args, **kwargs)).result()

    def get_checks(self):
        self.checks = _checks()
        return super().get_checks()

    def render_to_response(self, context, **kwargs):
        return self.render_to_response_json(kwargs.get("status", 200))

    def render_to_response_text(self, status):
        return self.render_to_response_json(status)
