import time
from json import dumps
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.exceptions import DomainError
from core.importing import importer_for
from core.jobs import job_run
from core.models import Job, Region, RoleMembership, User
from core.roles import Role
from schools.models import ImportBatch
from schools.services import import_apply_start, import_batch_create, skippable


def _finish(job: Job, timeout: float = 3600) -> Job:
    """Run a job here unless a worker has already claimed it; wait for it either way."""
    job_run(job.pk)
    deadline = time.monotonic() + timeout
    job.refresh_from_db()
    while not job.is_finished and time.monotonic() < deadline:
        time.sleep(0.5)
        job.refresh_from_db()
    return job


def _mapping_text(batch: ImportBatch, fields) -> list[dict]:
    titles = {c["index"]: c for c in batch.columns or []}
    out = []
    for column in fields:
        index = (batch.mapping or {}).get(column.field)
        info = titles.get(index, {}) if index is not None else {}
        out.append({"field": column.field, "label": column.label,
                    "column": info.get("letter", ""), "title": info.get("title", ""),
                    "required": column.required})
    return out


class Command(BaseCommand):
    help = ("Загружает официальный список школ: сначала проверка (что изменится, ошибки), "
            "затем — если нет ошибок и не указан --dry-run — применение целиком.")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--list", dest="kind", required=True,
                            choices=[k for k, _ in ImportBatch.Kind.choices])
        parser.add_argument("--region", type=int, help="код региона; без него — федеральный")
        parser.add_argument("--user", help="логин того, кто загружает (по умолчанию — "
                                           "администратор)")
        parser.add_argument("--dry-run", action="store_true", help="только проверить")
        parser.add_argument("--map", action="append", default=[], metavar="FIELD=COLUMN",
                            help="сопоставить поле столбцу: буква (D), номер (4) или текст "
                                 "заголовка; можно повторять")
        parser.add_argument("--show-mapping", action="store_true",
                            help="показать, какой столбец файла прочитан как какое поле")
        parser.add_argument("--skip-invalid-rows", action="store_true",
                            help="применить без строк с ошибками (они останутся в списке "
                                 "ошибок загрузки)")
        parser.add_argument("--json", action="store_true",
                            help="вывести итог одним объектом JSON")

    def handle(self, *args, file, year, kind, region, user, dry_run, map, show_mapping,
               skip_invalid_rows, json, **options):
        self.as_json = json
        path = Path(file)
        if not path.is_file():
            self._fail(f"Файл {file} не найден.")
        actor = self._actor(user)
        region_obj = None
        if region is not None:
            region_obj = Region.objects.filter(code=region).first()
            if region_obj is None:
                self._fail(f"Регион с кодом {region} не заведён.")
        overrides = {}
        for item in map:
            name, sep, spec = item.partition("=")
            if not sep or not name.strip() or not spec.strip():
                self._fail(f"--map {item}: нужно ПОЛЕ=СТОЛБЕЦ, например municipality=C.")
            overrides[name.strip()] = spec.strip()
        try:
            batch, job = import_batch_create(
                actor=actor, region=region_obj, year=year, kind=kind, file_name=path.name,
                content=path.read_bytes(), params={"map": overrides} if overrides else None)
        except DomainError as exc:
            self._fail(str(exc))
        job = _finish(job)
        batch.refresh_from_db()
        fields = importer_for(batch).columns(batch)
        readable = job.status != Job.Status.FAILED and batch.status in (
            ImportBatch.Status.PREVIEWED, ImportBatch.Status.INVALID)
        if not readable:
            self._fail(batch.message or job.message)
        applied = None
        can_apply = batch.status == ImportBatch.Status.PREVIEWED or (
            skip_invalid_rows and skippable(batch))
        if not dry_run and can_apply:
            apply_job = _finish(import_apply_start(actor=actor, batch=batch,
                                                   skip_invalid_rows=skip_invalid_rows))
            batch.refresh_from_db()
            if apply_job.status == Job.Status.FAILED:
                self._fail(apply_job.message)
            applied = apply_job.message
        if self.as_json:
            self.stdout.write(dumps(self._result(batch, fields, dry_run, applied),
                                    ensure_ascii=False, indent=2, default=str))
        else:
            self._print(batch, job, fields, show_mapping, dry_run, applied)
        if not dry_run and applied is None:
            raise CommandError("Список не применён: исправьте ошибки"
                               + (" или укажите --skip-invalid-rows." if skippable(batch)
                                  else "."))

    def _result(self, batch, fields, dry_run, applied) -> dict:
        counts = batch.counts or {}
        return {
            "file": batch.file_name, "batch": str(batch.public_id), "status": batch.status,
            "dry_run": dry_run, "applied": applied is not None,
            "counts": {k: counts.get(k, 0) for k in ("rows", "valid", "new", "updated",
                                                     "renamed", "gone", "errors",
                                                     "error_rows", "skipped")} | counts,
            "errors": [{"row": e["row"], "field": e["column"], "message": e["message"]}
                       for e in batch.errors],
            "skipped": [{"row": s["row"], **({"to": s["to"]} if s.get("to") else {}),
                         "reason": s["reason"]} for s in batch.skipped],
            "notes": batch.notes,
            "mapping": _mapping_text(batch, fields),
            "mapping_source": (batch.params or {}).get("mapping_source", ""),
            "sheet": batch.sheet_name, "header_row": (batch.header_row or 0) + 1,
        }

    def _print(self, batch, job, fields, show_mapping, dry_run, applied) -> None:
        self.stdout.write(job.message)
        if show_mapping:
            self.stdout.write(f"Лист «{batch.sheet_name}», заголовки в строке "
                              f"{(batch.header_row or 0) + 1}. Сопоставление столбцов:")
            for item in _mapping_text(batch, fields):
                where = (f"{item['column']} «{item['title']}»" if item["column"]
                         else "не найден" + (" (обязательный)" if item["required"] else ""))
                self.stdout.write(f"  {item['field']} ({item['label']}): {where}")
        for skipped in batch.skipped[:20]:
            rows = f"{skipped['row']}–{skipped['to']}" if skipped.get("to") else skipped["row"]
            self.stdout.write(f"  пропущена строка {rows}: {skipped['reason']}")
        for error in batch.errors[:20]:
            self.stdout.write(f"  строка {error['row'] or '—'}, {error['column']}: "
                              f"{error['message']}")
        if dry_run:
            self.stdout.write("Проверка без применения (--dry-run): ничего не записано.")
        elif applied:
            self.stdout.write(applied)

    def _fail(self, message: str):
        if self.as_json:
            self.stdout.write(dumps({"error": message}, ensure_ascii=False))
        raise CommandError(message)

    def _actor(self, username):
        if username:
            actor = User.objects.filter(username=username, is_active=True).first()
            if actor is None:
                self._fail(f"Пользователь {username} не найден.")
            return actor
        membership = (RoleMembership.objects.filter(role=Role.ADMINISTRATOR,
                                                    ended_at__isnull=True,
                                                    user__is_active=True)
                      .select_related("user").order_by("started_at").first())
        if membership is None:
            self._fail("Нет администратора: укажите --user.")
        return membership.user
