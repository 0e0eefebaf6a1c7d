"""Scoped reads of risk profiles: the profile list and page, the region's distribution of
activated risks year over year, and a curator's risk matrix."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from uuid import UUID

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from core.db import ru
from core.models import AuditEntry, User
from core.permissions import object_ids_with_perm
from core.roles import Role
from core.scope import scope_of
from core.selectors import history_of, memberships_for
from core.suppression import reads_only_aggregates
from schools.models import School, SchoolYear
from schools.selectors import schools_for

from . import rules
from .models import RiskFactor, RiskProfile, RiskProfileItem


# -- the catalogue (federal, not tenant-owned) ---------------------------------------------------
def catalogue_years() -> list[int]:
    return list(RiskFactor.objects.order_by("-year").values_list("year", flat=True).distinct())


def factors_of_year(year: int) -> QuerySet[RiskFactor]:
    return RiskFactor.objects.filter(year=year).order_by("position")


def factor_get(pk: int) -> RiskFactor:
    return get_object_or_404(RiskFactor, pk=pk)


def profile_count_of_year(year: int) -> int:
    """Profiles of every region filled by the year's catalogue (it freezes the catalogue)."""
    return RiskProfile.objects.filter(year=year).count()


# -- profiles -------------------------------------------------------------------------------------
def profiles_for(user) -> QuerySet[RiskProfile]:
    """Profiles of the schools in the user's scope (a curator: its assigned schools; a
    school coordinator: its school). A federal observer sees none, only aggregates."""
    qs = RiskProfile.objects.select_related("school", "school__municipality", "region",
                                            "reviewed_by", "submitted_by")
    q = scope_of(user).filter(region="region_id", municipality="school__municipality_id",
                              school="school_id")
    return qs if q is None else qs.filter(q)


def profile_get(user, public_id: UUID) -> RiskProfile:
    return get_object_or_404(profiles_for(user), public_id=public_id)


VERIFY_PERM = rules.VERIFY_PROFILE


def profiles_waiting(user, year: int) -> list[RiskProfile]:
    """Profiles of ``year`` sent for verification that the user may verify (a curator:
    those of the school-years it is assigned), oldest submission first — the risk-profile
    part of the review queue."""
    qs = (profiles_for(user).filter(year=year, status=RiskProfile.Status.SUBMITTED)
          .order_by("submitted_at", "pk"))
    return [p for p in qs if rules.may_verify_profile(user, p)]


def profile_review_next(user, profile: RiskProfile) -> RiskProfile | None:
    """The profile ``user`` verifies after ``profile``: the next one of the same year in
    the queue's order, wrapping round to the oldest; ``None`` when none is left.
    ``profile`` is the row as read before the decision (its place in the queue)."""
    key = (profile.submitted_at, profile.pk)
    waiting = [p for p in profiles_waiting(user, profile.year) if p.pk != profile.pk]
    later = [p for p in waiting if key[0] is None or (p.submitted_at, p.pk) > key]
    return (later or waiting or [None])[0]


def profile_items(profile: RiskProfile) -> QuerySet[RiskProfileItem]:
    return profile.items.select_related("factor").order_by("factor__position")


def profile_history(profile: RiskProfile) -> QuerySet[AuditEntry]:
    return history_of(profile)


def school_profiles(user, school: School) -> list[RiskProfile]:
    """A school's profiles by year, with their activated factors, for the school page."""
    return list(profiles_for(user).filter(school=school).order_by("-year").annotate(
        activated=Count("items", filter=Q(items__activated=True))))


def schools_without_profile(user, year: int) -> QuerySet[SchoolYear]:
    """Schools in the year's lists (in scope) that have no profile yet."""
    from schools.selectors import school_years_for

    return (school_years_for(user).filter(year=year)
            .exclude(school__risk_profiles__year=year)
            .order_by(ru("school__municipality__name"), ru("school__short_name")))


def _aggregate_base(user) -> QuerySet[RiskProfile]:
    """Profiles a user may *count*: their scope, or every region for the national roles
    (a federal observer sees aggregates, never a profile)."""
    if scope_of(user).sees_all_aggregates:
        return RiskProfile.objects.all()
    return profiles_for(user)


# -- the distribution of activated risks ---------------------------------------------------
@dataclass
class DistributionRow:
    code: str
    title: str
    #: None: the factor is not in this year's catalogue, or the year has no profile in the
    #: selection («нет данных», never 0 — a reader would take 0 for "no school had it").
    count: int | None
    share: float | None
    previous_count: int | None
    previous_share: float | None
    in_year: bool = True  # the factor is in this year's catalogue
    in_previous: bool = True  # ... and in the previous year's

    @property
    def only_now(self) -> bool:
        return not self.in_previous

    @property
    def only_before(self) -> bool:
        return not self.in_year

    @property
    def delta(self) -> int | None:
        if self.count is None or self.previous_count is None:
            return None
        return self.count - self.previous_count


@dataclass
class Distribution:
    year: int
    previous_year: int
    profiles: int
    previous_profiles: int
    verified: int | None
    rows: list[DistributionRow] = field(default_factory=list)
    #: For an aggregate-only reader (core.suppression): the year's profiles come from too
    #: few schools, so nothing of the year is shown («менее 3 школ»).
    hidden: bool = False
    previous_hidden: bool = False

    @property
    def no_data(self) -> bool:
        """No profile of the year in the selection: its figures read «нет данных»."""
        return not self.hidden and not self.profiles

    @property
    def previous_no_data(self) -> bool:
        return not self.previous_hidden and not self.previous_profiles

    @property
    def missing_years(self) -> list[int]:
        """Years of the two without a profile in the selection (shown, never hidden)."""
        return [y for y, none in ((self.previous_year, self.previous_no_data),
                                  (self.year, self.no_data)) if none]

    def hide_small_groups(self) -> Distribution:
        from core.suppression import too_small

        if too_small(self.profiles):
            self.hidden, self.profiles, self.verified = True, None, None
            self.rows = []
        if too_small(self.previous_profiles):
            self.previous_hidden, self.previous_profiles = True, None
            for row in self.rows:
                row.previous_count = row.previous_share = None
        return self


def risk_distribution(user, *, year: int, region=None, municipality=None, category: str = "",
                      status: str = "", schools=None) -> Distribution:
    """Activated risks per factor among the schools with a profile: counts and shares for
    ``year`` and the year before, compared by factor code. A factor of only one of the two
    catalogues has ``None`` on the other side (shown «не было в каталоге»)."""
    years = (year, year - 1)
    profiles = _aggregate_base(user).filter(year__in=years)
    if region is not None:
        profiles = profiles.filter(region=region)
    if municipality is not None:
        profiles = profiles.filter(school__municipality=municipality)
    if category:
        profiles = profiles.filter(school__years__year=year, school__years__category=category)
    if status:
        profiles = profiles.filter(status=status)
    if schools is not None:  # a further narrowing, e.g. the dashboard's group filter
        profiles = profiles.filter(school_id__in=schools)
    totals = dict(profiles.values_list("year").annotate(n=Count("pk")).values_list("year", "n"))
    verified = profiles.filter(year=year, status=RiskProfile.Status.VERIFIED).count()
    counts: dict[tuple[int, str], int] = {
        (y, code): n for y, code, n in RiskProfileItem.objects.filter(
            profile__in=profiles.values("pk"), activated=True, profile__year__in=years,
            # the same rows; bounded by the region, the database need not join the country
            **({"profile__region": region} if region is not None else {}))
        .values_list("profile__year", "factor__code").annotate(n=Count("pk"))
        .values_list("profile__year", "factor__code", "n")}
    catalogue: dict[int, dict[str, RiskFactor]] = defaultdict(dict)
    for factor in RiskFactor.objects.filter(year__in=years).order_by("position"):
        catalogue[factor.year][factor.code] = factor
    current, previous = catalogue[year], catalogue[year - 1]
    codes = list(current) + [c for c in previous if c not in current]

    def figures(y: int, code: str, catalogue_of_year) -> tuple[int | None, float | None]:
        """(count, share) of a factor in a year; none where the factor is not in the year's
        catalogue or the year has no profile in the selection (no data is not zero)."""
        total = totals.get(y, 0)
        if code not in catalogue_of_year or not total:
            return None, None
        n = counts.get((y, code), 0)
        return n, round(100 * n / total, 1)

    rows = []
    for code in codes:
        now, now_share = figures(year, code, current)
        before, before_share = figures(year - 1, code, previous)
        rows.append(DistributionRow(
            code=code, title=(current.get(code) or previous[code]).title,
            count=now, share=now_share, previous_count=before, previous_share=before_share,
            in_year=code in current, in_previous=code in previous,
        ))
    result = Distribution(year, year - 1, totals.get(year, 0), totals.get(year - 1, 0),
                          verified, rows)
    if reads_only_aggregates(user, region):
        result.hide_small_groups()
    return result


def categories_of_year(user, year: int, region=None) -> list[str]:
    """Categories of the year's lists among the schools the user may count."""
    from schools.selectors import school_years_for

    qs = (SchoolYear.objects.all() if scope_of(user).sees_all_aggregates
          else school_years_for(user))
    qs = qs.filter(year=year).exclude(category="")
    if region is not None:
        qs = qs.filter(region=region)
    return sorted(set(qs.values_list("category", flat=True)))


# -- a curator's risk matrix --------------------------------------------------------------------
def curators_for(user) -> QuerySet[User]:
    """Curators whose matrix the user may open: a curator only itself; regional staff the
    curators of its region; administrators every curator."""
    scope = scope_of(user)
    if Role.ADMINISTRATOR not in scope.roles and not scope.region_ids:
        if Role.CURATOR in scope.roles:
            return User.objects.filter(pk=user.pk)
        return User.objects.none()
    ids = (memberships_for(user).filter(role=Role.CURATOR, ended_at__isnull=True)
           .values("user_id"))
    return User.objects.filter(pk__in=ids).order_by(ru("last_name"), ru("first_name"))


@dataclass
class MatrixRow:
    school: School
    category: str
    profile: RiskProfile | None
    marks: list[bool]

    @property
    def total(self) -> int:
        return sum(self.marks)


@dataclass
class Matrix:
    curator: User
    year: int
    factors: list[RiskFactor]
    rows: list[MatrixRow]
    idle_factors: list[RiskFactor]

    @property
    def factor_totals(self) -> list[int]:
        return [sum(r.marks[i] for r in self.rows) for i in range(len(self.factors))]

    @property
    def total(self) -> int:
        return sum(r.total for r in self.rows)

    @property
    def factor_rows(self) -> list[tuple[RiskFactor, list[bool], int]]:
        """The matrix turned as seed 000's table 2: a factor per row, a school per column."""
        return [(f, [r.marks[i] for r in self.rows], total)
                for i, (f, total) in enumerate(zip(self.factors, self.factor_totals, strict=True))]


def curator_matrix(user, *, curator: User, year: int) -> Matrix:
    """The curator's schools × the factors activated by at least one of them ('+' marks),
    with totals per school and per factor (seed 000, table 2). Only schools the viewer may
    see are listed."""
    school_ids = object_ids_with_perm(curator, settings.PORTAL_CURATOR_PERM)
    schools = list(schools_for(user).filter(pk__in=school_ids)
                   .order_by(ru("municipality__name"), "login"))
    categories = dict(SchoolYear.objects.filter(school__in=schools, year=year)
                      .values_list("school_id", "category"))
    profiles = {p.school_id: p for p in RiskProfile.objects.filter(school__in=schools,
                                                                    year=year)}
    activated: dict[int, set[str]] = defaultdict(set)
    for profile_id, code in RiskProfileItem.objects.filter(
            profile__in=profiles.values(), activated=True).values_list("profile_id",
                                                                       "factor__code"):
        activated[profile_id].add(code)
    used = set().union(*activated.values()) if activated else set()
    factors = list(factors_of_year(year))
    columns = [f for f in factors if f.code in used]
    rows = []
    for school in schools:
        profile = profiles.get(school.pk)
        codes = activated.get(profile.pk, set()) if profile else set()
        rows.append(MatrixRow(school, categories.get(school.pk, ""), profile,
                              [f.code in codes for f in columns]))
    return Matrix(curator, year, columns, rows, [f for f in factors if f.code not in used])
