"""Results: places and the bank of best practices, and the courses a practice is part of."""

from __future__ import annotations

from django.db import transaction

from core import audit

from .. import rules
from ..models import Application, Review
from .common import ContestError, ensure_manager, lock


@transaction.atomic
def application_result_set(*, actor, application: Application, place: int | None,
                           in_bank: bool) -> Application:
    application = lock(Application, application)
    ensure_manager(actor, application.edition)
    if not rules.awarding_open(application.edition):
        raise ContestError("Места присуждаются на этапе подведения итогов.")
    if not application.is_active:
        raise ContestError("Заявка отозвана школой.")
    if place is not None and place not in dict(Application.PLACES):
        raise ContestError("Место — I, II или III.")
    if place is not None and not Review.objects.filter(
            assignment__application=application, status=Review.Status.SUBMITTED).exists():
        raise ContestError("У заявки нет ни одной отправленной оценки: место не присуждается.")
    application.place, application.in_bank = place, in_bank
    application.save(update_fields=["place", "in_bank", "updated_at"])
    audit.record(actor, "contests.application.result_set", application,
                 {"place": place, "in_bank": in_bank})
    return application


@transaction.atomic
def practice_courses_set(*, actor, application: Application, courses) -> Application:
    application = lock(Application, application)
    ensure_manager(actor, application.edition)
    if not application.is_practice:
        raise ContestError("В курсы включаются практики из банка (итоги опубликованы).")
    courses = list(courses)
    if any(c.region_id != application.region_id for c in courses):
        raise ContestError("Курс относится к другому региону.")
    application.courses.set(courses)
    audit.record(actor, "contests.practice.courses_set", application,
                 {"courses": [c.title for c in courses]})
    return application
