"""The task pipeline for real: a job sent through the Redis broker to a Celery worker."""

import time

import pytest
from django.conf import settings

from config.celery import app as celery_app
from core import jobs
from core.models import Job

pytestmark = [pytest.mark.celery_redis, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def redis_worker():
    import redis
    from celery.contrib.testing.worker import start_worker

    url = settings.CELERY_BROKER_URL
    redis.Redis.from_url(url).ping()  # fail loudly, not hang, when Redis is down
    queue = f"portal-test-{time.monotonic_ns()}"
    keys = ("task_always_eager", "broker_url", "task_default_queue")
    previous = {k: celery_app.conf[k] for k in keys}
    celery_app.conf.update(task_always_eager=False, broker_url=url,
                           task_default_queue=queue, worker_hijack_root_logger=False)
    try:
        with start_worker(celery_app, pool="solo", concurrency=1, queues=[queue],
                          perform_ping_check=False, shutdown_timeout=30):
            yield
    finally:
        celery_app.conf.update(previous)


def test_audit_export_runs_in_a_worker_through_redis(world_a, redis_worker):
    from celery.signals import before_task_publish, task_prerun

    published, ran = [], []

    def on_publish(sender=None, routing_key=None, **kwargs):
        published.append((sender, routing_key))

    def on_prerun(sender=None, **kwargs):
        ran.append(sender.name)

    before_task_publish.connect(on_publish, weak=False)
    task_prerun.connect(on_prerun, weak=False)
    try:
        job = jobs.job_start(actor=world_a.regional_staff, kind="core.audit_export")
        job = _wait(job)
    finally:
        before_task_publish.disconnect(on_publish)
        task_prerun.disconnect(on_prerun)
    # published to the broker (an eager call publishes nothing) and run by the worker
    assert published and published[0][0] == "core.tasks.job_run_task"
    assert ran == ["core.tasks.job_run_task"]
    assert job.status == Job.Status.SUCCEEDED, job.message
    assert job.result_file
    assert job.message.startswith("Выгружено записей:")


def _wait(job):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.is_finished:
            break
        time.sleep(0.2)
    return job


def test_a_monitoring_report_and_a_recompute_run_in_a_worker_through_redis(world_a,
                                                                          redis_worker):
    from monitoring.models import EngagementScore
    from monitoring.services import engagement_recompute_start, report_start

    report = _wait(report_start(actor=world_a.regional_staff, kind="monitoring.dashboard_xlsx",
                                region=world_a.region, filters={"year": "2022"}))
    assert report.status == Job.Status.SUCCEEDED, report.message
    assert report.result_name.endswith(".xlsx") and report.result_file
    recompute = _wait(engagement_recompute_start(actor=world_a.regional_staff,
                                                 region=world_a.region, year=2022))
    assert recompute.status == Job.Status.SUCCEEDED, recompute.message
    score = EngagementScore.objects.get(region=world_a.region, year=2022)
    assert recompute.result_url == score.get_absolute_url()
    assert score.components.count() == 7
