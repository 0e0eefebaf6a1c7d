"""Exports never run formulas (issue 22, item 4). Region B's whole world (the isolation
matrix's) is given names a spreadsheet would evaluate — a measure titled
``=HYPERLINK(…)``, a school ``+7…``, a user ``@SUM(…)``, a tab before ``=`` — and every
Excel file the portal gives out is written and read back: the hostile text is there, as
text, and no cell holds a formula. Plus a guard: nothing writes a workbook around the one
writer (core/xlsx.py)."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from django.db.models import F, Value
from django.db.models.functions import Concat, Left
from django.urls import reverse
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from openpyxl import load_workbook

from core.models import AuditEntry, Job, Municipality, Region, User
from core.xlsx import FORMULA_STARTS, book_bytes, new_book, row_append, sheet_new, sheet_write
from tests.test_isolation import _objs_module, objs  # noqa: F401  (the matrix's world)

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = ['=HYPERLINK("http://evil.example/","Открыть") ', "+79001234567 ",
           "@SUM(A1:A9) ", "-2+3 ", "\t=1+1 ", "\r=cmd|' /C calc'!A0 "]


def _poison(model, *fields, prefix=HOSTILE[0], **filters):
    """Prefix every ``field`` of the rows with hostile text (kept within the column)."""
    rows = model.objects.filter(**filters)
    for name in fields:
        limit = model._meta.get_field(name).max_length or 4000
        rows.update(**{name: Left(Concat(Value(prefix), F(name)), limit)})


@pytest.fixture
def hostile(objs):  # noqa: F811
    from contests.models import Application, Nomination
    from methodists.models import Methodist, Subject
    from risk_profiles.models import RiskFactor
    from roadmaps.models import Roadmap, RoadmapItem
    from schools.models import School
    from training.models import Course, Enrolment, StaffMember

    world = objs["world_b"]
    region = world.region
    _poison(Region, "name", pk=region.pk)
    _poison(Municipality, "name", prefix=HOSTILE[3], region=region)
    _poison(School, "short_name", prefix=HOSTILE[1], region=region)
    _poison(School, "full_name", prefix=HOSTILE[4], region=region)
    _poison(User, "last_name", prefix=HOSTILE[2], memberships__region=region)
    _poison(RoadmapItem, "activity", "responsible", "expected_result", "done_note",
            roadmap__region=region)
    _poison(Roadmap, "title", region=region)
    _poison(RiskFactor, "title", prefix=HOSTILE[5])
    _poison(Course, "title", region=region)
    _poison(StaffMember, "full_name", prefix=HOSTILE[2], school__region=region)
    _poison(Methodist, "full_name", "workplace", region=region)
    _poison(Subject, "name", prefix=HOSTILE[2])
    _poison(Application, "title", edition__region=region)
    _poison(Nomination, "title", prefix=HOSTILE[3], edition__region=region)
    _poison(AuditEntry, "target_repr", region=region)
    # the course table counts completed teachers by subject
    Enrolment.objects.filter(run=objs["run_b"]).update(
        status=Enrolment.Status.COMPLETED, subject=objs["staff_b"].subjects.first())
    return objs


def _cells(content: bytes) -> list:
    book = load_workbook(io.BytesIO(content))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
            if cell.value is not None]


def assert_no_formula(content: bytes, label: str) -> None:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                xml = archive.read(name).decode()
                assert not re.search(r"<f[ >]", xml), f"{label}: a formula in {name}"
    cells = _cells(content)
    assert all(c.data_type != "f" for c in cells), label
    hostile = [c for c in cells if isinstance(c.value, str) and c.value[:1] in FORMULA_STARTS]
    # the hostile text reached the file (else this export proved nothing) …
    assert hostile, f"{label}: no hostile text reached the export"
    # … as text with the quote prefix, shown as typed
    assert all(c.data_type == "s" and c.quotePrefix for c in hostile), label


def _job_file(user, kind: str) -> bytes:
    job = Job.objects.filter(created_by=user, kind=kind).latest("created_at")
    assert job.status == Job.Status.SUCCEEDED, job.message
    with job.result_file.open("rb") as fh:
        return fh.read()


def _download(client, url, label):
    response = client.get(url)
    assert response.status_code == 200, (label, response.status_code)
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"), label
    return b"".join(response) if response.streaming else response.content


def test_every_export_writes_hostile_text_as_text(client, hostile,
                                                  django_capture_on_commit_callbacks):
    world = hostile["world_b"]
    staff = world.regional_staff
    client.force_login(staff)
    files: dict[str, bytes] = {}
    # the exports that are jobs: the audit trail, the school list, the monitoring report
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("core:audit_export")).status_code == 302
        assert client.post(reverse("schools:school_export"),
                           {"year": "2022"}).status_code == 302
        assert client.post(reverse("monitoring:report_start"),
                           {"format": "xlsx", "region": world.region.code}).status_code == 302
    files["Журнал действий"] = _job_file(staff, "core.audit_export")
    files["Перечень школ"] = _job_file(staff, "schools.export")
    files["Отчёт мониторинга"] = _job_file(staff, "monitoring.dashboard_xlsx")
    # the exports answered at once
    direct = {
        "Дорожная карта": reverse("roadmaps:plan_xlsx", args=[hostile["roadmap_b"].public_id]),
        "Матрица рисков": reverse("risk_profiles:matrix_export") +
        f"?curator={world.curator.public_id}&year=2022",
        "РМА": reverse("methodists:export"),
        "РМА по предметам": reverse("methodists:subjects") + "?format=xlsx",
        "Охват ШНОР методистами": reverse("methodists:coverage") + "?format=xlsx",
        "Слушатели потока": reverse("training:run_export", args=[hostile["run_b"].public_id]),
        "Курс": reverse("training:course", args=[hostile["course_b"].public_id]) +
        "?format=xlsx",
        "Охват обучением": reverse("training:coverage") + "?format=xlsx",
        "Итоги конкурса": reverse("contests:results_export",
                                  args=[hostile["edition_b"].public_id]),
    }
    for label, url in direct.items():
        files[label] = _download(client, url, label)
    for label, content in files.items():
        assert_no_formula(content, label)


@hsettings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=40), st.sampled_from(FORMULA_STARTS))
def test_the_writer_keeps_any_text_as_typed_and_never_a_formula(text, lead):
    book = new_book()
    sheet_write(book, "Лист", ["Поле"], [[lead + text], [text]], [20])
    streaming = new_book(streaming=True)
    row_append(sheet_new(streaming, "Лист"), [lead + text, text])
    for content in (book_bytes(book), book_bytes(streaming)):
        cells = _cells(content)
        assert all(c.data_type != "f" for c in cells)
        # text comes back as written (openpyxl drops characters XML cannot hold)
        assert any(isinstance(c.value, str) and c.value.startswith(lead) for c in cells)


WRITERS_ALLOWED = {
    "core/xlsx.py",           # the one writer
    "schools/synthetic.py",   # test and benchmark workbooks, never given to users
    "demo/loader.py",         # the demo's own import files
}


def test_no_workbook_is_written_around_the_one_writer():
    offenders = []
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT).as_posix()
        if relative.split("/")[0] in {".venv", "tests", "benchmarks", "node_modules"} or \
                relative in WRITERS_ALLOWED:
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"\bWorkbook\(|from openpyxl import .*\bWorkbook\b|\.append\(\s*HEADER",
                     text):
            offenders.append(relative)
    assert offenders == [], f"write workbooks through core.xlsx: {offenders}"


def test_sheet_names_excel_refuses_are_made_acceptable():
    book = new_book()
    sheet_write(book, "1. Школа / семья: [проект]?", ["Поле"], [["\x1fтекст\x07"]], [20])
    sheet_write(book, "*", ["Поле"], [], [20])
    loaded = load_workbook(io.BytesIO(book_bytes(book)))
    assert loaded.sheetnames == ["1. Школа   семья   проект", "Лист"]
    assert loaded.worksheets[0]["A2"].value == "текст"
