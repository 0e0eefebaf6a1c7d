"""Whoever started an import is told when its check and its application end (issue 23),
also when they fail — nobody else, and by e-mail unless they chose otherwise."""

from django.core import mail
from django.urls import reverse

from core.models import Job, Notification, NotificationChannel, NotificationPreference

from .test_import import QUIRKY, _apply, _upload

KIND = "core.job.import_finished"


def test_the_importer_is_told_of_the_check_and_of_the_application(
        rostov_directory, world_b, django_capture_on_commit_callbacks):
    world = rostov_directory
    batch, job = _upload(django_capture_on_commit_callbacks, world, QUIRKY)
    checked = Notification.objects.get()
    assert (checked.recipient, checked.kind) == (world.regional_staff, KIND)
    assert checked.title == "Готово: Проверка файла импорта"
    assert checked.url == reverse("core:job_detail", args=[job.public_id])
    assert checked.region == world.region and checked.body == job.message
    applied_job = _apply(django_capture_on_commit_callbacks, world, batch)
    applied = Notification.objects.exclude(pk=checked.pk).get()
    assert applied.title == "Готово: Применение файла импорта"
    assert applied.url == reverse("core:job_detail", args=[applied_job.public_id])
    assert {n.recipient for n in Notification.objects.all()} == {world.regional_staff}
    assert [m.to for m in mail.outbox] == [[world.regional_staff.email]] * 2


def test_a_failed_import_is_told_too_and_the_choice_honoured(
        rostov_directory, django_capture_on_commit_callbacks, monkeypatch):
    from dataclasses import replace

    from core import jobs
    from core.exceptions import DomainError

    def refuse(job, progress):
        raise DomainError("В файле нет листа со списком школ.")

    key = "schools.import_preview"
    monkeypatch.setitem(jobs._KINDS, key, replace(jobs.job_kind(key), runner=refuse))
    world = rostov_directory
    NotificationPreference.objects.create(user=world.regional_staff, kind=KIND,
                                          channel=NotificationChannel.PORTAL)
    batch, job = _upload(django_capture_on_commit_callbacks, world, QUIRKY)
    assert job.status == Job.Status.FAILED
    n = Notification.objects.get()
    assert (n.recipient, n.kind) == (world.regional_staff, KIND)
    assert n.title == "Не выполнено: Проверка файла импорта"
    assert n.body == "В файле нет листа со списком школ."
    assert n.channel == NotificationChannel.PORTAL
    assert mail.outbox == []
