"""The curator's report as PDF: the page's own template rendered by WeasyPrint in the
worker (``core.jobs``), with the fonts the machine has (DejaVu, Liberation: Cyrillic)."""

from __future__ import annotations

import datetime

from django.http import Http404
from django.template.loader import render_to_string

from core.exceptions import DomainError
from core.jobs import JobResult
from core.models import User
from core.pdf import html_to_pdf

from .selectors import curator_get, curator_report


def report_html(report) -> str:
    return render_to_string("curators/report/pdf.html", {"report": report})


def run_report_pdf(job, progress) -> JobResult:
    actor = User.objects.get(pk=job.created_by_id)
    try:
        curator = curator_get(actor, job.params["curator"])
    except Http404:
        raise DomainError("Куратор недоступен: его назначения или ваши права изменились.")
    date_from = datetime.date.fromisoformat(job.params["from"])
    date_to = datetime.date.fromisoformat(job.params["to"])
    progress(1, 3)
    report = curator_report(actor, curator=curator, date_from=date_from, date_to=date_to)
    progress(2, 3)
    pdf = html_to_pdf(report_html(report))
    name = (f"otchet-kuratora-{curator.username}-{date_from:%Y%m%d}-{date_to:%Y%m%d}.pdf")
    return JobResult(message=f"Отчёт куратора {curator.short_name} за "
                             f"{date_from:%d.%m.%Y}–{date_to:%d.%m.%Y} готов.",
                     file_name=name, content=pdf)
