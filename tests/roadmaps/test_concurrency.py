"""Two people at the same moment (PostgreSQL: real row locks, real threads)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from roadmaps.models import Document, DocumentVersion, Review
from roadmaps.services import DocumentError, document_transition
from tests.roadmaps.conftest import pdf_bytes, upload

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql",
                                reason="row locks need PostgreSQL")


def _together(*jobs):
    """Run the jobs in threads released at one instant; return what each returned/raised."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def run(i, job):
        from django.db import connections

        try:
            barrier.wait()
            results[i] = job()
        except Exception as exc:  # noqa: BLE001 — the outcome under test
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


@pytest.mark.django_db(transaction=True)
def test_two_uploads_at_once_keep_both_versions_numbered_without_gaps(world_a, kinds):
    from core.roles import Role
    from core.services import membership_create
    from tests.factories import UserFactory

    second = UserFactory(username="school_a_deputy")
    membership_create(actor=None, user=second, role=Role.SCHOOL_COORDINATOR,
                      school=world_a.school1)
    results = _together(
        lambda: upload(world_a, kinds, content=pdf_bytes("первый координатор")),
        lambda: upload(world_a, kinds, content=pdf_bytes("второй координатор"), actor=second),
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert Document.objects.count() == 1
    assert sorted(DocumentVersion.objects.values_list("number", flat=True)) == [1, 2]
    assert Document.objects.get().version_count == 2


@pytest.mark.django_db(transaction=True)
def test_two_curators_approving_at_once_one_wins_and_the_other_is_told(world_a, kinds):
    from core.roles import Role
    from core.services import membership_create
    from curators.services import AssignmentTerms, assignment_create
    from tests.factories import UserFactory

    colleague = UserFactory(username="curator_a_2")
    membership_create(actor=None, user=colleague, role=Role.CURATOR, region=world_a.region)
    assignment_create(actor=None, curator=colleague, school=world_a.school1,
                      terms=AssignmentTerms(year=2022, co_curator=True))
    document = upload(world_a, kinds).document
    results = _together(
        lambda: document_transition(actor=world_a.curator, document=document,
                                    action="approve", version_number=1),
        lambda: document_transition(actor=colleague, document=document, action="approve",
                                    version_number=1),
    )
    errors = [r for r in results if isinstance(r, DocumentError)]
    assert len(errors) == 1 and "уже не на проверке" in str(errors[0])
    assert Review.objects.count() == 1
    assert Document.objects.get().status == "approved"
