from celery import shared_task

from .jobs import job_run, jobs_fail_stale, jobs_purge_expired


@shared_task(name="core.tasks.job_run_task", acks_late=True)
def job_run_task(*, job_id: int) -> None:
    job_run(job_id)


@shared_task(name="core.tasks.jobs_purge_expired_task")
def jobs_purge_expired_task() -> int:
    return jobs_purge_expired()


@shared_task(name="core.tasks.notification_email_task", autoretry_for=(OSError,),
             retry_backoff=True, max_retries=5)
def notification_email_task(*, notification_ids: list[int]) -> int:
    from .notifications import notifications_email

    return notifications_email(notification_ids)


@shared_task(name="core.tasks.jobs_fail_stale_task")
def jobs_fail_stale_task() -> int:
    return jobs_fail_stale()
