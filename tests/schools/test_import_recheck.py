"""A dry run whose worker was killed (or that the queue lost) must not leave its batch
«Файл проверяется» for ever: the batch page says the check was interrupted and offers
«Проверить файл снова» (issue 22, item 11)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from core import jobs
from core.models import AuditEntry, Job
from schools.models import ImportBatch
from schools.services import import_batch_create

from .conftest import xlsx

LIST = xlsx([["Логин", "Наименование ОО", "Муниципалитет", "ИОР", "ИСБ"],
             ["sch612001", "МБОУ СОШ № 1", "г. Шахты", "0,7", "0,3"]],
            title_rows=[["Перечень ШНОР"]])


def _batch_whose_check_was_killed(world, *, heartbeat_seconds_ago=120):
    """A dry run claimed by a worker that then died: running, its heartbeat stopped."""
    batch, job = import_batch_create(actor=world.regional_staff, region=world.region,
                                     year=2023, kind="shnor", file_name="перечень.xlsx",
                                     content=LIST)
    moment = timezone.now() - datetime.timedelta(seconds=heartbeat_seconds_ago)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, started_at=moment,
                                         heartbeat_at=moment)
    return batch, job


def test_an_interrupted_check_is_offered_again_and_runs(client, rostov_directory,
                                                        django_capture_on_commit_callbacks):
    world = rostov_directory
    batch, job = _batch_whose_check_was_killed(world)
    client.force_login(world.regional_staff)
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "Проверка файла прервалась" in page and "Проверить файл снова" in page
    assert "Файл проверяется" not in page
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.message == jobs.INTERRUPTED_ELSEWHERE
    # the job's page leads back to the batch, where the check is offered
    job_page = client.get(f"{job.get_absolute_url()}?stay=1").content.decode()
    assert "Задача прервалась" in job_page and batch.get_absolute_url() in job_page
    assert "Открыть страницу, где задача была запущена" in job_page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(batch.get_absolute_url())
    new = Job.objects.exclude(pk=job.pk).get()
    assert response.status_code == 302 and response["Location"] == new.get_absolute_url()
    assert new.kind == "schools.import_preview" and new.status == Job.Status.SUCCEEDED
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEWED
    assert AuditEntry.objects.filter(action="schools.import.rechecked").count() == 1
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "Проверить файл снова" not in page and "Применить файл" in page
    response = client.post(batch.get_absolute_url(), follow=True)
    assert "Файл уже проверен" in response.content.decode()
    assert Job.objects.count() == 2


def test_a_check_still_running_is_not_offered_again(client, rostov_directory):
    world = rostov_directory
    batch, job = _batch_whose_check_was_killed(world, heartbeat_seconds_ago=5)
    client.force_login(world.regional_staff)
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "Файл проверяется" in page and "Проверить файл снова" not in page
    response = client.post(batch.get_absolute_url(), follow=True)
    assert "Файл ещё проверяется" in response.content.decode()
    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING and Job.objects.count() == 1


def test_a_check_the_queue_refused_is_offered_again(client, rostov_directory):
    world = rostov_directory
    batch, job = _batch_whose_check_was_killed(world)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED, message=jobs.QUEUE_DOWN)
    client.force_login(world.regional_staff)
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "Проверить файл снова" in page


def test_only_who_may_import_checks_again(client, rostov_directory):
    world = rostov_directory
    batch, _ = _batch_whose_check_was_killed(world)
    client.force_login(world.municipal_coordinator)
    assert client.post(batch.get_absolute_url()).status_code == 404  # not in its scope
    assert Job.objects.count() == 1
