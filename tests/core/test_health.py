"""/health/ says which service a host cannot reach (nginx, compose and cluster health checks
read it); /metrics has the requests, queries and job durations for Prometheus."""

from __future__ import annotations

import asyncio
import json

import pytest

from core.jobs import job_run, job_start
from tests import s3server
from tests.core.test_celery_pipeline import redis_worker  # noqa: F401

pytestmark = pytest.mark.django_db


def _health(client):
    response = client.get("/health/")
    return response.status_code, json.loads(response.content)


def _failing(body: dict) -> list[str]:
    return sorted(name.split("(")[0] for name, state in body.items() if state != "OK")


def test_health_answers_without_signing_in_and_names_no_data(client, world_a):
    status, body = _health(client)
    assert status == 200, body
    assert sorted(name.split("(")[0] for name in body) == ["Cache", "Database", "Storage"]
    assert world_a.region.name not in json.dumps(body, ensure_ascii=False)


def test_health_fails_when_the_object_store_is_gone(client, settings):
    with s3server.s3_server() as endpoint:
        pass  # started and stopped: nothing listens there any more
    settings.STORAGES = {**settings.STORAGES,
                         "default": s3server.storage_settings(endpoint, "portal-gone")}
    status, body = _health(client)
    assert status == 500 and _failing(body) == ["Storage"]


def test_health_fails_when_the_broker_or_every_worker_is_gone(client, settings):
    settings.USE_CELERY_BROKER = True
    settings.HEALTH_CELERY_SECONDS = 1
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{s3server.free_port()}/0"
    status, body = _health(client)
    assert status == 500 and "Redis" in _failing(body)


@pytest.mark.celery_redis
@pytest.mark.django_db(transaction=True)
def test_health_makes_a_round_trip_to_a_worker_and_sees_it_come_back(client, settings,
                                                                     request):
    settings.USE_CELERY_BROKER = True
    settings.HEALTH_CELERY_SECONDS = 1
    status, body = _health(client)
    assert status == 500 and _failing(body) == ["WorkerRoundTrip"], body
    request.getfixturevalue("redis_worker")  # a worker starts
    status, body = _health(client)
    assert status == 200, json.dumps(body)
    assert {"Redis", "WorkerRoundTrip"} <= {name.split("(")[0] for name in body}


def test_metrics_count_requests_queries_and_job_durations(client, world_a):
    job_run(job_start(actor=world_a.regional_staff, kind="core.audit_export").pk)
    client.force_login(world_a.regional_staff)
    client.get("/")
    text = client.get("/metrics").content.decode()
    assert "django_http_requests_total_by_view_transport_method_total" in text
    assert "django_db_execute_total" in text
    assert 'portal_job_duration_seconds_count{kind="core.audit_export",status="succeeded"}' in text


def test_health_answers_in_a_thread_that_drives_an_event_loop(client):
    # Playwright's sync API (and any asyncio caller) keeps a loop running in its thread,
    # where the library's coroutine view could not be run for a synchronous caller.
    async def from_inside_a_loop():
        return _health(client)

    status, body = asyncio.run(from_inside_a_loop())
    assert status == 200, body


@pytest.mark.django_db(databases=["default", "replica"])
def test_health_checks_the_read_replica_when_one_is_configured(client, settings):
    settings.DATABASE_READ_REPLICA = "replica"
    status, body = _health(client)
    assert status == 200, body
    assert any("replica" in name for name in body), body
