"""After a decision the curator goes on to the next item of its review queue, in the queue's
order (oldest submission first); when none is left, to the queue page. Another region's or
another curator's item is never the next one."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from core.roles import Role
from core.services import membership_create
from curators.selectors import profile_queue_for, review_queue_for
from curators.services import assignment_create
from risk_profiles.services import (
    ItemChange,
    profile_create,
    profile_transition,
    profile_update,
)
from roadmaps.models import ReturnReason
from roadmaps.services import Slot, document_upload
from tests.factories import UserFactory
from tests.risk_profiles.conftest import catalogue  # noqa: F401  (fixture)
from tests.roadmaps.conftest import checked, kinds, pdf_bytes  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

QUEUE = reverse("curators:queue")


def coordinator_of(school):
    user = UserFactory(username=f"coord_{school.pk}")
    membership_create(actor=None, user=user, role=Role.SCHOOL_COORDINATOR, school=school)
    return user


def submitted(actor, school, kinds, code):  # noqa: F811  (the fixture's name)
    return document_upload(actor=actor, school=school, year=2022,
                           upload=checked(pdf_bytes(f"{code} {school.pk}")),
                           slot=Slot(kind=kinds[code]), submit=True).document


def decide(client, document, action="approve"):
    data = {"action": action, "version": 1}
    if action == "return":
        data |= {"reasons": [ReturnReason.objects.order_by("position")[0].pk],
                 "comment": "Уточните цели"}
    response = client.post(reverse("roadmaps:document_decide", args=[document.public_id]),
                           data)
    return response, [str(m) for m in get_messages(response.wsgi_request)][-1:]  # this one's


@pytest.fixture
def queue(world_a, world_b, kinds):  # noqa: F811
    """Region A's curator has school 1; interleaved with its three documents are one of
    school 2 (same region, not its school) and one of region B."""
    a = world_a.school_coordinator
    first = submitted(a, world_a.school1, kinds, "concept")
    submitted(coordinator_of(world_a.school2), world_a.school2, kinds, "concept")
    second = submitted(a, world_a.school1, kinds, "self_diagnosis")
    submitted(world_b.school_coordinator, world_b.school1, kinds, "concept")
    third = submitted(a, world_a.school1, kinds, "midterm")
    return [first, second, third]


def test_each_decision_leads_to_the_next_document_of_the_queue_then_to_the_queue_page(
        client, world_a, queue):
    curator = world_a.curator
    # the order the decisions follow is the queue page's order
    assert [i.document for i in review_queue_for(curator, 2022)] == queue
    client.force_login(curator)
    response, messages = decide(client, queue[0])
    assert response.status_code == 302 and response.url == queue[1].get_absolute_url()
    assert messages == [f"Документ подтверждён. Школа получила уведомление. Следующий в "
                        f"очереди: «{queue[1].display_title}», Школа a1."]
    response, messages = decide(client, queue[1], "return")
    assert response.url == queue[2].get_absolute_url()
    assert messages[0].startswith("Документ возвращён школе на доработку.")
    assert f"Следующий в очереди: «{queue[2].display_title}»" in messages[0]
    response, messages = decide(client, queue[2])
    assert response.url == f"{QUEUE}?year=2022"
    assert messages == ["Документ подтверждён. Школа получила уведомление. Очередь пуста."]
    page = client.get(response.url).content.decode()
    assert "Очередь пуста." in page and "Документы ждут проверки: 0" in page


def test_a_decision_in_the_middle_goes_on_and_then_round_to_the_oldest(client, world_a,
                                                                       queue):
    client.force_login(world_a.curator)
    response, _ = decide(client, queue[1])
    assert response.url == queue[2].get_absolute_url()
    response, _ = decide(client, queue[2])
    assert response.url == queue[0].get_absolute_url()  # the one skipped still waits


def test_another_regions_or_curators_document_is_never_the_next(client, world_a, world_b,
                                                                kinds):  # noqa: F811
    only = submitted(world_a.school_coordinator, world_a.school1, kinds, "concept")
    submitted(coordinator_of(world_a.school2), world_a.school2, kinds, "concept")
    submitted(world_b.school_coordinator, world_b.school1, kinds, "concept")
    client.force_login(world_a.curator)
    response, messages = decide(client, only)
    assert response.url == f"{QUEUE}?year=2022"
    assert messages[0].endswith("Очередь пуста.")
    # region B's curator, deciding its own document, is not sent to region A's
    client.force_login(world_b.curator)
    document_b = review_queue_for(world_b.curator, 2022)[0].document
    response, _ = decide(client, document_b)
    assert response.url == f"{QUEUE}?year=2022"


def test_a_failed_decision_stays_on_the_document(client, world_a, queue):
    client.force_login(world_a.curator)
    decide(client, queue[0])
    response, messages = decide(client, queue[0])  # decided a moment ago
    assert response.url == queue[0].get_absolute_url()
    assert "Следующий в очереди" not in " ".join(messages)


# -- risk profiles ------------------------------------------------------------------------------
@pytest.fixture
def profiles(world_a, world_b, catalogue):  # noqa: F811
    """Region A's curator has schools 1 and 3 in 2022; their profiles were sent with the
    profile of school 2 (not its school) and one of region B in between."""
    assignment_create(actor=None, curator=world_a.curator, school=world_a.school_other,
                      year=2022)
    out = []
    for world, school in ((world_a, world_a.school1), (world_a, world_a.school2),
                          (world_b, world_b.school1), (world_a, world_a.school_other)):
        profile = profile_create(actor=world.regional_staff, school=school, year=2022)
        profile_update(actor=world.regional_staff, profile=profile, changes={"R01": ItemChange(
            activated=True, level="high", justification="Выявлено по анкетам ФИОКО")})
        profile_transition(actor=world.regional_staff, profile=profile, action="submit")
        out.append(profile)
    return [out[0], out[3]]


def transition(client, profile, action):
    response = client.post(reverse("risk_profiles:profile_transition",
                                   args=[profile.public_id]),
                           {"action": action, "comment": "Уточните обоснование"})
    return response, [str(m) for m in get_messages(response.wsgi_request)][-1:]  # this one's


def test_verifying_a_profile_leads_to_the_next_profile_then_to_the_queue_page(
        client, world_a, profiles):
    assert [i.profile for i in profile_queue_for(world_a.curator, 2022)] == profiles
    client.force_login(world_a.curator)
    response, messages = transition(client, profiles[0], "verify")
    assert response.url == profiles[1].get_absolute_url()
    assert messages == ["Риск-профиль подтверждён и закрыт для изменений. Следующий в "
                        "очереди: риск-профиль Школа a3."]
    page = client.get(QUEUE).content.decode()
    assert "Риск-профили ждут проверки: 1" in page and profiles[1].get_absolute_url() in page
    response, messages = transition(client, profiles[1], "return")
    assert response.url == f"{QUEUE}?year=2022"
    assert messages[0].endswith("Очередь пуста.")


def test_unlocking_a_verified_profile_stays_on_it(client, world_a, profiles):
    profile_transition(actor=world_a.curator, profile=profiles[0], action="verify")
    client.force_login(world_a.curator)
    response, _ = transition(client, profiles[0], "unlock")
    assert response.url == profiles[0].get_absolute_url()
