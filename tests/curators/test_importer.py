"""The institute's curator list (shared/data/rostov_curators_2022.tsv) through the import:
the overlapping territories are split by the declared numbers, what cannot be decided is a
warning, and one manual assignment then gives exactly 9, 9 and 6×7 (seed 000)."""

import csv
import io
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from openpyxl import Workbook

from core.jobs import job_run
from core.models import Region, User
from curators.models import CuratorAssignment
from curators.services import AssignmentTerms, assignment_end, assignments_bulk_create
from schools.models import ImportBatch, School
from schools.services import import_apply_start, import_batch_create

TSV = Path(settings.DEMO_DATA_DIR) / "rostov_curators_2022.tsv"


def _xlsx(rows):
    book = Workbook()
    sheet = book.active
    sheet.append(["Список кураторов (приказ от 09.03.2022 № 235)"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _tsv_rows():
    with TSV.open(encoding="utf-8") as fh:
        reader = csv.reader(fh, delimiter="\t")
        header = next(reader)
        titles = {"unit": "Подразделение", "curator": "Куратор", "position": "Должность",
                  "schools": "Количество школ", "territories": "Территории"}
        return [[titles[h] for h in header]] + [r for r in reader if r]


def _import(staff, content, name="kuratory.xlsx"):
    batch, job = import_batch_create(actor=staff, region=Region.objects.get(code=61), year=2022,
                                     kind=ImportBatch.Kind.CURATORS, file_name=name,
                                     content=content)
    job_run(job.pk)
    batch.refresh_from_db()
    return batch


@pytest.fixture
def rostov_without_curators(db):
    call_command("load_demo", stdout=io.StringIO())
    staff = User.objects.get(username="rostov.region")
    for a in CuratorAssignment.objects.filter(region__code=61, ended_at__isnull=True):
        assignment_end(actor=staff, assignment=a)
    return staff


def test_the_rostov_list_imports_and_one_manual_assignment_gives_9_9_6x7(
        rostov_without_curators):
    staff = rostov_without_curators
    batch = _import(staff, _xlsx(_tsv_rows()))
    assert batch.status == "previewed", batch.errors or batch.message
    assert batch.counts["curators"] == 9
    assert batch.counts["new"] == 59 and batch.counts["left"] == 1
    warnings = " ".join(batch.diff["warnings"])
    assert "«Обливский район» (1 шк.) не указан ни у одного куратора" in warnings
    assert "Горбунько Ю.П.: в списке 6 школ, по территориям получилось 5" in warnings
    assert not CuratorAssignment.objects.filter(ended_at__isnull=True).exists()  # dry run

    job_run(import_apply_start(actor=staff, batch=batch).pk)
    batch.refresh_from_db()
    assert batch.status == "applied", batch.message
    oblivsky = School.objects.get(municipality__name="Обливский район")
    assert not CuratorAssignment.objects.filter(school=oblivsky, ended_at__isnull=True).exists()
    assignments_bulk_create(actor=staff, curator=User.objects.get(last_name="Горбунько"),
                            schools=[oblivsky], terms=AssignmentTerms(year=2022))

    load = Counter(CuratorAssignment.objects.filter(year=2022, ended_at__isnull=True)
                   .values_list("curator__last_name", flat=True))
    assert sorted(load.values(), reverse=True) == [9, 9, 6, 6, 6, 6, 6, 6, 6]
    shared = Counter(CuratorAssignment.objects.filter(
        ended_at__isnull=True, school__municipality__name__in=["Тацинский район",
                                                               "Дубовский район"])
        .values_list("school__municipality__name", "curator__last_name"))
    assert shared == {("Тацинский район", "Бочаров"): 1, ("Тацинский район", "Шашина"): 1,
                      ("Дубовский район", "Иванова"): 1, ("Дубовский район", "Шашина"): 2}
    unit = CuratorAssignment.objects.filter(curator__last_name="Ластовыря",
                                            ended_at__isnull=True).first().unit
    assert unit == "Кафедра методики воспитательной работы"


def test_unknown_curator_and_territory_are_row_errors_and_nothing_is_assigned(
        rostov_without_curators):
    rows = [["Куратор", "Количество школ", "Территории"],
            ["Неизвестнова А.Б.", "2", "Азовский район"],
            ["Ластовыря Л. Ф.", "три", "Красносулинский район; Шахтинский район"]]
    batch = _import(rostov_without_curators, _xlsx(rows))
    assert batch.status == "invalid"
    messages = " ".join(e["message"] for e in batch.errors)
    assert "«Неизвестнова А.Б.» не найден среди кураторов региона" in messages
    assert "«три» — ожидалось целое число школ" in messages
    assert "муниципалитет «Шахтинский район» не найден" in messages
    assert "Возможно, имелся в виду «г. Шахты»?" in messages
    assert not CuratorAssignment.objects.filter(ended_at__isnull=True).exists()


def test_schools_with_a_curator_are_left_alone(rostov_without_curators):
    staff = rostov_without_curators
    lastovyrya = User.objects.get(username="lastovyrya")
    school = School.objects.filter(municipality__name="Миллеровский район").first()
    assignments_bulk_create(actor=staff, curator=lastovyrya, schools=[school],
                            terms=AssignmentTerms(year=2022))
    rows = [["Куратор", "Территории"], ["Ластовыря Лариса Фёдоровна", "Миллеровский район"]]
    batch = _import(staff, _xlsx(rows))
    assert batch.status == "previewed", batch.errors
    assert batch.counts["already"] == 1 and batch.counts["new"] == 2
