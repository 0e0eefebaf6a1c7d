"""The monitoring calendar of seed 004 §5: the five yearly events with their due dates, done
only with a result document, and reminders that reach the owner once per kind however
often the morning task runs."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.files import upload_check
from core.models import Notification
from management.models import MonitoringEvent
from management.services import (
    ManagementError,
    calendar_create,
    calendar_remind,
    event_complete,
)
from tests.files import pdf_bytes

pytestmark = pytest.mark.django_db


def _pdf(name="Итоги.pdf"):
    f = SimpleUploadedFile(name, pdf_bytes("итоги"))
    return upload_check(f, f.name, f.size)


@pytest.fixture
def events(world_a):
    return {e.code: e for e in calendar_create(actor=world_a.regional_staff,
                                               region=world_a.region, year=2022)}


def test_the_calendar_is_seed_004s(events):
    due = {code: e.due_on for code, e in events.items()}
    assert due == {"diagnosis": datetime.date(2022, 2, 28),
                   "risk_profiles": datetime.date(2022, 3, 31),
                   "interim": datetime.date(2022, 6, 30),
                   "final_support": datetime.date(2022, 12, 31),
                   "final_results": datetime.date(2022, 12, 31)}


def test_an_event_is_done_only_with_its_document(events, world_a):
    event = events["diagnosis"]
    with pytest.raises(ManagementError, match="итоговый документ"):
        event_complete(actor=world_a.regional_staff, event=event,
                       done_on=datetime.date(2022, 2, 20))
    with pytest.raises(ManagementError, match="в будущем"):
        event_complete(actor=world_a.regional_staff, event=event,
                       done_on=datetime.date(2100, 1, 1), upload=_pdf())
    with pytest.raises(PermissionDenied):
        event_complete(actor=world_a.municipal_coordinator, event=event,
                       done_on=datetime.date(2022, 2, 20), upload=_pdf())
    assert not MonitoringEvent.objects.filter(done_on__isnull=False).exists()
    done = event_complete(actor=world_a.regional_staff, event=event,
                          done_on=datetime.date(2022, 2, 20), upload=_pdf(), note="Выявлено")
    assert done.is_done and done.result_name == "Итоги.pdf"
    with pytest.raises(ManagementError, match="уже отмечено"):
        event_complete(actor=world_a.regional_staff, event=done,
                       done_on=datetime.date(2022, 2, 21), upload=_pdf())


def test_reminders_go_once_per_kind(events, world_a):
    owner = world_a.regional_staff
    week_before = datetime.date(2022, 2, 23)  # «diagnosis» is due on the 28th
    assert calendar_remind(day=week_before) == 1
    assert calendar_remind(day=week_before) == 0  # the same morning again: nothing new
    after = datetime.date(2022, 4, 2)  # «diagnosis» and «risk_profiles» are overdue now
    assert calendar_remind(day=after) == 2
    assert calendar_remind(day=after) == 0
    titles = list(Notification.objects.filter(recipient=owner).values_list("title", flat=True))
    assert sum("просрочено" in t for t in titles) == 2
    assert any("Срок мероприятия мониторинга — 28.02.2022" in t for t in titles)


def test_the_page_shows_states_and_takes_the_result(client, events, world_a):
    client.force_login(world_a.regional_staff)
    url = reverse("management:calendar") + "?year=2022"
    page = client.get(url).content.decode()
    assert page.count("просрочено") == 5  # today is past every 2022 due date
    response = client.post(reverse("management:event_complete",
                                   args=[events["diagnosis"].public_id]),
                           {"done_on": "20.02.2022", "note": "Выявлены дефициты"},
                           follow=True)
    assert "Приложите итоговый документ" in response.content.decode()
    f = SimpleUploadedFile("Справка.pdf", pdf_bytes("справка"), content_type="application/pdf")
    response = client.post(reverse("management:event_complete",
                                   args=[events["diagnosis"].public_id]),
                           {"done_on": "20.02.2022", "note": "Выявлены дефициты", "result": f},
                           follow=True)
    page = response.content.decode()
    assert "проведено 20.02.2022" in page and "Справка.pdf" in page
    client.force_login(world_a.municipal_coordinator)
    page = client.get(url).content.decode()
    assert "проведено 20.02.2022" in page and "Отметить проведённым" not in page
