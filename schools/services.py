"""Writes of the registry."""

from __future__ import annotations

import hashlib
import io
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from core import audit
from core.exceptions import DomainError
from core.importing import MappingIncomplete, importer_for, importer_for_kind
from core.jobs import JobResult, Progress, job_start
from core.models import Job, Municipality, Region
from core.tabular import TableError, sniff
from core.text import clean_spaces, plural
from core.years import MAX_YEAR, MIN_YEAR, is_programme_year

from . import rules
from .imports import IMPORT_FILE, mapping_remember
from .models import ImportBatch, IndexThresholds, School
from .rules import recheck_needed, skippable  # noqa: F401  (their old place)
from .selectors import import_preview_jobs


class SchoolError(DomainError):
    pass


@transaction.atomic
def school_create(*, actor, municipality: Municipality, login: str, full_name: str,
                  short_name: str = "", kind: str = School.Kind.SOSH, address: str = "",
                  inn: str = "", is_rural: bool = False, is_demo: bool = False) -> School:
    """Add one school to the registry (the list import adds them in bulk)."""
    school = School(
        region=municipality.region, municipality=municipality,
        login=clean_spaces(login).lower().replace(" ", ""), full_name=clean_spaces(full_name),
        short_name=clean_spaces(short_name) or clean_spaces(full_name), kind=kind,
        address=clean_spaces(address), inn=clean_spaces(inn), is_rural=is_rural,
        is_demo=is_demo,
    )
    if actor is not None:
        rules.ensure(rules.may_create_school(actor, school))
    try:
        school.full_clean()
    except ValidationError as exc:
        raise SchoolError(" ".join(exc.messages))
    school.save()
    audit.record(actor, "schools.school.created", school, {"login": school.login})
    return school



# -- imports of the official lists -------------------------------------------------------------
class ImportFailure(DomainError):
    pass


class StalePreview(ImportFailure):
    pass


def check_upload_size(size: int) -> None:
    if size > settings.IMPORT_MAX_MB * 1024 * 1024:
        megabytes = f"{size / 1024 / 1024:.1f}".replace(".", ",")
        raise ImportFailure(f"Файл слишком большой ({megabytes} МБ). Наибольший "
                            f"допустимый размер — {settings.IMPORT_MAX_MB} МБ.")


@transaction.atomic
def import_batch_create(*, actor, region: Region | None, year: int, kind: str, file_name: str,
                        content: bytes, params: dict | None = None) -> tuple[ImportBatch, Job]:
    """Store an uploaded table and start its dry run (a job). Writes no data yet.

    ``kind`` chooses the importer (a school list, ФИОКО's risk profiles …). A region-less
    batch is a federal file: only an administrator may load one. The file's type is told
    by its bytes; a file that is not a table is refused here, before storing.
    """
    try:
        importer = importer_for_kind(kind)
    except KeyError:
        raise ImportFailure("Неизвестный вид загружаемого файла.")
    batch = ImportBatch(region=region, year=year, kind=kind, file_name=file_name[:255],
                        created_by=actor, file_size=len(content), target=importer.key,
                        params=params or {})
    # the batch's place: its region, or — for a federal list — every region (admins only)
    rules.ensure(rules.may_import(actor, batch))
    check_upload_size(len(content))
    if not content:
        raise ImportFailure("Файл пустой.")
    try:
        sniff(content, file_name)
    except TableError as exc:
        raise ImportFailure(str(exc))
    # the same checks as the page's form, for the command line and other callers
    IMPORT_FILE.check(io.BytesIO(content), file_name, len(content), error=ImportFailure)
    if not is_programme_year(year):
        raise ImportFailure(f"Год должен быть между {MIN_YEAR} и {MAX_YEAR}.")
    batch.file_sha256 = hashlib.sha256(content).hexdigest()
    batch.file.save(file_name, ContentFile(content), save=False)
    batch.save()
    audit.record(actor, "schools.import.uploaded", batch,
                 {"file": file_name, "sha256": batch.file_sha256, "year": year, "kind": kind},
                 region=region)
    job = _preview_start(actor, batch)
    return batch, job


def _preview_start(actor, batch: ImportBatch) -> Job:
    """The batch's dry run, a job whose page links back to the batch however it ends."""
    return job_start(actor=actor, kind="schools.import_preview", region=batch.region,
                     params={"batch": str(batch.public_id)}, url=batch.get_absolute_url())


def import_recheck(*, actor, batch: ImportBatch) -> Job:
    """«Проверить файл снова»: start the dry run again for a batch whose check was
    interrupted (see :func:`recheck_needed`)."""
    rules.ensure(rules.may_import(actor, batch))
    if not recheck_needed(batch):
        batch.refresh_from_db()
        if batch.status == ImportBatch.Status.UPLOADED:
            raise ImportFailure("Файл ещё проверяется — дождитесь окончания проверки.")
        raise ImportFailure("Файл уже проверен: посмотрите результат проверки ниже.")
    return _recheck_start(actor, batch)


@transaction.atomic
def _recheck_start(actor, batch: ImportBatch) -> Job:
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    # two clicks at once: the second finds the first one's check pending
    if batch.status != ImportBatch.Status.UPLOADED or import_preview_jobs(batch).filter(
            status__in=(Job.Status.PENDING, Job.Status.RUNNING)).exists():
        raise ImportFailure("Файл уже проверяется снова — дождитесь окончания проверки.")
    previous = import_preview_jobs(batch).first()
    audit.record(actor, "schools.import.rechecked", batch,
                 {"previous_job": str(previous.public_id) if previous else ""},
                 region=batch.region_id)
    return _preview_start(actor, batch)


def _batch_content(batch: ImportBatch) -> bytes:
    with batch.file.open("rb") as fh:
        return fh.read()


def import_preview_run(job: Job, progress: Progress) -> JobResult:
    """The dry run: read, map, validate, diff; stores the preview on the batch."""
    batch = ImportBatch.objects.select_related("region").get(public_id=job.params["batch"])
    try:
        plan, meta = importer_for(batch).plan(batch, _batch_content(batch), progress)
    except MappingIncomplete as exc:
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=ImportBatch.Status.INVALID, message=str(exc), previewed_at=timezone.now(),
            sheet_name=exc.meta["sheet_name"], header_row=exc.meta["header_row"],
            mapping=exc.meta["mapping"], columns=exc.meta["columns"], counts={}, errors=[],
            diff={}, skipped=exc.meta.get("skipped", []), notes=[],
            header_signature=exc.meta.get("signature", ""))
        return JobResult(message=str(exc), url=batch.get_absolute_url())
    except TableError as exc:
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=ImportBatch.Status.FAILED, message=str(exc), previewed_at=timezone.now())
        raise ImportFailure(str(exc))
    except Exception:
        # the job logs the crash; the batch must not stay «загружен» for ever
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=ImportBatch.Status.FAILED, previewed_at=timezone.now(),
            message="Файл не удалось проверить из-за внутренней ошибки. Администратор "
                    "уведомлён; попробуйте сохранить файл заново в Excel и загрузить снова.")
        raise
    status = ImportBatch.Status.INVALID if plan.error_total else ImportBatch.Status.PREVIEWED
    counts = {**plan.counts, "skipped": meta.get("skipped_total", 0),
              "notes": getattr(plan, "note_total", 0),
              "file_errors": getattr(plan, "file_errors", 0)}
    with transaction.atomic():
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=status, sheet_name=meta["sheet_name"], header_row=meta["header_row"],
            mapping={k: v for k, v in meta["mapping"].items()}, columns=meta["columns"],
            counts=counts, errors=plan.errors, diff=importer_for(batch).summary(plan),
            skipped=meta.get("skipped", []), notes=getattr(plan, "notes", []),
            header_signature=meta.get("signature", ""),
            params={**{k: v for k, v in (batch.params or {}).items()
                       if k != "skip_invalid_rows"},
                    "mapping_source": meta.get("mapping_source", ""),
                    "remembered_from": meta.get("remembered_from", "")},
            previewed_at=timezone.now(), message="",
        )
        audit.record(job.created_by, "schools.import.previewed", batch, counts,
                     region=batch.region_id)
    if plan.error_total:
        message = (f"Проверка завершена: {plan.error_total} "
                   f"{plural(plan.error_total, 'ошибка', 'ошибки', 'ошибок')} в строках.")
    else:
        message = importer_for(batch).preview_message(counts)
    return JobResult(message=message, url=batch.get_absolute_url())


@transaction.atomic
def import_mapping_set(*, actor, batch: ImportBatch, mapping: dict[str, int]) -> Job:
    """Correct the column mapping and run the dry run again."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    rules.ensure(rules.may_import(actor, batch))
    if batch.status == ImportBatch.Status.APPLIED:
        raise ImportFailure("Список уже применён: сопоставление изменить нельзя.")
    missing = [c.label for c in importer_for(batch).required(batch) if c.field not in mapping]
    if missing:
        raise ImportFailure("Укажите столбцы: " + ", ".join(missing) + ".")
    used = [i for i in mapping.values()]
    if len(used) != len(set(used)):
        raise ImportFailure("Один столбец файла выбран для двух полей.")
    batch.mapping = mapping
    batch.status = ImportBatch.Status.UPLOADED
    batch.save(update_fields=["mapping", "status"])
    # the region's next file of the same shape is read with this mapping
    mapping_remember(actor=actor, batch=batch)
    audit.record(actor, "schools.import.mapping_changed", batch, {"mapping": mapping},
                 region=batch.region_id)
    return _preview_start(actor, batch)


@transaction.atomic
def import_apply_start(*, actor, batch: ImportBatch, skip_invalid_rows: bool = False) -> Job:
    """Start applying a checked batch. ``skip_invalid_rows`` is the user's explicit choice
    to import a batch with row errors without those rows; it is audited, and the skipped
    rows stay listed on the batch."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    rules.ensure(rules.may_import(actor, batch))
    if skip_invalid_rows and batch.status == ImportBatch.Status.PREVIEWED:
        skip_invalid_rows = False  # nothing to skip
    if skip_invalid_rows:
        if not skippable(batch):
            raise ImportFailure("Этот файл нельзя импортировать без строк с ошибками: "
                                "ошибки относятся ко всему файлу или в нём нет ни одной "
                                "верной строки.")
        batch.params = {**(batch.params or {}), "skip_invalid_rows": True}
        batch.save(update_fields=["params"])
        audit.record(actor, "schools.import.invalid_rows_skipped", batch,
                     {"error_rows": batch.counts.get("error_rows", 0),
                      "errors": batch.counts.get("errors", 0)}, region=batch.region_id)
    elif batch.status != ImportBatch.Status.PREVIEWED:
        raise ImportFailure("Применить можно только проверенный список без ошибок.")
    return job_start(actor=actor, kind="schools.import_apply", region=batch.region,
                     params={"batch": str(batch.public_id)}, url=batch.get_absolute_url())


def import_apply_run(job: Job, progress: Progress) -> JobResult:
    """Apply the batch all-or-nothing: re-plan from the stored file inside one transaction
    (the database may have changed since the preview), then write with bulk operations.
    When the outcome would differ from the confirmed preview, nothing is written and the
    dry run starts again."""
    try:
        return _import_apply(job, progress)
    except StalePreview as exc:
        with transaction.atomic():
            batch = ImportBatch.objects.select_related("region").get(
                public_id=job.params["batch"])
            ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.UPLOADED,
                                                           message=str(exc))
            _preview_start(job.created_by, batch)
        raise


def _import_apply(job: Job, progress: Progress) -> JobResult:
    with transaction.atomic():
        batch = (ImportBatch.objects.select_for_update(of=("self",)).select_related("region")
                 .get(public_id=job.params["batch"]))
        skipping = bool((batch.params or {}).get("skip_invalid_rows"))
        if batch.status != ImportBatch.Status.PREVIEWED and not (
                skipping and batch.status == ImportBatch.Status.INVALID):
            raise ImportFailure("Этот список уже применён или не прошёл проверку.")
        # one apply at a time per region: two lists of one region never interleave
        list(Region.objects.select_for_update().filter(
            pk__in=[batch.region_id] if batch.region_id else
            list(Region.objects.values_list("pk", flat=True))).order_by("pk"))
        importer = importer_for(batch)
        try:
            plan, _ = importer.plan(batch, _batch_content(batch), progress)
        except TableError as exc:
            raise ImportFailure(str(exc))
        confirmed = [(plan.counts.get(k), batch.counts.get(k)) for k in importer.confirmed]
        if (plan.error_total and not skipping) or any(new != old for new, old in confirmed):
            raise StalePreview("С момента проверки данные портала изменились, и результат "
                               "применения отличался бы от показанного. Проверка запущена "
                               "заново: посмотрите новый результат и подтвердите его.")
        batch.applied_by = job.created_by  # the importer writes on the applier's behalf
        importer.apply(plan, batch)
        batch.status = ImportBatch.Status.APPLIED
        batch.applied_at = timezone.now()
        batch.counts = {**batch.counts, **plan.counts,
                        "skipped_invalid": batch.counts.get("error_rows", 0) if skipping else 0}
        batch.diff = importer.summary(plan)
        batch.save(update_fields=["status", "applied_at", "applied_by", "counts", "diff"])
        mapping_remember(actor=job.created_by, batch=batch)
        audit.record(job.created_by, "schools.import.applied", batch, plan.counts,
                     region=batch.region_id)
    return JobResult(message=importer.applied_message(plan.counts),
                     url=batch.get_absolute_url())


def missing_territories(batch: ImportBatch) -> dict:
    """The regions (known subjects of the Russian Federation only) and municipalities the
    batch's file names and the portal does not have, as the dry run found them."""
    missing = (batch.diff or {}).get("missing") or {}
    regions = [r for r in missing.get("regions", []) if r.get("name")]
    return {"regions": regions, "municipalities": missing.get("municipalities", [])}


@transaction.atomic
def import_territories_create(*, actor, batch: ImportBatch) -> Job:
    """Create, in one audited step, the regions and municipalities a checked file needs
    (listed on its page with their school counts), then check the file again."""
    from core.services import municipalities_bulk_create, region_create

    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    rules.ensure(rules.may_import(actor, batch))
    if batch.status != ImportBatch.Status.INVALID:
        raise ImportFailure("Завести регионы и муниципалитеты можно только по проверенному "
                            "файлу, в котором они не найдены.")
    missing = missing_territories(batch)
    if not missing["regions"] and not missing["municipalities"]:
        raise ImportFailure("Недостающих регионов и муниципалитетов нет.")
    created_regions, created_municipalities = [], 0
    for entry in missing["regions"]:
        region = Region.objects.filter(code=entry["code"]).first()
        if region is None:
            region = region_create(actor=actor, code=entry["code"], name=entry["name"])
            created_regions.append(region.code)
        created_municipalities += len(municipalities_bulk_create(
            actor=actor, region=region, names=[m["name"] for m in entry["municipalities"]]))
    by_region: dict[int, list[str]] = {}
    for entry in missing["municipalities"]:
        by_region.setdefault(entry["region_code"], []).append(entry["name"])
    for code, names in by_region.items():
        region = Region.objects.get(code=code)
        if batch.region_id and region.pk != batch.region_id:
            continue
        created_municipalities += len(municipalities_bulk_create(actor=actor, region=region,
                                                                 names=names))
    batch.status = ImportBatch.Status.UPLOADED
    batch.save(update_fields=["status"])
    audit.record(actor, "schools.import.territories_created", batch,
                 {"regions": created_regions, "municipalities": created_municipalities},
                 region=batch.region_id)
    return _preview_start(actor, batch)


@transaction.atomic
def thresholds_set(*, actor, region: Region, year: int, ior_min: Decimal,
                   isb_min: Decimal) -> IndexThresholds:
    """Set the region's ИОР/ИСБ thresholds for a year (groups are recomputed from them)."""
    thresholds = (IndexThresholds.objects.select_for_update()
                  .filter(region=region, year=year).first()
                  or IndexThresholds(region=region, year=year))
    rules.ensure(rules.may_set_thresholds(actor, thresholds))
    old = (str(thresholds.ior_min), str(thresholds.isb_min)) if thresholds.pk else None
    thresholds.ior_min, thresholds.isb_min = ior_min, isb_min
    try:
        thresholds.full_clean(validate_constraints=False)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages))
    thresholds.save()
    audit.record(actor, "schools.thresholds.set", thresholds,
                 {"year": year, "old": old, "new": [str(ior_min), str(isb_min)]})
    return thresholds
