"""What every write of the contest shares: its error, validation, row locks and the check
that the actor organises the contest (``rules.may_manage``)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from core.exceptions import DomainError

from .. import rules
from ..rules import APPLY_PERM, MANAGE_PERM, NEXT_STAGE, Stage  # noqa: F401  (re-exported)

NOTIFY_ASSIGNED = "contests.review.assigned"
NOTIFY_RESULTS = "contests.results.published"


class ContestError(DomainError):
    pass


def clean(obj, exclude=()) -> None:
    try:
        obj.full_clean(exclude=list(exclude))
    except ValidationError as exc:
        raise ContestError(" ".join(exc.messages))


def today_or(today) -> datetime.date:
    return today or timezone.localdate()


def lock(model, obj):
    return model.objects.select_for_update().get(pk=obj.pk)


def ensure_manager(actor, obj) -> None:
    """403 unless ``actor`` organises the contest of ``obj``'s region."""
    rules.ensure(rules.may_manage(actor, obj))
