"""The document pages as their users meet them: checklist, upload, review, thread, files."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.models import Notification
from roadmaps.models import Document, DocumentVersion, ReturnReason
from roadmaps.services import document_transition
from tests.forms import form_fields
from tests.roadmaps.conftest import a_file, docx_bytes, pdf_bytes, upload

pytestmark = pytest.mark.django_db


def checklist_url(world, year=2022):
    return reverse("roadmaps:checklist", args=[world.school1.public_id, year])


def upload_url(world, year=2022):
    return reverse("roadmaps:document_upload", args=[world.school1.public_id, year])


def test_checklist_lists_what_is_due_and_flags_risks_without_a_programme(
        client, world_a, kinds, risky_a):
    upload(world_a, kinds, "risk_program", risk_code="R01")
    client.force_login(world_a.school_coordinator)
    html = client.get(checklist_url(world_a)).content.decode()
    # self-diagnosis, concept, midterm, two anti-risk programmes (R01, R02)
    assert "Подтверждено 0 из 5" in html and "загружено 1 из 5" in html
    assert "Нет антирисковой программы по активированным рискам (1)" in html
    assert "R02</span>. Дефицит педагогических кадров" in html
    assert f"{upload_url(world_a)}?kind=concept" in html


def test_checklist_is_complete_when_everything_due_is_approved(client, world_a, kinds):
    for code in ("self_diagnosis", "concept", "midterm"):
        version = upload(world_a, kinds, code, content=pdf_bytes(code))
        document_transition(actor=world_a.curator, document=version.document,
                            action="approve", version_number=1)
    client.force_login(world_a.school_coordinator)
    html = client.get(checklist_url(world_a)).content.decode()
    assert "Подтверждено 3 из 3" in html and "все документы подтверждены" in html


def test_upload_form_posts_its_own_fields(client, world_a, kinds):
    client.force_login(world_a.school_coordinator)
    page = client.get(f"{upload_url(world_a)}?kind=concept").content.decode()
    fields = form_fields(page, upload_url(world_a))
    assert fields["kind"] == "concept" and fields["submit"] == "on"
    fields["file"] = a_file(pdf_bytes("моя концепция"), "C:\\Документы\\Концепция.pdf")
    response = client.post(upload_url(world_a), fields)
    document = Document.objects.get()
    assert response.status_code == 302 and response["Location"] == document.get_absolute_url()
    assert document.status == "submitted"
    assert document.versions.get().original_name == "Концепция.pdf"


@pytest.mark.parametrize(("content", "name", "message"), [
    (b"MZ\x90\x00" + b"\0" * 64, "program.pdf", "исполняемый файл Windows"),
    (b"", "пусто.pdf", "пустой"),
])
def test_bad_files_are_refused_on_the_page_and_nothing_is_written(
        client, world_a, kinds, content, name, message):
    client.force_login(world_a.school_coordinator)
    response = client.post(upload_url(world_a), {"kind": "concept", "file": a_file(content,
                                                                                   name)})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Document.objects.exists() and not DocumentVersion.objects.exists()


def test_curator_returns_with_reasons_and_the_school_sees_them(client, world_a, kinds):
    document = upload(world_a, kinds).document
    client.force_login(world_a.curator)
    url = reverse("roadmaps:document_decide", args=[document.public_id])
    page = client.get(document.get_absolute_url()).content.decode()
    assert "Решение куратора по версии 1" in page
    # no reason ticked: the form says so, nothing changes
    response = client.post(url, {"action": "return", "version": 1, "comment": "Доработать"})
    assert response.status_code == 400
    assert "Отметьте хотя бы одну причину" in response.content.decode()
    document.refresh_from_db()
    assert document.status == "submitted"
    reason = ReturnReason.objects.get(code="causes")
    client.post(url, {"action": "return", "version": 1, "reasons": [reason.pk],
                      "comment": "Опишите причины рисков"})
    document.refresh_from_db()
    assert document.status == "returned"
    client.force_login(world_a.school_coordinator)
    page = client.get(document.get_absolute_url()).content.decode()
    assert "Версия 1 возвращена на доработку" in page
    assert "Анализ не отражает причины возникновения рисков" in page
    assert "Опишите причины рисков" in page


def test_second_decision_is_told_it_came_too_late(client, world_a, kinds):
    document = upload(world_a, kinds).document
    document_transition(actor=world_a.curator, document=document, action="approve")
    client.force_login(world_a.curator)
    response = client.post(reverse("roadmaps:document_decide", args=[document.public_id]),
                           {"action": "approve", "version": 1}, follow=True)
    assert "Документ уже не на проверке" in response.content.decode()


def test_read_only_roles_get_403_on_actions(client, world_a, kinds):
    document = upload(world_a, kinds).document
    cases = [
        (world_a.municipal_coordinator, "roadmaps:document_decide", {"action": "approve",
                                                                     "version": 1}),
        (world_a.curator, "roadmaps:version_upload", {}),
        (world_a.regional_staff, "roadmaps:document_action", {"action": "withdraw"}),
    ]
    for user, name, data in cases:
        client.force_login(user)
        assert client.post(reverse(name, args=[document.public_id]), data).status_code == 403
    # a methodist has no school in its scope: the document does not exist for it
    client.force_login(world_a.methodist)
    assert client.post(reverse("roadmaps:comment_add", args=[document.public_id]),
                       {"body": "x"}).status_code == 404
    client.force_login(world_a.curator)
    assert client.get(upload_url(world_a)).status_code == 403
    document.refresh_from_db()
    assert document.status == "submitted" and document.version_count == 1


def test_old_versions_stay_downloadable_and_pdfs_preview_inline(client, world_a, kinds):
    first = upload(world_a, kinds, content=pdf_bytes("первая"))
    upload(world_a, kinds, content=pdf_bytes("вторая"), document=first.document)
    client.force_login(world_a.regional_staff)
    response = client.get(first.get_download_url())
    assert response.status_code == 200 and b"".join(response.streaming_content) == pdf_bytes(
        "первая")
    assert response["Content-Disposition"].startswith("attachment")
    inline = client.get(first.get_download_url() + "?inline=1")
    assert inline["Content-Disposition"].startswith("inline")
    assert inline["X-Frame-Options"] == "SAMEORIGIN"


def test_compare_shows_the_text_changes_of_docx_versions(client, world_a, kinds):
    first = upload(world_a, kinds, content=docx_bytes("Цель", "Задача 1", "Итог"),
                   name="к.docx")
    upload(world_a, kinds, content=docx_bytes("Цель", "Задача 1 с измеримым результатом",
                                              "Итог"), name="к.docx", document=first.document)
    client.force_login(world_a.school_coordinator)
    html = client.get(reverse("roadmaps:version_compare",
                              args=[first.document.public_id])).content.decode()
    assert "Удалено: </span>Задача 1</del>" in html
    assert "Добавлено: </span>Задача 1 с измеримым результатом</ins>" in html


def test_thread_reply_and_the_bell(client, world_a, kinds):
    document = upload(world_a, kinds).document
    client.force_login(world_a.curator)
    home = client.get("/").content.decode()
    assert 'class="bell__count">1<' in home
    client.post(reverse("roadmaps:comment_add", args=[document.public_id]),
                {"body": "Добавьте раздел о ресурсах"})
    client.force_login(world_a.school_coordinator)
    page = client.get(document.get_absolute_url()).content.decode()
    assert "Добавьте раздел о ресурсах" in page
    note = Notification.objects.get(recipient=world_a.school_coordinator)
    response = client.post(reverse("core:notification_open", args=[note.public_id]))
    assert response["Location"] == document.get_absolute_url()
    note.refresh_from_db()
    assert note.read_at is not None
    assert "bell__count" not in client.get("/").content.decode()


def test_queue_shows_the_curators_waiting_documents_and_the_regions_hold_times(
        client, world_a, kinds):
    version = upload(world_a, kinds)
    client.force_login(world_a.curator)
    html = client.get(reverse("curators:queue")).content.decode()
    assert "Документы ждут проверки: 1" in html and version.document.get_absolute_url() in html
    home = client.get("/").content.decode()
    assert "Очередь проверки документов 2022 года: 1" in home
    document_transition(actor=world_a.curator, document=version.document, action="approve")
    client.force_login(world_a.regional_staff)
    html = client.get(reverse("curators:queue")).content.decode()
    assert "Документы ждут проверки: 0" in html and "Проверка по кураторам в 2022 году" in html
    assert world_a.curator.short_name in html


def test_school_page_shows_documents_by_status(client, world_a, kinds):
    upload(world_a, kinds)
    client.force_login(world_a.municipal_coordinator)
    html = client.get(world_a.school1.get_absolute_url()).content.decode()
    assert "Чек-лист документов 2022 года" in html and "Подтверждено 0 из 3" in html
