from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core import permissions
from core.paging import paginate

from .filters import AssignmentFilter
from .selectors import (
    active_assignments_for,
    is_own_queue,
    queue_years,
    review_queue_for,
    review_stats_for,
)


@require_GET
@login_required
def assignment_list(request):
    permissions.require(request.user, "curators.view_curatorassignment")
    filterset = AssignmentFilter(request.GET or None,
                                 queryset=active_assignments_for(request.user))
    assignments = filterset.qs.order_by("curator__last_name", "school__short_name", "pk")
    load = (assignments.values("curator__public_id", "curator__last_name",
                               "curator__first_name", "curator__middle_name", "unit")
            .annotate(schools=Count("school", distinct=True))
            .order_by("-schools", "curator__last_name"))
    page, query = paginate(request, assignments)
    return render(request, "curators/assignment_list.html",
                  {"filter": filterset, "page": page, "query": query, "load": load})


@require_GET
@login_required
def queue(request):
    """The review queue: a curator's own, or the region's (municipality's) with the hold
    time of every curator."""
    permissions.require(request.user, "roadmaps.view_document")
    years = queue_years(request.user)
    try:
        year = int(request.GET.get("year") or (years[0] if years else 0))
    except ValueError:
        year = years[0] if years else 0
    items = review_queue_for(request.user, year) if year else []
    page, query = paginate(request, items)
    return render(request, "curators/queue.html", {
        "years": years, "year": year, "page": page, "query": query, "total": len(items),
        "stats": review_stats_for(request.user, year, queue=items) if year else [],
        "is_curator_view": is_own_queue(request.user),
    })
