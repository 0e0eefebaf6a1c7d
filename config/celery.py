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
}
