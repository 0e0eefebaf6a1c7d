from celery import shared_task


@shared_task(name="monitoring.tasks.engagement_recompute_nightly_task")
def engagement_recompute_nightly_task() -> int:
    """Every night: each region's proposals for its latest programme year."""
    from core.models import Region
    from schools.facts import latest_year_by_region

    from .services import engagement_recompute

    latest = latest_year_by_region()
    for region in Region.objects.filter(pk__in=list(latest)).order_by("code"):
        engagement_recompute(actor=None, region=region, year=latest[region.pk])
    return len(latest)


@shared_task(name="monitoring.tasks.boards_refresh_task")
def boards_refresh_task(region_id: int | None = None) -> int:
    """After a write: the region's dashboards viewed lately, computed again (boards.py)."""
    from .boards import boards_refresh

    return boards_refresh(region_id)
