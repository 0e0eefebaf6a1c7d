from celery import shared_task


@shared_task(name="roadmaps.tasks.reminders_send_task")
def reminders_send_task() -> int:
    """Daily (beat): measures due within 7 days and newly overdue ones, once per day."""
    from .services.plans import reminders_send

    return reminders_send()
