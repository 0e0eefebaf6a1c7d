"""Scoped reads of network pairs, and the portal's suggestions of mentor schools."""

from __future__ import annotations

import datetime
from collections import Counter
from uuid import UUID

from django.conf import settings
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from core.models import Region
from core.roles import Role
from core.scope import scope_of
from schools import facts as school_facts
from schools.models import Group
from schools.selectors import schools_for, with_group

from .models import Activity, Pair
from .ranking import Candidate, Mentee, Suggestion, rank_mentors

MENTOR_GROUPS = (Group.EFFECTIVE, Group.RESILIENT)


def pairs_for(user) -> QuerySet[Pair]:
    """Regional staff: the region's pairs; a municipal coordinator: those of its
    municipality's schools, and those its schools mentor; curators and school coordinators:
    the pairs of their schools, on either side. A federal observer: none (single records)."""
    qs = Pair.objects.select_related("region", "school", "school__municipality", "mentor",
                                     "mentor__municipality")
    scope = scope_of(user)
    if scope.is_national:
        return qs
    school_ids = (scope.school_ids_by_role.get(Role.SCHOOL_COORDINATOR, frozenset())
                  | scope.school_ids_by_role.get(Role.CURATOR, frozenset()))
    return qs.filter(Q(region_id__in=scope.region_ids)
                     | Q(school__municipality_id__in=scope.municipality_ids)
                     | Q(mentor__municipality_id__in=scope.municipality_ids)
                     | Q(school_id__in=school_ids) | Q(mentor_id__in=school_ids))


def pair_get(user, public_id: UUID) -> Pair:
    return get_object_or_404(pairs_for(user), public_id=public_id)


def activities_of(pair: Pair) -> QuerySet[Activity]:
    return Activity.objects.filter(pair=pair).select_related("created_by").order_by(
        "-held_on", "-pk")


def activity_get(user, public_id: UUID) -> Activity:
    """An activity of a pair the user reads (404 outside)."""
    return get_object_or_404(Activity.objects.select_related("pair").filter(
        pair__in=pairs_for(user)), public_id=public_id)


def years_of(region: Region) -> list[int]:
    """The programme years of the region (with ШНОР or ШССУ), newest first."""
    return sorted(school_facts.programme_schools_years(region), reverse=True)


def programme_schools_for(user, region: Region, year: int) -> QuerySet:
    """The ШНОР and ШССУ of ``year`` the user may form pairs for: regional staff every one
    of the region, a municipal coordinator those of its municipalities."""
    ids = school_facts.programme_schools(year, region=region).values("school_id")
    return (schools_for(user).filter(pk__in=ids, region=region)
            .select_related("municipality").order_by("municipality__name", "short_name"))


def region_schools(region: Region) -> QuerySet:
    """Every school of the region: where a mentor is picked (its eligibility is the
    service's to judge). System read: a mentor may be in another municipality."""
    from schools.models import School

    return School.objects.filter(region=region).select_related("municipality")


def school_year(school, year: int):
    """The school's status in ``year`` with its computed group (None when not listed)."""
    return with_group(school_facts.school_years().filter(school=school, year=year)).first()


def activated_risks(school, year: int) -> dict[str, str]:
    """The risk factors activated in the school's ``year`` profile once passed on (not a
    draft), as {code: title} in the catalogue's order: the possible areas of help.

    The definition is ``risk_profiles.facts.with_activated_risks``' (a draft counts for
    nothing), read per factor."""
    from risk_profiles.models import RiskProfile, RiskProfileItem

    rows = (RiskProfileItem.objects.filter(profile__school=school, profile__year=year,
                                           activated=True)
            .exclude(profile__status=RiskProfile.Status.DRAFT)
            .order_by("factor__position").values_list("factor__code", "factor__title"))
    return dict(rows)


def risk_titles(year: int, codes) -> dict[str, str]:
    from risk_profiles.selectors import factors_of_year

    return dict(factors_of_year(year).filter(code__in=list(codes))
                .values_list("code", "title"))


def current_pair_counts(mentor_ids, day: datetime.date) -> Counter:
    """{mentor school id: its pairs holding on ``day``}."""
    return Counter(Pair.objects.filter(Pair.current_q(day), mentor_id__in=list(mentor_ids))
                   .values_list("mentor_id", flat=True))


def mentor_candidates(school, year: int, day: datetime.date) -> list[Candidate]:
    """Every school of the region in the groups «эффективные» and «резильентные» of
    ``year``, with its indices and its pairs holding on ``day`` — besides the school itself
    and the mentors already paired with it. System read over the region: a municipal
    coordinator picks mentors in other municipalities too. Two queries."""
    rows = list(with_group(school_facts.school_years().filter(region=school.region_id,
                                                              year=year))
                .filter(group__in=MENTOR_GROUPS).exclude(school=school)
                .select_related("school", "school__municipality"))
    taken = set(Pair.objects.filter(Pair.current_q(day), school=school)
                .values_list("mentor_id", flat=True))
    rows = [r for r in rows if r.school_id not in taken]
    counts = current_pair_counts([r.school_id for r in rows], day)
    return [Candidate(school_id=r.school_id, name=r.school.short_name,
                      municipality_id=r.school.municipality_id,
                      municipality=r.school.municipality.name, group=r.group,
                      ior=r.ior, isb=r.isb, pairs=counts.get(r.school_id, 0),
                      public_id=r.school.public_id)
            for r in rows]


def mentor_suggestions(school, year: int, *, day: datetime.date | None = None
                       ) -> list[Suggestion]:
    """The mentors the portal suggests for ``school`` in ``year`` (see
    :func:`mentoring.ranking.rank_mentors`), best first."""
    day = day or timezone.localdate()
    own = school_year(school, year)
    mentee = Mentee(school_id=school.pk, municipality_id=school.municipality_id,
                    isb=own.isb if own else None, is_shssu=bool(own and own.is_shssu))
    return rank_mentors(mentee, mentor_candidates(school, year, day),
                        max_pairs=settings.PORTAL_MENTOR_MAX_PAIRS)
