"""The curators' pages as their users meet them: the board, the curator page, the log, the
expertise sheet and the report — each form posted from the fields the page rendered."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import Job
from curators.models import (
    Affiliation,
    CuratorAssignment,
    CuratorOrder,
    ExpertiseSheet,
    WorkLogEntry,
)
from schools.models import ImportBatch
from tests.files import pdf_bytes
from tests.forms import form_fields

pytestmark = pytest.mark.django_db

BOARD = reverse("curators:board")


def test_board_shows_unassigned_schools_loads_and_the_load_check(client, world_a, world_b):
    client.force_login(world_a.regional_staff)
    html = client.get(BOARD).content.decode()
    assert "Кураторы на 2022 год" in html
    assert "Школы без куратора: 2" in html
    assert world_a.school2.short_name in html and world_a.school_other.short_name in html
    assert world_a.curator.short_name in html and "одна школа" in html
    assert "33,3%" in html or "33.3%" in html
    assert world_b.curator.last_name not in html and world_b.school2.short_name not in html


def test_bulk_assignment_from_the_board(client, world_a, second_curator, order_a):
    client.force_login(world_a.regional_staff)
    action = reverse("curators:bulk_assign")
    fields = form_fields(client.get(BOARD).content.decode(), action)
    fields.update({"curator": str(second_curator.public_id), "order": str(order_a.public_id),
                   "schools": [str(world_a.school2.public_id),
                               str(world_a.school_other.public_id)]})
    response = client.post(action, fields)
    assert response.status_code == 302
    assert set(CuratorAssignment.objects.filter(curator=second_curator)
               .values_list("school__short_name", flat=True)) == {
        world_a.school2.short_name, world_a.school_other.short_name}
    html = client.get(response["Location"]).content.decode()
    assert "Второва А.П.: назначено школ — 2." in html
    assert "У всех школ-участниц 2022 года есть куратор." in html


def test_a_conflict_is_shown_with_its_reason_and_nothing_is_assigned(client, world_a,
                                                                     second_curator):
    Affiliation.objects.create(region=world_a.region, user=second_curator,
                               municipality=world_a.municipality, school=world_a.school2)
    client.force_login(world_a.regional_staff)
    response = client.post(reverse("curators:bulk_assign"), {
        "year": 2022, "curator": second_curator.public_id,
        "schools": [world_a.school2.public_id]})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Конфликт интересов: Второва А.П. — работает в этой школе" in html
    assert not CuratorAssignment.objects.filter(curator=second_curator).exists()


def test_a_foreign_school_id_is_refused_by_the_form(client, world_a, world_b, second_curator):
    client.force_login(world_a.regional_staff)
    response = client.post(reverse("curators:bulk_assign"), {
        "year": 2022, "curator": second_curator.public_id,
        "schools": [world_b.school2.public_id]})
    assert response.status_code == 400
    assert "Школа не найдена среди школ без куратора" in response.content.decode()
    assert not CuratorAssignment.objects.filter(curator=second_curator).exists()


def test_an_order_with_a_future_date_is_refused(client, world_a):
    client.force_login(world_a.regional_staff)
    action = reverse("curators:order_create")
    fields = form_fields(client.get(BOARD).content.decode(), action)
    fields.update({"number": "300", "date": "2099-01-01"})
    response = client.post(action, fields)
    assert response.status_code == 400
    assert "ещё не наступила" in response.content.decode()
    assert not CuratorOrder.objects.exists()
    fields["date"] = "2022-03-09"
    fields["file"] = SimpleUploadedFile("prikaz.pdf", pdf_bytes("prikaz"))
    assert client.post(action, fields).status_code == 302
    order = CuratorOrder.objects.get()
    assert client.get(reverse("curators:order_file", args=[order.public_id])).status_code == 200


def test_the_curator_list_upload_leads_to_the_batch_preview(client, world_a):
    client.force_login(world_a.regional_staff)
    action = reverse("curators:curator_import")
    fields = form_fields(client.get(BOARD).content.decode(), action)
    content = ("Куратор;Количество школ;Территории\n"
               f"{world_a.curator.last_name} И.И.;2;{world_a.municipality.name}\n").encode()
    fields["file"] = SimpleUploadedFile("kuratory.csv", content)
    response = client.post(action, fields)
    batch = ImportBatch.objects.get(kind="curators")
    assert response.status_code == 302 and response["Location"] == batch.get_absolute_url()
    html = client.get(response["Location"]).content.decode()
    assert "Кураторы и закреплённые территории" in html or "кураторы" in html


def test_the_schools_import_form_does_not_offer_the_curator_list(client, world_a):
    client.force_login(world_a.regional_staff)
    html = client.get(reverse("schools:import_new")).content.decode()
    assert 'value="curators"' not in html


def test_curator_page_declares_a_work_place(client, world_a):
    client.force_login(world_a.curator)
    url = reverse("curators:curator_detail", args=[world_a.curator.public_id])
    action = reverse("curators:affiliation_add", args=[world_a.curator.public_id])
    fields = form_fields(client.get(url).content.decode(), action)
    fields.update({"municipality": str(world_a.other_municipality.public_id),
                   "position": "методист"})
    assert client.post(action, fields).status_code == 302
    place = Affiliation.objects.get()
    assert place.school is None and place.user == world_a.curator
    html = client.get(url).content.decode()
    assert f"органы управления образованием: {world_a.other_municipality.name}" in html


def test_ending_an_assignment_from_the_curator_page(client, world_a):
    assignment = CuratorAssignment.objects.get(curator=world_a.curator)
    url = reverse("curators:assignment_end", args=[assignment.public_id])
    client.force_login(world_a.curator)  # a curator cannot end its own assignment
    assert client.post(url, {"ends_on": "2022-12-31"}).status_code == 403
    client.force_login(world_a.regional_staff)
    response = client.post(url, {"ends_on": "2022-12-31"})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.ends_on == datetime.date(2022, 12, 31)
    assert assignment.ended_at is not None


def test_the_curator_writes_its_log(client, world_a):
    client.force_login(world_a.curator)
    page = client.get(reverse("curators:log")).content.decode()
    assert "Журнал пуст" in page
    action = reverse("curators:log_add")
    fields = form_fields(page, action)
    fields.update({"date": "2022-05-19", "kind": "visit", "minutes": "180",
                   "school": str(world_a.school1.public_id), "text": "Выезд в школу"})
    fields["evidence"] = SimpleUploadedFile("akt.pdf", pdf_bytes("akt"))
    assert client.post(action, fields).status_code == 302
    entry = WorkLogEntry.objects.get()
    html = client.get(reverse("curators:log")).content.decode()
    assert "19.05.2022" in html and "выезд в школу" in html and "akt.pdf" in html
    assert client.get(reverse("curators:log_evidence", args=[entry.public_id])
                      ).status_code == 200


def test_a_wrong_evidence_file_is_explained_and_nothing_is_written(client, world_a):
    client.force_login(world_a.curator)
    response = client.post(reverse("curators:log_add"), {
        "date": "2022-05-19", "kind": "visit", "minutes": "60", "text": "Выезд",
        "evidence": SimpleUploadedFile("akt.pdf", b"MZ\x90\x00 program")})
    assert response.status_code == 400
    assert "по содержимому" in response.content.decode()
    assert not WorkLogEntry.objects.exists()


def test_the_expertise_sheet_is_filled_from_the_page_and_published(client, world_a, scheme):
    client.force_login(world_a.curator)
    url = reverse("curators:sheet", args=[world_a.school1.public_id, 2022])
    fields = form_fields(client.get(url).content.decode(), url)
    for c in scheme.criteria.all():
        fields[f"points_{c.pk}"] = "2"
    first = scheme.criteria.first()
    fields[f"points_{first.pk}"] = "5"
    response = client.post(url, {**fields, "action": "publish"})
    assert response.status_code == 400
    assert "балл должен быть от 0 до 2, указано 5" in response.content.decode()
    assert not ExpertiseSheet.objects.exists()
    fields[f"points_{first.pk}"] = "1"
    assert client.post(url, {**fields, "action": "publish"}).status_code == 302
    assert ExpertiseSheet.objects.get().total == 13
    client.force_login(world_a.school_coordinator)
    html = client.get(url).content.decode()
    assert "13 из 14" in html and "зелёная зона" in html
    school_page = client.get(world_a.school1.get_absolute_url()).content.decode()
    assert "13 из 14\u00a0баллов" in school_page


def test_a_draft_sheet_is_not_shown_to_the_school(client, world_a, scheme):
    from curators.services import sheet_save

    sheet_save(actor=world_a.curator, school=world_a.school1, year=2022,
               scores={c.pk: (1, "") for c in scheme.criteria.all()})
    client.force_login(world_a.school_coordinator)
    url = reverse("curators:sheet", args=[world_a.school1.public_id, 2022])
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "save"}).status_code == 404


def test_expertise_page_shows_zones(client, world_a, scheme):
    from curators.services import sheet_save

    sheet_save(actor=world_a.curator, school=world_a.school1, year=2022,
               scores={c.pk: (0, "") for c in scheme.criteria.all()}, publish=True)
    client.force_login(world_a.regional_staff)
    html = client.get(reverse("curators:expertise")).content.decode()
    assert "Распределение по зонам" in html and "Наименьшие суммы баллов" in html
    assert "0\u00a0баллов" in html and "красная" in html


def test_report_page_and_pdf_job(client, world_a, order_a,
                                 django_capture_on_commit_callbacks):
    client.force_login(world_a.regional_staff)
    url = f"{reverse('curators:report')}?curator={world_a.curator.public_id}"
    html = client.get(url).content.decode()
    assert "Отчет по введению кураторства школ" in html and "Таблица 1" in html
    action = reverse("curators:report_pdf")
    fields = form_fields(html, action)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(action, fields)
    job = Job.objects.get(kind="curators.report_pdf")
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    job.refresh_from_db()
    assert job.status == "succeeded", job.message
    assert client.get(reverse("core:job_download", args=[job.public_id])).status_code == 200


def test_report_of_a_bad_period_is_explained(client, world_a):
    client.force_login(world_a.curator)
    html = client.get(reverse("curators:report"), {"date_from": "2022-12-01",
                                                   "date_to": "2022-01-01"}).content.decode()
    assert "Начало периода позже его конца" in html


def test_a_form_posted_without_its_year_is_a_bad_request(client, world_a, second_curator):
    client.force_login(world_a.regional_staff)
    response = client.post(reverse("curators:bulk_assign"), {
        "curator": second_curator.public_id, "schools": [world_a.school2.public_id]})
    assert response.status_code == 400
    assert not CuratorAssignment.objects.filter(curator=second_curator).exists()
