"""Redis down, a worker killed mid-report, and restarting a failed job."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.exceptions import DomainError
from core.jobs import QUEUE_DOWN, STALE, job_restart, job_start, jobs_fail_stale
from core.models import Job


@pytest.fixture
def broker_down(settings):
    """Jobs go through a broker that does not answer (a closed port)."""
    from config.celery import app

    previous = (app.conf.broker_url, app.conf.task_always_eager)
    settings.USE_CELERY_BROKER = True
    app.conf.update(broker_url="redis://127.0.0.1:1/0", task_always_eager=False)
    yield
    app.conf.update(broker_url=previous[0], task_always_eager=previous[1])


def test_pages_render_and_a_report_says_the_queue_is_unavailable(client, world_a, broker_down):
    client.force_login(world_a.regional_staff)
    assert client.get("/monitoring/").status_code == 200
    assert client.get("/jobs/").status_code == 200
    response = client.post(reverse("monitoring:report_start"), {"format": "pdf"}, follow=True)
    assert response.status_code == 200
    assert QUEUE_DOWN in response.content.decode()
    assert not Job.objects.exists()  # nothing half-started


def _job(user, *, status, minutes_ago: int, **extra) -> Job:
    job = job_start(actor=user, kind="monitoring.dashboard_pdf", region=None,
                    params={"filters": {"year": "2022"}})
    moment = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    Job.objects.filter(pk=job.pk).update(status=status, created_at=moment,
                                         started_at=moment if status == "running" else None,
                                         **extra)
    job.refresh_from_db()
    return job


def test_a_job_whose_worker_died_is_failed_after_the_time_limit(world_a, settings):
    settings.JOB_TIME_LIMIT_SECONDS = 30 * 60
    staff = world_a.regional_staff
    killed = _job(staff, status="running", minutes_ago=45)  # claimed, worker gone
    lost = _job(staff, status="pending", minutes_ago=40)  # message lost with the worker
    fresh = _job(staff, status="running", minutes_ago=5)
    assert jobs_fail_stale() == 2
    for job in (killed, lost, fresh):
        job.refresh_from_db()
    assert killed.status == lost.status == Job.Status.FAILED
    assert killed.message == STALE and killed.finished_at is not None
    assert fresh.status == Job.Status.RUNNING
    assert jobs_fail_stale() == 0  # a second run changes nothing


def test_a_failed_report_is_restarted_with_the_same_filters(
        client, world_a, django_capture_on_commit_callbacks):
    staff = world_a.regional_staff
    failed = _job(staff, status="failed", minutes_ago=50, message=STALE)
    client.force_login(staff)
    assert "Запустить снова" in client.get(f"{failed.get_absolute_url()}?stay=1").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("core:job_restart", args=[failed.public_id]))
    new = Job.objects.exclude(pk=failed.pk).get()
    assert response.status_code == 302 and response["Location"] == new.get_absolute_url()
    assert new.params["filters"] == failed.params["filters"] and new.kind == failed.kind
    assert new.status == Job.Status.SUCCEEDED and new.result_file
    listing = client.get(reverse("core:job_list")).content.decode()
    assert new.result_name in listing and "Запустить снова" in listing


def test_only_the_owner_restarts_and_never_a_job_with_its_file(world_a):
    failed = _job(world_a.regional_staff, status="failed", minutes_ago=50)
    with pytest.raises(DomainError, match="только свою"):
        job_restart(actor=world_a.municipal_coordinator, job=failed)
    running = _job(world_a.regional_staff, status="running", minutes_ago=1)
    with pytest.raises(DomainError, match="ещё выполняется"):
        job_restart(actor=world_a.regional_staff, job=running)
    assert Job.objects.count() == 2


def test_my_reports_lists_only_my_jobs(client, world_a):
    mine = _job(world_a.regional_staff, status="failed", minutes_ago=3)
    other = _job(world_a.municipal_coordinator, status="failed", minutes_ago=3)
    client.force_login(world_a.regional_staff)
    page = client.get(reverse("core:job_list")).context["page"]
    assert list(page.object_list) == [mine]
    assert other not in client.get(reverse("core:job_list"), {"status": "failed"}
                                   ).context["page"].object_list


def test_a_municipal_coordinator_reports_on_its_municipality(
        client, world_a, django_capture_on_commit_callbacks):
    client.force_login(world_a.municipal_coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("monitoring:report_start"), {"format": "xlsx"})
    job = Job.objects.get()
    assert response.status_code == 302 and job.status == Job.Status.SUCCEEDED, job.message
    assert job.params["filters"]["municipality"] == str(world_a.municipality.pk)
    assert job.region == world_a.region


def test_a_job_that_does_not_check_scope_again_is_not_restartable(world_a):
    from schools.services import import_batch_create

    _, job = import_batch_create(actor=world_a.regional_staff, region=world_a.region,
                                 year=2023, kind="participants", file_name="list.csv",
                                 content="Логин;Наименование ОО\n".encode())
    Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED)
    job.refresh_from_db()
    assert not job.is_restartable
    with pytest.raises(DomainError, match="нельзя запустить снова"):
        job_restart(actor=world_a.regional_staff, job=job)


def test_any_page_starting_a_job_says_the_queue_is_unavailable(client, world_a, broker_down):
    client.force_login(world_a.regional_staff)
    response = client.post(reverse("schools:school_export"), HTTP_REFERER="/schools/")
    assert response.status_code == 302 and response["Location"] == "/schools/"
    assert QUEUE_DOWN in client.get("/schools/").content.decode()
    assert not Job.objects.exists()


def test_a_job_failed_past_its_limit_stays_failed_when_its_worker_finishes(world_a):
    from core.jobs import JobResult, _finish

    job = _job(world_a.regional_staff, status="running", minutes_ago=40)
    assert jobs_fail_stale() == 1
    job.refresh_from_db()
    finished = _finish(job, Job.Status.SUCCEEDED, "готово",
                       JobResult(message="готово", file_name="late.pdf", content=b"%PDF"))
    assert finished.status == Job.Status.FAILED and not finished.result_file


def test_a_failed_job_is_restarted_once(world_a, django_capture_on_commit_callbacks):
    failed = _job(world_a.regional_staff, status="failed", minutes_ago=50)
    with django_capture_on_commit_callbacks(execute=True):
        new = job_restart(actor=world_a.regional_staff, job=failed)
    assert new.params["restart_of"] == str(failed.public_id)
    with pytest.raises(DomainError, match="уже запущена снова"):
        job_restart(actor=world_a.regional_staff, job=failed)
    assert Job.objects.count() == 2
