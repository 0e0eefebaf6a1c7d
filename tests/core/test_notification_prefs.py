"""Kinds of notifications and each user's choice per kind (issue 23): the portal only, also
e-mail (the default) or a daily summary — the outbox and the summary honour it."""

from __future__ import annotations

import ast
import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core import jobs
from core.models import AuditEntry, Notification, NotificationChannel, NotificationPreference
from core.notifications import (
    notification_kinds,
    notification_kinds_for,
    notification_preferences_save,
    notifications_deliver,
    notifications_digest_send,
    notify,
)

ROOT = Path(settings.BASE_DIR)
EMAIL, PORTAL, DIGEST = (NotificationChannel.EMAIL, NotificationChannel.PORTAL,
                         NotificationChannel.DIGEST)
RETURNED = "risk_profiles.profile.returned"


@pytest.fixture
def with_broker(settings):
    """Letters wait in the outbox for the beat task (nothing is sent after the commit)."""
    settings.USE_CELERY_BROKER = True


def _prefer(user, kind, channel):
    NotificationPreference.objects.create(user=user, kind=kind, channel=channel)


# -- kinds ----------------------------------------------------------------------------------------
def _notify_calls():
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT)
        if rel.parts[0] in (".venv", "tests", "node_modules") or "migrations" in rel.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "notify":
                yield f"{rel}:{node.lineno}", node


def test_every_notify_call_of_the_portal_names_a_registered_kind():
    registered = {k.code for k in notification_kinds()}
    calls = list(_notify_calls())
    assert len(calls) >= 10
    for where, call in calls:
        kinds = [k.value for k in call.keywords if k.arg == "kind"]
        assert kinds, f"{where}: notify() without kind="
        if isinstance(kinds[0], ast.Constant):
            assert kinds[0].value in registered, where


def test_the_kinds_of_issue_23_are_registered_with_russian_labels():
    labels = {k.code: k.label for k in notification_kinds()}
    for code in ("roadmaps.document.submitted", "roadmaps.document.approved",
                 "roadmaps.document.returned", "roadmaps.document.commented",
                 "risk_profiles.profile.submitted", RETURNED, "risk_profiles.profile.verified",
                 "roadmaps.evidence.confirmed", "roadmaps.evidence.returned",
                 "curators.sheet.published", "contests.review.assigned",
                 "core.job.import_finished", "roadmaps.measure.reminder",
                 "contests.results.published"):
        assert code in labels
        assert labels[code][0].isupper() and not any("a" <= c <= "z" for c in labels[code])


def test_an_unknown_kind_is_refused(world_a):
    with pytest.raises(ValueError, match="unknown notification kind"):
        notify([world_a.curator], kind="no.such.kind", title="?")
    assert not Notification.objects.exists()


def test_a_user_is_offered_the_kinds_of_their_roles(world_a):
    school = {k.code for k in notification_kinds_for(world_a.school_coordinator)}
    curator = {k.code for k in notification_kinds_for(world_a.curator)}
    assert RETURNED in school and "risk_profiles.profile.submitted" not in school
    assert "risk_profiles.profile.submitted" in curator and RETURNED not in curator
    assert "core.other" not in school  # offered only once one was received
    # a kind once received is offered whatever the role
    notify([world_a.curator], kind=RETURNED, title="Риск-профиль возвращён")
    assert RETURNED in {k.code for k in notification_kinds_for(world_a.curator)}


# -- the outbox honours the choice ---------------------------------------------------------------
def test_by_default_a_notification_is_also_e_mailed(world_a, with_broker):
    notify([world_a.school_coordinator], kind=RETURNED, title="Риск-профиль возвращён")
    n = Notification.objects.get()
    assert (n.kind, n.channel) == (RETURNED, EMAIL)
    assert notifications_deliver() == 1
    assert [m.to for m in mail.outbox] == [[world_a.school_coordinator.email]]


def test_portal_only_is_never_e_mailed(world_a, with_broker):
    _prefer(world_a.school_coordinator, RETURNED, PORTAL)
    notify([world_a.school_coordinator, world_a.regional_staff], kind=RETURNED,
           title="Риск-профиль возвращён")
    channels = dict(Notification.objects.values_list("recipient__username", "channel"))
    assert channels == {"school_a": PORTAL, "staff_a": EMAIL}
    assert notifications_deliver() == 1
    assert notifications_deliver(now=timezone.now() + datetime.timedelta(hours=1)) == 0
    assert [m.to for m in mail.outbox] == [[world_a.regional_staff.email]]
    # … and on the portal it is there all the same
    assert world_a.school_coordinator.notifications.count() == 1


def test_portal_only_without_a_broker_sends_nothing_after_the_commit(
        world_a, django_capture_on_commit_callbacks):
    _prefer(world_a.school_coordinator, RETURNED, PORTAL)
    with django_capture_on_commit_callbacks(execute=True):
        notify([world_a.school_coordinator], kind=RETURNED, title="Риск-профиль возвращён")
    assert mail.outbox == []


def test_a_choice_for_one_kind_leaves_the_others_alone(world_a, with_broker):
    _prefer(world_a.school_coordinator, RETURNED, PORTAL)
    notify([world_a.school_coordinator], kind="risk_profiles.profile.verified",
           title="Риск-профиль подтверждён")
    assert notifications_deliver() == 1


# -- the daily summary ----------------------------------------------------------------------------
def test_a_digest_kind_is_not_sent_singly_but_once_in_the_day_s_summary(world_a, with_broker):
    school, staff = world_a.school_coordinator, world_a.regional_staff
    school.first_name, school.middle_name = "Анна", "Петровна"
    school.save()
    for user in (school, staff):
        _prefer(user, RETURNED, DIGEST)
        _prefer(user, "roadmaps.document.approved", DIGEST)
    for n in range(1, 3):
        notify([school, staff], kind=RETURNED, title=f"Риск-профиль возвращён {n}",
               url="/risks/")
    notify([school], kind="roadmaps.document.approved", title="Документ подтверждён")
    notify([school], kind="roadmaps.document.returned", title="Документ возвращён")  # e-mail
    assert notifications_deliver() == 1
    assert [m.subject for m in mail.outbox] == ["[500+] Документ возвращён"]
    mail.outbox.clear()
    # a notification read on the portal is not mailed again
    staff.notifications.filter(title__endswith="2").update(read_at=timezone.now())

    assert notifications_digest_send() == 2
    letters = {m.to[0]: m for m in mail.outbox}
    assert letters[school.email].subject == "[500+] Сводка за день: 3 новых уведомления"
    assert letters[staff.email].subject == "[500+] Сводка за день: 1 новое уведомление"
    body = letters[school.email].body
    assert body.startswith("Здравствуйте, Анна Петровна!")
    assert "Риск-профиль возвращён 1" in body and "Документ подтверждён" in body
    assert "Документ возвращён\n" not in body  # that one was a letter of its own
    assert f"{settings.PORTAL_BASE_URL.rstrip('/')}/risks/" in body
    assert reverse("core:notification_settings") in body
    # idempotent: a second run (the same day, or beat twice) sends nothing more
    assert notifications_digest_send() == 0
    assert notifications_digest_send(now=timezone.now() + datetime.timedelta(hours=1)) == 0
    assert len(mail.outbox) == 2
    assert not Notification.objects.filter(channel=DIGEST, emailed_at__isnull=True,
                                           read_at__isnull=True).exists()
    # … and the next day's notifications go in the next day's letter
    notify([school], kind=RETURNED, title="Ещё одно")
    assert notifications_digest_send(now=timezone.now() + datetime.timedelta(seconds=1)) == 1
    assert mail.outbox[-1].subject == "[500+] Сводка за день: 1 новое уведомление"


def test_a_refused_summary_stays_for_the_next_run(world_a, with_broker, monkeypatch):
    from django.core.mail.backends.locmem import EmailBackend

    _prefer(world_a.curator, "roadmaps.document.submitted", DIGEST)
    notify([world_a.curator], kind="roadmaps.document.submitted", title="На проверку")
    real_send = EmailBackend.send_messages

    def refuse(self, messages):
        raise ConnectionRefusedError("SMTP down")

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    assert notifications_digest_send() == 0
    monkeypatch.setattr(EmailBackend, "send_messages", real_send)
    assert notifications_digest_send() == 1
    assert notifications_digest_send() == 0


def test_the_summary_runs_daily_from_beat(db):
    from config.celery import app

    entries = [e for e in app.conf.beat_schedule.values()
               if e["task"] == "core.tasks.notifications_digest_task"]
    assert len(entries) == 1
    assert entries[0]["schedule"].hour == {18} and entries[0]["schedule"].minute == {0}
    from core.tasks import notifications_digest_task

    assert notifications_digest_task() == 0


# -- the page -------------------------------------------------------------------------------------
def test_the_list_links_to_the_settings(client, world_a):
    client.force_login(world_a.school_coordinator)
    page = client.get(reverse("core:notification_list")).content.decode()
    assert reverse("core:notification_settings") in page


def _field_of(page: str, kind_label: str) -> str:
    """The form field name of the kind labelled ``kind_label`` on the page."""
    block = page.split(f"<legend>{kind_label}</legend>", 1)[1]
    return re.search(r'name="(kind_\d+)"', block).group(1)


def _checked(page: str) -> dict[str, str]:
    """What the page's form would send as it stands: field → the checked choice."""
    return dict(re.findall(r'name="(kind_\d+)" value="(\w+)"[^>]*checked', page))


def test_the_page_shows_the_choices_and_saves_them(client, world_a):
    user = world_a.school_coordinator
    client.force_login(user)
    response = client.get(reverse("core:notification_settings"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Риск-профиль возвращён на доработку или разблокирован" in page
    assert "Риск-профиль школы отправлен на проверку" not in page  # a curator's kind
    for label in ("только на портале", "также по электронной почте",
                  "ежедневная сводка по почте"):
        assert label in page
    field = _field_of(page, "Риск-профиль возвращён на доработку или разблокирован")
    data = _checked(page)
    assert data[field] == EMAIL  # the default
    data[field] = DIGEST
    response = client.post(reverse("core:notification_settings"), data)
    assert response.status_code == 302
    assert NotificationPreference.objects.get(user=user).kind == RETURNED
    assert NotificationPreference.objects.get(user=user).channel == DIGEST
    entry = AuditEntry.objects.get(action="core.notification_preferences.changed")
    assert entry.data == {"channels": {RETURNED: DIGEST}}
    page = client.get(reverse("core:notification_settings")).content.decode()
    assert "Настройки уведомлений сохранены." in page
    notify([user], kind=RETURNED, title="Риск-профиль возвращён")
    assert Notification.objects.get().channel == DIGEST
    # the same choices again change nothing
    client.post(reverse("core:notification_settings"), data)
    assert AuditEntry.objects.filter(action="core.notification_preferences.changed").count() == 1


def test_a_bad_choice_is_shown_and_nothing_saved(client, world_a):
    client.force_login(world_a.curator)
    response = client.post(reverse("core:notification_settings"), {"kind_0": "fax"})
    assert response.status_code == 200
    assert "Выберите один из вариантов." in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_the_observer_may_set_their_own_preferences(client, federal_observer):
    client.force_login(federal_observer)
    page = client.get(reverse("core:notification_settings")).content.decode()
    field = _field_of(page, "Отчёт или выгрузка готовы (или не получились)")
    data = _checked(page)
    assert data[field] == PORTAL  # a report: the portal only by default
    data[field] = EMAIL
    response = client.post(reverse("core:notification_settings"), data)
    assert response.status_code == 302
    assert NotificationPreference.objects.get(user=federal_observer).channel == EMAIL


def test_only_the_user_sets_their_preferences(world_a):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        notification_preferences_save(actor=world_a.regional_staff,
                                      user=world_a.school_coordinator,
                                      channels={RETURNED: PORTAL})
    assert not NotificationPreference.objects.exists()


# -- jobs: whoever started one is told how it ended ----------------------------------------------
def test_the_starter_of_a_job_is_told_when_it_ends(world_a, world_b,
                                                    django_capture_on_commit_callbacks):
    def refuse(job, progress):
        from core.exceptions import DomainError

        raise DomainError("Файл не читается.")

    jobs.register_job_kind("test.import_refuse", "Импорт для проверки", refuse,
                           permission="core.view_auditentry")
    with django_capture_on_commit_callbacks(execute=True):
        done = jobs.job_start(actor=world_a.regional_staff, kind="core.audit_export",
                              region=world_a.region)
        failed = jobs.job_start(actor=world_a.regional_staff, kind="test.import_refuse",
                                region=world_a.region)
    told = {n.kind: n for n in Notification.objects.all()}
    assert set(told) == {"core.job.finished", "core.job.import_finished"}
    assert {n.recipient for n in told.values()} == {world_a.regional_staff}
    assert told["core.job.finished"].title == "Готово: Выгрузка журнала действий в Excel"
    assert told["core.job.finished"].url == reverse("core:job_detail", args=[done.public_id])
    assert told["core.job.finished"].channel == PORTAL  # a report: the portal by default
    imported = told["core.job.import_finished"]
    assert (imported.title, imported.body) == ("Не выполнено: Импорт для проверки",
                                               "Файл не читается.")
    assert imported.url == reverse("core:job_detail", args=[failed.public_id])
    assert imported.channel == EMAIL and imported.region == world_a.region
    assert [m.subject for m in mail.outbox] == ["[500+] Не выполнено: Импорт для проверки"]


def test_a_job_failed_by_the_watch_tells_its_starter(world_a):
    job = jobs.job_start(actor=world_a.regional_staff, kind="core.audit_export")
    later = timezone.now() + datetime.timedelta(seconds=settings.JOB_TIME_LIMIT_SECONDS + 600)
    assert jobs.jobs_fail_stale(now=later) == 1
    n = Notification.objects.get()
    assert n.recipient == world_a.regional_staff and n.title.startswith("Не выполнено: ")
    assert n.url == reverse("core:job_detail", args=[job.public_id])


def test_a_job_rolled_back_tells_nobody(world_a):
    from django.db import transaction

    job = jobs.job_start(actor=world_a.regional_staff, kind="core.audit_export")
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            jobs.job_run(job.pk)
            raise RuntimeError("the worker's transaction is rolled back")
    assert not Notification.objects.exists()
