"""Core's rules: the grants of its own pages and who may do what to a background job.

* :func:`register` — core's role grants (called from ``CoreConfig.ready``).
* ``may_*`` — the predicates core's views ask (wrapping ``core.permissions``).
* The job's state machine (pending → running → succeeded / failed): :func:`job_actions`
  is what a user may do to a job now. ``core.jobs.job_restart`` refuses the same.
"""

from __future__ import annotations

from .permissions import ensure, has_perm  # noqa: F401  (views write rules.ensure(...))
from .roles import Role, grant


def register() -> None:
    """Core's role grants: the audit log of one's region or municipality."""
    grant(Role.REGIONAL_STAFF, "core.view_auditentry")
    grant(Role.MUNICIPAL_COORDINATOR, "core.view_auditentry")


# -- predicates ---------------------------------------------------------------------------------
def may_view_audit(user) -> bool:
    return has_perm(user, "core.view_auditentry")


def may_download_job(user, job) -> bool:
    """The result file is the kind's: only while the user's role still grants the kind
    (a role that ended takes its reports with it)."""
    from .jobs import job_kind

    kind = job_kind(job.kind)
    return kind is not None and has_perm(user, kind.permission)


def may_restart_job(user, job) -> bool:
    """The job is the user's own and of a kind that may be started again from its page
    (whether it may be *now* is :attr:`Job.is_restartable`)."""
    from .jobs import job_kind

    kind = job_kind(job.kind)
    return job.created_by_id == user.pk and bool(kind and kind.restartable)


# -- the job's state machine ----------------------------------------------------------------------
def job_actions(user, job) -> frozenset[str]:
    """What ``user`` may do to ``job`` now: ``restart`` (its own failed job, or one whose
    file expired, of a restartable kind) and ``download`` (its result file, while the
    user's role still grants the kind)."""
    actions = set()
    if job.is_restartable and job.created_by_id == user.pk:
        actions.add("restart")
    if job.result_file and may_download_job(user, job):
        actions.add("download")
    return frozenset(actions)
