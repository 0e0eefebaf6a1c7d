"""The e-mail copies of notifications are an outbox (issue 22): the action that notifies
never touches the broker, a beat task delivers, a refused letter is tried again later and
no letter goes out twice."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from core.models import Notification
from core.notifications import EMAIL_MAX_ATTEMPTS, notifications_deliver, notify


@pytest.fixture
def with_broker(settings, monkeypatch):
    """A deployment with a broker whose every publish fails: notifying must not care."""
    from celery.app.task import Task

    settings.USE_CELERY_BROKER = True

    def refuse(*args, **kwargs):
        raise OSError("the broker is down")

    monkeypatch.setattr(Task, "apply_async", refuse)


def test_notifying_with_a_broker_leaves_the_letter_in_the_outbox(
        world_a, with_broker, django_capture_on_commit_callbacks):
    staff = world_a.regional_staff
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify([staff], title="Документ подтверждён", url="/roadmaps/")
    assert callbacks == []  # nothing is sent after the commit: the beat task delivers
    assert mail.outbox == []
    from core.tasks import notifications_deliver_task

    assert notifications_deliver_task() == 1
    assert notifications_deliver_task() == 0
    assert [m.subject for m in mail.outbox] == ["[500+] Документ подтверждён"]
    assert "Открыть на портале: http://" in mail.outbox[0].body
    assert Notification.objects.get().emailed_at is not None


def test_a_refused_letter_is_tried_again_later_and_sent_once(world_a, with_broker,
                                                             monkeypatch):
    from django.core.mail.backends.locmem import EmailBackend

    notify([world_a.regional_staff, world_a.curator], title="Новый комментарий")
    real_send = EmailBackend.send_messages

    def refuse(self, messages):
        raise ConnectionRefusedError("SMTP down")

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    assert notifications_deliver() == 0
    # the first refusal stops the run; nothing is lost
    attempts = sorted(Notification.objects.values_list("email_attempts", flat=True))
    assert attempts == [0, 1] and mail.outbox == []
    monkeypatch.setattr(EmailBackend, "send_messages", real_send)
    assert notifications_deliver() == 1  # the refused one waits for its retry time
    later = timezone.now() + datetime.timedelta(minutes=2)
    assert notifications_deliver(now=later) == 1
    assert notifications_deliver(now=later) == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [world_a.regional_staff.email, world_a.curator.email])


def test_hopeless_and_stale_letters_are_not_sent(world_a, with_broker):
    notify([world_a.regional_staff], title="Старое")
    notify([world_a.curator], title="Безнадёжное")
    Notification.objects.filter(title="Старое").update(
        created_at=timezone.now() - datetime.timedelta(days=4))
    Notification.objects.filter(title="Безнадёжное").update(email_attempts=EMAIL_MAX_ATTEMPTS)
    assert notifications_deliver() == 0 and mail.outbox == []


def test_without_a_broker_the_letter_goes_out_after_the_commit_and_a_refusal_is_quiet(
        world_a, settings, django_capture_on_commit_callbacks, monkeypatch):
    from django.core.mail.backends.locmem import EmailBackend

    settings.USE_CELERY_BROKER = False
    with django_capture_on_commit_callbacks(execute=True):
        notify([world_a.regional_staff], title="Сразу")
    assert [m.subject for m in mail.outbox] == ["[500+] Сразу"]

    def refuse(self, messages):
        raise ConnectionRefusedError("SMTP down")

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    with django_capture_on_commit_callbacks(execute=True):  # does not raise
        notify([world_a.curator], title="Позже")
    assert Notification.objects.get(title="Позже").email_attempts == 1


@pytest.mark.django_db(transaction=True)
def test_a_letter_being_sent_by_another_delivery_is_skipped(world_a, with_broker):
    notify([world_a.regional_staff], title="Одно письмо")
    note = Notification.objects.get()
    locked, release = threading.Event(), threading.Event()

    def other_delivery():
        try:
            with transaction.atomic():
                Notification.objects.select_for_update().get(pk=note.pk)
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=other_delivery)
    thread.start()
    try:
        assert locked.wait(10)
        assert notifications_deliver() == 0  # skipped, not waited for
    finally:
        release.set()
        thread.join()
    assert notifications_deliver() == 1 and len(mail.outbox) == 1


def test_the_beat_delivers_the_outbox_and_checks_jobs_every_minute():
    from config.celery import app

    schedule = {entry["task"]: entry["schedule"] for entry in app.conf.beat_schedule.values()}
    for task in ("core.tasks.notifications_deliver_task", "core.tasks.jobs_fail_stale_task"):
        assert schedule[task].minute == set(range(60)), task
    assert app.conf.task_acks_late and app.conf.task_reject_on_worker_lost
    assert app.conf.worker_prefetch_multiplier == 1
    options = app.conf.broker_transport_options
    assert options["socket_timeout"] <= 2 and options["socket_connect_timeout"] <= 2
