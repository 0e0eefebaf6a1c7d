"""Faults for real (issue 22): a worker killed mid-job, a job's database connection dropped
mid-run, Redis restarted without its data, Redis hung or stopped under a request that
notifies. Every real fault here is made on processes this module starts itself: its own
``redis-server`` on a free port and ``celery -A config worker`` subprocesses on the test
database — the shared Redis and PostgreSQL are never touched.

The worker imports this module (``-I tests.core.test_faults``) for the slow job kind below.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from core import jobs
from core.models import AuditEntry, Job, Notification

ROOT = Path(__file__).resolve().parents[2]
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
IN_WORKER = os.environ.get("PORTAL_FAULTS_WORKER") == "1"
if IN_WORKER:
    jobs.HEARTBEAT_INTERVAL = 0.3  # the test process fails a job after a few seconds


def slow_run(job, progress):
    """Works (a query every tenth of a second) while the job's hold file exists."""
    hold = job.params["hold"]
    deadline = time.monotonic() + 30
    step = 0
    while os.path.exists(hold) and time.monotonic() < deadline:
        Job.objects.filter(pk=job.pk).exists()
        step += 1
        progress(step % 100, 100)
        time.sleep(0.1)
    return jobs.JobResult(message="Медленная задача выполнена.", file_name="slow.txt",
                          content=b"done")


jobs.register_job_kind("test.faults.slow", "Медленная задача", slow_run,
                       permission="core.view_auditentry", restartable=True)


# -- the private broker and workers ---------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    """A ``redis-server`` of our own, without persistence (what a restart loses is lost)."""

    def __init__(self, directory: str):
        self.port = _free_port()
        self.directory = directory
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", self.directory],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGCONT)  # a paused server cannot exit
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def hang(self) -> None:
        """The server is there (connections are accepted) but answers nothing."""
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.process.send_signal(signal.SIGCONT)

    def client(self):
        import redis

        return redis.Redis.from_url(self.url, socket_timeout=2)


@pytest.fixture(scope="module")
def redis_server():
    with tempfile.TemporaryDirectory(prefix="faults-redis-") as directory:
        server = RedisServer(directory)
        server.start()
        try:
            yield server
        finally:
            server.stop()


def _reset_producer_pool(app) -> None:
    app._pool = None
    try:
        app.__dict__["amqp"]._producer_pool = None
    except (AttributeError, KeyError):
        pass


@pytest.fixture
def broker(redis_server, settings):
    """This process sends jobs through the private Redis, to a queue of this test."""
    from config.celery import app

    queue = f"faults-{time.monotonic_ns()}"
    keys = ("task_always_eager", "broker_url", "task_default_queue")
    previous = {k: app.conf[k] for k in keys}
    settings.USE_CELERY_BROKER = True
    app.conf.update(task_always_eager=False, broker_url=redis_server.url,
                    task_default_queue=queue)
    _reset_producer_pool(app)
    yield queue
    if redis_server.process is None:
        redis_server.start()
    redis_server.resume()
    app.conf.update(previous)
    _reset_producer_pool(app)


@pytest.fixture
def workers(redis_server, broker, tmp_path):
    """Starts ``celery -A config worker`` subprocesses on the test database; kills them
    (by their own process group) at the end."""
    started: list[subprocess.Popen] = []
    db = settings.DATABASES["default"]

    def start() -> subprocess.Popen:
        log = tmp_path / f"worker-{len(started)}.log"
        env = {**os.environ,
               "DJANGO_SETTINGS_MODULE": "config.settings.test",
               "DATABASE_URL": (f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:"
                                f"{db['PORT']}/{db['NAME']}"),
               "MEDIA_ROOT": str(settings.MEDIA_ROOT),
               "USE_CELERY_BROKER": "True", "CELERY_BROKER_URL": redis_server.url,
               "CELERY_QUEUE": broker, "PORTAL_FAULTS_WORKER": "1"}
        process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo",
             "--concurrency=1", f"--queues={broker}", "--include=tests.core.test_faults",
             "--without-gossip", "--without-mingle", "--without-heartbeat",
             "--loglevel=INFO", f"--hostname=faults-{len(started)}@%h"],
            cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
            start_new_session=True)
        started.append(process)
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline:
            if b" ready." in log.read_bytes():
                return process
            if process.poll() is not None:
                break
            time.sleep(0.1)
        raise RuntimeError("the worker did not start:\n" + log.read_text(errors="replace"))

    yield start
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def _kill(process: subprocess.Popen) -> None:
    """The worker dies at once, as with the OOM killer or a lost container."""
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def _poll(client, job, until, timeout=20.0):
    """The job page's status poll (core:job_status), as job.js does it, until ``until``."""
    deadline = time.monotonic() + timeout
    while True:
        data = client.get(reverse("core:job_status", args=[job.public_id])).json()
        if until(data) or time.monotonic() > deadline:
            return data
        time.sleep(0.2)


def _hold(tmp_path) -> str:
    path = tmp_path / "hold"
    path.write_text("hold")
    return str(path)


# -- a worker killed mid-job ----------------------------------------------------------------------
@pytest.mark.celery_redis
@pytest.mark.django_db(transaction=True)
def test_a_job_whose_worker_is_killed_is_told_interrupted_and_restarts(
        client, world_a, workers, tmp_path, monkeypatch):
    monkeypatch.setattr(jobs, "HEARTBEAT_TIMEOUT", 2)
    staff = world_a.regional_staff
    client.force_login(staff)
    worker = workers()
    hold = _hold(tmp_path)
    job = jobs.job_start(actor=staff, kind="test.faults.slow", params={"hold": hold})
    running = _poll(client, job, lambda d: d["status"] == "running")
    assert running["status"] == "running"
    # alive: its heartbeat keeps it «выполняется» well past the timeout
    time.sleep(3)
    data = _poll(client, job, lambda d: True)
    assert data["status"] == "running" and not data["finished"], data

    _kill(worker)
    data = _poll(client, job, lambda d: d["finished"], timeout=10)
    assert data["status"] == "failed" and data["status_label"] == "ошибка"
    assert data["message"] == jobs.INTERRUPTED and "прервалась" in data["message"]
    assert data["restartable"] is True
    page = client.get(f"{job.get_absolute_url()}?stay=1").content.decode()
    assert "Задача прервалась" in page
    restart = page[page.index('<form class="job__restart"'):]
    assert " hidden>" not in restart[:restart.index(">") + 1]  # the button is shown
    assert AuditEntry.objects.filter(action="core.job.failed", target_id=str(job.public_id),
                                     data__reason="heartbeat").count() == 1

    response = client.post(reverse("core:job_restart", args=[job.public_id]))
    new = Job.objects.exclude(pk=job.pk).get()
    assert response.status_code == 302 and response["Location"] == new.get_absolute_url()
    os.remove(hold)
    workers()
    data = _poll(client, new, lambda d: d["finished"], timeout=30)
    assert data["status"] == "succeeded", data
    assert data["message"] == "Медленная задача выполнена." and data["download_url"]
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED  # the killed run was not revived
    assert Job.objects.count() == 2


# -- the job's database connection dropped mid-run ------------------------------------------------
@pytest.mark.celery_redis
@pytest.mark.django_db(transaction=True)
def test_a_job_whose_database_connection_dies_is_failed_and_restarts(
        client, world_a, workers, tmp_path):
    from django.db import connection

    staff = world_a.regional_staff
    client.force_login(staff)
    workers()
    hold = _hold(tmp_path)
    job = jobs.job_start(actor=staff, kind="test.faults.slow", params={"hold": hold})
    assert _poll(client, job, lambda d: d["status"] == "running")["status"] == "running"
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                       "WHERE datname = current_database() AND pid <> pg_backend_pid()")
        assert cursor.rowcount >= 1  # the worker's connection(s)
    # the worker itself writes the failure, on a new connection — no heartbeat wait
    data = _poll(client, job, lambda d: d["finished"], timeout=10)
    assert data["status"] == "failed", data
    assert data["message"] == jobs.INTERRUPTED and data["restartable"] is True
    assert AuditEntry.objects.filter(action="core.job.failed",
                                     target_id=str(job.public_id)).count() == 1

    os.remove(hold)
    new = jobs.job_restart(actor=staff, job=job)
    data = _poll(client, new, lambda d: d["finished"], timeout=20)
    assert data["status"] == "succeeded", data  # the same worker goes on working


# -- Redis restarted without its data -------------------------------------------------------------
@pytest.mark.celery_redis
@pytest.mark.django_db(transaction=True)
def test_a_pending_job_whose_message_redis_lost_is_sent_again_once(
        client, world_a, redis_server, broker, workers, monkeypatch):
    monkeypatch.setattr(jobs, "REQUEUE_AFTER", 0)
    staff = world_a.regional_staff
    client.force_login(staff)
    lost = jobs.job_start(actor=staff, kind="core.audit_export")
    redis = redis_server.client()
    assert redis.llen(broker) == 1
    redis_server.restart()  # no persistence: the queue is gone
    redis = redis_server.client()
    assert redis.llen(broker) == 0
    kept = jobs.job_start(actor=staff, kind="core.audit_export")  # sent after the restart
    assert redis.llen(broker) == 1

    data = client.get(reverse("core:job_status", args=[lost.public_id])).json()
    assert data["status"] == "pending" and data["status_label"] == "в очереди"
    assert redis.llen(broker) == 2  # the lost one sent again …
    client.get(reverse("core:job_status", args=[kept.public_id]))
    client.get(reverse("core:job_status", args=[lost.public_id]))
    assert redis.llen(broker) == 2  # … and neither is sent twice while it waits there
    assert AuditEntry.objects.filter(action="core.job.requeued").count() == 1

    workers()
    for job in (lost, kept):
        data = _poll(client, job, lambda d: d["finished"], timeout=30)
        assert data["status"] == "succeeded", data
    assert AuditEntry.objects.filter(action="core.job.succeeded").count() == 2


# -- Redis hung or stopped under a request that notifies ------------------------------------------
def _document(world, kinds):
    from tests.roadmaps.conftest import upload

    return upload(world, kinds).document


@pytest.fixture
def kinds_t(transactional_db):
    from roadmaps.models import DocumentKind
    from roadmaps.services import kinds_load

    kinds_load(actor=None, year=2022)
    return {k.code: k for k in DocumentKind.objects.filter(year=2022)}


@pytest.mark.celery_redis
@pytest.mark.django_db(transaction=True)
def test_a_comment_with_redis_hung_answers_at_once_is_stored_once_and_mailed_once(
        client, world_a, kinds_t, redis_server, broker):
    from roadmaps.models import Comment

    document = _document(world_a, kinds_t)
    Notification.objects.all().delete()
    mail.outbox.clear()
    client.force_login(world_a.curator)
    redis_server.hang()
    started = time.monotonic()
    response = client.post(reverse("roadmaps:comment_add", args=[document.public_id]),
                           {"body": "Добавьте раздел о ресурсах"}, follow=True)
    elapsed = time.monotonic() - started
    assert response.status_code == 200 and "Комментарий добавлен." in response.content.decode()
    assert elapsed < 2.5, f"{elapsed:.1f} s"
    assert Comment.objects.filter(document=document).count() == 1
    note = Notification.objects.get(recipient=world_a.school_coordinator)
    assert note.emailed_at is None and mail.outbox == []  # waits in the outbox

    redis_server.resume()
    from core.tasks import notifications_deliver_task

    assert notifications_deliver_task() == 1
    assert notifications_deliver_task() == 0
    assert [m.to for m in mail.outbox] == [[world_a.school_coordinator.email]]
    note.refresh_from_db()
    assert note.emailed_at is not None


@pytest.mark.celery_redis
@pytest.mark.django_db(transaction=True)
def test_an_approval_with_redis_stopped_succeeds_and_a_job_start_says_the_queue_is_down(
        client, world_a, kinds_t, redis_server, broker):
    document = _document(world_a, kinds_t)
    Notification.objects.all().delete()
    client.force_login(world_a.curator)
    redis_server.stop()
    started = time.monotonic()
    response = client.post(reverse("roadmaps:document_decide", args=[document.public_id]),
                           {"action": "approve", "version": 1})
    assert response.status_code == 302 and time.monotonic() - started < 2.5
    document.refresh_from_db()
    assert document.status == "approved"
    assert Notification.objects.filter(recipient=world_a.school_coordinator).count() == 1

    # a hung broker: starting a job is refused within the broker's 2-second timeout
    redis_server.start()
    redis_server.hang()
    client.force_login(world_a.regional_staff)
    started = time.monotonic()
    response = client.post(reverse("core:audit_export"), follow=True)
    elapsed = time.monotonic() - started
    assert jobs.QUEUE_DOWN in response.content.decode()
    assert elapsed < 3.5, f"{elapsed:.1f} s"
    assert not Job.objects.exists()


# -- a result file after the role ended (item 8) --------------------------------------------------
def test_a_result_file_is_not_served_once_the_owners_role_ended(
        client, world_a, django_capture_on_commit_callbacks):
    from core.models import RoleMembership
    from core.services import membership_end

    staff = world_a.regional_staff
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.job_start(actor=staff, kind="core.audit_export")
    job.refresh_from_db()
    assert job.result_file
    client.force_login(staff)
    url = reverse("core:job_download", args=[job.public_id])
    assert client.get(url).status_code == 200
    for membership in RoleMembership.objects.filter(user=staff, ended_at__isnull=True):
        membership_end(actor=None, membership=membership)
    response = client.get(url)
    assert response.status_code == 403
    assert "ваша роль на портале больше не даёт права" in response.content.decode()
    page = client.get(f"{job.get_absolute_url()}?stay=1").content.decode()
    assert "Скачать результат" not in page
    assert client.get(reverse("core:job_status", args=[job.public_id])).json()[
        "download_url"] == ""


# -- the minute's check under beat ----------------------------------------------------------------
def test_the_beat_task_fails_jobs_whose_heartbeat_stopped_and_only_those(world_a):
    import datetime

    from django.utils import timezone

    from core.tasks import jobs_fail_stale_task

    staff = world_a.regional_staff
    now = timezone.now()

    def running(kind, heartbeat_seconds_ago):
        job = jobs.job_start(actor=staff, kind=kind, params={"hold": "/nonexistent"})
        moment = (None if heartbeat_seconds_ago is None
                  else now - datetime.timedelta(seconds=heartbeat_seconds_ago))
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.RUNNING, started_at=now - datetime.timedelta(minutes=5),
            heartbeat_at=moment)
        return job

    lost = running("test.faults.slow", 90)
    lost_elsewhere = running("test.refuse.elsewhere", 90)
    alive = running("test.faults.slow", 10)
    unknown = running("test.faults.slow", None)  # no heartbeat yet: the time limit decides
    assert jobs_fail_stale_task() == {"stale": 0, "lost": 2, "requeued": 0}
    for job in (lost, lost_elsewhere, alive, unknown):
        job.refresh_from_db()
    assert lost.status == Job.Status.FAILED and lost.message == jobs.INTERRUPTED
    assert lost.is_restartable
    assert lost_elsewhere.message == jobs.INTERRUPTED_ELSEWHERE
    assert "на странице, где она была запущена" in lost_elsewhere.message
    assert alive.status == unknown.status == Job.Status.RUNNING
    assert jobs_fail_stale_task()["lost"] == 0  # a second run changes nothing


jobs.register_job_kind("test.refuse.elsewhere", "Задача без перезапуска", slow_run,
                       permission="core.view_auditentry")
