"""Everyone waiting for a measure's evidence or a document is told (issue 23), with the
kind of the change: the curators of that year when the school sends, the school's
coordinators when the curator confirms or returns — never the actor, never another
region, nobody when the change is rolled back; the school's choice is honoured."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction

from core.models import Notification, NotificationChannel, NotificationPreference
from core.roles import Role
from core.services import membership_create
from curators.services import assignment_create
from roadmaps.models import ReturnReason
from roadmaps.services import document_transition
from roadmaps.services.plans import ItemInput, item_add, item_complete, school_roadmap_start
from tests.factories import UserFactory
from tests.roadmaps.conftest import checked, pdf_bytes, risk, upload

DONE = datetime.date(2022, 3, 20)


@pytest.fixture
def school_map(world_a, risky_a, kinds):
    return school_roadmap_start(actor=world_a.school_coordinator, school=world_a.school1,
                                year=2022)


@pytest.fixture
def measure(world_a, school_map):
    return item_add(actor=world_a.school_coordinator, roadmap=school_map,
                    data=ItemInput(activity="Педсовет по адаптации", deadline_text="март 2022",
                                   risk_factor=risk("R01")))


def _told():
    return sorted((n.recipient.username, n.kind) for n in Notification.objects.all())


def _complete(world, item, name="протокол.pdf"):
    return item_complete(actor=world.school_coordinator, item=item, done_on=DONE,
                         note="Протокол", upload=checked(pdf_bytes(name), name))


def test_evidence_sent_confirmed_and_returned_reach_who_waits(world_a, world_b, measure):
    other = UserFactory(username="curator_2023", last_name="Будущева")
    membership_create(actor=None, user=other, role=Role.CURATOR, region=world_a.region)
    assignment_create(actor=None, curator=other, school=world_a.school1, year=2023)
    item = _complete(world_a, measure)
    # the curator of 2022 reviews it; the curator assigned for 2023 only is not told
    assert _told() == [("curator_a", "roadmaps.evidence.submitted")]
    sent = Notification.objects.get()
    assert sent.title == "Подтверждение мероприятия на проверку: Школа a1"
    assert "«Педсовет по адаптации»" in sent.body
    assert sent.url == item.evidence.get_absolute_url()

    Notification.objects.all().delete()
    document_transition(actor=world_a.curator, document=item.evidence, action="return",
                        version_number=1, comment="Нет подписи",
                        reasons=list(ReturnReason.objects.all()[:1]))
    assert _told() == [("school_a", "roadmaps.evidence.returned")]
    returned = Notification.objects.get()
    assert returned.title.startswith("Подтверждение мероприятия возвращено на доработку: ")
    assert "Педсовет по адаптации" in returned.title
    assert "Нет подписи" in returned.body and "странице мероприятия" in returned.body
    assert returned.url == item.get_absolute_url()

    Notification.objects.all().delete()
    item = _complete(world_a, item, "протокол-2.pdf")
    document_transition(actor=world_a.curator, document=item.evidence, action="approve",
                        version_number=2)
    assert _told() == [("curator_a", "roadmaps.evidence.submitted"),
                       ("school_a", "roadmaps.evidence.confirmed")]
    confirmed = Notification.objects.get(kind="roadmaps.evidence.confirmed")
    assert confirmed.title.startswith("Выполнение мероприятия подтверждено: ")
    assert confirmed.url == item.get_absolute_url() and confirmed.region == world_a.region


def test_a_rolled_back_confirmation_tells_nobody(world_a, measure):
    item = _complete(world_a, measure)
    Notification.objects.all().delete()
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            document_transition(actor=world_a.curator, document=item.evidence,
                                action="approve", version_number=1)
            raise RuntimeError("a later step failed")
    assert not Notification.objects.exists()


def test_the_school_s_choice_is_honoured(world_a, measure):
    NotificationPreference.objects.create(user=world_a.school_coordinator,
                                          kind="roadmaps.evidence.confirmed",
                                          channel=NotificationChannel.DIGEST)
    item = _complete(world_a, measure)
    document_transition(actor=world_a.curator, document=item.evidence, action="approve",
                        version_number=1)
    assert Notification.objects.get(kind="roadmaps.evidence.confirmed").channel == "digest"
    assert Notification.objects.get(kind="roadmaps.evidence.submitted").channel == "email"


def test_documents_carry_their_kinds(world_a, world_b, kinds, risky_a):
    document = upload(world_a, kinds, "concept").document
    assert _told() == [("curator_a", "roadmaps.document.submitted")]
    Notification.objects.all().delete()
    document_transition(actor=world_a.curator, document=document, action="approve",
                        version_number=1)
    assert _told() == [("school_a", "roadmaps.document.approved")]
