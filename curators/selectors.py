from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from statistics import median

from django.db.models import QuerySet
from django.utils import timezone

from core.roles import Role
from core.scope import scope_of
from roadmaps.models import Document, Review
from roadmaps.selectors import documents_for

from .models import CuratorAssignment


def assignments_for(user) -> QuerySet[CuratorAssignment]:
    """Assignments of schools in the user's scope (a curator sees its own schools)."""
    qs = CuratorAssignment.objects.select_related("curator", "school", "school__municipality",
                                                  "region")
    q = scope_of(user).filter(region="region_id", municipality="school__municipality_id",
                              school="school_id")
    return qs if q is None else qs.filter(q)


def active_assignments_for(user) -> QuerySet[CuratorAssignment]:
    return assignments_for(user).filter(ended_at__isnull=True)


# -- the review queue and turnaround ------------------------------------------------------------
@dataclass
class QueueItem:
    document: Document
    curators: list
    waiting: timedelta


@dataclass
class CuratorStats:
    curator: object
    schools: int = 0
    waiting: int = 0
    oldest: QueueItem | None = None
    decided: int = 0
    median: timedelta | None = None


def is_own_queue(user) -> bool:
    """A curator without a wider role sees only its own schools' queue."""
    scope = scope_of(user)
    return (Role.CURATOR in scope.roles and not scope.is_national and not scope.region_ids
            and not scope.municipality_ids)


def _assignments_of_year(user, year: int):
    assignments = active_assignments_for(user).filter(year=year)
    if is_own_queue(user):
        # a curator's queue is its own schools, even where a colleague shares one
        assignments = assignments.filter(curator=user)
    return assignments


def review_queue_for(user, year: int, *, now=None) -> list[QueueItem]:
    """Documents waiting for a curator in ``year``, oldest first: a curator's own schools
    (assigned for that year), or every school in scope for regional and municipal staff
    (a school nobody curates shows an empty curator list)."""
    now = now or timezone.now()
    curators_of: dict[int, list] = defaultdict(list)
    for a in _assignments_of_year(user, year):
        curators_of[a.school_id].append(a.curator)
    documents = documents_for(user).filter(year=year, status=Document.Status.SUBMITTED)
    if is_own_queue(user):
        documents = documents.filter(school_id__in=list(curators_of))
    return [QueueItem(d, curators_of.get(d.school_id, []), now - (d.submitted_at or now))
            for d in documents.order_by("submitted_at", "pk")]


def review_stats_for(user, year: int, *, queue: list[QueueItem] | None = None,
                     now=None) -> list[CuratorStats]:
    """Per curator of ``year``: schools, documents waiting (and the oldest), decisions made
    and the median time a version waited for them (the hold time). ``queue`` is the
    page's own ``review_queue_for`` result, so it is not read twice."""
    stats: dict[int, CuratorStats] = {}
    for a in _assignments_of_year(user, year).order_by("curator__last_name"):
        s = stats.setdefault(a.curator_id, CuratorStats(a.curator))
        s.schools += 1
    for item in queue if queue is not None else review_queue_for(user, year, now=now):
        for curator in item.curators:
            s = stats.get(curator.pk)
            if s is None:
                continue
            s.waiting += 1
            if s.oldest is None:
                s.oldest = item
    held: dict[int, list[timedelta]] = defaultdict(list)
    for reviewer_id, waited in Review.objects.filter(
            version__document__in=documents_for(user).filter(year=year),
            reviewer_id__in=list(stats)).values_list("reviewer_id", "waited"):
        held[reviewer_id].append(waited)
    for curator_id, values in held.items():
        stats[curator_id].decided = len(values)
        stats[curator_id].median = median(values)
    return sorted(stats.values(), key=lambda s: (s.curator.last_name, s.curator.first_name))


def queue_years(user) -> list[int]:
    years = set(active_assignments_for(user).values_list("year", flat=True))
    years |= set(documents_for(user).values_list("year", flat=True).distinct())
    return sorted(years, reverse=True)
