"""Writes of the contest: each one transaction, one audit entry, its permission checked
through ``contests.rules``.

Stages move forward only (:func:`edition_advance`). Applications change only while the
edition accepts them (its stage is «приём заявок» and today is within the dates); files are
immutable versions stored before the transaction (``core.files``). Scores change only as
the juror's draft; once submitted only the nomination's chair corrects them, with a reason.

The modules: ``editions`` (stages, the regulation), ``nominations`` (and criteria), ``jury``
(jurors and assignments), ``applications`` (and materials), ``reviews`` (scores),
``results`` (places, the bank).
"""

from ..rules import is_chair
from .applications import (
    ApplicationData,
    application_create,
    application_update,
    application_withdraw,
    material_add,
    material_remove,
    material_version_add,
)
from .common import (
    APPLY_PERM,
    MANAGE_PERM,
    NEXT_STAGE,
    NOTIFY_ASSIGNED,
    NOTIFY_RESULTS,
    ContestError,
    Stage,
)
from .editions import (
    EDITION_FIELDS,
    edition_advance,
    edition_create,
    edition_update,
    regulation_upload,
)
from .jury import (
    AutoResult,
    assignment_create,
    assignment_remove,
    assignments_auto,
    juror_add,
    juror_chair_set,
    juror_remove,
)
from .nominations import (
    NOMINATIONS_CSV,
    VIDEO_MARK,
    criterion_delete,
    criterion_save,
    nomination_create,
    nomination_update,
    nominations_load,
)
from .results import application_result_set, practice_courses_set
from .reviews import review_correct, review_save

__all__ = [
    "APPLY_PERM", "EDITION_FIELDS", "MANAGE_PERM", "NEXT_STAGE", "NOMINATIONS_CSV",
    "NOTIFY_ASSIGNED", "NOTIFY_RESULTS", "VIDEO_MARK", "ApplicationData", "AutoResult",
    "ContestError", "Stage", "application_create", "application_result_set",
    "application_update", "application_withdraw", "assignment_create", "assignment_remove",
    "assignments_auto", "criterion_delete", "criterion_save", "edition_advance",
    "edition_create", "edition_update", "is_chair", "juror_add", "juror_chair_set",
    "juror_remove", "material_add", "material_remove", "material_version_add",
    "nomination_create", "nomination_update", "nominations_load", "practice_courses_set",
    "regulation_upload", "review_correct", "review_save",
]
