"""Scoped reads of the contest.

Editions, nominations and the bank are read by every member of the region. Applications
are read by regional staff, the school's coordinator, the municipality's coordinator and
the jurors assigned to them (a juror never opens an application it is not assigned to), by
the rule of ``rules.Readers`` — never by a curator of the school or the federal observer.
Every list, page and file of applications and reviews goes through ``applications_for``.
Scores of other jurors stay hidden until the review stage closes. The public page of
winners reads a published edition by region code and year, and nothing else.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from uuid import UUID

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from core.roles import Role
from core.scope import scope_of
from methodists.models import Methodist

from .models import (
    Application,
    Assignment,
    Edition,
    Juror,
    Material,
    MaterialVersion,
    Nomination,
    Regulation,
    Review,
    Score,
)
from .rules import (
    Ranked,
    conflict,
    may_read_all_reviews,
    may_read_application,
    rank,
    readers_of,
    unavailable,
    weighted,
)

NOT_ASSIGNED = ("Заявка не найдена или не назначена вам на экспертизу: член жюри открывает "
                "только назначенные ему заявки.")


def _region_q(user, lookup: str = "region_id") -> Q | None:
    return scope_of(user).filter(region=lookup, municipality=None, school=None)


def _scoped(qs: QuerySet, q: Q | None) -> QuerySet:
    return qs if q is None else qs.filter(q)


def editions_for(user) -> QuerySet[Edition]:
    return _scoped(Edition.objects.select_related("region"), _region_q(user))


def edition_get(user, public_id: UUID) -> Edition:
    return get_object_or_404(editions_for(user), public_id=public_id)


def nominations_for(user) -> QuerySet[Nomination]:
    return _scoped(Nomination.objects.select_related("edition", "edition__region"),
                   _region_q(user))


def nomination_get(user, public_id: UUID) -> Nomination:
    return get_object_or_404(nominations_for(user), public_id=public_id)


def regulation_get(user, public_id: UUID) -> Regulation:
    return get_object_or_404(_scoped(Regulation.objects.select_related("edition"),
                                     _region_q(user)), public_id=public_id)


def jurors_for(user) -> QuerySet[Juror]:
    return _scoped(Juror.objects.select_related("methodist", "methodist__municipality",
                                                "nomination"), _region_q(user))


def juror_get(user, public_id: UUID) -> Juror:
    return get_object_or_404(jurors_for(user), public_id=public_id)


def applications_for(user) -> QuerySet[Application]:
    """The applications ``user`` reads (``rules.Readers``): the one filter of every list,
    page and download of applications, their materials and their reviews."""
    return _scoped(Application.objects.select_related(
        "school", "municipality", "nomination", "edition", "edition__region"),
        readers_of(user).q())


def application_get(user, public_id: UUID) -> Application:
    try:
        return applications_for(user).get(public_id=public_id)
    except (Application.DoesNotExist, ValueError):
        raise Http404(NOT_ASSIGNED if Role.METHODIST in scope_of(user).roles else
                      "Заявка не найдена.")


def material_get(user, public_id: UUID) -> Material:
    return get_object_or_404(Material.objects.select_related("application"),
                             application__in=applications_for(user), public_id=public_id)


def practices_for(user) -> QuerySet[Application]:
    """The bank of best practices: placed or selected applications of published editions."""
    return _scoped(Application.objects.select_related(
        "school", "municipality", "nomination", "edition").filter(
        edition__stage=Edition.Stage.PUBLISHED, status=Application.Status.SUBMITTED).filter(
        Q(place__isnull=False) | Q(in_bank=True)), _region_q(user))


def practice_get(user, public_id: UUID) -> Application:
    return get_object_or_404(practices_for(user), public_id=public_id)


def version_get(user, public_id: UUID) -> MaterialVersion:
    """A material's file: for those who read the application, or — once it is in the bank —
    for every member of the region."""
    visible = Q(material__application__in=applications_for(user)) | Q(
        material__application__in=practices_for(user), material__removed_at__isnull=True)
    return get_object_or_404(MaterialVersion.objects.select_related("material__application")
                             .filter(visible), public_id=public_id)


def assignments_for(user) -> QuerySet[Assignment]:
    """Regional staff: the region's assignments; a juror: its own."""
    scope = scope_of(user)
    qs = Assignment.objects.select_related(
        "application", "application__school", "application__municipality",
        "application__nomination", "application__edition", "juror", "juror__methodist")
    if scope.is_national:
        return qs
    return qs.filter(Q(region_id__in=scope.region_ids) | Q(juror__methodist__user=user))


def assignment_get(user, public_id: UUID) -> Assignment:
    return get_object_or_404(assignments_for(user), public_id=public_id)


def own_assignments(user) -> QuerySet[Assignment]:
    return assignments_for(user).filter(juror__methodist__user=user).select_related("review")


def chair_assignment_get(user, public_id: UUID) -> Assignment:
    """An assignment of a nomination whose jury the user chairs (for a correction)."""
    return get_object_or_404(Assignment.objects.select_related(
        "application", "application__edition", "application__nomination", "juror__methodist"
    ).filter(application__nomination__in=chair_nominations(user)), public_id=public_id)


def chair_reviews(user, nomination: Nomination) -> QuerySet[Assignment]:
    """Submitted reviews of the nomination, for its chair's corrections."""
    return (Assignment.objects.filter(application__nomination__in=chair_nominations(user),
                                      application__nomination=nomination,
                                      review__status=Review.Status.SUBMITTED)
            .select_related("application", "application__school", "juror__methodist",
                            "review")
            .order_by("application__title", "juror__methodist__full_name"))


def published_edition(region_code: str, year: int) -> Edition:
    """The public page: a published edition only."""
    return get_object_or_404(Edition.objects.select_related("region"), region__code=region_code,
                             year=year, stage=Edition.Stage.PUBLISHED)


def winners(edition: Edition) -> list[tuple[Nomination, list[Application]]]:
    placed = (Application.objects.filter(edition=edition, status=Application.Status.SUBMITTED,
                                         place__isnull=False)
              .select_related("school", "municipality").order_by("place", "school__short_name"))
    by_nomination = defaultdict(list)
    for application in placed:
        by_nomination[application.nomination_id].append(application)
    return [(n, by_nomination[n.pk]) for n in edition.nominations.all()
            if by_nomination[n.pk]]


# -- review: scores, ranking, progress -----------------------------------------------------------
def visible_reviews(user, application: Application) -> list[Review]:
    """Reviews of ``application`` the user may read (``rules.may_read_all_reviews``): a
    juror's own always; every submitted one once the review stage is closed (regional staff,
    the assigned jurors) or the results are published (the school, its municipality);
    nothing for anyone who does not read the application."""
    if not may_read_application(user, application):
        return []
    reviews = (Review.objects.filter(assignment__application=application)
               .select_related("assignment__juror__methodist")
               .prefetch_related(Prefetch("scores", Score.objects.select_related("criterion"))))
    if may_read_all_reviews(user, application):
        return list(reviews.filter(status=Review.Status.SUBMITTED))
    return list(reviews.filter(assignment__juror__methodist__user_id=user.pk))


def ranking_for(user, nomination: Nomination) -> list[Ranked]:
    """The nomination's ranking as ``user`` sees it: the rows of the applications it reads
    (all of them for regional staff), each at its position in the whole ranking."""
    readable = set(applications_for(user).filter(nomination=nomination)
                   .values_list("pk", flat=True))
    return [row for row in ranking(nomination) if row.application.pk in readable]


def ranking(nomination: Nomination) -> list[Ranked]:
    """Applications of the nomination by the mean of their jurors' weighted scores."""
    applications = list(nomination.applications.filter(status=Application.Status.SUBMITTED)
                        .select_related("school", "municipality")
                        .annotate(assigned=Count("assignments")))
    weights = {c.pk: c.weight for c in nomination.criteria.all()}
    per_review = defaultdict(list)
    review_app = {}
    for review_id, app_id, criterion_id, value in Score.objects.filter(
            review__assignment__application__nomination=nomination,
            review__status=Review.Status.SUBMITTED).values_list(
            "review_id", "review__assignment__application_id", "criterion_id", "value"):
        per_review[review_id].append((weights[criterion_id], value))
        review_app[review_id] = app_id
    per_app = defaultdict(list)
    for review_id, pairs in per_review.items():
        score = weighted(pairs)
        if score is not None:
            per_app[review_app[review_id]].append(score)
    rows = []
    for application in applications:
        scores = per_app.get(application.pk, [])
        mean = sum(scores) / len(scores) if scores else None
        rows.append(Ranked(application=application, score=mean, reviews=len(scores),
                           assigned=application.assigned, scores=scores))
    return rank(rows)


@dataclass
class NominationProgress:
    nomination: Nomination
    applications: int = 0
    jurors: int = 0
    assigned: int = 0
    submitted: int = 0

    @property
    def percent(self) -> int | None:
        return round(100 * self.submitted / self.assigned) if self.assigned else None


def progress(edition: Edition) -> list[NominationProgress]:
    nominations = edition.nominations.annotate(
        n_apps=Count("applications", filter=Q(applications__status="submitted"),
                     distinct=True),
        n_jurors=Count("jurors", distinct=True))
    counts = {row["application__nomination"]: row for row in Assignment.objects.filter(
        application__edition=edition, application__status="submitted").values(
        "application__nomination").annotate(
        assigned=Count("pk"), submitted=Count("pk", filter=Q(review__status="submitted")))}
    out = []
    for n in nominations:
        row = counts.get(n.pk, {})
        out.append(NominationProgress(n, n.n_apps, n.n_jurors, row.get("assigned", 0),
                                      row.get("submitted", 0)))
    return out


@dataclass
class BoardRow:
    application: Application
    assignments: list[Assignment] = field(default_factory=list)
    skipped: list[tuple[Methodist, str]] = field(default_factory=list)
    eligible: list[Juror] = field(default_factory=list)


def jury_board(nomination: Nomination) -> tuple[list[BoardRow], list[tuple[Juror, int]]]:
    """The assignment page: each application with its jurors, the jurors skipped for it
    and why; and each juror's load."""
    jurors = list(nomination.jurors.select_related("methodist", "methodist__municipality",
                                                   "methodist__school"))
    assignments = defaultdict(list)
    load = defaultdict(int)
    for a in (Assignment.objects.filter(application__nomination=nomination)
              .select_related("juror__methodist", "review")):
        assignments[a.application_id].append(a)
        load[a.juror_id] += 1
    rows = []
    for application in (nomination.applications.filter(status=Application.Status.SUBMITTED)
                        .select_related("school", "municipality")):
        row = BoardRow(application, assignments.get(application.pk, []))
        taken = {a.juror_id for a in row.assignments}
        for juror in jurors:
            reason = unavailable(juror.methodist) or conflict(juror.methodist, application)
            if reason:
                row.skipped.append((juror.methodist, reason))
            elif juror.pk not in taken:
                row.eligible.append(juror)
        rows.append(row)
    return rows, [(j, load[j.pk]) for j in jurors]


def jury_candidates(nomination: Nomination, query: str = "") -> QuerySet[Methodist]:
    """Active methodists of the region with a portal account, not yet on this jury."""
    qs = (Methodist.objects.filter(region_id=nomination.region_id,
                                   status=Methodist.Status.ACTIVE, user__isnull=False)
          .exclude(jury_seats__nomination=nomination)
          .select_related("municipality").order_by("full_name"))
    if query:
        qs = qs.filter(full_name__icontains=query)
    return qs


def chair_nominations(user) -> QuerySet[Nomination]:
    return nominations_for(user).filter(jurors__is_chair=True,
                                        jurors__methodist__user_id=getattr(user, "pk", None))
