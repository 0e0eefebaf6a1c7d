"""The jurors' scores: a draft the juror saves and then submits; once submitted only the
nomination's chair corrects it, with a reason (``rules.review_actions``)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from core import audit

from .. import rules
from ..models import Assignment, Criterion, Review, Score
from ..rules import conflict, is_chair
from .common import ContestError


def _own_assignment(actor, assignment: Assignment) -> None:
    if not rules.is_own_assignment(actor, assignment):
        raise ContestError("Оценивать заявку может только назначенный на неё член жюри.")


def _scores_check(criteria: list[Criterion], values: dict, *, complete: bool) -> None:
    errors = []
    for criterion in criteria:
        value = values.get(criterion.pk, (None, ""))[0]
        if value is None:
            if complete:
                errors.append(f"поставьте балл по критерию «{criterion.title}»")
            continue
        if not criterion.min_score <= value <= criterion.max_score:
            errors.append(f"балл по критерию «{criterion.title}» — от {criterion.min_score} до "
                          f"{criterion.max_score}, а не {value}")
    if errors:
        raise ContestError("Оценка не сохранена: " + "; ".join(errors) + ".")


def _write_scores(review: Review, criteria: list[Criterion], values: dict) -> dict:
    before = {s.criterion_id: s.value for s in review.scores.all()}
    review.scores.all().delete()
    Score.objects.bulk_create([
        Score(region_id=review.region_id, review=review, criterion=c,
              value=values[c.pk][0], comment=(values[c.pk][1] or "").strip())
        for c in criteria if values.get(c.pk, (None,))[0] is not None])
    return before


@transaction.atomic
def review_save(*, actor, assignment: Assignment, values: dict, comment: str = "",
                submit: bool = False) -> Review:
    """Save the juror's scores (criterion pk → (value, comment)); ``submit`` sends them,
    after which they are immutable."""
    assignment = Assignment.objects.select_related("juror__methodist", "application__edition",
                                                   "application__nomination").get(
        pk=assignment.pk)
    _own_assignment(actor, assignment)
    application = assignment.application
    if not rules.scoring_open(application.edition):
        raise ContestError("Оценки выставляются на этапе экспертизы: сейчас этап "
                           f"«{application.edition.get_stage_display()}».")
    if not application.is_active:
        raise ContestError("Заявка отозвана школой.")
    review, _ = Review.objects.select_for_update().get_or_create(
        assignment=assignment, defaults={"region_id": assignment.region_id})
    if review.is_submitted:
        raise ContestError("Оценка уже отправлена и не меняется. Исправить её может "
                           "председатель жюри номинации.")
    criteria = list(application.nomination.criteria.all())
    _scores_check(criteria, values, complete=submit)
    _write_scores(review, criteria, values)
    review.comment = (comment or "").strip()
    if submit:
        review.status, review.submitted_at = Review.Status.SUBMITTED, timezone.now()
    review.save()
    audit.record(actor, "contests.review.submitted" if submit else "contests.review.saved",
                 application, {"juror": assignment.juror.methodist.full_name})
    return review


@transaction.atomic
def review_correct(*, actor, review: Review, values: dict, reason: str) -> Review:
    """The nomination's chair corrects a submitted review; the old and new scores and the
    reason go to the audit log."""
    review = Review.objects.select_for_update().select_related(
        "assignment__application__nomination", "assignment__application__edition",
        "assignment__juror__methodist").get(pk=review.pk)
    application = review.assignment.application
    if not is_chair(actor, application.nomination):
        raise ContestError("Исправить отправленную оценку может только председатель жюри "
                           "номинации.")
    chair = application.nomination.jurors.select_related("methodist").get(
        is_chair=True, methodist__user_id=actor.pk)
    # the chair's correction is a score too: the conflict-of-interest rule applies
    reason_not = conflict(chair.methodist, application)
    if reason_not:
        raise ContestError(f"Исправить оценку этой заявки нельзя: председатель жюри "
                           f"{reason_not} — конфликт интересов. Обратитесь к организатору "
                           f"конкурса.")
    if not rules.correction_open(application.edition):
        raise ContestError("Оценки исправляются до публикации итогов.")
    if not review.is_submitted:
        raise ContestError("Оценка ещё не отправлена: её меняет сам член жюри.")
    reason = (reason or "").strip()
    if not reason:
        raise ContestError("Укажите причину исправления.")
    criteria = list(application.nomination.criteria.all())
    _scores_check(criteria, values, complete=True)
    before = _write_scores(review, criteria, values)
    review.corrected_by, review.corrected_at = actor, timezone.now()
    review.correction_reason = reason
    review.save()
    audit.record(actor, "contests.review.corrected", application, {
        "juror": review.assignment.juror.methodist.full_name, "reason": reason,
        "before": {str(k): v for k, v in before.items()},
        "after": {str(c.pk): values[c.pk][0] for c in criteria}})
    return review

