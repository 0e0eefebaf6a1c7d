"""A school's applications and their materials: changed by the school's coordinator while
the edition accepts them; files are immutable versions stored before the transaction
(``core.files``)."""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from core import audit
from core.files import Upload, upload_stored
from core.text import clean_spaces
from schools.models import School

from .. import rules
from ..models import Application, Assignment, Edition, Material, MaterialVersion, Nomination, Review
from .common import ContestError, clean, lock, today_or


def _require_applicant(actor, school: School) -> None:
    if not rules.may_apply(actor, school):
        raise ContestError(f"Подать или изменить заявку школы «{school.short_name}» может "
                           "только её школьный координатор.")


def _open_for_changes(edition: Edition, today) -> None:
    today = today_or(today)
    if not edition.is_receiving:
        raise ContestError(f"Приём заявок закрыт: этап конкурса — "
                           f"«{edition.get_stage_display()}». Заявки и материалы уже не "
                           "меняются.")
    if today < edition.applications_open:
        raise ContestError(f"Приём заявок начнётся {edition.applications_open:%d.%m.%Y}.")
    if today > edition.applications_close:
        raise ContestError(f"Приём заявок закончился {edition.applications_close:%d.%m.%Y}: "
                           "заявки и материалы уже не меняются.")


def _video_rule(nomination: Nomination, video_url: str) -> None:
    if nomination.is_video and not video_url:
        raise ContestError(f"В номинации «{nomination.title}» нужна ссылка на видеофильм.")


@dataclass(frozen=True)
class ApplicationData:
    title: str
    authors: str
    description: str
    video_url: str = ""
    subjects: tuple = ()
    risk_factors: tuple = ()


def _fill(application: Application, data: ApplicationData) -> None:
    application.title = clean_spaces(data.title)
    application.authors = (data.authors or "").strip()
    application.description = (data.description or "").strip()
    application.video_url = (data.video_url or "").strip()


def _set_relations(application: Application, data: ApplicationData) -> None:
    factors = list(data.risk_factors)
    if any(f.year != application.edition.year for f in factors):
        raise ContestError(f"Факторы риска берутся из перечня {application.edition.year} "
                           "года.")
    application.subjects.set(data.subjects)
    application.risk_factors.set(factors)


def _store_version(actor, material: Material, upload: Upload, stored: str) -> MaterialVersion:
    if material.versions.filter(sha256=upload.sha256).exists():
        raise ContestError(f"Этот файл уже загружен в материал «{material.title}».")
    number = (material.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    version = MaterialVersion(region_id=material.region_id, material=material, number=number,
                              original_name=upload.name, extension=upload.extension,
                              sha256=upload.sha256, size=upload.size, uploaded_by=actor)
    version.file.name = stored
    version.save()
    return version


def application_create(*, actor, edition: Edition, nomination: Nomination, school: School,
                       data: ApplicationData, files: list[tuple[str, Upload]] = (),
                       today=None) -> Application:
    """A school's application with its first materials. Outside the video nomination at
    least one file is needed; in the video nomination the video link. The files are
    stored before the transaction and deleted again if it fails."""
    _require_applicant(actor, school)
    materials = [Material(region_id=edition.region_id, title=clean_spaces(title) or upload.name)
                 for title, upload in files]
    with ExitStack() as stack:
        stored = [stack.enter_context(upload_stored(
            upload, f"contests/{edition.region_id}/{material.public_id}/1.{upload.extension}"))
            for material, (_, upload) in zip(materials, files, strict=True)]
        return _application_commit(actor, edition, nomination, school, data,
                                   list(zip(materials, [u for _, u in files], stored,
                                                 strict=True)), today)


@transaction.atomic
def _application_commit(actor, edition, nomination, school, data, files, today) -> Application:
    edition = lock(Edition, edition)
    if nomination.edition_id != edition.pk or school.region_id != edition.region_id:
        raise ContestError("Номинация или школа относится к другому конкурсу.")
    _open_for_changes(edition, today)
    _video_rule(nomination, data.video_url)
    if not nomination.is_video and not files:
        raise ContestError("Приложите хотя бы один файл с материалами практики.")
    application = Application(region_id=edition.region_id, edition=edition,
                              nomination=nomination, school=school,
                              municipality_id=school.municipality_id, submitted_by=actor)
    _fill(application, data)
    clean(application)
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:
        raise ContestError(f"Школа «{school.short_name}» уже подала заявку в номинации "
                           f"«{nomination.title}». Измените её вместо новой.")
    _set_relations(application, data)
    for material, upload, stored in files:
        material.application = application
        material.save()
        _store_version(actor, material, upload, stored)
    audit.record(actor, "contests.application.submitted", application,
                 {"nomination": nomination.title, "files": len(files)})
    return application


@transaction.atomic
def application_update(*, actor, application: Application, data: ApplicationData,
                       today=None) -> Application:
    application = lock(Application, application)
    _require_applicant(actor, application.school)
    if not application.is_active:
        raise ContestError("Заявка отозвана: изменить её нельзя.")
    _open_for_changes(application.edition, today)
    _video_rule(application.nomination, data.video_url)
    _fill(application, data)
    clean(application)
    application.save()
    _set_relations(application, data)
    audit.record(actor, "contests.application.changed", application,
                 {"title": application.title})
    return application


@transaction.atomic
def application_withdraw(*, actor, application: Application, today=None) -> Application:
    application = lock(Application, application)
    _require_applicant(actor, application.school)
    if not application.is_active:
        raise ContestError("Заявка уже отозвана.")
    _open_for_changes(application.edition, today)
    if Review.objects.filter(assignment__application=application).exists():
        raise ContestError("Эксперты уже начали оценивать заявку: отозвать её нельзя.")
    Assignment.objects.filter(application=application).delete()
    application.status = Application.Status.WITHDRAWN
    application.withdrawn_at = timezone.now()
    application.save(update_fields=["status", "withdrawn_at", "updated_at"])
    audit.record(actor, "contests.application.withdrawn", application, {})
    return application


def material_add(*, actor, application: Application, title: str, upload: Upload,
                 today=None) -> MaterialVersion:
    material = Material(region_id=application.region_id, application=application,
                        title=clean_spaces(title) or upload.name)
    with upload_stored(upload, f"contests/{application.region_id}/{material.public_id}/"
                               f"1.{upload.extension}") as stored:
        return _material_commit(actor, application, material, upload, stored, today)


@transaction.atomic
def _material_commit(actor, application, material, upload, stored, today) -> MaterialVersion:
    application = lock(Application, application)
    _require_applicant(actor, application.school)
    if not application.is_active:
        raise ContestError("Заявка отозвана: материалы не добавляются.")
    _open_for_changes(application.edition, today)
    if material.pk is None:
        material.save()
    version = _store_version(actor, material, upload, stored)
    audit.record(actor, "contests.material.uploaded", application,
                 {"material": material.title, "version": version.number,
                  "name": upload.name})
    return version


def material_version_add(*, actor, material: Material, upload: Upload,
                         today=None) -> MaterialVersion:
    if material.removed_at:
        raise ContestError("Материал убран из заявки.")
    number = material.versions.count() + 1
    with upload_stored(upload, f"contests/{material.region_id}/{material.public_id}/"
                               f"{number}-{upload.sha256[:8]}.{upload.extension}") as stored:
        return _material_commit(actor, material.application, material, upload, stored, today)


@transaction.atomic
def material_remove(*, actor, material: Material, today=None) -> Material:
    """Take a material out of the application; its versions stay stored (nothing is lost)."""
    application = lock(Application, material.application)
    _require_applicant(actor, application.school)
    _open_for_changes(application.edition, today)
    if not application.nomination.is_video and application.materials.filter(
            removed_at__isnull=True).exclude(pk=material.pk).count() == 0:
        raise ContestError("Это единственный материал заявки: загрузите новую версию файла "
                           "вместо удаления.")
    material.removed_at = timezone.now()
    material.save(update_fields=["removed_at"])
    audit.record(actor, "contests.material.removed", application, {"material": material.title})
    return material

