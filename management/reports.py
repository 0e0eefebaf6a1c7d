"""The yearly report of the management cycle (seed 004 §10) for the region or one of its
municipalities: the indicators and their dynamics, the recommendations issued and followed
up, the decisions and their effect, the exit list. Rendered to PDF by a background job."""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone

from core.exceptions import DomainError
from core.jobs import JobResult
from core.pdf import html_to_pdf

from . import rules, selectors
from .models import Recommendation


@dataclass
class RecommendationSummary:
    issued: int
    accepted: int
    reported: int
    overdue: int
    rows: list


def _recommendations(user, region, municipality, year: int, day) -> RecommendationSummary:
    qs = selectors.recommendations_for(user).filter(region=region, year=year)
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    rows = list(qs.order_by("due_on", "pk"))
    status = Recommendation.Status
    return RecommendationSummary(
        issued=len(rows), accepted=sum(r.status == status.ACCEPTED for r in rows),
        reported=sum(r.status == status.REPORTED for r in rows),
        overdue=sum(r.is_overdue(day) for r in rows), rows=rows)


def _indicator_rows(user, region, municipality, year: int) -> list:
    rows = []
    for indicator in selectors.indicators_for(user).filter(region=region, year=year):
        territory = next((r for r in selectors.territory_rows(user, indicator)
                          if r.municipality == municipality), None)
        conclusion = selectors.conclusions_of(indicator).first()
        rows.append((indicator, territory, conclusion))
    return rows


def cycle_context(user, region, municipality, year: int) -> dict:
    """What the report says, read with ``user``'s scope."""
    day = timezone.localdate()
    decisions = selectors.decisions_for(user).filter(region=region, year=year)
    if municipality is not None:
        decisions = decisions.filter(municipality__in=[municipality]) | decisions.filter(
            municipality__isnull=True)
    exits = selectors.exit_for(user).filter(region=region, year=year)
    if municipality is not None:
        exits = exits.filter(municipality=municipality)
    return {
        "region": region, "municipality": municipality, "year": year, "now":
        timezone.localtime(), "territory": municipality.name if municipality else region.name,
        "indicators": _indicator_rows(user, region, municipality, year),
        "recommendations": _recommendations(user, region, municipality, year, day),
        "decisions": [(d, selectors.decision_effect(d)) for d in
                      decisions.distinct().order_by("signed_on", "pk")],
        "exits": list(exits),
    }


def run_cycle_report(job, progress) -> JobResult:
    """The job: checks again that its owner may report on the territory, renders the PDF
    and keeps it as a new version of the year's report."""
    from django.urls import reverse

    from core.models import Municipality, User

    from .services import report_store

    actor = User.objects.get(pk=job.created_by_id)
    region, year = job.region, int(job.params["year"])
    municipality = (Municipality.objects.filter(pk=job.params.get("municipality"),
                                                region=region).first()
                    if job.params.get("municipality") else None)
    if job.params.get("municipality") and municipality is None:
        raise DomainError("Муниципалитет отчёта больше не существует.")
    if not rules.may_report(actor, municipality or region):
        raise DomainError("У вас больше нет права формировать этот отчёт.")
    progress(1, 3)
    html = render_to_string("management/pdf/cycle_report.html",
                            cycle_context(actor, region, municipality, year))
    progress(2, 3)
    content = html_to_pdf(html)
    report = report_store(actor=actor, region=region, municipality=municipality, year=year,
                          content=content)
    return JobResult(message=f"Отчёт управленческого цикла {year} г. готов "
                             f"({report.territory}).",
                     file_name=f"cycle-report-{region.code}-{year}.pdf", content=content,
                     url=f"{reverse('management:reports')}?region={region.code}&year={year}")
