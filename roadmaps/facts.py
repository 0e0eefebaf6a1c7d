"""Facts the roadmaps app publishes to other apps: what a school owes for a year and how much
of it is approved, and when a school's measure counts as confirmed. Other apps (monitoring)
read these and never re-state the rules over ``roadmaps.models``.

The rule of the documents due, the one a school's checklist shows:

* a required «single» kind is due once;
* a required «per risk» kind is due once per risk activated in the school's risk profile of
  the year (a programme of a risk no longer activated is not due);
* a required «many» kind is due once, however many documents the school files;
* optional kinds and the evidence of measures are never due.

A due document is approved when the slot's document is approved; a required «many» kind is
approved once when any of its documents is approved.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import (
    Avg,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce

from risk_profiles import facts as risk_facts
from risk_profiles.models import RiskProfileItem
from schools.models import School

from .models import Document, DocumentKind, PlanStage, Review, Roadmap, RoadmapItem


def _overdue_q(day: datetime.date) -> Q:
    from .selectors.plans import overdue_q  # the selectors read this module's rules

    return overdue_q(day)

#: The modes a school files from its checklist (a measure's evidence is filed elsewhere).
CHECKLIST_MODES = (DocumentKind.Mode.SINGLE, DocumentKind.Mode.PER_RISK, DocumentKind.Mode.MANY)


def owed_kind_q(prefix: str = "") -> Q:
    """The kinds that are due (``prefix`` e.g. ``"kind__"`` from a document)."""
    return Q(**{f"{prefix}required": True, f"{prefix}mode__in": CHECKLIST_MODES})


def is_owed(kind: DocumentKind) -> bool:
    """The Python twin of :func:`owed_kind_q` for one loaded kind."""
    return kind.required and kind.mode in CHECKLIST_MODES


@dataclass(frozen=True)
class DocumentsDue:
    due: int = 0
    approved: int = 0


def _int(subquery: QuerySet) -> Coalesce:
    return Coalesce(Subquery(subquery, output_field=IntegerField()), 0)


def with_documents_due(schools: QuerySet[School], year: int) -> QuerySet[School]:
    """``schools`` annotated with ``documents_due`` and ``documents_approved`` of ``year``
    (the kinds of the year are counted first; then correlated subqueries: one query whatever
    the number of schools)."""
    per_risk_q = Q(mode=DocumentKind.Mode.PER_RISK)
    kinds = DocumentKind.objects.filter(owed_kind_q(), year=year).aggregate(
        per_risk=Count("pk", filter=per_risk_q), once=Count("pk", filter=~per_risk_q))
    per_risk, once = kinds["per_risk"], kinds["once"]
    activated = RiskProfileItem.objects.filter(profile__year=year, activated=True)
    risks = _int(activated.filter(profile__school=OuterRef("pk")).order_by()
                 .values("profile__school").annotate(n=Count("pk")).values("n"))
    active_risk = Exists(activated.filter(profile__school=OuterRef("school_id"),
                                          factor=OuterRef("risk_factor_id")))
    approved = (Document.objects.filter(owed_kind_q("kind__"), school=OuterRef("pk"),
                                        year=year, kind__year=year,
                                        status=Document.Status.APPROVED)
                .filter(~Q(kind__mode=DocumentKind.Mode.PER_RISK) | active_risk).order_by()
                .values("school")
                # one slot per single kind and per (kind, risk); «many»: once per kind
                .annotate(n=Count("kind", distinct=True,
                                  filter=~Q(kind__mode=DocumentKind.Mode.PER_RISK))
                          + Count("pk", filter=Q(kind__mode=DocumentKind.Mode.PER_RISK)))
                .values("n"))
    return schools.annotate(documents_due=once + per_risk * risks,
                            documents_approved=_int(approved))


def documents_due(schools: Iterable[int] | QuerySet, year: int, *, by: str = "pk"
                  ) -> dict[int, DocumentsDue]:
    """Due and approved documents of ``year`` of the schools ``schools`` (ids, or a
    queryset of ids), summed by ``by`` — a field of the school such as ``"municipality_id"``
    or ``"region_id"``; by default one entry per school. Two queries: the kinds of the
    year, then one aggregate over the schools."""
    rows = (with_documents_due(School.objects.filter(pk__in=schools), year).order_by()
            .values(by).annotate(due=Sum("documents_due"), approved=Sum("documents_approved")))
    return {row[by]: DocumentsDue(due=row["due"] or 0, approved=row["approved"] or 0)
            for row in rows}


def confirmed_measure_q(prefix: str = "") -> Q:
    """A school's measure confirmed: marked done and its evidence approved by the curator
    (``prefix`` e.g. ``"items__"`` from a roadmap)."""
    return Q(**{f"{prefix}done_on__isnull": False,
                f"{prefix}evidence__status": Document.Status.APPROVED})


# -- progress of the documents, for the dashboards ------------------------------------------
#: The documents the dashboards follow through their states: one slot each (a «many»
#: kind's documents are not slots of the checklist, so they are counted as due and
#: approved once by :func:`documents_due` but not as uploaded, sent or returned).
SLOT_Q = Q(kind__required=True,
           kind__mode__in=(DocumentKind.Mode.SINGLE, DocumentKind.Mode.PER_RISK))


@dataclass(frozen=True)
class DocumentProgress:
    uploaded: int = 0  # not a draft any more
    submitted: int = 0  # waiting for the curator
    returned: int = 0


def _bounded(region) -> dict:
    """A lookup bounding a query by the region too: the same rows, without scanning the
    country."""
    return {"region": region} if region is not None else {}


def document_progress(school_ids, year: int, *, by: str, region=None
                      ) -> dict[int, DocumentProgress]:
    """The slot documents of ``year`` of the schools per ``by`` (a field of the document:
    ``"region_id"``, ``"school__municipality_id"``): uploaded, on review, returned."""
    status = Document.Status
    rows = (Document.objects.filter(SLOT_Q, school_id__in=school_ids, year=year,
                                    **_bounded(region)).order_by().values(by)
            .annotate(uploaded=Count("pk", filter=~Q(status=status.DRAFT)),
                      submitted=Count("pk", filter=Q(status=status.SUBMITTED)),
                      returned=Count("pk", filter=Q(status=status.RETURNED))))
    return {row[by]: DocumentProgress(row["uploaded"], row["submitted"], row["returned"])
            for row in rows}


@dataclass(frozen=True)
class Waiting:
    """Documents of the schools sent to a curator and not decided yet."""

    by_school: dict[int, int]  # school id → documents waiting
    outside_slots: int  # of them, evidence of measures and optional kinds


def waiting(school_ids, year: int, *, region=None) -> Waiting:
    sent = Document.objects.filter(school_id__in=school_ids, year=year,
                                   status=Document.Status.SUBMITTED, **_bounded(region))
    by_school = dict(sent.order_by().values("school_id").annotate(n=Count("pk"))
                     .values_list("school_id", "n"))
    return Waiting(by_school, sent.exclude(SLOT_Q).count())


def schools_with_posted(school_ids, year: int, kind_codes: Iterable[str]) -> int:
    """Schools among ``school_ids`` that posted (not a draft) a document of every kind of
    ``kind_codes`` for ``year``."""
    posted = Document.objects.filter(school_id__in=school_ids, year=year).exclude(
        status=Document.Status.DRAFT)
    schools = School.objects.filter(pk__in=school_ids)
    for code in kind_codes:
        schools = schools.filter(pk__in=posted.filter(kind__code=code).values("school_id"))
    return schools.count()


# -- decisions of reviewers -----------------------------------------------------------------
@dataclass(frozen=True)
class Decisions:
    decided: int = 0
    returned: int = 0
    hold: object = None  # the mean wait before the decision (a timedelta, or µs on SQLite)


def decisions(school_ids, year: int, *, region=None) -> tuple[dict[int, Decisions], QuerySet]:
    """Decisions on the documents of ``year`` of the schools, per reviewer, and the reviews
    themselves (for an overall mean over chosen reviewers: :func:`mean_hold`)."""
    reviews = Review.objects.filter(version__document__school_id__in=school_ids,
                                    version__document__year=year, **_bounded(region))
    rows = (reviews.order_by().values("reviewer_id")
            .annotate(n=Count("pk"),
                      back=Count("pk", filter=Q(decision=Review.Decision.RETURNED)),
                      hold=Avg("waited")))
    return ({row["reviewer_id"]: Decisions(row["n"], row["back"], row["hold"]) for row in rows},
            reviews)


def mean_hold(reviews: QuerySet, reviewer_ids) -> object:
    return reviews.filter(reviewer_id__in=list(reviewer_ids)).aggregate(
        hold=Avg("waited"))["hold"]


def reviewed_by_curator(year: int) -> Exists:
    """Over a curator assignment (``curator_id``, ``school_id``): the curator decided on a
    document of the school of ``year``."""
    return Exists(Review.objects.filter(reviewer_id=OuterRef("curator_id"),
                                        version__document__school_id=OuterRef("school_id"),
                                        version__document__year=year))


# -- measures ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Measures:
    measures: int = 0
    overdue: int = 0


def school_measures(school_ids, year: int, *, by: str, day: datetime.date, region=None
                    ) -> dict[int, Measures]:
    """Measures of the schools' roadmaps of ``year`` and those overdue on ``day``, per
    ``by`` (a field of the school: ``"region_id"``, ``"municipality_id"``)."""
    key = "roadmap__region_id" if by == "region_id" else f"roadmap__school__{by}"
    bounded = {f"roadmap__{k}": v for k, v in _bounded(region).items()}
    rows = (RoadmapItem.objects.filter(
        roadmap__level=Roadmap.Level.SCHOOL, roadmap__school_id__in=school_ids,
        roadmap__start_year=year, removed_at__isnull=True, **bounded).order_by()
        .values(key).annotate(n=Count("pk"), overdue=Count("pk", filter=_overdue_q(day))))
    return {row[key]: Measures(row["n"], row["overdue"]) for row in rows}


def plan_measures(user, region, year: int, *, day: datetime.date, municipality=None,
                  everything: bool = False) -> list[tuple[str, int, int]]:
    """The regional and municipal roadmaps covering ``year`` the user reads (``everything``
    for the national roles: each one of the region): (title, measures, overdue)."""
    from .selectors.plans import roadmaps_for

    base = Roadmap.objects.all() if everything else roadmaps_for(user)
    roadmaps = base.filter(region=region, start_year__lte=year,
                           end_year__gte=year).exclude(level=Roadmap.Level.SCHOOL)
    if municipality is not None:
        roadmaps = roadmaps.filter(Q(level=Roadmap.Level.REGION) | Q(municipality=municipality))
    counts = {row["roadmap_id"]: (row["n"], row["late"]) for row in (
        RoadmapItem.objects.filter(roadmap__in=roadmaps, removed_at__isnull=True).order_by()
        .values("roadmap_id").annotate(n=Count("pk"), late=Count("pk", filter=_overdue_q(day))))}
    return [(title, *counts.get(pk, (0, 0)))
            for pk, title in roadmaps.order_by("level", "title").values_list("pk", "title")]


# -- the plan-schedule --------------------------------------------------------------------------
def stages_due(region, year: int, day: datetime.date) -> list[PlanStage]:
    """The stages of the region's plan-schedule of ``year`` due by ``day``, in order."""
    return list(PlanStage.objects.filter(region=region, year=year, due_on__lte=day)
                .order_by("due_on", "position", "pk"))


def schools_meeting(stage: PlanStage, year: int, school_ids, deadline) -> int:
    """Schools among ``school_ids`` that met ``stage`` in time (``deadline``: the first
    moment after its due date). One aggregate query."""
    if stage.rule == PlanStage.Rule.RISK_PROFILE:
        return risk_facts.verified_by(school_ids, year, deadline)
    if stage.rule == PlanStage.Rule.DOCUMENTS:
        return (Document.objects.filter(school_id__in=school_ids, year=year,
                                        kind__code=stage.kind_code).order_by()
                .values("school_id")
                .annotate(total=Count("pk"),
                          approved=Count("pk", filter=Q(status=Document.Status.APPROVED)),
                          last=Max("reviewed_at"))
                .filter(total=F("approved"), last__lt=deadline).count())
    return (RoadmapItem.objects.filter(
        roadmap__school_id__in=school_ids, roadmap__level=Roadmap.Level.SCHOOL,
        roadmap__start_year=year, stage=stage, removed_at__isnull=True).order_by()
        .values("roadmap__school_id")
        .annotate(total=Count("pk"), done=Count("pk", filter=confirmed_measure_q()),
                  last=Max("done_on"))
        .filter(total=F("done"), last__lte=stage.due_on).count())
