"""The contest's rules that both reads and writes apply: who reads an application (and its
files and reviews), conflict of interest, the weighted score of a review and the ranking
with ties. Apart from the readers, pure functions of rows already loaded."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from django.db.models import Q

from core.roles import Role
from core.scope import scope_of
from methodists.models import Methodist

from .models import Application, Assignment


# -- who reads an application ---------------------------------------------------------------------
@dataclass(frozen=True)
class Readers:
    """The grounds on which one user reads single applications.

    Readers of an application: regional staff of its region, the coordinator of its school,
    the municipal coordinator of its municipality, the jurors assigned to it, and the
    administrator. Nobody else: a curator of the school does not read it (its work is the
    school's documents, not the contest), nor does the federal observer (aggregates only),
    nor a juror of another application. Its files and, in time, its reviews follow it.
    """

    everything: bool = False
    region_ids: frozenset[int] = frozenset()  # regional staff
    municipality_ids: frozenset[int] = frozenset()  # municipal coordinators
    school_ids: frozenset[int] = frozenset()  # school coordinators
    juror_user_id: int | None = None  # a methodist: the applications assigned to it

    def q(self) -> Q | None:
        """The filter on ``Application`` keeping the applications read; ``None``: all."""
        if self.everything:
            return None
        q = (Q(region_id__in=self.region_ids) | Q(municipality_id__in=self.municipality_ids)
             | Q(school_id__in=self.school_ids))
        if self.juror_user_id is not None:
            q |= Q(pk__in=Assignment.objects.filter(
                juror__methodist__user_id=self.juror_user_id).values("application_id"))
        return q

    def is_staff_of(self, application: Application) -> bool:
        return self.everything or application.region_id in self.region_ids

    def is_applicant_of(self, application: Application) -> bool:
        """The school's or the municipality's side of the application."""
        return (application.school_id in self.school_ids
                or application.municipality_id in self.municipality_ids)

    def is_juror_of(self, application: Application) -> bool:
        return self.juror_user_id is not None and Assignment.objects.filter(
            application_id=application.pk,
            juror__methodist__user_id=self.juror_user_id).exists()


def readers_of(user) -> Readers:
    """The user's grounds for reading applications, from its scope: school rights count
    only as the school's coordinator (a curator's schools give nothing here)."""
    scope = scope_of(user)
    if scope.is_national:
        return Readers(everything=True)
    return Readers(
        region_ids=scope.region_ids,
        municipality_ids=scope.municipality_ids,
        school_ids=scope.school_ids_by_role.get(Role.SCHOOL_COORDINATOR, frozenset()),
        juror_user_id=user.pk if Role.METHODIST in scope.roles else None)


def may_read_application(user, application: Application) -> bool:
    """Whether ``user`` reads ``application`` (the same answer as the selectors' filter)."""
    readers = readers_of(user)
    return (readers.is_staff_of(application) or readers.is_applicant_of(application)
            or readers.is_juror_of(application))


def may_read_all_reviews(user, application: Application) -> bool:
    """Whether ``user`` reads every submitted review of ``application`` (otherwise a juror
    reads only its own): regional staff and the assigned jurors once the review stage is
    closed, the school and its municipality once the results are published."""
    readers = readers_of(user)
    edition = application.edition
    if readers.is_staff_of(application) or readers.is_juror_of(application):
        return edition.review_closed
    return readers.is_applicant_of(application) and edition.is_published


# -- conflict of interest -------------------------------------------------------------------------


def conflict(methodist: Methodist, application: Application) -> str | None:
    """Why ``methodist`` may not score ``application``, or ``None``: nobody scores an
    application of its own school or of its own municipality."""
    if methodist.school_id and methodist.school_id == application.school_id:
        return "работает в школе-заявителе"
    if methodist.municipality_id == application.municipality_id:
        return f"из того же муниципалитета ({application.municipality.name})"
    return None


def unavailable(methodist: Methodist) -> str | None:
    """Why ``methodist`` cannot score at all (left the pool, no portal account)."""
    if methodist.status != Methodist.Status.ACTIVE:
        return methodist.get_status_display()
    if methodist.user_id is None:
        return "нет учётной записи на портале"
    return None


def weighted(values: Iterable[tuple[object, int]]) -> Fraction | None:
    """The weighted mean Σ(w·s)/Σw of one review's (weight, score) pairs, exactly."""
    total = weight_sum = Fraction(0)
    for weight, value in values:
        w = Fraction(str(weight))
        total += w * value
        weight_sum += w
    return total / weight_sum if weight_sum else None


@dataclass
class Ranked:
    application: Application
    score: Fraction | None
    reviews: int
    assigned: int
    rank: int | None = None
    rank_to: int | None = None  # the last position a tie shares
    tied: bool = False
    scores: list = field(default_factory=list)

    @property
    def rank_label(self) -> str:
        if self.rank is None:
            return "—"
        return f"{self.rank}–{self.rank_to}" if self.tied else str(self.rank)

    @property
    def score_label(self) -> str:
        if self.score is None:
            return "—"
        return f"{float(self.score):.2f}".replace(".", ",")


def rank(rows: Sequence[Ranked]) -> list[Ranked]:
    """Order by score (highest first); equal scores share their positions («2–3»); rows
    without a score come last, unranked."""
    scored = sorted((r for r in rows if r.score is not None), key=lambda r: -r.score)
    position = 0
    while position < len(scored):
        end = position
        while end + 1 < len(scored) and scored[end + 1].score == scored[position].score:
            end += 1
        for row in scored[position:end + 1]:
            row.rank, row.rank_to, row.tied = position + 1, end + 1, end > position
        position = end + 1
    rest = sorted((r for r in rows if r.score is None),
                  key=lambda r: r.application.school.short_name)
    return scored + rest
