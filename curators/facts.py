"""Facts the curators app publishes to other apps (monitoring, the management cycle, the
API): the curators' load (schools per curator of a year), their work log, the published
expertise of a region and year, and the share of schools a curator actually works with."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Avg, Count, Exists, OuterRef, Q

from roadmaps.facts import reviewed_by_curator

from .models import CuratorAssignment, ExpertiseScheme, ExpertiseSheet, WorkLogEntry


def _bounded(region) -> dict:
    return {"region": region} if region is not None else {}


@dataclass
class CuratorLoad:
    """The active assignments of a year among some schools."""

    #: curator id → (full name, schools assigned)
    curators: dict[int, tuple[str, int]] = field(default_factory=dict)
    #: (curator id, school id) of every active assignment
    pairs: list[tuple[int, int]] = field(default_factory=list)
    #: schools with at least one curator, and those with more than one
    curated: set[int] = field(default_factory=set)
    shared: set[int] = field(default_factory=set)


def curator_load(school_ids, year: int, *, region=None) -> CuratorLoad:
    """Who curates which of ``school_ids`` in ``year`` (active assignments). Three
    aggregate queries."""
    assignments = CuratorAssignment.objects.filter(year=year, ended_at__isnull=True,
                                                   school_id__in=school_ids,
                                                   **_bounded(region))
    load = CuratorLoad()
    for row in (assignments.order_by().values("curator_id", "curator__last_name",
                                              "curator__first_name", "curator__middle_name")
                .annotate(schools=Count("school_id", distinct=True))):
        name = " ".join(filter(None, (row["curator__last_name"], row["curator__first_name"],
                                      row["curator__middle_name"])))
        load.curators[row["curator_id"]] = (name, row["schools"])
    load.pairs = list(assignments.order_by().values_list("curator_id", "school_id"))
    load.curated = {school_id for _, school_id in load.pairs}
    load.shared = set(assignments.order_by().values("school_id")
                      .annotate(n=Count("curator_id", distinct=True)).filter(n__gt=1)
                      .values_list("school_id", flat=True))
    return load


def log_entries(curator_ids, school_ids, year: int, *, region=None) -> dict[int, int]:
    """Work-log entries of ``year`` per curator: about one of ``school_ids`` or general (no
    school)."""
    return dict(WorkLogEntry.objects.filter(curator_id__in=list(curator_ids), date__year=year,
                                            **_bounded(region))
                .filter(Q(school_id__in=school_ids) | Q(school__isnull=True))
                .order_by().values("curator_id").annotate(n=Count("pk"))
                .values_list("curator_id", "n"))


@dataclass(frozen=True)
class Expertise:
    """Published expertise sheets of a region and year against the year's scheme."""

    maximum: int
    sheets: int
    mean: float | None
    red: int
    yellow: int
    green: int


def zone_counts(scheme: ExpertiseScheme) -> dict:
    """The aggregates of sheets by zone of ``scheme`` (``red``, ``yellow``, ``green``): the
    one rule of the zones, for ``QuerySet.aggregate``."""
    return {"red": Count("pk", filter=Q(total__lte=scheme.red_max)),
            "yellow": Count("pk", filter=Q(total__gt=scheme.red_max,
                                           total__lte=scheme.yellow_max)),
            "green": Count("pk", filter=Q(total__gt=scheme.yellow_max))}


def expertise(region, year: int) -> Expertise | None:
    """None when the year has no expertise scheme."""
    scheme = ExpertiseScheme.objects.filter(year=year).first()
    if scheme is None:
        return None
    agg = ExpertiseSheet.objects.filter(
        region=region, year=year, status=ExpertiseSheet.Status.PUBLISHED).aggregate(
        n=Count("pk"), mean=Avg("total"), **zone_counts(scheme))
    mean = float(agg["mean"]) if agg["mean"] is not None else None
    return Expertise(scheme.max_points, agg["n"], mean, agg["red"], agg["yellow"], agg["green"])


def curator_work(school_ids, year: int) -> tuple[int, int]:
    """(schools with a curator, schools whose own curator decided on their documents or
    logged work about them) among ``school_ids`` in ``year``."""
    active = CuratorAssignment.objects.filter(year=year, ended_at__isnull=True,
                                              school_id__in=school_ids)
    curated = active.values("school_id").distinct().count()
    logged = WorkLogEntry.objects.filter(curator_id=OuterRef("curator_id"),
                                         school_id=OuterRef("school_id"), date__year=year)
    worked = (active.filter(reviewed_by_curator(year) | Exists(logged))
              .values("school_id").distinct().count())
    return curated, worked


def with_single_school_curator(school_ids, year: int) -> int:
    """Schools among ``school_ids`` whose (main) curator of ``year`` has that one school
    only, counting all its assignments, co-curated ones included."""
    every = CuratorAssignment.objects.filter(year=year, ended_at__isnull=True)
    single_curators = (every.order_by().values("curator_id")
                       .annotate(n=Count("school", distinct=True))
                       .filter(n=1).values("curator_id"))
    return (every.filter(is_co_curator=False, school_id__in=school_ids,
                         curator_id__in=single_curators)
            .values("school_id").distinct().count())
