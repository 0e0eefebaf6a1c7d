"""The document services: uploads, every transition, the thread, bad input."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.utils import timezone

from core.models import AuditEntry, Notification
from roadmaps.models import Document, DocumentVersion, ReturnReason, Review
from roadmaps.services import DocumentError, document_transition, kinds_load
from roadmaps.services import comment_add as comment_add_service
from tests.roadmaps.conftest import docx_bytes, pdf_bytes, upload

pytestmark = pytest.mark.django_db


def stored_files(world) -> list[str]:
    base = f"documents/{world.region.pk}/{world.school1.public_id}/2022"
    if not default_storage.exists(base):
        return []
    return default_storage.listdir(base)[1]


def reasons(*codes):
    return list(ReturnReason.objects.filter(code__in=codes))


# -- kinds -----------------------------------------------------------------------------------------
def test_kinds_load_creates_the_seed_set_then_copies_it_to_the_next_year(kinds):
    assert list(kinds) == ["self_diagnosis", "concept", "midterm", "risk_program",
                           "stage_report", "other"]
    assert "измеримый результат" in kinds["midterm"].requirements
    assert kinds["risk_program"].mode == "per_risk"
    assert kinds_load(actor=None, year=2022) == 0  # a configured year is left alone
    assert kinds_load(actor=None, year=2023) == 6
    assert AuditEntry.objects.filter(action="roadmaps.kinds.loaded").count() == 2


def test_kinds_load_is_for_administrators_only(world_a):
    with pytest.raises(DocumentError, match="только администратор"):
        kinds_load(actor=world_a.regional_staff, year=2022)


def test_default_return_reasons_come_from_seed_001(db):
    titles = list(ReturnReason.objects.values_list("title", flat=True))
    assert "Анализ не отражает причины возникновения рисков" in titles
    assert "Исполнители — только администрация школы" in titles
    assert len(titles) == 7


# -- uploads ---------------------------------------------------------------------------------------
def test_upload_creates_an_immutable_version_and_sends_it_to_the_curator(
        world_a, kinds, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        version = upload(world_a, kinds, note="первая редакция")
    document = version.document
    assert (document.status, document.version_count, version.number) == ("submitted", 1, 1)
    assert version.extension == "pdf" and version.size == len(version.file.read())
    assert len(version.sha256) == 64 and version.submitted_at is not None
    assert version.original_name == "концепция.pdf"
    assert "концепция" not in version.file.name  # the stored name is never the user's
    actions = set(AuditEntry.objects.filter(target_id=str(document.public_id))
                  .values_list("action", flat=True))
    assert actions == {"roadmaps.document.created", "roadmaps.version.uploaded",
                       "roadmaps.document.submitted"}
    note = Notification.objects.get(recipient=world_a.curator)
    assert "Концепция развития" in note.title and note.url == document.get_absolute_url()
    assert [m.to for m in mail.outbox] == [[world_a.curator.email]]
    assert "Концепция развития" in mail.outbox[0].subject


def test_upload_as_draft_waits_for_submit(world_a, kinds):
    version = upload(world_a, kinds, submit=False)
    document = version.document
    assert document.status == "draft" and version.submitted_at is None
    assert not Notification.objects.exists()
    document_transition(actor=world_a.school_coordinator, document=document, action="submit")
    document.refresh_from_db()
    assert document.status == "submitted"
    assert Notification.objects.filter(recipient=world_a.curator).count() == 1


def test_identical_bytes_are_refused_and_nothing_is_stored(world_a, kinds):
    version = upload(world_a, kinds, content=pdf_bytes("одна и та же"), submit=False)
    before = stored_files(world_a)
    with pytest.raises(DocumentError, match="совпадает с версией 1"):
        upload(world_a, kinds, content=pdf_bytes("одна и та же"), document=version.document)
    assert stored_files(world_a) == before
    assert DocumentVersion.objects.count() == 1


def test_same_slot_twice_adds_a_version_to_the_same_document(world_a, kinds):
    first = upload(world_a, kinds, content=pdf_bytes("a"), submit=False)
    second = upload(world_a, kinds, content=pdf_bytes("b"), submit=False)
    assert second.document == first.document and second.number == 2


def test_anti_risk_programme_needs_an_activated_risk(world_a, kinds, risky_a):
    version = upload(world_a, kinds, "risk_program", risk_code="R02")
    assert version.document.risk_factor.code == "R02"
    assert "R02" in version.document.display_title
    with pytest.raises(DocumentError, match="R05 не активирован"):
        upload(world_a, kinds, "risk_program", risk_code="R05")
    with pytest.raises(DocumentError, match="Выберите риск"):
        upload(world_a, kinds, "risk_program")


def test_only_the_schools_coordinator_uploads(world_a, world_b, kinds):
    for actor in (world_a.curator, world_a.regional_staff, world_a.municipal_coordinator,
                  world_b.school_coordinator):
        with pytest.raises(DocumentError, match="школьный координатор"):
            upload(world_a, kinds, actor=actor)
    assert not Document.objects.exists()


def test_upload_rolls_back_the_file_when_the_transaction_fails(world_a, kinds, monkeypatch):
    import roadmaps.services as services

    def boom(*args, **kwargs):
        raise DocumentError("сбой")

    monkeypatch.setattr(services, "_submit", boom)
    with pytest.raises(DocumentError):
        upload(world_a, kinds)
    assert stored_files(world_a) == [] and not Document.objects.exists()


# -- transitions -----------------------------------------------------------------------------------
def test_curator_approves_and_the_school_is_told(world_a, kinds,
                                                 django_capture_on_commit_callbacks):
    t0 = timezone.now() - timedelta(hours=30)
    version = upload(world_a, kinds)
    DocumentVersion.objects.filter(pk=version.pk).update(submitted_at=t0)
    with django_capture_on_commit_callbacks(execute=True):
        document_transition(actor=world_a.curator, document=version.document, action="approve",
                            version_number=1, comment="Хорошая работа")
    document = Document.objects.get(pk=version.document.pk)
    assert document.status == "approved" and document.reviewed_by == world_a.curator
    review = Review.objects.get(version=version)
    assert review.decision == "approved" and timedelta(hours=29) < review.waited < timedelta(
        hours=31)
    assert AuditEntry.objects.filter(action="roadmaps.document.approved").exists()
    note = Notification.objects.get(recipient=world_a.school_coordinator)
    # the status agrees with what the document is called («Концепция …: подтверждена»)
    assert note.title == f"{document.display_title}, версия 1: подтверждена"
    assert world_a.school_coordinator.email in {m.to[0] for m in mail.outbox}


def test_return_needs_reasons_and_a_comment(world_a, kinds):
    document = upload(world_a, kinds).document
    with pytest.raises(DocumentError, match="причину"):
        document_transition(actor=world_a.curator, document=document, action="return",
                            comment="Исправьте")
    with pytest.raises(DocumentError, match="комментарий"):
        document_transition(actor=world_a.curator, document=document, action="return",
                            reasons=reasons("causes"))
    document_transition(actor=world_a.curator, document=document, action="return",
                        reasons=reasons("causes", "measurable"), comment="Нет причин рисков")
    document.refresh_from_db()
    assert document.status == "returned"
    review = Review.objects.get(version__document=document)
    assert sorted(r.code for r in review.reasons.all()) == ["causes", "measurable"]
    assert document.comments.get().review == review
    note = Notification.objects.get(recipient=world_a.school_coordinator)
    assert "Анализ не отражает причины" in note.body and "Нет причин рисков" in note.body


def test_only_the_assigned_curator_decides(world_a, world_b, kinds, django_user_model):
    document = upload(world_a, kinds).document
    for actor in (world_a.regional_staff, world_a.school_coordinator, world_b.curator):
        with pytest.raises(DocumentError, match="назначенный ей на этот год"):
            document_transition(actor=actor, document=document, action="approve")
    document.refresh_from_db()
    assert document.status == "submitted" and not Review.objects.exists()


def test_deciding_on_a_returned_version_is_refused_and_changes_nothing(world_a, kinds):
    document = upload(world_a, kinds).document
    document_transition(actor=world_a.curator, document=document, action="return",
                        reasons=reasons("formatting"), comment="Оформление")
    with pytest.raises(DocumentError, match="уже не на проверке.*возвращено на доработку"):
        document_transition(actor=world_a.curator, document=document, action="approve",
                            version_number=1)
    assert Review.objects.count() == 1


def test_a_newer_version_makes_the_curators_decision_stale(world_a, kinds):
    first = upload(world_a, kinds, content=pdf_bytes("v1"))
    second = upload(world_a, kinds, content=pdf_bytes("v2"), document=first.document)
    assert second.number == 2 and second.document.status == "submitted"
    with pytest.raises(DocumentError, match="школа загрузила версию 2"):
        document_transition(actor=world_a.curator, document=first.document, action="approve",
                            version_number=1)
    document_transition(actor=world_a.curator, document=first.document, action="approve",
                        version_number=2)
    assert Review.objects.get().version == second


def test_a_new_version_after_approval_reopens_the_review(world_a, kinds):
    version = upload(world_a, kinds, content=pdf_bytes("v1"))
    document_transition(actor=world_a.curator, document=version.document, action="approve")
    again = upload(world_a, kinds, content=pdf_bytes("v2"), document=version.document,
                   submit=False)
    document = again.document
    document.refresh_from_db()
    assert document.status == "submitted"
    entry = AuditEntry.objects.filter(action="roadmaps.document.submitted").latest("pk")
    assert entry.data["reopened"] is True
    note = Notification.objects.filter(recipient=world_a.curator).latest("pk")
    assert "снова требует проверки" in note.body


def test_approved_document_cannot_be_submitted_or_withdrawn(world_a, kinds):
    document = upload(world_a, kinds).document
    document_transition(actor=world_a.curator, document=document, action="approve")
    with pytest.raises(DocumentError, match="уже подтверждён"):
        document_transition(actor=world_a.school_coordinator, document=document,
                            action="submit")
    with pytest.raises(DocumentError, match="Отозвать можно только"):
        document_transition(actor=world_a.school_coordinator, document=document,
                            action="withdraw")


def test_resubmitting_a_returned_version_asks_for_a_fixed_one(world_a, kinds):
    document = upload(world_a, kinds).document
    document_transition(actor=world_a.curator, document=document, action="return",
                        reasons=reasons("causes"), comment="Доработать")
    with pytest.raises(DocumentError, match="Загрузите исправленную версию"):
        document_transition(actor=world_a.school_coordinator, document=document,
                            action="submit")
    fixed = upload(world_a, kinds, content=pdf_bytes("fixed"), document=document)
    fixed.document.refresh_from_db()
    assert fixed.document.status == "submitted" and fixed.number == 2


def test_withdraw_turns_the_document_back_into_a_draft(world_a, kinds):
    document = upload(world_a, kinds).document
    document_transition(actor=world_a.school_coordinator, document=document, action="withdraw")
    document.refresh_from_db()
    assert document.status == "draft"
    with pytest.raises(DocumentError, match="Неизвестное действие"):
        document_transition(actor=world_a.school_coordinator, document=document,
                            action="delete")


# -- the thread ------------------------------------------------------------------------------------
def test_comments_reach_the_other_side(world_a, kinds):
    document = upload(world_a, kinds).document
    Notification.objects.all().delete()
    comment_add_service(actor=world_a.school_coordinator, document=document,
                        body="Уточните, пожалуйста, раздел 2")
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == [
        world_a.curator.username]
    comment_add_service(actor=world_a.curator, document=document, body="Раздел 2 — ресурсы")
    assert Notification.objects.filter(recipient=world_a.school_coordinator).count() == 1
    comment_add_service(actor=world_a.municipal_coordinator, document=document, body="Видим")
    assert document.comments.count() == 3
    assert AuditEntry.objects.filter(action="roadmaps.comment.added").count() == 3


def test_comments_are_refused_when_empty_or_from_outside(world_a, world_b, kinds):
    document = upload(world_a, kinds).document
    with pytest.raises(DocumentError, match="пустой"):
        comment_add_service(actor=world_a.curator, document=document, body="   ")
    for actor in (world_a.methodist, world_b.curator):
        with pytest.raises(DocumentError, match="не можете"):
            comment_add_service(actor=actor, document=document, body="Привет")
    assert not document.comments.exists()


def test_docx_versions_keep_their_text(world_a, kinds):
    from roadmaps.selectors import version_paragraphs

    version = upload(world_a, kinds, content=docx_bytes("Цель", "Задачи"), name="к.docx")
    assert version.extension == "docx"
    assert version_paragraphs(version) == ["Цель", "Задачи"]
