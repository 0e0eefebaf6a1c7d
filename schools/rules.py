"""The registry's rules: who may do what to schools, thresholds and import batches.

* :func:`register` — the role grants of ``schools`` (called from ``SchoolsConfig.ready``).
* ``may_*`` — the predicates views and services ask (wrapping ``core.permissions``).
* The import batch's state machine (uploaded → previewed / invalid → applied; failed):
  :func:`skippable` and :func:`recheck_needed` say what the batch's state allows, and
  :func:`batch_actions` what a user may do to it now.
"""

from __future__ import annotations

from core.importing import importer_for
from core.jobs import jobs_check
from core.models import Job
from core.permissions import ensure, has_perm  # noqa: F401  (views write rules.ensure(...))
from core.roles import Role, grant

from .models import ImportBatch
from .selectors import import_preview_jobs


def register() -> None:
    """The role grants of the registry and of the import of official tables."""
    for role in (Role.REGIONAL_STAFF, Role.MUNICIPAL_COORDINATOR, Role.CURATOR,
                 Role.SCHOOL_COORDINATOR):
        grant(role, "schools.view_school")
    grant(Role.REGIONAL_STAFF, "schools.add_school", "schools.change_school",
          "schools.add_importbatch", "schools.view_importbatch",
          "schools.change_indexthresholds", "schools.export_school",
          "core.add_rolemembership", "core.add_municipality")
    grant(Role.MUNICIPAL_COORDINATOR, "schools.export_school")


# -- predicates ---------------------------------------------------------------------------------
def may_view_schools(user, obj=None) -> bool:
    return has_perm(user, "schools.view_school", obj)


def may_create_school(user, school=None) -> bool:
    return has_perm(user, "schools.add_school", school)


def may_export_schools(user, obj=None) -> bool:
    return has_perm(user, "schools.export_school", obj)


def may_set_thresholds(user, obj=None) -> bool:
    """Set the ИОР/ИСБ thresholds (of ``obj``'s region: a school, a thresholds row)."""
    return has_perm(user, "schools.change_indexthresholds", obj)


def may_import(user, batch: ImportBatch | None = None) -> bool:
    """Upload official tables; with ``batch``: work on that batch (its region, or every
    region for a federal list)."""
    return has_perm(user, "schools.add_importbatch", batch)


def may_create_regions(user) -> bool:
    return has_perm(user, "core.add_region")


def may_create_municipalities(user) -> bool:
    return has_perm(user, "core.add_municipality")


# -- the import batch's state machine ------------------------------------------------------------
def skippable(batch: ImportBatch) -> bool:
    """Whether the batch may be imported without its rows with errors: its importer leaves
    them out, every error belongs to a row, and some rows are valid."""
    counts = batch.counts or {}
    return (batch.status == ImportBatch.Status.INVALID and importer_for(batch).skippable
            and counts.get("errors", 0) > 0 and not counts.get("file_errors")
            and counts.get("valid", 0) > 0)


def recheck_needed(batch: ImportBatch) -> bool:
    """Whether the batch waits for a dry run that will never come: it is «загружен» but no
    check of it is pending or running any more — its worker was killed, the queue lost it
    or refused it. Its unfinished checks are settled first (``core.jobs.job_check``), so
    a check whose worker is gone is seen as failed here without beat."""
    if batch.status != ImportBatch.Status.UPLOADED:
        return False
    unfinished = jobs_check(list(import_preview_jobs(batch).filter(
        status__in=(Job.Status.PENDING, Job.Status.RUNNING))))
    return not any(not job.is_finished for job in unfinished)


def may_create_territories(user, batch: ImportBatch, missing: dict) -> bool:
    """Create the regions and municipalities a checked file names and the portal lacks
    (``missing``: ``schools.services.missing_territories(batch)``)."""
    if not batch.is_invalid or not may_import(user, batch):
        return False
    if missing["regions"]:
        return may_create_regions(user)
    return bool(missing["municipalities"]) and may_create_municipalities(user)


def batch_actions(user, batch: ImportBatch, missing: dict | None = None) -> frozenset[str]:
    """What ``user`` may do to ``batch`` now:

    * ``recheck`` — check the file again (its check was interrupted);
    * ``map`` — correct the column mapping and check again (not once applied);
    * ``apply`` — apply a checked batch without errors;
    * ``skip_invalid`` — apply it without its rows with errors (:func:`skippable`);
    * ``create_territories`` — create the regions and municipalities the file needs
      (``missing`` as :func:`may_create_territories` takes it).
    """
    if not may_import(user, batch):
        return frozenset()
    actions = set()
    if batch.columns and not batch.is_applied:
        actions.add("map")
    if batch.is_previewed:
        actions.add("apply")
    if skippable(batch):
        actions.add("skip_invalid")
    if missing is not None and may_create_territories(user, batch, missing):
        actions.add("create_territories")
    if recheck_needed(batch):
        actions.add("recheck")
    return frozenset(actions)
