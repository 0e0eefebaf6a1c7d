from __future__ import annotations

from celery import shared_task

from core.jobs import JobResult


def run_compute(job, progress) -> JobResult:
    """The on-demand job: every computed indicator of the region's year."""
    from django.urls import reverse

    from core.models import User

    from .services import values_compute

    actor = User.objects.get(pk=job.created_by_id)
    year = int(job.params["year"])
    written = values_compute(actor=actor, region=job.region, year=year, progress=progress)
    url = f"{reverse('management:indicators')}?region={job.region.code}&year={year}"
    return JobResult(message=f"Показатели {year} г. пересчитаны ({job.region.name}): "
                             f"значений — {written}.", url=url)


@shared_task(name="management.tasks.values_compute_nightly_task")
def values_compute_nightly_task() -> int:
    """Every night: the computed indicators of every region and year that has them."""
    from core.models import Region

    from .models import Indicator
    from .services import values_compute

    pairs = sorted(set(Indicator.objects.filter(source=Indicator.Source.COMPUTED)
                       .values_list("region_id", "year")))
    regions = Region.objects.in_bulk({region_id for region_id, _ in pairs})
    for region_id, year in pairs:
        values_compute(actor=None, region=regions[region_id], year=year)
    return len(pairs)


@shared_task(name="management.tasks.calendar_remind_task")
def calendar_remind_task() -> int:
    """Every morning: reminders of the monitoring calendar's events."""
    from .services import calendar_remind

    return calendar_remind()
