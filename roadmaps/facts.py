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

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from risk_profiles.models import RiskProfileItem
from schools.models import School

from .models import Document, DocumentKind

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
