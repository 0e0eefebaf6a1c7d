"""Targeted recommendations (seed 004 §7): issued to a school's head, a curator school or a
municipality within the issuer's scope, acknowledged and reported on by the addressee with
evidence, accepted or returned by the issuer's side; each step tells whoever waits."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.files import upload_check
from core.models import Notification
from management.models import Recommendation
from management.services import (
    ManagementError,
    RecommendationInput,
    recommendation_acknowledge,
    recommendation_decide,
    recommendation_issue,
    recommendation_report,
)
from tests.files import pdf_bytes

pytestmark = pytest.mark.django_db


def _pdf():
    f = SimpleUploadedFile("Протокол.pdf", pdf_bytes("протокол"))
    return upload_check(f, f.name, f.size)


def _data(world, **kw):
    values = {"addressee": "school", "year": 2026, "school": world.school1,
              "text": "Провести педагогический совет по итогам ВПР и скорректировать программу.",
              "due_on": timezone.localdate() + datetime.timedelta(days=30)} | kw
    return RecommendationInput(**values)


def test_the_whole_cycle_tells_each_side(world_a):
    r = recommendation_issue(actor=world_a.regional_staff, region=world_a.region,
                             data=_data(world_a))
    assert Notification.objects.filter(recipient=world_a.school_coordinator,
                                       kind="management.recommendation").count() == 1
    with pytest.raises(ManagementError, match="Приложите файл"):
        recommendation_report(actor=world_a.school_coordinator, recommendation=r,
                              text="Сделано", upload=None)
    r = recommendation_acknowledge(actor=world_a.school_coordinator, recommendation=r)
    r = recommendation_report(actor=world_a.school_coordinator, recommendation=r,
                              text="Педсовет проведён 10.12", upload=_pdf())
    assert r.status == Recommendation.Status.REPORTED
    assert Notification.objects.filter(recipient=world_a.regional_staff).count() == 1
    with pytest.raises(ManagementError, match="чего не хватает"):
        recommendation_decide(actor=world_a.regional_staff, recommendation=r, accept=False)
    r = recommendation_decide(actor=world_a.regional_staff, recommendation=r, accept=False,
                              comment="Приложите протокол с подписями")
    assert r.status == Recommendation.Status.ACKNOWLEDGED
    r = recommendation_report(actor=world_a.school_coordinator, recommendation=r,
                              text="Протокол с подписями", upload=_pdf())
    r = recommendation_decide(actor=world_a.municipal_coordinator, recommendation=r,
                              accept=True)
    assert r.status == Recommendation.Status.ACCEPTED and not r.is_open


def test_bad_input_and_foreign_addressees_change_nothing(world_a, world_b):
    with pytest.raises(ManagementError, match="в прошлом"):
        recommendation_issue(actor=world_a.regional_staff, region=world_a.region,
                             data=_data(world_a, due_on=datetime.date(2020, 1, 1)))
    with pytest.raises(ManagementError, match="Выберите школу, которой школа-куратор"):
        recommendation_issue(actor=world_a.regional_staff, region=world_a.region,
                             data=_data(world_a, addressee="curator_school"))
    with pytest.raises(ManagementError, match="в другом регионе"):
        recommendation_issue(actor=world_a.regional_staff, region=world_a.region,
                             data=_data(world_a, school=world_b.school1))
    with pytest.raises(PermissionDenied):  # a municipal coordinator outside its municipality
        recommendation_issue(actor=world_a.municipal_coordinator, region=world_a.region,
                             data=_data(world_a, school=world_a.school_other))
    with pytest.raises(PermissionDenied):  # a school does not issue recommendations
        recommendation_issue(actor=world_a.school_coordinator, region=world_a.region,
                             data=_data(world_a))
    assert not Recommendation.objects.exists()


def test_only_the_addressee_answers(world_a):
    r = recommendation_issue(actor=world_a.regional_staff, region=world_a.region,
                             data=_data(world_a, addressee="municipality", school=None,
                                        municipality=world_a.municipality))
    with pytest.raises(PermissionDenied):
        recommendation_acknowledge(actor=world_a.school_coordinator, recommendation=r)
    recommendation_acknowledge(actor=world_a.municipal_coordinator, recommendation=r)
    with pytest.raises(ManagementError, match="уже в состоянии"):
        recommendation_acknowledge(actor=world_a.municipal_coordinator, recommendation=r)


def test_pages_home_and_form(client, world_a):
    client.force_login(world_a.regional_staff)
    due = (timezone.localdate() + datetime.timedelta(days=10)).strftime("%d.%m.%Y")
    response = client.post(reverse("management:recommendation_new"), {
        "addressee": "curator_school", "school": world_a.school2.pk,
        "helped_school": world_a.school1.pk, "text": "Провести для школы мастер-классы",
        "due_on": due})
    r = Recommendation.objects.get()
    assert response.status_code == 302 and r.helped_school == world_a.school1
    response = client.post(reverse("management:recommendation_new"), {
        "addressee": "school", "text": "Без школы", "due_on": due})
    assert response.status_code == 400
    assert "Выберите школу, которой адресована" in response.content.decode()
    # an addressee outside the issuer's scope is not there for it: 404, nothing written
    client.force_login(world_a.municipal_coordinator)
    response = client.post(reverse("management:recommendation_new"), {
        "addressee": "school", "school": world_a.school_other.pk, "text": "Чужой школе",
        "due_on": due})
    assert response.status_code == 404 and Recommendation.objects.count() == 1
    client.force_login(world_a.regional_staff)
    # the curator school's coordinator — none in this world; the school is school2's
    client.force_login(world_a.school_coordinator)  # coordinator of school1: not addressed
    assert client.get(r.get_absolute_url()).status_code == 404
    client.force_login(world_a.municipal_coordinator)
    page = client.get(reverse("management:recommendations") + "?overdue=true").content.decode()
    assert "Рекомендаций с таким отбором нет" in page
    Recommendation.objects.update(due_on=datetime.date(2024, 1, 1))
    page = client.get(reverse("management:recommendations") + "?overdue=true").content.decode()
    assert "просрочена" in page and "мастер-классы" in page


def test_the_addressees_home_lists_what_to_do(client, world_a):
    r = recommendation_issue(actor=world_a.regional_staff, region=world_a.region,
                             data=_data(world_a))
    client.force_login(world_a.school_coordinator)
    home = client.get(reverse("core:home")).content.decode()
    assert "Принять к исполнению рекомендацию" in home and r.get_absolute_url() in home
    recommendation_acknowledge(actor=world_a.school_coordinator, recommendation=r)
    recommendation_report(actor=world_a.school_coordinator, recommendation=r,
                          text="Сделано", upload=_pdf())
    client.force_login(world_a.regional_staff)
    home = client.get(reverse("core:home")).content.decode()
    assert "Проверить отчёт по рекомендации" in home
