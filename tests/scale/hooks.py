"""Imported by the scale test's worker hosts only (``celery worker --include``): the
dashboard PDF report waits while the file named by SCALE_HOLD_FILE exists, so that the
test can kill the worker in the middle of a real report job."""

import os
import time

from core import jobs

_kind = jobs.job_kind("monitoring.dashboard_pdf")
_report = _kind.runner


def _held(job, progress):
    hold = os.environ.get("SCALE_HOLD_FILE", "")
    deadline = time.monotonic() + 90
    while hold and os.path.exists(hold) and time.monotonic() < deadline:
        progress(1, 100)
        time.sleep(0.1)
    return _report(job, progress)


jobs.register_job_kind(_kind.key, _kind.label, _held, permission=_kind.permission,
                       restartable=_kind.restartable)
