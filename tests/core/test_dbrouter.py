"""Dashboards and their exports read a PostgreSQL read replica when it has caught up with
the primary (core.dbrouter); writes and every other page stay on the primary. The replica is
a second database alias here (config/settings/test.py: a mirror of the test database)."""

from __future__ import annotations

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import audit
from core.dbrouter import replica_reads
from core.models import AuditEntry

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@pytest.fixture
def replica(settings):
    settings.DATABASE_READ_REPLICA = "replica"
    return connections["replica"]


def _dashboard(client, user):
    client.force_login(user)
    with CaptureQueriesContext(connections["replica"]) as on_replica, \
            CaptureQueriesContext(connections["default"]) as on_primary:
        response = client.get(reverse("monitoring:dashboard"), {"year": 2022})
    assert response.status_code == 200
    return response, len(on_replica), len(on_primary)


def test_the_dashboard_is_computed_on_the_replica(client, world_a, replica):
    response, on_replica, on_primary = _dashboard(client, world_a.regional_staff)
    assert response.context["board"].schools == 3  # world_a: three participating schools
    assert on_replica >= 15, "the board's aggregates did not go to the replica"
    assert on_primary < on_replica  # the session, the scope, the watermark and the filters


def test_a_replica_behind_the_primary_is_not_read(client, world_a, replica, monkeypatch):
    real = audit.watermark
    monkeypatch.setattr(audit, "watermark", lambda region_id, using="default": (
        (0, 0) if using == "replica" else real(region_id)))
    _, on_replica, _ = _dashboard(client, world_a.regional_staff)
    assert on_replica == 0


def test_without_a_replica_everything_reads_the_primary(client, world_a, settings):
    settings.DATABASE_READ_REPLICA = ""
    _, on_replica, _ = _dashboard(client, world_a.regional_staff)
    assert on_replica == 0


def test_writes_inside_replica_reads_go_to_the_primary(world_a, replica):
    with replica_reads(world_a.region.pk) as alias:
        assert alias == "replica"
        entry = audit.record(None, "test.router.written", world_a.school1)
    assert entry._state.db == "default"
    assert AuditEntry.objects.using("default").filter(pk=entry.pk).exists()
