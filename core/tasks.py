from celery import shared_task

from .jobs import job_run, jobs_purge_expired, jobs_watch


@shared_task(name="core.tasks.job_run_task", acks_late=True)
def job_run_task(*, job_id: int) -> None:
    job_run(job_id)


@shared_task(name="core.tasks.jobs_purge_expired_task")
def jobs_purge_expired_task() -> int:
    return jobs_purge_expired()


@shared_task(name="core.tasks.notifications_deliver_task")
def notifications_deliver_task() -> int:
    """The outbox of e-mail copies (beat, every minute)."""
    from .notifications import notifications_deliver

    return notifications_deliver()


@shared_task(name="core.tasks.notifications_digest_task")
def notifications_digest_task() -> int:
    """The daily summary letters (beat, once a day); a second run sends nothing more."""
    from .notifications import notifications_digest_send

    return notifications_digest_send()


@shared_task(name="core.tasks.notification_email_task")
def notification_email_task(*, notification_ids: list[int]) -> int:
    """Kept for messages sent before the outbox (issue 22): delivers those rows now."""
    from .notifications import notifications_deliver

    return notifications_deliver(ids=notification_ids)


@shared_task(name="core.tasks.jobs_fail_stale_task")
def jobs_fail_stale_task() -> dict[str, int]:
    """The minute's check of jobs: lost or stale ones failed, lost messages sent again."""
    return jobs_watch()
