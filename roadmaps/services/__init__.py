"""Writes of school documents: uploads (immutable versions), the single state machine of a
document, the comment thread, and the yearly set of document kinds.

Every state change goes through :func:`document_transition` (an upload that sends the
document to the curator calls the same code inside its own transaction). Each write locks
the document row, checks the actor's right on this very school, writes one audit entry and
notifies the other side after commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import IO

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format

from core import audit, files
from core.exceptions import DomainError
from core.files import Upload, upload_stored  # noqa: F401  (plans and forms import them from here)
from core.notifications import notify
from risk_profiles.models import RiskFactor
from schools.models import School

from .. import defaults, rules
from ..models import Comment, Document, DocumentKind, DocumentVersion, ReturnReason, Review
from ..selectors import activated_risks, school_coordinators, school_curators

SUBMIT_PERM = rules.SUBMIT_DOCUMENT
REVIEW_PERM = rules.REVIEW_DOCUMENT
COMMENT_PERM = rules.COMMENT_DOCUMENT
COMMENT_MAX = Comment._meta.get_field("body").max_length
NOTE_MAX = DocumentVersion._meta.get_field("note").max_length


class DocumentError(DomainError):
    pass


def _when(moment) -> str:
    return date_format(timezone.localtime(moment), "d.m.Y H:i")


# -- the kinds of a year and the return reasons -------------------------------------------------
@transaction.atomic
def kinds_load(*, actor, year: int) -> int:
    """Give ``year`` its document kinds: a copy of the latest earlier year's, or the
    standard set of seed 001. Administrators only; a year that has kinds is left alone.
    A database without any return reason gets seed 001's. Returns how many kinds were
    created."""
    if actor is not None and not rules.may_configure_kinds(actor):
        raise DocumentError("Настраивать виды документов может только администратор.")
    if not ReturnReason.objects.exists():
        ReturnReason.objects.bulk_create([
            ReturnReason(code=code, title=title, position=(i + 1) * 10)
            for i, (code, title) in enumerate(defaults.RETURN_REASONS)])
    checklist = DocumentKind.objects.exclude(mode=DocumentKind.Mode.EVIDENCE)
    if checklist.filter(year=year).exists():
        return 0
    source = (checklist.filter(year__lt=year).aggregate(y=Max("year"))["y"])
    if source is not None:
        rows = [DocumentKind(year=year, code=k.code, title=k.title, position=k.position,
                             mode=k.mode, required=k.required, description=k.description,
                             requirements=k.requirements, gender=k.gender)
                for k in checklist.filter(year=source)]
    else:
        rows = [DocumentKind(year=year, code=code, title=title, position=(i + 1) * 10,
                             mode=mode, required=required, description=description,
                             requirements=requirements)
                for i, (code, title, mode, required, description, requirements)
                in enumerate(defaults.KINDS)]
    for row in rows:
        row.full_clean()
    DocumentKind.objects.bulk_create(rows)
    audit.record(actor, "roadmaps.kinds.loaded", None,
                 {"year": year, "copied_from": source, "kinds": [r.code for r in rows]})
    return len(rows)


# -- uploads --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Slot:
    """Which document of a school-year an upload is for."""

    kind: DocumentKind
    risk: RiskFactor | None = None
    title: str = ""

    @property
    def key(self) -> str:
        if self.kind.mode == DocumentKind.Mode.MANY:
            return ""
        if self.kind.mode == DocumentKind.Mode.PER_RISK:
            return f"{self.kind.code}:{self.risk.code}" if self.risk else ""
        return self.kind.code


def upload_check(stream: IO[bytes], name: str, size: int) -> Upload:
    """``core.files.upload_check`` raising :class:`DocumentError`."""
    return files.upload_check(stream, name, size, error=DocumentError)


def _require_submitter(actor, school: School) -> None:
    if not rules.may_submit_document(actor, school):
        raise DocumentError(f"Загружать документы школы «{school.short_name}» может только "
                            "её школьный координатор.")


def _slot_check(school: School, year: int, slot: Slot) -> None:
    if slot.kind.year != year:
        raise DocumentError(f"Вид документа «{slot.kind.title}» относится к {slot.kind.year} "
                            f"году, а документ — к {year}.")
    if slot.kind.mode == DocumentKind.Mode.PER_RISK:
        if slot.risk is None:
            raise DocumentError("Выберите риск, которому посвящена антирисковая программа.")
        if slot.risk.pk not in {r.pk for r in activated_risks(school, year)}:
            raise DocumentError(
                f"Риск {slot.risk.code} не активирован в риск-профиле школы на {year} год. "
                "Антирисковая программа пишется на каждый активированный риск.")
    elif slot.risk is not None:
        raise DocumentError(f"К документу «{slot.kind.title}» риск не указывается.")


def _document_for_slot(actor, school: School, year: int, slot: Slot) -> Document:
    """The slot's document, locked; created (as a draft) when the school has none yet.

    Two coordinators creating the same slot at once: the unique constraint lets one
    insert win; the other waits on the lock and then uses the winner's row.
    """
    if slot.key:
        existing = (Document.objects.select_for_update()
                    .filter(region_id=school.region_id, school=school, year=year, slot=slot.key)
                    .order_by("pk").first())
        if existing is not None:
            return existing
    document = Document(region_id=school.region_id, school=school, year=year, kind=slot.kind,
                        risk_factor=slot.risk, slot=slot.key, created_by=actor,
                        title=slot.title.strip()[:255])
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError:
        return Document.objects.select_for_update().get(
            region_id=school.region_id, school=school, year=year, slot=slot.key)
    audit.record(actor, "roadmaps.document.created", document,
                 {"kind": slot.kind.code, "risk": slot.risk.code if slot.risk else None})
    return document


def document_upload(*, actor, school: School, year: int, upload: Upload,
                    slot: Slot | None = None, document: Document | None = None,
                    note: str = "", submit: bool = True, now=None) -> DocumentVersion:
    """Store ``upload`` as the next version of ``document`` (or of the slot's document,
    created on first upload) and, when ``submit``, send it to the curator.

    * A document on review stays on review with the new version (the waiting one is
      superseded; the curator decides on the newest).
    * A new version of an approved document reopens the review.
    * The same bytes as an earlier version of this document are refused.

    The file is written to storage *before* the transaction (STYLE §9: no uploads inside
    an open transaction) under a name no user controls, and deleted again when the
    transaction fails, so a refused upload leaves nothing behind.
    """
    if (slot is None) == (document is None):
        raise ValueError("give either slot or document")
    _require_submitter(actor, school)
    _refuse_evidence(document)
    if slot is not None:
        _slot_check(school, year, slot)
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise DocumentError(f"Примечание длиннее {NOTE_MAX} знаков.")
    if document is not None:
        _refuse_duplicate(document, upload.sha256)
    version = DocumentVersion(region_id=school.region_id, original_name=upload.name,
                              extension=upload.extension, sha256=upload.sha256,
                              size=upload.size, note=note, uploaded_by=actor)
    with upload_stored(upload, f"documents/{school.region_id}/{school.public_id}/{year}/"
                               f"{version.public_id}.{upload.extension}") as stored:
        return version_commit(actor=actor, school=school, year=year, slot=slot,
                              document=document, version=version, stored=stored,
                              submit=submit, now=now or timezone.now())


def _refuse_duplicate(document: Document, sha: str) -> None:
    twin = document.versions.filter(sha256=sha).first()
    if twin is not None:
        raise DocumentError(
            f"Этот файл уже загружен: он совпадает с версией {twin.number} от "
            f"{_when(twin.uploaded_at)} байт в байт. Если вы исправили документ, проверьте, "
            "что выбрали новый файл.")


@transaction.atomic
def version_commit(*, actor, school, year, slot, document, version, stored, submit, now):
    """Append the stored file as the next version of ``document`` (or of the slot's
    document, created here) and submit it when asked; inside the caller's transaction
    when there is one (a measure's evidence is written together with its mark)."""
    if document is None:
        document = _document_for_slot(actor, school, year, slot)
    else:
        document = Document.objects.select_for_update().get(pk=document.pk)
    _refuse_duplicate(document, version.sha256)
    previous = document.status
    # What the upload found (the document's status under the row lock), for the caller to
    # tell: a version replacing one on review, reopening an approved document … — read
    # before the lock it could be stale (a curator's decision a moment earlier).
    version.previous_status = previous
    document.version_count += 1
    version.document = document
    version.number = document.version_count
    version.file.name = stored
    version.save()
    document.save(update_fields=["version_count", "updated_at"])
    audit.record(actor, "roadmaps.version.uploaded", document,
                 {"version": version.number, "file": version.original_name,
                  "size": version.size, "sha256": version.sha256, "note": version.note})
    if previous in (Document.Status.SUBMITTED, Document.Status.APPROVED) or submit:
        _submit(actor, document, version, now, previous)
    return version


# -- the state machine ----------------------------------------------------------------------------
_NAMES = {"submit": "отправить на проверку", "withdraw": "отозвать с проверки",
          "approve": "подтвердить", "return": "вернуть на доработку"}


def _current_version(document: Document) -> DocumentVersion | None:
    return document.versions.filter(number=document.version_count).first()


def _submit(actor, document: Document, version: DocumentVersion, now, previous: str) -> None:
    version.submitted_at = now
    version.save(update_fields=["submitted_at"])
    document.status = Document.Status.SUBMITTED
    document.submitted_at = now
    document.save(update_fields=["status", "submitted_at", "updated_at"])
    audit.record(actor, "roadmaps.document.submitted", document,
                 {"from": previous, "version": version.number,
                  "reopened": previous == Document.Status.APPROVED})
    school = document.school
    reopened = " Документ был подтверждён; новая версия снова требует проверки." \
        if previous == Document.Status.APPROVED else ""
    # the curators who review the school's documents of this year
    curators = [u for u in school_curators(school) if rules.may_review_document(u, document)]
    item = _measure_of(document)
    if item is not None:
        notify(curators, kind=NOTIFY_EVIDENCE_SUBMITTED, exclude=actor, region=document.region,
               title=f"Подтверждение мероприятия на проверку: {school.short_name}",
               body=f"Школа «{school.short_name}» отметила выполненным мероприятие "
                    f"{item.number} «{item.activity[:200]}» и приложила подтверждение "
                    f"(версия {version.number}).",
               url=document.get_absolute_url())
        return
    notify(curators, kind=NOTIFY_SUBMITTED, exclude=actor, region=document.region,
           title=f"На проверку: {document.display_title} — {school.short_name}",
           body=f"Школа «{school.short_name}» отправила версию {version.number} документа "
                f"«{document.display_title}» ({document.year}).{reopened}",
           url=document.get_absolute_url())


#: The notification kinds of documents and measures' evidence (registered in ``apps.py``).
NOTIFY_SUBMITTED = "roadmaps.document.submitted"
NOTIFY_APPROVED = "roadmaps.document.approved"
NOTIFY_RETURNED = "roadmaps.document.returned"
NOTIFY_COMMENTED = "roadmaps.document.commented"
NOTIFY_EVIDENCE_SUBMITTED = "roadmaps.evidence.submitted"
NOTIFY_EVIDENCE_CONFIRMED = "roadmaps.evidence.confirmed"
NOTIFY_EVIDENCE_RETURNED = "roadmaps.evidence.returned"


def _measure_of(document: Document):
    """The roadmap measure whose evidence ``document`` is, else ``None``."""
    if document.kind.mode != DocumentKind.Mode.EVIDENCE:
        return None
    from ..models import RoadmapItem

    return RoadmapItem.objects.filter(evidence=document).first()


def _refuse_evidence(document: Document | None) -> None:
    """A measure's evidence is uploaded, sent and withdrawn from its measure only (so a
    confirmed measure cannot be reopened behind the measure's back)."""
    if document is not None and document.kind.mode == DocumentKind.Mode.EVIDENCE:
        raise DocumentError("Это подтверждение мероприятия дорожной карты: загрузите файл или "
                            "снимите отметку на странице мероприятия.")


def document_transition(*, actor, document: Document, action: str, comment: str = "",
                        reasons: Iterable[ReturnReason] = (), version_number: int | None = None,
                        now=None, via_measure: bool = False) -> Document:
    """Move a document along черновик → на проверке → подтверждено | возвращено (→ на
    проверке …). ``submit`` and ``withdraw`` belong to the school's coordinator; ``approve``
    and ``return`` to the curator assigned to the school, who names the version they
    looked at (``version_number``): if the school uploaded a newer one meanwhile, or
    another curator decided first, nothing changes and the message says why."""
    if action not in _NAMES:
        raise DocumentError("Неизвестное действие с документом.")
    with transaction.atomic():
        # lock only the document's row (the risk factor is the nullable side of a join)
        document = Document.objects.select_for_update(of=("self",)).select_related(
            "school", "kind", "risk_factor", "region").get(pk=document.pk)
        now = now or timezone.now()
        if action in ("submit", "withdraw"):
            _require_submitter(actor, document.school)
            if not via_measure:
                _refuse_evidence(document)
            if action == "submit":
                _do_submit(actor, document, now)
            else:
                _do_withdraw(actor, document)
        else:
            if not rules.may_review_document(actor, document):
                raise DocumentError(f"Проверять документы школы «{document.school.short_name}»"
                                    f" за {document.year} год может только куратор, "
                                    "назначенный ей на этот год.")
            _do_decide(actor, document, action, comment.strip(), list(reasons),
                       version_number, now)
    return document


def _do_submit(actor, document: Document, now) -> None:
    if document.status == Document.Status.SUBMITTED:
        raise DocumentError("Документ уже на проверке у куратора.")
    if document.status == Document.Status.APPROVED:
        raise DocumentError("Документ уже подтверждён. Чтобы изменить его, загрузите новую "
                            "версию — она снова уйдёт на проверку.")
    version = _current_version(document)
    if version is None:
        raise DocumentError("Сначала загрузите файл документа.")
    if hasattr(version, "review"):
        raise DocumentError(f"Версия {version.number} уже возвращена куратором. Загрузите "
                            "исправленную версию — она уйдёт на проверку.")
    _submit(actor, document, version, now, document.status)


def _do_withdraw(actor, document: Document) -> None:
    if document.status != Document.Status.SUBMITTED:
        raise DocumentError(f"Отозвать можно только документ на проверке, а этот — "
                            f"«{document.get_status_display()}».")
    document.status = Document.Status.DRAFT
    document.save(update_fields=["status", "updated_at"])
    audit.record(actor, "roadmaps.document.withdrawn", document,
                 {"version": document.version_count})


def _do_decide(actor, document: Document, action: str, comment: str,
               reasons: list[ReturnReason], version_number: int | None, now) -> None:
    _decision_check(document, action, comment, reasons, version_number)
    version = _current_version(document)
    review = _review_record(actor, document, version, action, comment, reasons, now)
    previous = document.status
    document.status = (Document.Status.APPROVED if action == "approve"
                       else Document.Status.RETURNED)
    document.reviewed_at, document.reviewed_by = now, actor
    document.save(update_fields=["status", "reviewed_at", "reviewed_by", "updated_at"])
    audit.record(actor, f"roadmaps.document.{'approved' if action == 'approve' else 'returned'}",
                 document, {"from": previous, "version": version.number, "comment": comment,
                            "reasons": [r.code for r in reasons],
                            "waited_hours": round(review.waited.total_seconds() / 3600, 1)})
    _notify_decision(actor, document, version, action, comment, reasons)


def _decision_check(document: Document, action: str, comment: str,
                    reasons: list[ReturnReason], version_number: int | None) -> None:
    """Refuse a decision on a document no longer on review, on a version the school has
    replaced meanwhile, or a return without its reasons and comment."""
    if document.status != Document.Status.SUBMITTED:
        who = (f" ({document.reviewed_by.short_name}, {_when(document.reviewed_at)})"
               if document.reviewed_by and document.reviewed_at else "")
        raise DocumentError(
            f"Документ уже не на проверке: его статус — «{document.get_status_display()}»"
            f"{who}. Обновите страницу; ваше решение не сохранено.")
    if version_number is not None and version_number != document.version_count:
        raise DocumentError(
            f"Пока вы смотрели версию {version_number}, школа загрузила версию "
            f"{document.version_count}. Откройте новую версию и примите решение по ней.")
    if len(comment) > COMMENT_MAX:
        raise DocumentError(f"Комментарий длиннее {COMMENT_MAX} знаков.")
    if action == "return":
        if not reasons:
            raise DocumentError("Отметьте хотя бы одну причину возврата.")
        if not comment:
            raise DocumentError("Напишите комментарий для школы: что именно исправить.")


def _review_record(actor, document: Document, version: DocumentVersion, action: str,
                   comment: str, reasons: list[ReturnReason], now) -> Review:
    """The curator's review of ``version`` (and its comment in the thread)."""
    waited = now - (version.submitted_at or document.submitted_at or now)
    review = Review.objects.create(
        region_id=document.region_id, version=version,
        decision=(Review.Decision.APPROVED if action == "approve" else Review.Decision.RETURNED),
        comment=comment, reviewer=actor, decided_at=now, waited=max(waited, timedelta(0)))
    if action == "return":
        review.reasons.set(reasons)
    if comment:
        Comment.objects.create(region_id=document.region_id, document=document, version=version,
                               review=review, author=actor, body=comment)
    return review


def _notify_decision(actor, document: Document, version: DocumentVersion, action: str,
                     comment: str, reasons: list[ReturnReason]) -> None:
    """Tell the school's coordinators (about the measure, when the document is one's
    evidence)."""
    school = document.school
    if action == "approve":
        title = f"{document.display_title}, версия {version.number}: " \
            f"{document.said('подтверждён')}"
        body = f"Куратор {actor.short_name} подтвердил версию {version.number}."
    else:
        title = f"{document.display_title}, версия {version.number}: " \
            f"{document.said('возвращён на доработку')}"
        body = (f"Куратор {actor.short_name} вернул версию {version.number}.\nПричины: "
                + "; ".join(r.title for r in reasons) + f"\nКомментарий: {comment}")
    if comment and action == "approve":
        body += f"\nКомментарий: {comment}"
    kind, url = NOTIFY_APPROVED if action == "approve" else NOTIFY_RETURNED, None
    item = _measure_of(document)
    if item is not None:
        measure = f"{item.number} {item.activity[:120]}"
        if action == "approve":
            kind = NOTIFY_EVIDENCE_CONFIRMED
            title = f"Выполнение мероприятия подтверждено: {measure}"
        else:
            kind = NOTIFY_EVIDENCE_RETURNED
            title = f"Подтверждение мероприятия возвращено на доработку: {measure}"
            body += "\nЗагрузите исправленный файл на странице мероприятия."
        url = item.get_absolute_url()
    notify(school_coordinators(school), kind=kind, exclude=actor, region=document.region,
           title=title, body=body, url=url or document.get_absolute_url())


# -- the thread ---------------------------------------------------------------------------------
@transaction.atomic
def comment_add(*, actor, document: Document, body: str) -> Comment:
    """Reply in the document's thread (school, its curator, regional and municipal staff);
    everybody else the document concerns is notified."""
    document = Document.objects.select_for_update(of=("self",)).select_related(
        "school", "region").get(pk=document.pk)
    if not rules.may_comment_document(actor, document):
        raise DocumentError("Комментировать этот документ вы не можете.")
    body = (body or "").strip()
    if not body:
        raise DocumentError("Комментарий пустой.")
    if len(body) > COMMENT_MAX:
        raise DocumentError(f"Комментарий длиннее {COMMENT_MAX} знаков.")
    comment = Comment.objects.create(region_id=document.region_id, document=document,
                                     version=_current_version(document), author=actor,
                                     body=body)
    audit.record(actor, "roadmaps.comment.added", document,
                 {"comment": body[:500], "version": document.version_count})
    school = document.school
    recipients = list(school_curators(school)) + list(school_coordinators(school))
    notify(recipients, kind=NOTIFY_COMMENTED, exclude=actor, region=document.region,
           title=f"Новый комментарий: {document.display_title} — {school.short_name}",
           body=f"{actor.short_name}: {body}", url=document.get_absolute_url())
    return comment
