"""Nominations of an edition and their scoring criteria: changed only before the review
starts (``rules.setup_open``), criteria only while nobody has scored by them."""

from __future__ import annotations

import csv
from pathlib import Path

from django.db import transaction
from django.db.models import Max

from core import audit
from core.text import clean_spaces

from .. import rules
from ..defaults import DEFAULT_CRITERIA, VIDEO_CRITERIA
from ..models import Criterion, Edition, Nomination, Score
from .common import ContestError, clean, ensure_manager, lock

NOMINATIONS_CSV = Path(__file__).resolve().parent.parent / "data" / "nominations_2022.csv"
VIDEO_MARK = "видео"

def _editable_setup(edition: Edition) -> None:
    if not rules.setup_open(edition):
        raise ContestError("Номинации и критерии меняются только до начала экспертизы.")


def _criteria_free(nomination: Nomination) -> None:
    _editable_setup(nomination.edition)
    if Score.objects.filter(criterion__nomination=nomination).exists():
        raise ContestError("По критериям номинации уже выставлены баллы: менять их нельзя.")


def _default_criteria(actor, nomination: Nomination) -> None:
    rows = VIDEO_CRITERIA if nomination.is_video else DEFAULT_CRITERIA
    for number, (title, weight) in enumerate(rows, start=1):
        Criterion.objects.create(region_id=nomination.region_id, nomination=nomination,
                                 number=number, title=title, weight=weight, min_score=0,
                                 max_score=10)


@transaction.atomic
def nominations_load(*, actor, edition: Edition, path: Path = NOMINATIONS_CSV) -> int:
    """Add the nominations listed in ``path`` (a CSV with a «nomination» column), each with
    the default criteria; a nomination whose title mentions video is the video one.
    All or nothing; titles already in the edition are refused."""
    edition = lock(Edition, edition)
    ensure_manager(actor, edition)
    if not edition.is_draft:
        raise ContestError("Номинации из перечня добавляются только на этапе подготовки.")
    with open(path, encoding="utf-8-sig", newline="") as handle:
        titles = [clean_spaces(row.get("nomination") or "") for row in csv.DictReader(handle)]
    titles = [t for t in titles if t]
    if not titles:
        raise ContestError("В перечне нет ни одной номинации (нужен столбец «nomination»).")
    existing = set(edition.nominations.values_list("title", flat=True))
    repeated = [t for t in titles if t in existing]
    if repeated or len(set(titles)) != len(titles):
        raise ContestError("Номинации уже есть в конкурсе: " + "; ".join(repeated or titles))
    start = edition.nominations.aggregate(m=Max("number"))["m"] or 0
    for offset, title in enumerate(titles, start=1):
        nomination = Nomination(region_id=edition.region_id, edition=edition,
                                number=start + offset, title=title,
                                is_video=VIDEO_MARK in title.lower())
        clean(nomination, exclude=["edition", "region"])
        nomination.save()
        _default_criteria(actor, nomination)
    audit.record(actor, "contests.nominations.loaded", edition, {"count": len(titles)})
    return len(titles)


@transaction.atomic
def nomination_create(*, actor, edition: Edition, title: str, is_video: bool = False,
                      default_criteria: bool = True) -> Nomination:
    edition = lock(Edition, edition)
    ensure_manager(actor, edition)
    _editable_setup(edition)
    number = (edition.nominations.aggregate(m=Max("number"))["m"] or 0) + 1
    nomination = Nomination(region_id=edition.region_id, edition=edition, number=number,
                            title=clean_spaces(title), is_video=is_video)
    clean(nomination)
    nomination.save()
    if default_criteria:
        _default_criteria(actor, nomination)
    audit.record(actor, "contests.nomination.created", nomination, {"title": nomination.title})
    return nomination


@transaction.atomic
def nomination_update(*, actor, nomination: Nomination, title: str,
                      is_video: bool) -> Nomination:
    nomination = lock(Nomination, nomination)
    ensure_manager(actor, nomination)
    _editable_setup(nomination.edition)
    if is_video != nomination.is_video and nomination.applications.exists():
        raise ContestError("В номинацию уже поданы заявки: её вид (видео или материалы) "
                           "менять нельзя.")
    nomination.title, nomination.is_video = clean_spaces(title), is_video
    clean(nomination)
    nomination.save()
    audit.record(actor, "contests.nomination.changed", nomination, {"title": nomination.title})
    return nomination


@transaction.atomic
def criterion_save(*, actor, nomination: Nomination, title: str, weight, min_score: int,
                   max_score: int, criterion: Criterion | None = None) -> Criterion:
    nomination = lock(Nomination, nomination)
    ensure_manager(actor, nomination)
    _criteria_free(nomination)
    if criterion is None:
        number = (nomination.criteria.aggregate(m=Max("number"))["m"] or 0) + 1
        criterion = Criterion(region_id=nomination.region_id, nomination=nomination,
                              number=number)
    elif criterion.nomination_id != nomination.pk:
        raise ContestError("Критерий относится к другой номинации.")
    criterion.title, criterion.weight = clean_spaces(title), weight
    criterion.min_score, criterion.max_score = min_score, max_score
    clean(criterion)
    criterion.save()
    audit.record(actor, "contests.criterion.saved", nomination,
                 {"number": criterion.number, "title": criterion.title,
                  "weight": str(weight), "range": f"{min_score}–{max_score}"})
    return criterion


@transaction.atomic
def criterion_delete(*, actor, criterion: Criterion) -> None:
    nomination = lock(Nomination, criterion.nomination)
    ensure_manager(actor, nomination)
    _criteria_free(nomination)
    audit.record(actor, "contests.criterion.deleted", nomination,
                 {"number": criterion.number, "title": criterion.title})
    criterion.delete()

