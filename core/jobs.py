"""Long jobs are rows (``core.Job``): started by a service, run by a Celery task, watched
by the user on a job page that polls ``core:job_status``.

An app registers a kind with :func:`register_job_kind`; its runner gets the job and a
``progress(done, total)`` callback and returns a :class:`JobResult`. A ``DomainError``
raised by a runner is shown to the user as is; anything else gives a generic message
and a log entry.

Faults (issue 22): a running job writes a heartbeat (a thread, and every progress call);
one whose heartbeat stopped for :data:`HEARTBEAT_TIMEOUT` seconds lost its worker or its
database connection and is failed as interrupted, so it can be started again. A pending
job whose message is no longer waiting in the broker (Redis restarted without its data,
a worker killed after receiving it) is sent again. Both are done by :func:`jobs_watch`
(beat, every minute) and, for one job, by :func:`job_check` — called by the job page and
its status poll, so it works without beat too. A second delivery of a job's message is
harmless: :func:`job_run` claims the job first.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from . import audit, metrics
from .exceptions import DomainError
from .models import Job, Region
from .permissions import require

logger = logging.getLogger(__name__)

GENERIC_FAILURE = "Не удалось выполнить задачу из-за внутренней ошибки. Администратор уведомлён."
QUEUE_DOWN = ("Очередь фоновых задач сейчас недоступна — задача не запущена. "
              "Попробуйте ещё раз через несколько минут.")
STALE = ("Задача не завершилась за отведённое время (обработчик был остановлен или "
         "перезапущен). Её можно запустить снова кнопкой «Запустить снова».")
STALE_ELSEWHERE = ("Задача не завершилась за отведённое время (обработчик был остановлен "
                   "или перезапущен). Запустите её снова на странице, где она была запущена.")
INTERRUPTED = ("Задача прервалась: обработчик фоновых задач был остановлен или потерял связь "
               "с базой данных. Её можно запустить снова кнопкой «Запустить снова».")
INTERRUPTED_ELSEWHERE = ("Задача прервалась: обработчик фоновых задач был остановлен или "
                         "потерял связь с базой данных. Запустите её снова на странице, где "
                         "она была запущена.")

#: Seconds between two heartbeats of a running job (the worker's thread).
HEARTBEAT_INTERVAL = settings.JOB_HEARTBEAT_SECONDS
#: A running job without a heartbeat this long (seconds) has lost its worker.
HEARTBEAT_TIMEOUT = settings.JOB_HEARTBEAT_TIMEOUT_SECONDS
#: A pending job is looked for in the broker once it has waited this long (seconds).
REQUEUE_AFTER = 60
#: How many messages of the queue are read when looking for a job's message.
QUEUE_SCAN_LIMIT = 10000
#: The writes of a finishing job are tried this many times, on a new connection each.
FINISH_ATTEMPTS = 3
DATABASE_LOST = (OperationalError, InterfaceError)


#: Notification kinds (registered in ``core.apps``): whoever started a job is told how it
#: ended — an import's check or application, or any other job (a report, an export).
JOB_IMPORT_KIND = "core.job.import_finished"
JOB_KIND = "core.job.finished"


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
              place=None, url: str = "") -> Job:
    """Create a pending job and send it to the worker once the transaction commits.

    The permission is checked on ``place`` (a municipality, say) or else on ``region``;
    the broker is asked first, outside any transaction of ours. ``url`` is the page the
    job belongs to (an import batch): the job page links to it however the job ends."""
    job_type = job_kind(kind)
    if job_type is None:
        raise DomainError("Неизвестный вид задачи.")
    require(actor, job_type.permission, place if place is not None else region)
    queue_check()
    return _create(actor, kind, region, params, url)


@transaction.atomic
def _create(actor, kind: str, region: Region | None, params: dict | None,
            url: str = "") -> Job:
    job = Job(kind=kind, region=region, created_by=actor, params=params or {},
              result_url=url[:500])
    job.save()
    audit.record(actor, "core.job.started", job, {"kind": kind, "params": job.params},
                 region=region)
    transaction.on_commit(lambda: _send(job))
    return job


_TASK_ID_PREFIX = "job-"


def _publish(job: Job) -> None:
    from .tasks import job_run_task

    # the task id names the job, so the job's message can be found in the queue
    job_run_task.apply_async(kwargs={"job_id": job.pk},
                             task_id=f"{_TASK_ID_PREFIX}{job.pk}-{uuid.uuid4().hex}",
                             time_limit=settings.JOB_TIME_LIMIT_SECONDS + 60)


def _send(job: Job) -> None:
    try:
        _publish(job)
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
                _tell_owner(job, Job.Status.FAILED, QUEUE_DOWN)


def job_restart(*, actor, job: Job) -> Job:
    """Start a failed job (or one whose file expired) again with the same parameters."""
    job.refresh_from_db()
    if job.created_by_id != actor.pk:
        raise DomainError("Перезапустить можно только свою задачу.")
    job_type = job_kind(job.kind)
    if job_type is None or not job_type.restartable:
        raise DomainError("Эту задачу нельзя запустить снова отсюда: начните её заново на "
                          "странице, где она была запущена.")
    if job.status == Job.Status.SUCCEEDED and job.result_file:
        raise DomainError("Задача уже выполнена, её результат доступен.")
    job = job_check(job)  # a job whose worker is gone is failed first, then restartable
    if not job.is_finished:
        raise DomainError("Задача ещё выполняется.")
    if Job.objects.filter(params__restart_of=str(job.public_id)).exists():
        raise DomainError("Эта задача уже запущена снова — откройте новую в «Мои отчёты».")
    # the role must still grant the kind; the runner checks the data's scope again
    require(actor, job_type.permission)
    queue_check()
    with transaction.atomic():
        region = Region.objects.filter(pk=job.region_id).first()
        new = _create(actor, job.kind, region, job.params | {"restart_of": str(job.public_id)},
                      job.result_url if job.status == Job.Status.FAILED else "")
        audit.record(actor, "core.job.restarted", new, {"previous": str(job.public_id)},
                     region=region)
    return new


def _tell_owner(job: Job, status: str, message: str) -> None:
    """Tell whoever started ``job`` that it ended (inside the transaction that ends it)."""
    from django.urls import reverse

    from .notifications import notify

    label = job.kind_label
    is_import = job.kind.split(".", 1)[-1].startswith("import")
    title = (f"Готово: {label}" if status == Job.Status.SUCCEEDED
             else f"Не выполнено: {label}")
    notify([job.created_by], kind=JOB_IMPORT_KIND if is_import else JOB_KIND, title=title,
           body=message, url=reverse("core:job_detail", args=[job.public_id]),
           region=Region.objects.filter(pk=job.region_id).first() if job.region_id else None)


def _restartable(job: Job) -> bool:
    kind = job_kind(job.kind)
    return bool(kind and kind.restartable)


def _fail(job: Job, message: str, reason: str, *, now, **still) -> bool:
    """Mark ``job`` failed if it is still as the caller saw it (``still``: a conditional
    update, so a job that finished or beat meanwhile is left alone); audited."""
    with transaction.atomic():
        claimed = Job.objects.filter(pk=job.pk, **still).update(
            status=Job.Status.FAILED, message=message, finished_at=now)
        if claimed:
            audit.record(None, "core.job.failed", job, {"message": message, "reason": reason},
                         region=job.region_id)
            _tell_owner(job, Job.Status.FAILED, message)
    return bool(claimed)


def _stale_limit(now):
    # past the task's hard time limit (the limit + 60 s), with a margin: a job still alive
    # would have been killed by then, so it cannot finish after being marked failed
    return now - timedelta(seconds=settings.JOB_TIME_LIMIT_SECONDS + 120)


def _stale(now) -> Q:
    limit = _stale_limit(now)
    return (Q(status__in=(Job.Status.PENDING, Job.Status.RUNNING), created_at__lt=limit)
            & (Q(started_at__isnull=True) | Q(started_at__lt=limit)))


def _lost(now) -> Q:
    return Q(status=Job.Status.RUNNING,
             heartbeat_at__lt=now - timedelta(seconds=HEARTBEAT_TIMEOUT))


def _waiting_too_long(now) -> Q:
    return Q(status=Job.Status.PENDING, waited_since__lt=now - timedelta(seconds=REQUEUE_AFTER))


def jobs_fail_stale(*, now=None) -> int:
    """Mark failed the jobs still pending or running past the time limit (a killed worker
    never finishes them), so their owners see it and may start them again."""
    now = now or timezone.now()
    count = 0
    for job in Job.objects.filter(_stale(now)):
        message = STALE if _restartable(job) else STALE_ELSEWHERE
        count += _fail(job, message, "time_limit", now=now, status=job.status)
    return count


def jobs_fail_lost(*, now=None) -> int:
    """Mark failed (interrupted, may be started again) the running jobs whose heartbeat
    stopped: their worker was killed or lost its database connection."""
    now = now or timezone.now()
    count = 0
    for job in Job.objects.filter(_lost(now)):
        message = INTERRUPTED if _restartable(job) else INTERRUPTED_ELSEWHERE
        count += _fail(job, message, "heartbeat", now=now, status=Job.Status.RUNNING,
                       heartbeat_at__lt=now - timedelta(seconds=HEARTBEAT_TIMEOUT))
    return count


def _waiting_in_broker() -> set[int] | None:
    """The ids of the jobs whose message waits in the broker's queue, or ``None`` when the
    broker cannot tell (not Redis, not answering). A message a worker took but did not
    acknowledge is not waiting: with one message per worker process, the job would be
    running by now unless that worker died."""
    from config.celery import app

    try:
        with app.connection_for_read() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0,
                                   timeout=2)
            if conn.transport.driver_type != "redis":
                return None
            channel = conn.default_channel
            queue = app.conf.task_default_queue
            ids: set[int] = set()
            for key in {channel._q_for_pri(queue, p) for p in channel.priority_steps}:
                for raw in channel.client.lrange(key, 0, QUEUE_SCAN_LIMIT):
                    task_id = (json.loads(raw).get("headers") or {}).get("id") or ""
                    if task_id.startswith(_TASK_ID_PREFIX):
                        ids.add(int(task_id[len(_TASK_ID_PREFIX):].split("-", 1)[0]))
            return ids
    except Exception:  # an unreadable queue is the same as an unknown one
        logger.warning("job queue could not be read", exc_info=True)
        return None


def jobs_requeue(*, now=None, jobs=None) -> int:
    """Send again the pending jobs that have waited past :data:`REQUEUE_AFTER` and whose
    message is no longer in the broker (Redis restarted without its data, the worker that
    took it was killed). A job still waiting in the queue is left there; either way it is
    looked at again only after another :data:`REQUEUE_AFTER`."""
    from config.celery import app

    if app.conf.task_always_eager:
        return 0  # in-process execution: there is no queue to lose a message
    now = now or timezone.now()
    waiting = Job.objects.annotate(waited_since=Coalesce("queued_at", "created_at")).filter(
        _waiting_too_long(now))
    if jobs is not None:
        waiting = waiting.filter(pk__in=[j.pk for j in jobs])
    waiting = list(waiting)
    if not waiting:
        return 0
    present = _waiting_in_broker()
    count = 0
    for job in waiting:
        # claimed first, so two checkers never both send (and a broker that cannot be read
        # is not asked again at every poll)
        if not Job.objects.filter(pk=job.pk, status=Job.Status.PENDING,
                                  queued_at=job.queued_at).update(queued_at=now):
            continue
        if present is None or job.pk in present:
            continue
        try:
            _publish(job)
        except Exception:
            logger.warning("job %s could not be sent again", job.pk, exc_info=True)
            continue
        logger.warning("job %s was not in the queue any more: sent again", job.pk)
        audit.record(None, "core.job.requeued", job, {}, region=job.region_id)
        count += 1
    return count


def jobs_watch(*, now=None) -> dict[str, int]:
    """The minute's check (beat): jobs whose worker is gone are failed, pending jobs whose
    message was lost are sent again."""
    now = now or timezone.now()
    return {"stale": jobs_fail_stale(now=now), "lost": jobs_fail_lost(now=now),
            "requeued": jobs_requeue(now=now)}


def job_check(job: Job, *, now=None) -> Job:
    """:func:`jobs_watch` for one job, for its page and its status poll (so a lost job is
    told as such without beat too); returns the job as it is now."""
    return jobs_check([job], now=now)[0]


def jobs_check(jobs: list[Job], *, now=None) -> list[Job]:
    """:func:`job_check` for several jobs (a page of «Мои отчёты», a batch's checks): the
    broker is read once for all pending ones. Decided on the rows as loaded — no query for
    a job that is fine; the writes are conditional updates."""
    now = now or timezone.now()
    limit = _stale_limit(now)
    lost_before = now - timedelta(seconds=HEARTBEAT_TIMEOUT)
    changed, waiting = [], []
    for job in jobs:
        if job.is_finished:
            continue
        if job.created_at < limit and (job.started_at is None or job.started_at < limit):
            _fail(job, STALE if _restartable(job) else STALE_ELSEWHERE, "time_limit",
                  now=now, status=job.status)
            changed.append(job)
        elif (job.status == Job.Status.RUNNING and job.heartbeat_at is not None
              and job.heartbeat_at < lost_before):
            _fail(job, INTERRUPTED if _restartable(job) else INTERRUPTED_ELSEWHERE,
                  "heartbeat", now=now, status=Job.Status.RUNNING,
                  heartbeat_at__lt=lost_before)
            changed.append(job)
        elif (job.status == Job.Status.PENDING
              and (job.queued_at or job.created_at) < now - timedelta(seconds=REQUEUE_AFTER)):
            waiting.append(job)
    if waiting:
        jobs_requeue(now=now, jobs=waiting)
        changed += waiting
    for job in changed:
        job.refresh_from_db()
    return jobs


class _Throttled:
    """Writes progress (and the heartbeat) at most about once a second, by conditional
    update."""

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
        Job.objects.filter(pk=self.job_id, status=Job.Status.RUNNING).update(
            progress=percent, heartbeat_at=timezone.now())


class _Heartbeat:
    """A thread writing the running job's heartbeat every :data:`HEARTBEAT_INTERVAL`
    seconds on its own connection, while the runner works (a runner busy in one long
    query or in a library call gives no progress for a long time)."""

    def __init__(self, job_id: int):
        self.job_id = job_id
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"job-{job_id}-heartbeat",
                                        daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        try:
            while not self._stop.wait(HEARTBEAT_INTERVAL):
                try:
                    Job.objects.filter(pk=self.job_id, status=Job.Status.RUNNING).update(
                        heartbeat_at=timezone.now())
                except DATABASE_LOST:
                    # the connection died: drop it, the next beat connects again
                    logger.warning("job %s: heartbeat not written", self.job_id,
                                   exc_info=True)
                    connection.close()
        finally:
            connection.close()  # this thread's own connection


def _connection_lost() -> bool:
    try:
        return not connection.is_usable()
    except Exception:
        return True


def job_run(job_id: int, *, now=None) -> Job | None:
    """Run a pending job. Claims it first, so a job sent twice runs once."""
    now = now or timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.PENDING).update(
        status=Job.Status.RUNNING, started_at=now, heartbeat_at=now, progress=0
    )
    if not claimed:
        return None
    job = Job.objects.select_related("created_by", "region").get(pk=job_id)
    job_type = job_kind(job.kind)
    result = None
    began = time.monotonic()
    with _Heartbeat(job.pk):
        try:
            if job_type is None:
                raise DomainError("Неизвестный вид задачи.")
            result = job_type.runner(job, _Throttled(job.pk))
        except DomainError as exc:
            status, message = Job.Status.FAILED, str(exc)
        except DATABASE_LOST:
            lost = _connection_lost()
            logger.exception("job %s (%s) %s", job.pk, job.kind,
                             "lost its database connection" if lost else "crashed")
            status = Job.Status.FAILED
            message = ((INTERRUPTED if _restartable(job) else INTERRUPTED_ELSEWHERE) if lost
                       else GENERIC_FAILURE)
        except Exception:
            logger.exception("job %s (%s) crashed", job.pk, job.kind)
            status, message = Job.Status.FAILED, GENERIC_FAILURE
        else:
            status, message = Job.Status.SUCCEEDED, result.message
        finished = _finish(job, status, message, result)
    metrics.job_finished(job.kind, status, time.monotonic() - began)
    return finished


def _finish(job: Job, status: str, message: str, result: JobResult | None = None) -> Job:
    stored_name = ""
    if result is not None and result.file_name:
        # The file goes to storage before the transaction (no slow I/O under a row lock);
        # if the transaction then fails, an unreferenced file is left, never a lost row.
        field = Job._meta.get_field("result_file")
        stored_name = field.storage.save(field.generate_filename(job, result.file_name),
                                         ContentFile(result.content))
    for attempt in range(1, FINISH_ATTEMPTS + 1):
        try:
            return _finish_write(job, status, message, result, stored_name)
        except DATABASE_LOST:
            # the outcome must not be written on the connection that just died (the job
            # would stay «выполняется»): drop it and write on a new one
            if connection.in_atomic_block or attempt == FINISH_ATTEMPTS:
                raise
            logger.warning("job %s: finishing on a new database connection", job.pk,
                           exc_info=True)
            connection.close()
            time.sleep(0.5 * (attempt - 1))
    raise AssertionError("unreachable")


def _finish_write(job: Job, status: str, message: str, result: JobResult | None,
                  stored_name: str) -> Job:
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk)
        if job.status != Job.Status.RUNNING:
            # marked failed meanwhile (past its time limit, its heartbeat lost): that
            # verdict stands
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
        _tell_owner(job, status, job.message)
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
