"""The curator's report (seed 000, «Отчет по введению кураторства»): its tables from the
assignments, the risk matrix and the work log, and the PDF rendered from the same template
by the worker."""

import datetime
import io

from pypdf import PdfReader

from core.jobs import job_run
from curators.reports import report_html
from curators.selectors import curator_report, report_period
from curators.services import LogInput, report_pdf_start, sheet_save, worklog_add
from risk_profiles.services import ItemChange, catalogue_load, profile_create, profile_update


def _work(world, scheme):
    catalogue_load(actor=None)
    profile = profile_create(actor=world.school_coordinator, school=world.school1, year=2022)
    profile_update(actor=world.school_coordinator, profile=profile,
                   changes={"R01": ItemChange(activated=True),
                            "R04": ItemChange(activated=True)})
    worklog_add(actor=world.curator, region=world.region, data=LogInput(
        date=datetime.date(2022, 5, 6), kind="review", minutes=240, school=None,
        text="Концептуальные документы проверены, вынесены замечания."))
    worklog_add(actor=world.curator, region=world.region, data=LogInput(
        date=datetime.date(2022, 5, 19), kind="visit", minutes=180, school=world.school1,
        text="Выезд в школу: отчётные документы 1 этапа."))
    sheet_save(actor=world.curator, school=world.school1, year=2022,
               scores={c.pk: (1, "") for c in scheme.criteria.all()}, publish=True)


def test_the_report_has_the_seed_shape(world_a, order_a, scheme):
    _work(world_a, scheme)
    report = curator_report(world_a.regional_staff, curator=world_a.curator,
                            date_from=datetime.date(2022, 3, 9),
                            date_to=datetime.date(2022, 12, 31))
    assert report.year == 2022
    assert [r.assignment.school for r in report.schools] == [world_a.school1]
    assert report.schools[0].note == "СИЛЬНО НЕУСПЕВАЮЩАЯ" and report.shnor == 1
    assert [f.code for f in report.matrix.factors] == ["R01", "R04"]
    assert report.matrix.total == 2
    assert [d for d, _ in report.days] == [datetime.date(2022, 5, 6), datetime.date(2022, 5, 19)]
    assert (report.entries, report.visits, report.minutes, report.hours) == (2, 1, 420,
                                                                           "7 ч 00 мин")
    assert [s.total for s in report.sheets] == [7]
    html = report_html(report)
    for text in ("Отчет по введению кураторства школ, участников проекта «500+»",
                 "Таблица 1", "Таблица 2", "Период выполнения", "Что проведено",
                 "Выезд в школу: отчётные документы 1 этапа.", "Итого:",
                 f"Отчет подготовил: {world_a.curator.short_name}"):
        assert text in html, text


def test_a_period_without_work_says_so(world_a):
    report = curator_report(world_a.curator, curator=world_a.curator,
                            date_from=datetime.date(2022, 1, 1),
                            date_to=datetime.date(2022, 1, 31))
    assert report.days == [] and report.entries == 0
    assert "За период в журнале нет записей" in report_html(report)


def test_the_default_period_runs_from_the_order_to_today(world_a, order_a, second_curator):
    from curators.services import AssignmentTerms, assignment_create

    assignment_create(actor=None, curator=second_curator, school=world_a.school2,
                      terms=AssignmentTerms(year=2022, order=order_a))
    start, end = report_period(world_a.regional_staff, second_curator,
                               today=datetime.date(2026, 11, 23))
    assert (start, end) == (datetime.date(2022, 3, 9), datetime.date(2026, 11, 23))


def test_the_pdf_is_rendered_by_the_worker_with_russian_text(world_a, order_a, scheme,
                                                             django_capture_on_commit_callbacks):
    _work(world_a, scheme)
    job = report_pdf_start(actor=world_a.curator, curator=world_a.curator,
                           region=world_a.region, date_from=datetime.date(2022, 3, 9),
                           date_to=datetime.date(2022, 12, 31))
    job = job_run(job.pk)
    assert job.status == "succeeded", job.message
    assert job.result_name.endswith(".pdf")
    content = job.result_file.read()
    assert content.startswith(b"%PDF")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert "Отчет по введению кураторства" in text
    assert world_a.school1.short_name in text
    assert "Выезд в школу" in text


def test_a_report_of_another_regions_curator_fails_in_the_worker(world_a, world_b):
    job = report_pdf_start(actor=world_a.regional_staff, curator=world_b.curator,
                           region=world_a.region, date_from=datetime.date(2022, 1, 1),
                           date_to=datetime.date(2022, 12, 31))
    job = job_run(job.pk)
    assert job.status == "failed" and "Куратор недоступен" in job.message
    assert not job.result_file
