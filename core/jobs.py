"""Long jobs are rows (``core.Job``): started by a service, run by a Celery task, watched
by the user on a job page that polls ``core:job_status``.

An app registers a kind with :func:`register_job_kind`; its runner gets the job and a
``progress(done, total)`` callback and returns a :class:`JobResult`. A ``DomainError``
raised by a runner is shown to the user as is; anything else gives a generic message
and a log entry.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from . import audit
from .exceptions import DomainError
from .models import Job, Region
from .permissions import require

logger = logging.getLogger(__name__)

GENERIC_FAILURE = "Не удалось выполнить задачу из-за внутренней ошибки. Администратор уведомлён."
QUEUE_DOWN = ("Очередь фоновых задач сейчас недоступна — задача не запущена. "
              "Попробуйте ещё раз через несколько минут.")
STALE = ("Задача не завершилась за отведённое время (обработчик был остановлен или "
         "перезапущен). Запустите её снова.")


class QueueUnavailable(DomainError):
    """The broker cannot be reached: nothing was started."""


def queue_check() -> None:
    """Raise :class:`QueueUnavailable` when jobs go through a broker that does not answer
    (in-process execution needs no broker)."""
    if not settings.USE_CELERY_BROKER:
        return
    from config.celery import app

    try:
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0,
                                         timeout=2)
    except Exception:  # any transport error means the same to the user
        logger.warning("job broker unavailable", exc_info=True)
        raise QueueUnavailable(QUEUE_DOWN) from None


@dataclass(frozen=True)
class JobResult:
    message: str
    file_name: str = ""
    content: bytes = b""
    #: A page that shows the outcome (an import batch, a report), linked from the job page.
    url: str = ""


Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class JobKind:
    key: str
    label: str
    runner: Callable[[Job, Progress], JobResult]
    permission: str
    #: The runner resolves what it reads again with the user's scope, so the job may be
    #: started again from «Мои отчёты» with the same parameters.
    restartable: bool = False


_KINDS: dict[str, JobKind] = {}


def register_job_kind(key: str, label: str, runner: Callable[[Job, Progress], JobResult], *,
                      permission: str, restartable: bool = False) -> None:
    _KINDS[key] = JobKind(key, label, runner, permission, restartable)


def job_kind(key: str) -> JobKind | None:
    return _KINDS.get(key)


def job_start(*, actor, kind: str, region: Region | None = None, params: dict | None = None,
              place=None) -> Job:
    """Create a pending job and send it to the worker once the transaction commits.

    The permission is checked on ``place`` (a municipality, say) or else on ``region``;
    the broker is asked first, outside any transaction of ours."""
    job_type = job_kind(kind)
    if job_type is None:
        raise DomainError("Неизвестный вид задачи.")
    require(actor, job_type.permission, place if place is not None else region)
    queue_check()
    return _create(actor, kind, region, params)


@transaction.atomic
def _create(actor, kind: str, region: Region | None, params: dict | None) -> Job:
    job = Job(kind=kind, region=region, created_by=actor, params=params or {})
    job.save()
    audit.record(actor, "core.job.started", job, {"kind": kind, "params": job.params},
                 region=region)
    transaction.on_commit(lambda: _send(job))
    return job


def _send(job: Job) -> None:
    from .tasks import job_run_task

    try:
        job_run_task.apply_async(kwargs={"job_id": job.pk},
                                 time_limit=settings.JOB_TIME_LIMIT_SECONDS + 60)
    except Exception:
        if not settings.USE_CELERY_BROKER:
            raise  # in-process execution: a crash is the runner's, already handled there
        # the broker went away between the check and the send: say so on the job page
        logger.warning("job %s could not be sent", job.pk, exc_info=True)
        with transaction.atomic():
            failed = Job.objects.filter(pk=job.pk, status=Job.Status.PENDING).update(
                status=Job.Status.FAILED, message=QUEUE_DOWN, finished_at=timezone.now())
            if failed:
                audit.record(job.created_by, "core.job.failed", job, {"message": QUEUE_DOWN},
                             region=job.region_id)


def job_restart(*, actor, job: Job) -> Job:
    """Start a failed job (or one whose file expired) again with the same parameters."""
    if job.created_by_id != actor.pk:
        raise DomainError("Перезапустить можно только свою задачу.")
    job_type = job_kind(job.kind)
    if job_type is None or not job_type.restartable:
        raise DomainError("Эту задачу нельзя запустить снова отсюда: начните её заново на "
                          "странице, где она была запущена.")
    if job.status == Job.Status.SUCCEEDED and job.result_file:
        raise DomainError("Задача уже выполнена, её результат доступен.")
    if not job.is_finished:
        raise DomainError("Задача ещё выполняется.")
    if Job.objects.filter(params__restart_of=str(job.public_id)).exists():
        raise DomainError("Эта задача уже запущена снова — откройте новую в «Мои отчёты».")
    # the role must still grant the kind; the runner checks the data's scope again
    require(actor, job_type.permission)
    queue_check()
    with transaction.atomic():
        region = Region.objects.filter(pk=job.region_id).first()
        new = _create(actor, job.kind, region, job.params | {"restart_of": str(job.public_id)})
        audit.record(actor, "core.job.restarted", new, {"previous": str(job.public_id)},
                     region=region)
    return new


def jobs_fail_stale(*, now=None) -> int:
    """Mark failed the jobs still pending or running past the time limit (a killed worker
    never finishes them), so their owners see it and may start them again."""
    now = now or timezone.now()
    # past the task's hard time limit (the limit + 60 s), with a margin: a job still alive
    # would have been killed by then, so it cannot finish after being marked failed
    limit = now - timedelta(seconds=settings.JOB_TIME_LIMIT_SECONDS + 120)
    count = 0
    stale = Job.objects.filter(status__in=(Job.Status.PENDING, Job.Status.RUNNING),
                               created_at__lt=limit)
    for job in stale.filter(Q(started_at__isnull=True) | Q(started_at__lt=limit)):
        with transaction.atomic():
            claimed = Job.objects.filter(pk=job.pk, status=job.status).update(
                status=Job.Status.FAILED, message=STALE, finished_at=now)
            if claimed:
                audit.record(None, "core.job.failed", job, {"message": STALE},
                             region=job.region_id)
                count += 1
    return count


class _Throttled:
    """Writes progress at most about once a second, by conditional update."""

    def __init__(self, job_id: int, interval: float = 1.0):
        self.job_id = job_id
        self.interval = interval
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last < self.interval and done < total:
            return
        self.last = now
        percent = min(99, int(done * 100 / total)) if total else 0
        Job.objects.filter(pk=self.job_id, status=Job.Status.RUNNING).update(progress=percent)


def job_run(job_id: int, *, now=None) -> Job | None:
    """Run a pending job. Claims it first, so a job sent twice runs once."""
    now = now or timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.PENDING).update(
        status=Job.Status.RUNNING, started_at=now, progress=0
    )
    if not claimed:
        return None
    job = Job.objects.select_related("created_by", "region").get(pk=job_id)
    job_type = job_kind(job.kind)
    try:
        if job_type is None:
            raise DomainError("Неизвестный вид задачи.")
        result = job_type.runner(job, _Throttled(job.pk))
    except DomainError as exc:
        return _finish(job, Job.Status.FAILED, str(exc))
    except Exception:
        logger.exception("job %s (%s) crashed", job.pk, job.kind)
        return _finish(job, Job.Status.FAILED, GENERIC_FAILURE)
    return _finish(job, Job.Status.SUCCEEDED, result.message, result)


def _finish(job: Job, status: str, message: str, result: JobResult | None = None) -> Job:
    stored_name = ""
    if result is not None and result.file_name:
        # The file goes to storage before the transaction (no slow I/O under a row lock);
        # if the transaction then fails, an unreferenced file is left, never a lost row.
        field = Job._meta.get_field("result_file")
        stored_name = field.storage.save(field.generate_filename(job, result.file_name),
                                         ContentFile(result.content))
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk)
        if job.status != Job.Status.RUNNING:
            # marked failed meanwhile (past its time limit): that verdict stands
            if stored_name:
                job.result_file.storage.delete(stored_name)
            return job
        job.status = status
        job.message = message[:1000]
        job.finished_at = timezone.now()
        job.progress = 100 if status == Job.Status.SUCCEEDED else job.progress
        fields = ["status", "message", "finished_at", "progress"]
        if result is not None and result.url:
            job.result_url = result.url
            fields.append("result_url")
        if stored_name:
            job.result_file.name = stored_name
            job.result_name = result.file_name
            job.expires_at = job.finished_at + timedelta(hours=settings.JOB_RESULT_TTL_HOURS)
            fields += ["result_file", "result_name", "expires_at"]
        job.save(update_fields=fields)
        audit.record(job.created_by, f"core.job.{status}", job, {"message": job.message},
                     region=job.region_id)
    return job


def jobs_purge_expired(*, now=None) -> int:
    """Delete result files of jobs past their expiry; the job rows stay as history.

    Each job is claimed by a conditional update first, so two runs never both delete.
    """
    now = now or timezone.now()
    count = 0
    for job in Job.objects.filter(expires_at__lt=now).exclude(result_file=""):
        name = job.result_file.name
        with transaction.atomic():
            claimed = Job.objects.filter(pk=job.pk, result_file=name).update(
                result_file="", expires_at=None
            )
            if claimed:
                audit.record(None, "core.job.result_purged", job, {"file": name},
                             region=job.region_id)
        if claimed:
            job.result_file.storage.delete(name)
            count += 1
    return count
