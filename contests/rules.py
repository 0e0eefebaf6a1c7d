"""The contest's rules, in one place for the views, the selectors and the services.

* :func:`register` — the role grants of the contest (called from ``AppConfig.ready``).
* Predicates ``may_*`` / ``is_*`` — who may manage an edition, apply for a school, score an
  assignment, chair a nomination's jury; who reads an application (and its files and
  reviews): :class:`Readers`.
* The stages of an edition (:data:`NEXT_STAGE`) and what each stage allows
  (``*_open(edition)``), which the services check before every write.
* Actions — what a user may do to an object *now* (permission and state):
  :func:`edition_actions`, :func:`application_actions`, :func:`review_actions`.
* Conflict of interest, the weighted score of a review and the ranking with ties: pure
  functions of rows already loaded.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from django.db.models import Q
from django.utils import timezone

from core.permissions import ensure, has_perm  # noqa: F401  (views: rules.ensure(...))
from core.roles import Role
from core.scope import scope_of
from methodists.models import Methodist

from .models import Application, Assignment, Edition, Nomination

VIEW_PERM = "contests.view_edition"
MANAGE_PERM = "contests.change_edition"
APPLY_PERM = "contests.add_application"
VIEW_APPLICATIONS_PERM = "contests.view_application"
Stage = Edition.Stage
#: The edition's stages move forward only, one at a time.
NEXT_STAGE = {Stage.DRAFT: Stage.APPLICATIONS, Stage.APPLICATIONS: Stage.REVIEW,
              Stage.REVIEW: Stage.RESULTS, Stage.RESULTS: Stage.PUBLISHED}


# -- role grants ----------------------------------------------------------------------------------
def register() -> None:
    """The contest's role grants (``AppConfig.ready``)."""
    from core.roles import grant

    for role in (Role.REGIONAL_STAFF, Role.MUNICIPAL_COORDINATOR, Role.CURATOR,
                 Role.SCHOOL_COORDINATOR, Role.METHODIST):
        grant(role, VIEW_PERM)
    grant(Role.REGIONAL_STAFF, MANAGE_PERM, VIEW_APPLICATIONS_PERM)
    grant(Role.MUNICIPAL_COORDINATOR, VIEW_APPLICATIONS_PERM)
    grant(Role.SCHOOL_COORDINATOR, APPLY_PERM, VIEW_APPLICATIONS_PERM)


# -- who may do what ------------------------------------------------------------------------------
def may_view_editions(user) -> bool:
    """The contest's pages (editions, the bank of practices): every member of a region."""
    return has_perm(user, VIEW_PERM)


def may_view_applications(user, obj=None) -> bool:
    """The list of applications (of ``obj``'s place: a school, a region)."""
    return has_perm(user, VIEW_APPLICATIONS_PERM, obj)


def may_manage(user, obj=None) -> bool:
    """Organise the contest of ``obj``'s region (an edition, a nomination, a juror): regional
    staff."""
    return has_perm(user, MANAGE_PERM, obj)


def may_apply(user, obj=None) -> bool:
    """Submit or change the applications of ``obj``'s school (a school or an application):
    the school's coordinator."""
    return has_perm(user, APPLY_PERM, obj)


def applicant_school_ids(user) -> list[int]:
    """Schools the user applies for (its coordinator's schools)."""
    return sorted(scope_of(user).school_ids_by_role.get(Role.SCHOOL_COORDINATOR, ()))


def is_juror(user) -> bool:
    """A methodist of the regional pool: the one who scores applications."""
    return Role.METHODIST in scope_of(user).roles


def is_own_assignment(user, assignment: Assignment) -> bool:
    """Only the assigned juror scores an application."""
    return assignment.juror.methodist.user_id == getattr(user, "pk", None)


def is_chair(user, nomination: Nomination) -> bool:
    """The user chairs the nomination's jury (and is still an active methodist)."""
    return nomination.jurors.filter(is_chair=True, methodist__user_id=getattr(user, "pk", None),
                                    methodist__status=Methodist.Status.ACTIVE).exists()


# -- what each stage allows -----------------------------------------------------------------------
def setup_open(edition: Edition) -> bool:
    """Nominations, criteria and the number of jurors per application change until the
    review starts."""
    return edition.stage in (Stage.DRAFT, Stage.APPLICATIONS)


def jury_open(edition: Edition) -> bool:
    """The jury and the assignments change until the review stage is closed."""
    return not edition.review_closed


def assigning_open(edition: Edition) -> bool:
    """Jurors are assigned while applications come in and during the review."""
    return edition.stage in (Stage.APPLICATIONS, Stage.REVIEW)


def scoring_open(edition: Edition) -> bool:
    return edition.stage == Stage.REVIEW


def correction_open(edition: Edition) -> bool:
    """The chair corrects submitted scores until the results are published."""
    return edition.stage in (Stage.REVIEW, Stage.RESULTS)


def awarding_open(edition: Edition) -> bool:
    return edition.stage == Stage.RESULTS


# -- actions: what a user may do to an object now -------------------------------------------------
def edition_actions(user, edition: Edition) -> frozenset[str]:
    """«change» (dates and details), «advance» (to the next stage), «upload» (the
    regulation), «setup» (nominations and criteria), «jury», «assign», «award» (places),
    «export» (the ranking); «apply» for a school coordinator while applications come in."""
    actions = set()
    if may_manage(user, edition):
        actions.add("upload")
        for name, allowed in (("change", not edition.is_published),
                              ("advance", edition.stage in NEXT_STAGE),
                              ("setup", setup_open(edition)), ("jury", jury_open(edition)),
                              ("assign", assigning_open(edition)),
                              ("award", awarding_open(edition)),
                              ("export", edition.review_closed)):
            if allowed:
                actions.add(name)
    if edition.is_receiving and applicant_school_ids(user):
        actions.add("apply")
    return frozenset(actions)


def application_actions(user, application: Application, today=None) -> frozenset[str]:
    """«edit», «withdraw», «upload» (materials) for the school's coordinator while the
    edition accepts applications; «award» for the organiser at the results stage;
    «diploma» for a placed application once the results are out."""
    edition = application.edition
    today = today or timezone.localdate()
    actions = set()
    if (may_apply(user, application) and application.is_active
            and edition.accepts_applications_on(today)):
        actions |= {"edit", "withdraw", "upload"}
    manages = may_manage(user, edition)
    if manages and awarding_open(edition) and application.is_active:
        actions.add("award")
    if application.place and (edition.is_published or manages and edition.review_closed):
        actions.add("diploma")
    return frozenset(actions)


def review_actions(user, assignment: Assignment) -> frozenset[str]:
    """The score sheet of an assignment: «score» (save the draft, submit) for the assigned
    juror during the review until it is submitted. (A chair's correction of a submitted
    sheet is asked of :func:`chair_conflict` by its own page and service.)"""
    application = assignment.application
    edition = application.edition
    review = getattr(assignment, "review", None)
    submitted = bool(review and review.is_submitted)
    actions = set()
    if (is_own_assignment(user, assignment) and scoring_open(edition)
            and application.is_active and not submitted):
        actions.add("score")
    return frozenset(actions)


def chair_conflict(user, application: Application) -> str | None:
    """Why ``user`` may not correct the scores of ``application`` as the chair of its
    nomination's jury: not the chair, or a conflict of interest (a correction is a score)."""
    chair = application.nomination.jurors.select_related("methodist").filter(
        is_chair=True, methodist__user_id=getattr(user, "pk", None),
        methodist__status=Methodist.Status.ACTIVE).first()
    if chair is None:
        return "не председатель жюри номинации"
    return conflict(chair.methodist, application)


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
