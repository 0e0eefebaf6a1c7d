"""Scoped reads of school documents: lists, one document with its versions and thread, the
checklist of a school-year, and the people a document concerns."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from core.models import AuditEntry
from core.permissions import users_granted
from core.scope import scope_of
from core.selectors import history_of
from risk_profiles.models import RiskFactor, RiskProfileItem
from schools.models import School

from .. import rules
from ..facts import is_owed
from ..models import Comment, Document, DocumentKind, DocumentVersion, ReturnReason, Review


# -- the configuration (federal, not tenant-owned) -----------------------------------------------
def kinds_of_year(year: int) -> QuerySet[DocumentKind]:
    """The kinds a school files from its checklist (a measure's evidence is filed from the
    measure)."""
    return (DocumentKind.objects.filter(year=year).exclude(mode=DocumentKind.Mode.EVIDENCE)
            .order_by("position", "title"))


def kind_years() -> list[int]:
    return list(DocumentKind.objects.exclude(mode=DocumentKind.Mode.EVIDENCE).order_by("-year")
                .values_list("year", flat=True).distinct())


def kind_choices() -> list[tuple[str, str]]:
    """(code, title) of every kind ever configured, the latest title of each code."""
    latest: dict[str, str] = {}
    for code, title in DocumentKind.objects.order_by("year", "position").values_list(
            "code", "title"):
        latest[code] = title
    return list(latest.items())


def reasons_active() -> QuerySet[ReturnReason]:
    return ReturnReason.objects.filter(active=True).order_by("position", "title")


# -- documents -----------------------------------------------------------------------------------
def documents_for(user) -> QuerySet[Document]:
    """Documents of the schools in the user's scope (a curator: its schools; a school
    coordinator: its school). A federal observer sees none: documents are not aggregates."""
    qs = Document.objects.filter(school__isnull=False).select_related(
        "school", "school__municipality", "region", "kind", "risk_factor", "reviewed_by")
    q = scope_of(user).filter(region="region_id", municipality="school__municipality_id",
                              school="school_id")
    return qs if q is None else qs.filter(q)


def document_get(user, public_id: UUID) -> Document:
    return get_object_or_404(documents_for(user), public_id=public_id)




def review_waiting(user, year: int) -> QuerySet[Document]:
    """Documents of ``year`` in the user's scope waiting for a decision, in the order of
    the review queue: the oldest submission first."""
    return (documents_for(user).filter(year=year, status=Document.Status.SUBMITTED)
            .order_by("submitted_at", "pk"))


def review_next(user, document: Document) -> Document | None:
    """The document ``user`` decides after ``document``: the next one of the same year in
    the queue's order that it may decide (another region's, or a school-year it is not
    assigned, never), wrapping round to the oldest; ``None`` when none is left.
    ``document`` is the row as read before the decision (its place in the queue)."""
    waiting = review_waiting(user, document.year).exclude(pk=document.pk)
    at = document.submitted_at
    later = (Q(submitted_at__gt=at) | Q(submitted_at=at, pk__gt=document.pk)) if at else Q()
    for part in (waiting.filter(later), waiting.exclude(later) if at else None):
        for candidate in part.iterator(chunk_size=50) if part is not None else ():
            if rules.may_review_document(user, candidate):
                return candidate
    return None


def version_get(user, public_id: UUID) -> DocumentVersion:
    """A version of a document in the user's scope, or of the evidence of a roadmap measure
    the user sees (its file is served only through this)."""
    from .plans import items_for

    return get_object_or_404(
        DocumentVersion.objects.select_related("document", "document__school", "uploaded_by")
        .filter(Q(document__in=documents_for(user))
                | Q(document__measure__in=items_for(user).values("pk"))),
        public_id=public_id)


def document_versions(document: Document) -> list[DocumentVersion]:
    """Newest first, each with its review (decision, reasons, reviewer)."""
    reviews = Review.objects.select_related("reviewer").prefetch_related(
        Prefetch("reasons", queryset=ReturnReason.objects.order_by("position")))
    versions = list(document.versions.select_related("uploaded_by")
                    .prefetch_related(Prefetch("review", queryset=reviews)).order_by("-number"))
    for v in versions:
        try:
            v.decision = v.review
        except Review.DoesNotExist:
            v.decision = None
    return versions


def document_comments(document: Document) -> QuerySet[Comment]:
    return (document.comments.select_related("author", "version", "review")
            .prefetch_related("review__reasons").order_by("created_at", "pk"))


def document_history(document: Document) -> QuerySet[AuditEntry]:
    return history_of(document)


# -- who a document concerns ---------------------------------------------------------------------
def school_curators(school: School):
    return users_granted(settings.PORTAL_CURATOR_PERM, school)


def school_coordinators(school: School):
    return users_granted(settings.PORTAL_SCHOOL_COORDINATOR_PERM, school)


# -- the checklist of a school-year --------------------------------------------------------------
def activated_risks(school: School, year: int) -> list[RiskFactor]:
    """The factors the school activated in its risk profile of ``year`` (any state: the
    programmes are written while the profile is still being agreed)."""
    return [item.factor for item in RiskProfileItem.objects.filter(
        profile__school=school, profile__year=year, activated=True,
    ).select_related("factor").order_by("factor__position")]


@dataclass
class ChecklistRow:
    kind: DocumentKind
    risk: RiskFactor | None = None
    document: Document | None = None
    due: bool = True
    #: The anti-risk programme of a risk the school no longer activates.
    stale_risk: bool = False

    @property
    def status(self) -> str:
        return self.document.status if self.document else "missing"

    @property
    def is_approved(self) -> bool:
        return bool(self.document and self.document.status == Document.Status.APPROVED)


@dataclass
class Checklist:
    school: School
    year: int
    rows: list[ChecklistRow] = field(default_factory=list)
    risks: list[RiskFactor] = field(default_factory=list)
    has_kinds: bool = True

    @property
    def due(self) -> list[ChecklistRow]:
        return [r for r in self.rows if r.due]

    @property
    def total(self) -> int:
        return len(self.due)

    @property
    def uploaded(self) -> int:
        return sum(1 for r in self.due if r.document and r.document.version_count)

    @property
    def approved(self) -> int:
        return sum(1 for r in self.due if r.is_approved)

    @property
    def percent(self) -> int:
        return round(100 * self.approved / self.total) if self.total else 0

    @property
    def complete(self) -> bool:
        return bool(self.total) and self.approved == self.total

    @property
    def uncovered_risks(self) -> list[RiskFactor]:
        """Activated risks without any anti-risk programme uploaded."""
        return [r.risk for r in self.rows
                if r.risk is not None and r.due and not (r.document and r.document.version_count)]


def school_checklist(user, school: School, year: int) -> Checklist:
    """Which documents the school owes for ``year``, which are uploaded and approved.

    A «single» kind is one row; a «per risk» kind is one row per activated risk (and a
    programme for a risk no longer activated is listed, but not due); a «many» kind lists
    every document, and a required one is due until at least one is approved.
    The rule is :mod:`roadmaps.facts`: the rows due add up to its ``documents_due``.
    """
    kinds = list(kinds_of_year(year))
    risks = activated_risks(school, year)
    documents = list(documents_for(user).filter(school=school, year=year)
                     .order_by("risk_factor__position", "created_at"))
    checklist = Checklist(school=school, year=year, risks=risks, has_kinds=bool(kinds))
    for kind in kinds:
        mine = [d for d in documents if d.kind_id == kind.pk]
        if kind.mode == DocumentKind.Mode.SINGLE:
            checklist.rows.append(ChecklistRow(kind, document=mine[0] if mine else None,
                                               due=is_owed(kind)))
        elif kind.mode == DocumentKind.Mode.PER_RISK:
            by_risk = {d.risk_factor_id: d for d in mine}
            for risk in risks:
                checklist.rows.append(ChecklistRow(kind, risk=risk, document=by_risk.pop(
                    risk.pk, None), due=is_owed(kind)))
            for doc in by_risk.values():
                checklist.rows.append(ChecklistRow(kind, risk=doc.risk_factor, document=doc,
                                                   due=False, stale_risk=True))
        else:
            # a required «many» kind is due once: by its approved document, else its first
            pick = next((d for d in mine if d.status == Document.Status.APPROVED),
                        mine[0] if mine else None)
            if pick is None and is_owed(kind):
                checklist.rows.append(ChecklistRow(kind, due=True))
            for doc in mine:
                checklist.rows.append(ChecklistRow(kind, document=doc,
                                                   due=is_owed(kind) and doc is pick))
    return checklist


def school_years_with_documents(user, school: School) -> list[int]:
    years = set(school.years.values_list("year", flat=True))
    years |= set(documents_for(user).filter(school=school).values_list("year", flat=True))
    return sorted(years, reverse=True)


def version_text(version: DocumentVersion, max_paragraphs: int | None = None):
    """The beginning of a .docx version's text, a :class:`roadmaps.files.DocxText` bounded
    by ``PREVIEW_MAX_CHARS`` (``None`` for other types or an unreadable file)."""
    from ..files import UNREADABLE, docx_text

    if version.extension != "docx":
        return None
    try:
        with version.file.open("rb") as stream:
            return docx_text(stream, max_paragraphs=max_paragraphs)
    except UNREADABLE:  # a broken archive must not break the page; the file stays downloadable
        return None


def version_paragraphs(version: DocumentVersion, limit: int | None = None) -> list[str] | None:
    """The text of a .docx version (``None`` for other types or an unreadable file)."""
    text = version_text(version, limit)
    return None if text is None else text.lines


def with_listed_versions(documents: QuerySet[Document]) -> QuerySet[Document]:
    """Documents with their versions in order as ``listed_versions`` (one query more)."""
    return documents.prefetch_related(Prefetch(
        "versions", to_attr="listed_versions",
        queryset=DocumentVersion.objects.order_by("number")))
