from celery import shared_task


@shared_task(name="monitoring.tasks.engagement_recompute_nightly_task")
def engagement_recompute_nightly_task() -> int:
    """Every night: each region's proposals for its latest programme year."""
    from django.db.models import Max

    from core.models import Region
    from schools.models import SchoolYear

    from .services import engagement_recompute

    latest = dict(SchoolYear.objects.filter(is_participant=True).order_by()
                  .values("region_id").annotate(year=Max("year"))
                  .values_list("region_id", "year"))
    for region in Region.objects.filter(pk__in=list(latest)).order_by("code"):
        engagement_recompute(actor=None, region=region, year=latest[region.pk])
    return len(latest)
