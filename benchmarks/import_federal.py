"""The federal-size import: 40,000 schools of 89 regions, dry run + apply into PostgreSQL,
compared in the same run with a raw read of the same file by openpyxl (read-only) and by
python-calamine. Prints ratios, the query count of the apply step and the peak RSS."""

from __future__ import annotations

import io
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

ROOT = Path(__file__).resolve().parent.parent


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _raw_openpyxl(content: bytes) -> int:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    rows = sum(1 for _ in book.active.iter_rows(values_only=True))
    book.close()
    return rows


def _raw_calamine(content: bytes) -> int:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    return len(book.get_sheet_by_index(0).to_python())


def run() -> None:
    from core.jobs import job_run
    from core.models import Job, Region
    from core.roles import Role
    from core.services import (
        membership_create,
        municipalities_bulk_create,
        region_create,
        user_create,
    )
    from schools.models import ImportBatch
    from schools.services import import_apply_start, import_batch_create
    from schools.synthetic import FEDERAL, reference

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "federal.xlsx"
        # generated in a child process so its memory does not count as the import's
        subprocess.run([sys.executable, "manage.py", "make_synthetic_list", str(path),  # noqa: S603
                        "--federal"], cwd=ROOT, check=True, capture_output=True)
        content = path.read_bytes()
    with transaction.atomic():
        for region in reference(FEDERAL["regions"], FEDERAL["municipalities"]):
            target = (Region.objects.filter(code=region.code).first()
                      or region_create(actor=None, code=region.code, name=region.name))
            municipalities_bulk_create(actor=None, region=target, names=region.municipalities)
        admin = user_create(actor=None, username="bench-admin", password=None,
                            last_name="Бенчмарков", first_name="Админ")
        membership_create(actor=None, user=admin, role=Role.ADMINISTRATOR)
    steps = _steps_in_own_processes(content)
    rss_before = _peak_mb()

    with transaction.atomic():
        start = time.perf_counter()
        batch, job = import_batch_create(actor=admin, region=None, year=2023,
                                         kind=ImportBatch.Kind.SHNOR,
                                         file_name="federal.xlsx", content=content)
        job_run(job.pk)
        batch.refresh_from_db()
        dry_run = time.perf_counter() - start
        assert batch.status == ImportBatch.Status.PREVIEWED, batch.message or batch.errors[:3]
        apply_job = import_apply_start(actor=admin, batch=batch)
        with CaptureQueriesContext(connection) as queries:
            job_run(apply_job.pk)
        total = time.perf_counter() - start
        apply_job.refresh_from_db()
        assert apply_job.status == Job.Status.SUCCEEDED, apply_job.message
        peak = _peak_mb()
        transaction.set_rollback(True)  # leave the database as it was

    start = time.perf_counter()
    rows = _raw_openpyxl(content)
    openpyxl_time = time.perf_counter() - start
    start = time.perf_counter()
    _raw_calamine(content)
    calamine_time = time.perf_counter() - start

    print(f"federal list: {rows - 4} schools, {len(content) / 1e6:.1f} MB")
    print(f"{'import dry run + apply (PostgreSQL)':<58} {total / openpyxl_time:>7.2f}×  "
          "raw openpyxl read-only parse (goal ≤ 2.0×)")
    print(f"{'import dry run + apply (PostgreSQL)':<58} {total / calamine_time:>7.2f}×  "
          "raw calamine parse (aim ≤ 3×)")
    print(f"{'  of which the dry run':<58} {dry_run / calamine_time:>7.2f}×  raw calamine parse")
    print(f"queries: {'apply step':<49} {len(queries):>8}")
    print(f"peak RSS: {peak:.0f} MB in one process for both steps (before the import: "
          f"{rss_before:.0f} MB)")
    for name, step in steps.items():
        print(f"peak RSS of the {name:<10} in a process of its own: {step['rss_mb']:>5.0f} MB "
              f"({step['seconds']:.1f} s; goal ≤ 300 MB)")


def _steps_in_own_processes(content: bytes) -> dict:
    """The dry run and the apply, each in a fresh process (its peak RSS is the step's);
    what they wrote is removed again afterwards."""
    import json
    import os

    from django.db import connection

    from schools.models import ImportBatch, School, SchoolYear

    db = connection.settings_dict
    env = {**os.environ, "DATABASE_URL": (f"postgres://{db['USER']}:{db['PASSWORD']}@"
                                          f"{db['HOST']}:{db['PORT']}/{db['NAME']}")}
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "federal.xlsx"
        path.write_bytes(content)
        for name, arg in (("dry run", str(path)), ("apply", None)):
            done = subprocess.run([sys.executable, "-m", "benchmarks.import_step",  # noqa: S603
                                   "dry" if arg else "apply", arg or out["dry run"]["batch"]],
                                  cwd=ROOT, env=env, capture_output=True, text=True)
            if done.returncode:
                raise RuntimeError(f"{name}: {done.stdout[-2000:]} {done.stderr[-2000:]}")
            out[name] = json.loads(done.stdout.strip().splitlines()[-1])
    batch = ImportBatch.objects.get(public_id=out["dry run"]["batch"])
    school_ids = list(SchoolYear.objects.filter(batch=batch).values_list("school_id", flat=True))
    SchoolYear.objects.filter(batch=batch).delete()
    School.objects.filter(pk__in=school_ids).delete()
    batch.delete()
    return out
