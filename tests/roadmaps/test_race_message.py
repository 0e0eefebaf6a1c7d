"""The message after uploading a new version tells what the upload found under its lock,
not what the page read a moment before (issue 22, item 13): when the curator's approval
lands between the two, the school is told its approved document was reopened — as the
audit says — and not that the version replaced one on review."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.models import AuditEntry
from roadmaps import services
from roadmaps.services import document_transition
from tests.roadmaps.conftest import a_file, pdf_bytes, upload

pytestmark = pytest.mark.django_db

REPLACED = "Она заменила на проверке предыдущую версию."
REOPENED = "Документ был подтверждён — новая версия снова требует проверки куратора."


def _meanwhile(monkeypatch, happen):
    """``happen`` runs after the view read the document and before the service locks it."""
    real = services.document_upload

    def upload_after(**kwargs):
        happen(kwargs["document"])
        return real(**kwargs)

    monkeypatch.setattr(services, "document_upload", upload_after)


def _post_version(client, document):
    return client.post(reverse("roadmaps:version_upload", args=[document.public_id]),
                       {"file": a_file(pdf_bytes("вторая редакция")), "submit": "on"},
                       follow=True).content.decode()


def test_an_approval_a_moment_before_the_upload_is_told_as_a_reopening(
        client, world_a, kinds, monkeypatch):
    document = upload(world_a, kinds).document
    assert document.status == "submitted"
    _meanwhile(monkeypatch, lambda doc: document_transition(
        actor=world_a.curator, document=doc, action="approve", version_number=1))
    client.force_login(world_a.school_coordinator)
    page = _post_version(client, document)
    assert "Версия 2 загружена. Документ отправлен куратору на проверку." in page
    assert REOPENED in page and REPLACED not in page
    submitted = AuditEntry.objects.filter(action="roadmaps.document.submitted",
                                          data__version=2).get()
    assert submitted.data["reopened"] is True and submitted.data["from"] == "approved"


def test_a_withdrawal_a_moment_before_the_upload_replaces_nothing(
        client, world_a, kinds, monkeypatch):
    document = upload(world_a, kinds).document
    _meanwhile(monkeypatch, lambda doc: document_transition(
        actor=world_a.school_coordinator, document=doc, action="withdraw"))
    client.force_login(world_a.school_coordinator)
    page = _post_version(client, document)
    assert "Версия 2 загружена. Документ отправлен куратору на проверку." in page
    assert REPLACED not in page and REOPENED not in page


def test_a_version_replacing_one_on_review_still_says_so(client, world_a, kinds):
    document = upload(world_a, kinds).document
    client.force_login(world_a.school_coordinator)
    page = _post_version(client, document)
    assert REPLACED in page and REOPENED not in page
