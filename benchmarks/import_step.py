"""One step of the federal import in a process of its own, so that its peak RSS is the
step's alone: ``python -m benchmarks.import_step dry FILE`` (prints the batch's id) or
``python -m benchmarks.import_step apply BATCH``. Prints one JSON line: seconds, peak RSS."""

from __future__ import annotations

import json
import os
import resource
import sys
import time


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from core.jobs import job_run
    from core.models import Job, User
    from schools.models import ImportBatch
    from schools.services import import_apply_start, import_batch_create

    step, arg = sys.argv[1], sys.argv[2]
    admin = User.objects.get(username="bench-admin")
    start = time.perf_counter()
    if step == "dry":
        with open(arg, "rb") as fh:
            content = fh.read()
        batch, job = import_batch_create(actor=admin, region=None, year=2023,
                                         kind=ImportBatch.Kind.SHNOR,
                                         file_name="federal.xlsx", content=content)
        del content
        job_run(job.pk)
        batch.refresh_from_db()
        ok = batch.status == ImportBatch.Status.PREVIEWED
        detail = batch.message or str(batch.errors[:3])
    else:
        batch = ImportBatch.objects.get(public_id=arg)
        job = import_apply_start(actor=admin, batch=batch)
        job_run(job.pk)
        job.refresh_from_db()
        ok = job.status == Job.Status.SUCCEEDED
        detail = job.message
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"ok": ok, "detail": detail, "batch": str(batch.public_id),
                      "seconds": seconds, "rss_mb": peak}))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
