"""Scoped reads of the methodical pool: the records (region-wide roles and the
municipality's coordinator), counts by subject and the coverage of ШНОР by municipality."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from core.db import ru
from core.models import Municipality, Region
from core.roles import Role
from core.scope import scope_of
from core.selectors import municipalities_for
from schools.models import SchoolYear

from .facts import active_pool
from .models import Methodist, Subject


def methodists_for(user) -> QuerySet[Methodist]:
    """Records of the pool in the user's scope: region-wide roles see the region, a
    municipal coordinator the methodists working in its municipality."""
    qs = Methodist.objects.select_related("region", "municipality", "school")
    q = scope_of(user).filter(region="region_id", municipality="municipality_id", school=None)
    return qs if q is None else qs.filter(q)


def methodist_get(user, public_id: UUID) -> Methodist:
    return get_object_or_404(methodists_for(user), public_id=public_id)


def active_tutors_for(user) -> QuerySet[Methodist]:
    """Tutors who may take a route now: in the pool (active) and marked as tutors."""
    return methodists_for(user).filter(is_tutor=True, status=Methodist.Status.ACTIVE)


def own_methodist_records(user) -> QuerySet[Methodist]:
    """The pool records linked to the user's account (a methodist's «my record»)."""
    return methodists_for(user).filter(user=user)


def subjects_all() -> QuerySet[Subject]:
    """The shared list of subjects (not tenant data)."""
    return Subject.objects.order_by(ru("name"), "pk")


@dataclass
class SubjectRow:
    subject: str
    methodists: int
    tutors: int


def pool_narrowing(user, region: Region) -> QuerySet[Municipality] | None:
    """``None`` when the user sees the region's whole pool (administrators and region-wide
    roles); else the municipalities whose part it sees (a municipal coordinator)."""
    scope = scope_of(user)
    if scope.is_national or any(region.pk in scope.region_ids_by_role.get(role, ())
                                for role in (Role.REGIONAL_STAFF, Role.CURATOR,
                                             Role.METHODIST)):
        return None
    return municipalities_for(user).filter(region=region)


def pool_by_subject(region: Region, *, municipalities: QuerySet[Municipality] | None = None
                    ) -> tuple[list[SubjectRow], int, int]:
    """Active methodists of the region by subject, the total (each person once) and the
    tutors. A methodist with two subjects counts once in each row. The caller got
    ``region`` through a scoped selector."""
    active = active_pool(region)
    if municipalities is not None:
        active = active.filter(municipality__in=municipalities.values("pk"))
    ids = active.values("pk")
    rows = (Subject.objects.filter(methodists__in=ids)
            .annotate(n=Count("methodists", filter=Q(methodists__in=ids), distinct=True),
                      t=Count("methodists", filter=Q(methodists__in=ids,
                                                     methodists__is_tutor=True),
                              distinct=True))
            .order_by(ru("name")))
    total = active.count()
    tutors = active.filter(is_tutor=True).count()
    return [SubjectRow(r.name, r.n, r.t) for r in rows], total, tutors


@dataclass
class CoverageRow:
    municipality: Municipality
    shnor: int
    methodists: int
    tutors: int

    @property
    def uncovered(self) -> bool:
        """ШНОР here and nobody of the pool works here: the row the region acts on."""
        return self.shnor > 0 and self.methodists == 0


@dataclass
class PoolCoverage:
    year: int | None
    rows: list[CoverageRow]
    elsewhere: int  # methodists in municipalities without ШНОР this year
    total: int

    @property
    def shnor(self) -> int:
        return sum(r.shnor for r in self.rows)

    @property
    def in_shnor_municipalities(self) -> int:
        return sum(r.methodists for r in self.rows)

    @property
    def uncovered(self) -> list[CoverageRow]:
        return [r for r in self.rows if r.uncovered]


def pool_years(region: Region) -> list[int]:
    return list(SchoolYear.objects.filter(region=region, is_shnor=True)
                .values_list("year", flat=True).distinct().order_by("-year"))


def pool_coverage(region: Region, year: int | None, *,
                  municipalities: QuerySet[Municipality] | None = None) -> PoolCoverage:
    """Per municipality: ШНОР schools of ``year`` and active methodists working there
    (seed 000's table «ШНОР в проекте / региональные методисты»). Municipalities with
    neither are left out; ``municipalities`` narrows the rows (a municipal coordinator)."""
    shnor = dict(SchoolYear.objects.filter(region=region, year=year, is_shnor=True)
                 .values("school__municipality_id").annotate(n=Count("pk"))
                 .values_list("school__municipality_id", "n")) if year else {}
    active = active_pool(region)
    pool = {m: (n, t) for m, n, t in active.values("municipality_id").annotate(
        n=Count("pk"), t=Count("pk", filter=Q(is_tutor=True)))
        .values_list("municipality_id", "n", "t")}
    places = Municipality.objects.filter(region=region, pk__in=set(shnor) | set(pool))
    if municipalities is not None:
        places = places.filter(pk__in=municipalities.values("pk"))
    rows, elsewhere = [], 0
    for m in places.order_by("name"):  # as the dashboard and the training coverage
        n, t = pool.get(m.pk, (0, 0))
        if shnor.get(m.pk):
            rows.append(CoverageRow(m, shnor[m.pk], n, t))
        else:
            elsewhere += n
    total = sum(n for n, _ in pool.values()) if municipalities is None else \
        sum(r.methodists for r in rows) + elsewhere
    return PoolCoverage(year, rows, elsewhere, total)
