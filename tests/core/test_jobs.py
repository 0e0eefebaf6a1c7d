"""Long jobs: claim, progress, result file, errors, expiry."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core import jobs
from core.exceptions import DomainError
from core.models import AuditEntry, Job


def _rows(job):
    job.result_file.open("rb")
    sheet = load_workbook(BytesIO(job.result_file.read()), read_only=True).active
    return list(sheet.iter_rows(values_only=True))


def test_audit_export_contains_only_the_starters_scope(world_a, world_b,
                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.job_start(actor=world_a.regional_staff, kind="core.audit_export",
                             params={"filters": {"action": "core.membership.created"}})
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.progress == 100
    assert job.result_name.endswith(".xlsx")
    assert job.expires_at > timezone.now()
    rows = _rows(job)
    assert rows[0][:3] == ("Время", "Кто", "Действие")
    regions = {row[5] for row in rows[1:]}
    assert regions == {"Ростовская область"}
    # four school/region roles of region A were given in the fixture
    assert len(rows) - 1 == 5
    assert {row[3] for row in rows[1:]} == {"core.membership.created"}
    assert job.message == "Выгружено записей: 5."
    assert AuditEntry.objects.filter(action="core.job.succeeded").exists()


def test_job_is_claimed_once(world_a, django_capture_on_commit_callbacks):
    job = jobs.job_start(actor=world_a.regional_staff, kind="core.audit_export", params={})
    assert jobs.job_run(job.pk) is not None
    assert jobs.job_run(job.pk) is None  # a second delivery finds it claimed


def test_domain_error_is_shown_and_crash_is_generic(world_a, monkeypatch):
    def refuse(job, progress):
        raise DomainError("Слишком много записей для выгрузки.")

    def crash(job, progress):
        raise RuntimeError("boom")

    jobs.register_job_kind("test.refuse", "Отказ", refuse, permission="core.view_auditentry")
    jobs.register_job_kind("test.crash", "Сбой", crash, permission="core.view_auditentry")
    refused = jobs.job_start(actor=world_a.regional_staff, kind="test.refuse")
    crashed = jobs.job_start(actor=world_a.regional_staff, kind="test.crash")
    assert jobs.job_run(refused.pk).message == "Слишком много записей для выгрузки."
    result = jobs.job_run(crashed.pk)
    assert result.status == Job.Status.FAILED
    assert result.message == jobs.GENERIC_FAILURE
    assert "boom" not in result.message


def test_unknown_kind_and_missing_permission_are_refused(world_a):
    with pytest.raises(DomainError, match="Неизвестный вид задачи"):
        jobs.job_start(actor=world_a.regional_staff, kind="no.such.kind")
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        jobs.job_start(actor=world_a.curator, kind="core.audit_export")
    assert not Job.objects.exists()


def test_progress_is_written_by_conditional_update(world_a):
    job = jobs.job_start(actor=world_a.regional_staff, kind="core.audit_export")
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)
    progress = jobs._Throttled(job.pk, interval=0)
    progress(50, 200)
    job.refresh_from_db()
    assert job.progress == 25
    Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED)
    progress(150, 200)  # a finished job is not touched any more
    job.refresh_from_db()
    assert job.progress == 25


def test_expired_result_files_are_purged(world_a, django_capture_on_commit_callbacks, client):
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.job_start(actor=world_a.regional_staff, kind="core.audit_export")
    job.refresh_from_db()
    path = job.result_file.path
    assert jobs.jobs_purge_expired(now=timezone.now()) == 0
    assert jobs.jobs_purge_expired(now=timezone.now() + timedelta(days=2)) == 1
    assert jobs.jobs_purge_expired(now=timezone.now() + timedelta(days=2)) == 0
    assert AuditEntry.objects.filter(action="core.job.result_purged").count() == 1
    job.refresh_from_db()
    assert not job.result_file
    import os

    assert not os.path.exists(path)
    client.force_login(world_a.regional_staff)
    response = client.get(reverse("core:job_download", args=[job.public_id]))
    assert response.status_code == 404


def test_job_pages_show_progress_and_download(world_a, client,
                                              django_capture_on_commit_callbacks):
    client.force_login(world_a.regional_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("core:audit_export"), {"q": "Школа", "junk": "x"})
    job = Job.objects.get()
    assert response["Location"] == job.get_absolute_url()
    assert job.params == {"filters": {"q": "Школа"}}
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Выгрузка журнала действий в Excel" in page and "Скачать результат" in page
    status = client.get(reverse("core:job_status", args=[job.public_id])).json()
    assert status["finished"] is True and status["progress"] == 100
    assert status["download_url"] == reverse("core:job_download", args=[job.public_id])
    download = client.get(status["download_url"])
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    # another user of the same region cannot open someone else's job
    client.force_login(world_a.municipal_coordinator)
    assert client.get(job.get_absolute_url()).status_code == 404
