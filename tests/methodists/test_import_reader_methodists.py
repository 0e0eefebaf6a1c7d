"""The РМА list as a region sends it: a title, a header over two rows (a group label above
the field names), the row of column numbers, a municipality written once in a vertically
merged cell, a subtotal per municipality, the header repeated on the next page, a note and
a signature under the table. The dry run finds exactly the data rows and lists the others
with the reason; the apply writes them; rows with errors can be left out by choice."""

from __future__ import annotations

import pytest

from core.models import AuditEntry
from methodists.models import Methodist
from schools.models import ImportBatch
from schools.services import ImportFailure, import_apply_start, import_batch_create, skippable
from tests.schools.conftest import xlsx

GROUPS = ["№ п/п", "Сведения о педагоге", None, "Муниципалитет", "Место работы",
          "Оценка компетенций", None, "Предмет", "Тьютор"]
FIELDS = [None, "ФИО", "Должность", None, None, "Дата", "Результат, %", None, None]
NUMBERS = [1, 2, 3, 4, 5, 6, 7, 8, 9]
#: The header's merges: the group labels across, the single titles down over both rows.
HEADER_MERGES = ["A3:A4", "B3:C3", "D3:D4", "E3:E4", "F3:G3", "H3:H4", "I3:I4"]


def _book(rows, merges=()) -> bytes:
    return xlsx(rows, sheet="РМА", merges=merges)


def _official(world, *, body=None, body_merges=()) -> bytes:
    """Rows 1–5: title, date, the header over rows 3–4, column numbers; then the body."""
    rows = [["Региональный методический актив Ростовской области"],
            ["по состоянию на 01.09.2022"], GROUPS, FIELDS, NUMBERS]
    return _book(rows + list(body), ["A1:I1", *HEADER_MERGES, *body_merges])


def _upload(callbacks, world, content) -> ImportBatch:
    with callbacks(execute=True):
        batch, _ = import_batch_create(actor=world.regional_staff, region=world.region,
                                       year=2022, kind=ImportBatch.Kind.METHODISTS,
                                       file_name="rma-2022.xlsx", content=content)
    batch.refresh_from_db()
    return batch


def _apply(callbacks, world, batch, **kwargs) -> ImportBatch:
    with callbacks(execute=True):
        import_apply_start(actor=world.regional_staff, batch=batch, **kwargs)
    batch.refresh_from_db()
    return batch


def _person(n, name, position, workplace, subject, tutor, municipality=None):
    return [n, name, position, municipality, workplace, "15.03.2022", "85", subject, tutor]


def test_the_official_workbook_loads_exactly_its_data_rows(
        client, world_a, django_capture_on_commit_callbacks):
    a1, a2 = world_a.municipality.name, world_a.other_municipality.name
    body = [
        _person(1, "Иванова Анна Сергеевна", "учитель математики", world_a.school1.login,
                "Математика", "да", municipality=a1),                                 # 6
        _person(2, "Петрова Ольга Ивановна", "учитель физики", world_a.school2.login,
                "Физика", "нет"),                                                     # 7
        _person(3, "Сидорова Вера Павловна", "методист", "ИМЦ г. Азова",
                "Русский язык; Литература", "нет"),                                   # 8
        [None, "Итого по району: 3"],                                                 # 9
        GROUPS, FIELDS,                                                               # 10–11
        _person(4, "Кузнецова Мария Петровна", "учитель химии", world_a.school_other.login,
                "Химия", "да", municipality=a2),                                      # 12
        _person(5, "Орлова Нина Викторовна", "учитель истории", "", "История", "нет"),  # 13
        [None, "Итого по району: 2"],                                                 # 14
        [None, "Всего: 5"],                                                           # 15
        [],                                                                           # 16
        ["Примечание: в список включены педагоги, прошедшие оценку компетенций."],    # 17
        ["Исполнитель: ____________ / Иванова И.И. /"],                               # 18
    ]
    content = _official(world_a, body=body, body_merges=["D6:D8", "D12:D13"])

    batch = _upload(django_capture_on_commit_callbacks, world_a, content)
    assert batch.status == ImportBatch.Status.PREVIEWED, batch.errors or batch.message
    assert batch.header_row == 3  # the field names are in row 4, under the group labels
    assert batch.mapping == {"full_name": 1, "position": 2, "municipality": 3, "workplace": 4,
                             "assessed_on": 5, "score": 6, "subjects": 7, "tutor": 8}
    assert (batch.counts["rows"], batch.counts["valid"], batch.counts["new"]) == (5, 5, 5)
    assert batch.counts["errors"] == 0 and batch.counts["tutors"] == 2
    assert [(s["row"], s["reason"]) for s in batch.skipped] == [
        (5, "строка с номерами столбцов"),
        (9, "итоговая строка"),
        (10, "повтор строки заголовков (начало новой страницы)"),
        (11, "повтор строки заголовков (начало новой страницы)"),
        (14, "итоговая строка"),
        (15, "итоговая строка"),
        (16, "пустая строка"),
        (17, "примечание или подпись под таблицей"),
        (18, "примечание или подпись под таблицей"),
    ]
    assert batch.counts["skipped"] == 9
    assert batch.header_signature  # the mapping can be remembered for next year's file
    assert not Methodist.objects.exists()  # the dry run writes nothing
    client.force_login(world_a.regional_staff)
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "Пропущенные строки: 9" in page and "Исполнитель: ____________ / Иванова И.И. /" in page
    assert 'stat__label">новых методистов<' in page and 'stat__label">тьютора в файле<' in page
    assert 'stat__label">строк пропущено (не данные)<' in page

    batch = _apply(django_capture_on_commit_callbacks, world_a, batch)
    assert batch.status == ImportBatch.Status.APPLIED, batch.message
    pool = {m.full_name: m for m in Methodist.objects.select_related("school")}
    assert set(pool) == {"Иванова Анна Сергеевна", "Петрова Ольга Ивановна",
                         "Сидорова Вера Павловна", "Кузнецова Мария Петровна",
                         "Орлова Нина Викторовна"}
    # the merged municipality cell names the municipality of every row it covers
    assert {n for n, m in pool.items() if m.municipality_id == world_a.municipality.pk} == {
        "Иванова Анна Сергеевна", "Петрова Ольга Ивановна", "Сидорова Вера Павловна"}
    assert pool["Орлова Нина Викторовна"].municipality == world_a.other_municipality
    ivanova = pool["Иванова Анна Сергеевна"]
    assert (ivanova.school, ivanova.is_tutor, ivanova.assessment_score) == (
        world_a.school1, True, 85)
    assert ivanova.assessed_on.isoformat() == "2022-03-15"
    assert pool["Сидорова Вера Павловна"].workplace == "ИМЦ г. Азова"
    assert sorted(s.name for s in pool["Сидорова Вера Павловна"].subjects.all()) == [
        "Литература", "Русский язык"]


def test_a_row_with_data_but_no_name_is_an_error_not_a_skipped_row(
        world_a, django_capture_on_commit_callbacks):
    body = [
        _person(1, "Иванова Анна Сергеевна", "учитель математики", world_a.school1.login,
                "Математика", "да", municipality=world_a.municipality.name),          # 6
        _person(2, None, "учитель физики", world_a.school2.login, "Физика", "нет",
                municipality=world_a.municipality.name),                              # 7
        ["Математика"],  # a heading above a group of rows                           # 8
    ]
    batch = _upload(django_capture_on_commit_callbacks, world_a, _official(world_a, body=body))
    assert batch.status == ImportBatch.Status.INVALID
    assert [(e["row"], e["column"], e["message"]) for e in batch.errors] == [
        (7, "ФИО", "не указаны ФИО")]
    assert (batch.counts["rows"], batch.counts["valid"], batch.counts["error_rows"]) == (2, 1, 1)
    assert [(s["row"], s["reason"]) for s in batch.skipped] == [
        (5, "строка с номерами столбцов"),
        (8, "пояснение или заголовок группы: в строке нет данных")]
    with pytest.raises(ImportFailure, match="только проверенный список"):
        import_apply_start(actor=world_a.regional_staff, batch=batch)
    assert not Methodist.objects.exists()


def test_importing_without_the_rows_with_errors_writes_only_the_valid_rows(
        client, world_a, django_capture_on_commit_callbacks):
    body = [
        _person(1, "Иванова Анна Сергеевна", "учитель", "", "Математика", "да",
                municipality=world_a.municipality.name),                              # 6
        _person(2, "Петрова Ольга Ивановна", "учитель", "", "Физика", "может быть",
                municipality=world_a.municipality.name),                              # 7
        _person(3, "Сидорова Вера Павловна", "учитель", "", "Химия", "нет",
                municipality="Нигдеевский район"),                                    # 8
        _person(4, "Орлова Нина Викторовна", "учитель", "", "История", "нет",
                municipality=world_a.other_municipality.name),                        # 9
    ]
    batch = _upload(django_capture_on_commit_callbacks, world_a, _official(world_a, body=body))
    assert batch.status == ImportBatch.Status.INVALID
    assert sorted(e["row"] for e in batch.errors) == [7, 8]
    assert (batch.counts["valid"], batch.counts["error_rows"]) == (2, 2)
    assert skippable(batch)
    client.force_login(world_a.regional_staff)
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "В файле 2\u00a0строки с ошибками и 2\u00a0верные строки." in page

    batch = _apply(django_capture_on_commit_callbacks, world_a, batch, skip_invalid_rows=True)
    assert batch.status == ImportBatch.Status.APPLIED, batch.message
    assert batch.counts["skipped_invalid"] == 2
    assert sorted(Methodist.objects.values_list("full_name", flat=True)) == [
        "Иванова Анна Сергеевна", "Орлова Нина Викторовна"]
    assert AuditEntry.objects.filter(action="schools.import.invalid_rows_skipped").count() == 1
    assert [e["row"] for e in batch.errors] == [7, 8]  # still listed on the batch
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "строки с ошибками не загружены" in page
