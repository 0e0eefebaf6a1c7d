"""A course run's list of students as the provider sends it: a title, a header over two rows
(group labels above the field names), the row of column numbers, a municipality and a school
written once in vertically merged cells, a subtotal per municipality, the header repeated on
the next page, a note and a signature under the table. The dry run finds exactly the data
rows and lists the others with the reason; the apply enrols them; rows with errors can be
left out by choice."""

from __future__ import annotations

import datetime

import pytest

from core.models import AuditEntry
from schools.models import ImportBatch
from schools.services import ImportFailure, import_apply_start, import_batch_create, skippable
from tests.schools.conftest import xlsx
from training import services as t
from training.models import Enrolment, StaffMember

GROUPS = ["№ п/п", "Сведения о слушателе", None, None, "Муниципалитет",
          "Образовательная организация", "Результаты обучения", None, None]
FIELDS = [None, "ФИО", "Должность", "Предмет", None, None, "Дата завершения",
          "Результат аттестации", "Номер удостоверения"]
NUMBERS = [1, 2, 3, 4, 5, 6, 7, 8, 9]
HEADER_MERGES = ["A3:A4", "B3:D3", "E3:E4", "F3:F4", "G3:I3"]


def _book(rows, merges=()) -> bytes:
    return xlsx(rows, sheet="Слушатели", merges=merges)


def _official(body, body_merges=()) -> bytes:
    """Rows 1–5: title, course, the header over rows 3–4, column numbers; then the body."""
    rows = [["Ведомость слушателей курса повышения квалификации"],
            ["«Функциональная грамотность», 72 ч"], GROUPS, FIELDS, NUMBERS]
    return _book(rows + list(body), ["A1:I1", *HEADER_MERGES, *body_merges])


@pytest.fixture
def run_a(world_a):
    course = t.course_create(actor=world_a.regional_staff, region=world_a.region,
                             title="Функциональная грамотность", audience="учителя", hours=72,
                             form="blended", provider="ГБУ ДПО РО РИПК и ППРО")
    return t.run_create(actor=world_a.regional_staff, course=course,
                        starts_on=datetime.date(2022, 9, 1), ends_on=datetime.date(2022, 12, 1))


def _upload(callbacks, world, run, content) -> ImportBatch:
    with callbacks(execute=True):
        batch, _ = import_batch_create(actor=world.regional_staff, region=world.region,
                                       year=2022, kind=ImportBatch.Kind.ENROLMENTS,
                                       file_name="vedomost.xlsx", content=content,
                                       params={"run": str(run.public_id)})
    batch.refresh_from_db()
    return batch


def _apply(callbacks, world, batch, **kwargs) -> ImportBatch:
    with callbacks(execute=True):
        import_apply_start(actor=world.regional_staff, batch=batch, **kwargs)
    batch.refresh_from_db()
    return batch


def test_the_official_workbook_enrols_exactly_its_data_rows(
        client, world_a, run_a, django_capture_on_commit_callbacks):
    a1, a2 = world_a.municipality.name, world_a.other_municipality.name
    body = [
        [1, "Петрова Ольга Ивановна", "учитель математики", "Математика", a1,
         world_a.school1.login, "01.12.2022", "зачтено", "РИПК-0101"],             # 6
        [2, "Сидорова Вера Павловна", "учитель физики", "Физика", None, None,
         datetime.date(2022, 12, 1), "зачтено", "РИПК-0102"],                       # 7
        [3, "Орлова Нина Петровна", "учитель химии", "Химия", None,
         world_a.school2.full_name, None, None, None],                              # 8
        [4, "Кузнецова Мария Ивановна", "учитель истории", "История", None, None,
         None, None, None],                                                         # 9
        [None, "Итого по району: 4"],                                               # 10
        GROUPS, FIELDS, NUMBERS,                                                    # 11–13
        [5, "Новикова Анна Ивановна", "учитель", "Русский язык", a2,
         world_a.school_other.login, None, None, None],                             # 14
        [6, "Титова Ольга Юрьевна", "учитель", "Литература", None, None,
         None, None, None],                                                         # 15
        [None, "Итого по району: 2"],                                               # 16
        [None, "Всего: 6"],                                                         # 17
        [],                                                                         # 18
        ["Примечание: удостоверения выданы 01.12.2022."],                           # 19
        ["Исполнитель: ____________ / Иванова И.И. /"],                             # 20
    ]
    content = _official(body, ["E6:E9", "F6:F7", "F8:F9", "E14:E15", "F14:F15"])

    batch = _upload(django_capture_on_commit_callbacks, world_a, run_a, content)
    assert batch.status == ImportBatch.Status.PREVIEWED, batch.errors or batch.message
    assert batch.header_row == 3
    assert batch.mapping == {"full_name": 1, "position": 2, "subject": 3, "school": 5,
                             "completed_on": 6, "result": 7, "certificate": 8}
    counts = batch.counts
    assert (counts["rows"], counts["valid"], counts["new"], counts["staff_new"]) == (6, 6, 6, 6)
    assert (counts["completed"], counts["schools"], counts["errors"]) == (2, 3, 0)
    assert [(s["row"], s["reason"]) for s in batch.skipped] == [
        (5, "строка с номерами столбцов"),
        (10, "итоговая строка"),
        (11, "повтор строки заголовков (начало новой страницы)"),
        (12, "повтор строки заголовков (начало новой страницы)"),
        (13, "строка с номерами столбцов"),
        (16, "итоговая строка"),
        (17, "итоговая строка"),
        (18, "пустая строка"),
        (19, "примечание или подпись под таблицей"),
        (20, "примечание или подпись под таблицей"),
    ]
    assert not Enrolment.objects.exists()  # the dry run writes nothing
    client.force_login(world_a.regional_staff)
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "Пропущенные строки: 10" in page and "строка с номерами столбцов" in page
    assert 'stat__label">слушателей записываются на поток<' in page
    assert 'stat__label">новых педагогов в кадровых списках<' in page

    batch = _apply(django_capture_on_commit_callbacks, world_a, batch)
    assert batch.status == ImportBatch.Status.APPLIED, batch.message
    enrolled = {e.staff.full_name: e for e in Enrolment.objects.filter(run=run_a)
                .select_related("staff", "school")}
    assert len(enrolled) == 6
    # the merged school cells name the school of every row they cover
    assert {n for n, e in enrolled.items() if e.school == world_a.school1} == {
        "Петрова Ольга Ивановна", "Сидорова Вера Павловна"}
    assert {n for n, e in enrolled.items() if e.school == world_a.school2} == {
        "Орлова Нина Петровна", "Кузнецова Мария Ивановна"}
    assert {n for n, e in enrolled.items() if e.school == world_a.school_other} == {
        "Новикова Анна Ивановна", "Титова Ольга Юрьевна"}
    petrova = enrolled["Петрова Ольга Ивановна"]
    assert (petrova.status, petrova.result, petrova.certificate_number) == (
        Enrolment.Status.COMPLETED, Enrolment.Result.PASSED, "РИПК-0101")
    assert enrolled["Орлова Нина Петровна"].status == Enrolment.Status.ENROLLED
    assert StaffMember.objects.get(full_name="Титова Ольга Юрьевна").position == "учитель"


def test_a_row_with_data_but_no_name_is_an_error_not_a_skipped_row(
        world_a, run_a, django_capture_on_commit_callbacks):
    body = [
        [1, "Петрова Ольга Ивановна", "учитель", "Математика", world_a.municipality.name,
         world_a.school1.login],                                                     # 6
        [2, None, "учитель физики", "Физика", world_a.municipality.name,
         world_a.school1.login],                                                     # 7
        [None, None, None, None, None, world_a.school2.full_name],  # a school heading # 8
    ]
    batch = _upload(django_capture_on_commit_callbacks, world_a, run_a, _official(body))
    assert batch.status == ImportBatch.Status.INVALID
    assert [(e["row"], e["column"], e["message"]) for e in batch.errors] == [
        (7, "ФИО", "не указаны ФИО")]
    assert (batch.counts["rows"], batch.counts["valid"], batch.counts["error_rows"]) == (2, 1, 1)
    assert [(s["row"], s["reason"]) for s in batch.skipped] == [
        (5, "строка с номерами столбцов"),
        (8, "пояснение или заголовок группы: в строке нет данных")]
    with pytest.raises(ImportFailure, match="только проверенный список"):
        import_apply_start(actor=world_a.regional_staff, batch=batch)
    assert not Enrolment.objects.exists() and not StaffMember.objects.exists()


def test_importing_without_the_rows_with_errors_enrols_only_the_valid_rows(
        client, world_a, run_a, django_capture_on_commit_callbacks):
    body = [
        [1, "Петрова Ольга Ивановна", "учитель", "Математика", None, world_a.school1.login,
         "01.12.2022", "зачтено", "РИПК-0101"],                                      # 6
        [2, "Сидорова Вера Павловна", "учитель", "Физика", None, "sch619999"],        # 7
        [3, "Орлова Нина Петровна", "учитель", "Химия", None, world_a.school2.login,
         "01.08.2022", "зачтено"],                                                   # 8
        [4, "Кузнецова Мария Ивановна", "учитель", "История", None,
         world_a.school_other.login],                                                # 9
    ]
    batch = _upload(django_capture_on_commit_callbacks, world_a, run_a, _official(body))
    assert batch.status == ImportBatch.Status.INVALID
    messages = {e["row"]: e["message"] for e in batch.errors}
    assert "не найден" in messages[7] and "раньше начала обучения" in messages[8]
    assert (batch.counts["valid"], batch.counts["error_rows"]) == (2, 2)
    assert skippable(batch)
    client.force_login(world_a.regional_staff)
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "В файле 2\u00a0строки с ошибками и 2\u00a0верные строки." in page

    batch = _apply(django_capture_on_commit_callbacks, world_a, batch, skip_invalid_rows=True)
    assert batch.status == ImportBatch.Status.APPLIED, batch.message
    assert batch.counts["skipped_invalid"] == 2
    assert sorted(Enrolment.objects.values_list("staff__full_name", flat=True)) == [
        "Кузнецова Мария Ивановна", "Петрова Ольга Ивановна"]
    assert StaffMember.objects.count() == 2
    assert AuditEntry.objects.filter(action="schools.import.invalid_rows_skipped").count() == 1


def test_too_few_places_is_an_error_of_the_whole_list_that_skipping_cannot_pass(
        world_a, run_a, django_capture_on_commit_callbacks):
    run_a.capacity = 1
    run_a.save(update_fields=["capacity"])
    body = [
        [1, "Петрова Ольга Ивановна", "учитель", "Математика", None, world_a.school1.login],
        [2, "Сидорова Вера Павловна", "учитель", "Физика", None, world_a.school2.login],
        [3, "Орлова Нина Петровна", "учитель", "Химия", None, "sch619999"],
    ]
    batch = _upload(django_capture_on_commit_callbacks, world_a, run_a, _official(body))
    assert batch.status == ImportBatch.Status.INVALID
    whole = [e for e in batch.errors if e["row"] is None]
    assert [e["message"] for e in whole] == [
        "на потоке 1 место, уже записано слушателей: 0, новых в файле: 2"]
    assert batch.counts["file_errors"] == 1 and not skippable(batch)
    with pytest.raises(ImportFailure, match="нельзя импортировать без строк с ошибками"):
        import_apply_start(actor=world_a.regional_staff, batch=batch, skip_invalid_rows=True)
    assert not Enrolment.objects.exists()
