"""Scoped reads of training.

Courses and runs are a region's catalogue (every member of the region reads it). Staff
records, enrolments and routes name people: they are read by regional staff, by the
school's own coordinator and curator (guardian grants) and — for routes — by the route's
tutor; a municipal coordinator sees them only as counts (``coverage``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from uuid import UUID

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from core.db import ru
from core.models import Municipality, Region
from core.roles import Role
from core.scope import scope_of
from core.selectors import municipalities_for
from schools.models import School, SchoolYear

from .facts import COVERAGE_YEARS, share, staff_trained, trained_q  # noqa: F401
from .models import Course, CourseRun, Enrolment, Route, StaffMember


# -- the catalogue ------------------------------------------------------------------------------
def courses_for(user) -> QuerySet[Course]:
    q = scope_of(user).filter(region="region_id", municipality=None, school=None)
    qs = Course.objects.select_related("region")
    return qs if q is None else qs.filter(q)


def course_get(user, public_id: UUID) -> Course:
    return get_object_or_404(courses_for(user), public_id=public_id)


def runs_for(user) -> QuerySet[CourseRun]:
    q = scope_of(user).filter(region="region_id", municipality=None, school=None)
    qs = CourseRun.objects.select_related("course", "region")
    return qs if q is None else qs.filter(q)


def run_get(user, public_id: UUID) -> CourseRun:
    return get_object_or_404(runs_for(user), public_id=public_id)


# -- people -----------------------------------------------------------------------------------
def _personal_q(user, prefix: str = ""):
    """Regional staff of the region and users granted the school (its coordinator, its
    curator); never the municipality's coordinator."""
    return scope_of(user).filter(region=f"{prefix}region_id", municipality=None,
                                 school=f"{prefix}school_id")


def staff_for(user) -> QuerySet[StaffMember]:
    q = _personal_q(user)
    qs = StaffMember.objects.select_related("school", "school__municipality", "region")
    return qs if q is None else qs.filter(q)


def staff_get(user, public_id: UUID) -> StaffMember:
    return get_object_or_404(staff_for(user), public_id=public_id)


def enrolments_for(user) -> QuerySet[Enrolment]:
    q = _personal_q(user)
    qs = Enrolment.objects.select_related("staff", "school", "school__municipality", "run",
                                          "run__course", "subject")
    return qs if q is None else qs.filter(q)


def enrolment_get(user, public_id: UUID) -> Enrolment:
    return get_object_or_404(enrolments_for(user), public_id=public_id)


def routes_for(user) -> QuerySet[Route]:
    """Routes of the user's schools, and the routes the user tutors as a methodist."""
    q = _personal_q(user)
    qs = Route.objects.select_related("staff", "school", "school__municipality", "tutor",
                                      "region")
    if q is None:
        return qs
    if user.is_authenticated:
        q |= Q(tutor__user=user, tutor__status="active")
    return qs.filter(q)


def route_get(user, public_id: UUID) -> Route:
    return get_object_or_404(routes_for(user), public_id=public_id)


def staff_schools_for(user) -> QuerySet[School]:
    """Schools whose staff records the user keeps or reads."""
    from schools.selectors import schools_for

    scope = scope_of(user)
    qs = schools_for(user)
    if scope.is_national:
        return qs
    return qs.filter(Q(region_id__in=scope.region_ids) | Q(pk__in=scope.school_ids))


# -- coverage -----------------------------------------------------------------------------------
@dataclass
class CoverageRow:
    label: str
    staff: int
    trained: int
    schools: int = 0
    obj: object = None

    @property
    def share(self) -> int | None:
        return share(self.trained, self.staff)


@dataclass
class Coverage:
    """Coverage of ШНОР staff by completed training in ``year`` (and the two before)."""

    region: Region
    year: int | None
    by_municipality: list[CoverageRow] = field(default_factory=list)
    by_school: list[CoverageRow] = field(default_factory=list)
    by_subject: list[CoverageRow] = field(default_factory=list)
    total: CoverageRow | None = None

    @property
    def period(self) -> str:
        return f"{self.year - COVERAGE_YEARS + 1}–{self.year}" if self.year else ""

    @property
    def schools_without_staff(self) -> list[CoverageRow]:
        return [r for r in self.by_school if not r.staff]


def coverage_years(region: Region) -> list[int]:
    return list(SchoolYear.objects.filter(region=region, is_shnor=True)
                .values_list("year", flat=True).distinct().order_by("-year"))


def coverage_narrowing(user, region: Region) -> QuerySet[Municipality] | None:
    """``None`` when the user reads the region's coverage whole; else its municipalities."""
    scope = scope_of(user)
    if scope.is_national or any(region.pk in scope.region_ids_by_role.get(role, ())
                                for role in (Role.REGIONAL_STAFF, Role.CURATOR)):
        return None
    return municipalities_for(user).filter(region=region)


def coverage(region: Region, year: int | None, *,
             municipalities: QuerySet[Municipality] | None = None,
             school: School | None = None) -> Coverage:
    """Counts only (no names): who of the active staff of the year's ШНОР completed a
    course in the three years to ``year``. The caller got ``region`` (and ``municipalities``,
    ``school``) through scoped selectors."""
    result = Coverage(region, year)
    if not year:
        return result
    schools = SchoolYear.objects.filter(region=region, year=year, is_shnor=True)
    if municipalities is not None:
        schools = schools.filter(school__municipality__in=municipalities.values("pk"))
    if school is not None:
        schools = schools.filter(school=school)
    school_ids = list(schools.values_list("school_id", flat=True))
    staff = StaffMember.objects.filter(school_id__in=school_ids, is_active=True)
    trained = Count("pk", filter=trained_q(year), distinct=True)
    per_school = {pk: {"n": fact.staff, "t": fact.trained}
                  for pk, fact in staff_trained(school_ids, year).items()}
    places: dict[int, CoverageRow] = {}
    for s in School.objects.filter(pk__in=school_ids).select_related("municipality").order_by(
            ru("municipality__name"), ru("short_name")):
        r = per_school.get(s.pk, {"n": 0, "t": 0})
        result.by_school.append(CoverageRow(s.short_name, r["n"], r["t"], 1, s))
        place = places.setdefault(s.municipality_id,
                                  CoverageRow(s.municipality.name, 0, 0, 0, s.municipality))
        place.staff += r["n"]
        place.trained += r["t"]
        place.schools += 1
    result.by_municipality = sorted(places.values(), key=lambda r: r.label)
    subjects = (staff.filter(subjects__isnull=False).values("subjects__name")
                .annotate(n=Count("pk", distinct=True), t=trained).order_by("subjects__name"))
    result.by_subject = [CoverageRow(r["subjects__name"], r["n"], r["t"]) for r in subjects]
    result.total = CoverageRow("Всего", sum(r.staff for r in result.by_school),
                               sum(r.trained for r in result.by_school), len(school_ids))
    return result


@dataclass
class CourseTableRow:
    subject: str
    total: int
    shnor: int

    @property
    def share(self) -> int | None:
        return share(self.shnor, self.total)


def course_table(course: Course, *, year: int | None = None
                 ) -> tuple[list[CourseTableRow], CourseTableRow]:
    """«Школа современного учителя» shape: per subject of study, teachers who completed
    the course, of them from ШНОР (the school is ШНОР in the run's year), the share. A
    teacher who completed two runs counts once."""
    completed = Enrolment.objects.filter(run__course=course, status=Enrolment.Status.COMPLETED)
    if year:
        completed = completed.filter(run__starts_on__year=year)
    rows = list(completed.values_list("staff_id", "school_id", "subject__name",
                                      "run__starts_on"))
    years = {starts.year for *_, starts in rows}
    shnor = set(SchoolYear.objects.filter(
        school_id__in={r[1] for r in rows}, year__in=years, is_shnor=True)
        .values_list("school_id", "year"))
    by_subject: dict[str, set] = defaultdict(set)
    shnor_by_subject: dict[str, set] = defaultdict(set)
    everyone, from_shnor = set(), set()
    for staff_id, school_id, subject, starts in rows:
        name = subject or "Предмет не указан"
        by_subject[name].add(staff_id)
        everyone.add(staff_id)
        if (school_id, starts.year) in shnor:
            shnor_by_subject[name].add(staff_id)
            from_shnor.add(staff_id)
    table = [CourseTableRow(name, len(ids), len(shnor_by_subject[name]))
             for name, ids in sorted(by_subject.items())]
    return table, CourseTableRow("Всего", len(everyone), len(from_shnor))


_RUN_COUNTS = {
    "total": Count("enrolments"),
    "completed": Count("enrolments", filter=Q(enrolments__status=Enrolment.Status.COMPLETED)),
    "enrolled": Count("enrolments", filter=Q(enrolments__status=Enrolment.Status.ENROLLED)),
}


def runs_with_counts(runs: QuerySet[CourseRun]) -> QuerySet[CourseRun]:
    """Runs with ``total``, ``completed`` and ``enrolled`` in one query (no names)."""
    return runs.annotate(**_RUN_COUNTS)


def routes_with_progress(routes: QuerySet[Route]) -> QuerySet[Route]:
    """Routes with their step and deficit counts in one query (a list page)."""
    return routes.annotate(
        n_steps=Count("steps", distinct=True),
        n_done=Count("steps", filter=Q(steps__done_on__isnull=False), distinct=True),
        n_deficits=Count("deficits", distinct=True),
        n_closed=Count("deficits", filter=Q(deficits__is_closed=True), distinct=True))


def run_counts(run: CourseRun) -> dict:
    """Counts of a run (no names): for anyone who sees the run."""
    return run.enrolments.aggregate(
        total=Count("pk"),
        completed=Count("pk", filter=Q(status=Enrolment.Status.COMPLETED)),
        enrolled=Count("pk", filter=Q(status=Enrolment.Status.ENROLLED)),
        passed=Count("pk", filter=Q(result=Enrolment.Result.PASSED)))


def route_progress(route: Route) -> dict:
    steps = list(route.steps.all())
    deficits = list(route.deficits.all())
    done = sum(1 for s in steps if s.done_on)
    closed = sum(1 for d in deficits if d.is_closed)
    return {"steps": len(steps), "done": done, "deficits": len(deficits), "closed": closed,
            "share": share(done, len(steps))}
