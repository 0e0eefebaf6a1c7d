"""The dashboard keeps its computed board until data of its region changes (monitoring.boards):
each underlying fact changed through its service shows on the next view, the refresh task
computes the viewed boards again so that view is served from the cache, and the page says
when its figures were computed."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.audit import data_changed
from core.services import membership_create
from curators.services import assignment_create
from monitoring import boards
from roadmaps.services import document_transition
from tests.risk_profiles.conftest import activate, catalogue, profile_a  # noqa: F401
from tests.roadmaps.conftest import kinds, upload  # noqa: F401
from training import services as training

pytestmark = pytest.mark.django_db

URL = reverse("monitoring:dashboard")


def _view(client, user, **params):
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, {"year": 2022, **params})
    assert response.status_code == 200
    return response.context["board"], len(queries), response.content.decode()


def _served_from_cache(client, user, before, **params):
    board, queries, _ = _view(client, user, **params)
    assert board.computed_at == before.computed_at
    return board, queries


def _refreshed(world):
    """What the task queued after a committed write does (boards_refresh_task)."""
    return boards.boards_refresh(world.region.pk)


def _checked(client, world, change, figure):
    """``figure(board)`` before ``change()`` and after it: the change shows on the next view,
    and after the refresh task that view is a cache hit with the new figure."""
    user = world.regional_staff
    first, cold, _ = _view(client, user)
    _, warm = _served_from_cache(client, user, first)
    assert warm < cold  # the hit reads no aggregate
    before = figure(first)
    change()
    assert _refreshed(world) == 1
    after, queries, _ = _view(client, user)
    assert queries == warm and after.computed_at >= first.computed_at
    assert figure(after) != before, (before, figure(after))
    return before, figure(after)


def test_a_document_approved_shows_on_the_dashboard(client, world_a, kinds):  # noqa: F811
    version = upload(world_a, kinds)
    before, after = _checked(
        client, world_a,
        lambda: document_transition(actor=world_a.curator, document=version.document,
                                    action="approve", version_number=1),
        lambda b: b.totals.approved)
    assert (before, after) == (0, 1)


def test_a_risk_activated_shows_on_the_dashboard(client, world_a, profile_a):  # noqa: F811
    def activated(board):
        return sorted((row.code, row.count) for row in board.risks.rows if row.count)

    before, after = _checked(
        client, world_a, lambda: activate(world_a.school_coordinator, profile_a, "R01"),
        activated)
    assert before == [] and after == [("R01", 1)]


def test_a_teacher_trained_shows_on_the_dashboard(client, world_a):
    staff = world_a.regional_staff
    course = training.course_create(actor=staff, region=world_a.region, title="Курс",
                                    audience="учителя", hours=36, form="distance",
                                    provider="ИРО")
    run = training.run_create(actor=staff, course=course, starts_on=datetime.date(2022, 9, 1),
                              ends_on=datetime.date(2022, 12, 1))
    member = training.staff_create(actor=world_a.school_coordinator, school=world_a.school1,
                                   full_name="Петрова Ольга Ивановна")
    enrolment = training.enrolment_create(actor=staff, run=run, member=member)
    before, after = _checked(
        client, world_a,
        lambda: training.enrolments_complete(actor=staff, run=run, enrolments=[enrolment],
                                             completed_on=datetime.date(2022, 12, 1),
                                             result="passed"),
        lambda b: (b.totals.staff, b.totals.trained))
    assert (before, after) == ((1, 0), (1, 1))


def test_a_curator_assigned_shows_on_the_dashboard(client, world_a):
    from core.roles import Role
    from tests.factories import UserFactory

    second = UserFactory(username="curator_second", last_name="Вторая")
    membership_create(actor=None, user=second, role=Role.CURATOR, region=world_a.region)
    before, after = _checked(
        client, world_a,
        lambda: assignment_create(actor=world_a.regional_staff, curator=second,
                                  school=world_a.school2, year=2022),
        lambda b: (b.curator_totals.name, b.curator_totals.schools))
    assert before[1] + 1 == after[1]


def test_the_page_says_when_its_figures_were_computed(client, world_a):
    board, _, html = _view(client, world_a.regional_staff)
    shown = timezone.localtime(board.computed_at).strftime("%H:%M")
    assert f"Данные на {shown}." in html


def test_a_change_committed_out_of_order_still_renews_the_board(client, world_a):
    """A transaction whose audit entry is older than one already committed renews the
    version token when it commits: the watermark alone would miss it."""
    first, _, _ = _view(client, world_a.regional_staff)
    data_changed.send(None, region_id=world_a.region.pk)
    again, _, _ = _view(client, world_a.regional_staff)
    assert again.computed_at > first.computed_at


def test_another_regions_write_and_a_sign_in_keep_the_board(client, world_a, world_b,
                                                            kinds):  # noqa: F811
    first, _, _ = _view(client, world_a.regional_staff)
    version = upload(world_b, kinds)
    document_transition(actor=world_b.curator, document=version.document, action="approve",
                        version_number=1)
    client.post(reverse("login"), {"username": world_a.curator.username, "password": "wrong"})
    _served_from_cache(client, world_a.regional_staff, first)


def test_each_scope_has_its_own_board(client, world_a):
    """The municipal coordinator never gets the regional staff's board from the cache."""
    staff, _, _ = _view(client, world_a.regional_staff)
    municipal, _, _ = _view(client, world_a.municipal_coordinator)
    assert municipal.filters.municipality == world_a.school1.municipality
    assert municipal.computed_at > staff.computed_at and municipal.schools <= staff.schools


def test_a_broker_that_is_down_costs_only_the_refresh(
        client, world_a, kinds, settings, monkeypatch,  # noqa: F811
        django_capture_on_commit_callbacks):
    from monitoring.tasks import boards_refresh_task

    def refuse(*args, **kwargs):
        raise ConnectionError("broker is down")

    first, _, _ = _view(client, world_a.regional_staff)
    settings.USE_CELERY_BROKER = True
    monkeypatch.setattr(boards_refresh_task, "apply_async", refuse)
    version = upload(world_a, kinds)
    with django_capture_on_commit_callbacks(execute=True):
        document = document_transition(actor=world_a.curator, document=version.document,
                                       action="approve", version_number=1)
    assert document.status == "approved"
    settings.USE_CELERY_BROKER = False
    after, _, _ = _view(client, world_a.regional_staff)
    assert after.totals.approved == first.totals.approved + 1


def test_a_write_queues_one_refresh_of_the_region(
        world_a, kinds, settings, monkeypatch, django_capture_on_commit_callbacks):  # noqa: F811
    from monitoring.tasks import boards_refresh_task

    queued = []
    settings.USE_CELERY_BROKER = True
    monkeypatch.setattr(boards_refresh_task, "apply_async",
                        lambda kwargs, countdown: queued.append((kwargs, countdown)))
    with django_capture_on_commit_callbacks(execute=True):
        upload(world_a, kinds)
        upload(world_a, kinds, "self_diagnosis")
    assert queued == [({"region_id": world_a.region.pk}, boards.REFRESH_DELAY),
                      ({"region_id": None}, boards.REFRESH_DELAY)]
