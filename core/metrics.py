"""Prometheus metrics of the portal's own work (django-prometheus exports them at /metrics with
its request, response and database metrics). With several gunicorn workers set
PROMETHEUS_MULTIPROC_DIR to a directory of the host's temporary files, so that a scrape adds
up every worker."""

from __future__ import annotations

from prometheus_client import Histogram

JOB_SECONDS = Histogram(
    "portal_job_duration_seconds", "Background jobs (core.jobs) from start to outcome",
    ["kind", "status"], buckets=(0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800))


def job_finished(kind: str, status: str, seconds: float) -> None:
    JOB_SECONDS.labels(kind=kind, status=status).observe(seconds)
