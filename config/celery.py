import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("portal500")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Reliability (issue 22). A message is acknowledged only once its task finished, and put
# back when the worker process running it dies, so a job a worker took is never lost with
# the worker (every task is safe to run twice: jobs are claimed, periodic tasks claim rows).
# One message per worker process at a time, so a waiting job is not held by a busy worker.
# The broker answers within 2 s or counts as unavailable (a hung Redis must not hang a
# page); a message taken and never acknowledged (its worker killed) is delivered again
# after an hour — longer than any task's time limit — while the job itself is failed as
# interrupted within a minute by its heartbeat (core.jobs).
app.conf.update(
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    broker_connection_timeout=2,
    broker_connection_retry_on_startup=True,
    broker_transport_options={
        "socket_connect_timeout": 2,
        "socket_timeout": 2,
        "visibility_timeout": 3600,
        "health_check_interval": 10,
    },
)

app.conf.beat_schedule = {
    # Every day at 03:30 Moscow time: delete expired job result files.
    "core-jobs-purge-expired": {
        "task": "core.tasks.jobs_purge_expired_task",
        "schedule": crontab(hour=3, minute=30),
    },
    # Every day at 07:00 Moscow time: remind of roadmap measures due soon or overdue.
    "roadmaps-reminders-daily": {
        "task": "roadmaps.tasks.reminders_send_task",
        "schedule": crontab(hour=7, minute=0),
    },
    # Every night at 02:30: the engagement proposals of every region's latest year.
    "monitoring-engagement-nightly": {
        "task": "monitoring.tasks.engagement_recompute_nightly_task",
        "schedule": crontab(hour=2, minute=30),
    },
    # Every night at 02:45: the management cycle's computed indicators.
    "management-values-nightly": {
        "task": "management.tasks.values_compute_nightly_task",
        "schedule": crontab(hour=2, minute=45),
    },
    # Every day at 07:10: reminders of the monitoring calendar's events.
    "management-calendar-reminders": {
        "task": "management.tasks.calendar_remind_task",
        "schedule": crontab(hour=7, minute=10),
    },
    # Every minute: jobs whose worker is gone (no heartbeat for a minute, or past their
    # time limit) are failed, pending jobs whose message was lost are sent again.
    "core-jobs-fail-stale": {
        "task": "core.tasks.jobs_fail_stale_task",
        "schedule": crontab(minute="*"),
    },
    # Every minute: the e-mail copies of notifications waiting in the outbox are sent.
    "core-notifications-deliver": {
        "task": "core.tasks.notifications_deliver_task",
        "schedule": crontab(minute="*"),
    },
    # Every day at 18:00 Moscow time: one summary letter per user with the day's
    # notifications of the kinds they get as a daily summary.
    "core-notifications-digest-daily": {
        "task": "core.tasks.notifications_digest_task",
        "schedule": crontab(hour=18, minute=0),
    },
}
