import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.exceptions import DomainError
from core.jobs import job_run
from core.models import Job, Region, RoleMembership, User
from core.roles import Role
from schools.models import ImportBatch
from schools.services import import_apply_start, import_batch_create


def _finish(job: Job, timeout: float = 3600) -> Job:
    """Run a job here unless a worker has already claimed it; wait for it either way."""
    job_run(job.pk)
    deadline = time.monotonic() + timeout
    job.refresh_from_db()
    while not job.is_finished and time.monotonic() < deadline:
        time.sleep(0.5)
        job.refresh_from_db()
    return job


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

    def handle(self, *args, file, year, kind, region, user, dry_run, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Файл {file} не найден.")
        actor = self._actor(user)
        region_obj = None
        if region is not None:
            region_obj = Region.objects.filter(code=region).first()
            if region_obj is None:
                raise CommandError(f"Регион с кодом {region} не заведён.")
        try:
            batch, job = import_batch_create(actor=actor, region=region_obj, year=year,
                                             kind=kind, file_name=path.name,
                                             content=path.read_bytes())
        except DomainError as exc:
            raise CommandError(str(exc))
        job = _finish(job)
        batch.refresh_from_db()
        self.stdout.write(job.message)
        for error in batch.errors[:20]:
            self.stdout.write(f"  строка {error['row']}, {error['column']}: {error['message']}")
        if job.status == Job.Status.FAILED or batch.status != ImportBatch.Status.PREVIEWED:
            raise CommandError("Список не применён: исправьте ошибки.")
        if dry_run:
            self.stdout.write("Проверка без применения (--dry-run): ничего не записано.")
            return
        job = _finish(import_apply_start(actor=actor, batch=batch))
        if job.status == Job.Status.FAILED:
            raise CommandError(job.message)
        self.stdout.write(job.message)

    def _actor(self, username):
        if username:
            actor = User.objects.filter(username=username, is_active=True).first()
            if actor is None:
                raise CommandError(f"Пользователь {username} не найден.")
            return actor
        membership = (RoleMembership.objects.filter(role=Role.ADMINISTRATOR,
                                                    ended_at__isnull=True,
                                                    user__is_active=True)
                      .select_related("user").order_by("started_at").first())
        if membership is None:
            raise CommandError("Нет администратора: укажите --user.")
        return membership.user
