import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("portal500")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

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
    # Every ten minutes: jobs past their time limit (a killed worker) are marked failed.
    "core-jobs-fail-stale": {
        "task": "core.tasks.jobs_fail_stale_task",
        "schedule": crontab(minute="*/10"),
    },
}
