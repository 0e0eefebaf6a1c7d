"""ФИОКО's risk-profile table as a region forwards it: a title, a header over two rows (group
labels above the login, the name and the factors), the row of column numbers, a municipality
written once in a vertically merged cell, a subtotal per municipality, the header repeated
on the next page, a note and a signature under the table. The dry run finds exactly the data
rows and lists the others with the reason; the apply writes their profiles; rows with errors
can be left out by choice, a factor column of another year cannot."""

from __future__ import annotations

from decimal import Decimal

import pytest

from risk_profiles.models import RiskProfile
from schools.models import ImportBatch
from schools.services import ImportFailure, import_apply_start, import_batch_create, skippable
from tests.factories import SchoolFactory, SchoolYearFactory
from tests.schools.conftest import xlsx

GROUPS = ["№ п/п", "Муниципалитет", "Образовательная организация", None, "Факторы риска",
          None, None]
FIELDS = [None, None, "Логин", "Наименование", "R01 Низкий уровень оснащения школы",
          "R02 Дефицит педагогических кадров",
          "R11 Риски низкой адаптивности учебного процесса"]
NUMBERS = [1, 2, 3, 4, 5, 6, 7]
HEADER_MERGES = ["A3:A4", "B3:B4", "C3:D3", "E3:G3"]


def _book(rows, merges=()) -> bytes:
    return xlsx(rows, sheet="Риск-профили", merges=merges)


def _official(body, body_merges=(), *, groups=GROUPS, fields=FIELDS) -> bytes:
    """Rows 1–5: title, source, the header over rows 3–4, column numbers; then the body."""
    rows = [["Риск-профили школ — участников проекта «500+», 2022 год"],
            ["Источник: ФИОКО"], groups, fields, NUMBERS[:len(fields)]]
    return _book(rows + list(body), ["A1:G1", *HEADER_MERGES, *body_merges])


@pytest.fixture
def fourth_school(world_a):
    school = SchoolFactory(municipality=world_a.other_municipality, short_name="Школа a4",
                           full_name="Средняя школа a4")
    SchoolYearFactory(school=school)
    return school


def _upload(callbacks, world, content) -> ImportBatch:
    with callbacks(execute=True):
        batch, _ = import_batch_create(actor=world.regional_staff, region=world.region,
                                       year=2022, kind="risk_profiles",
                                       file_name="riski-2022.xlsx", content=content)
    batch.refresh_from_db()
    return batch


def _apply(callbacks, world, batch, **kwargs) -> ImportBatch:
    with callbacks(execute=True):
        import_apply_start(actor=world.regional_staff, batch=batch, **kwargs)
    batch.refresh_from_db()
    return batch


def test_the_official_workbook_loads_exactly_its_data_rows(
        client, catalogue, world_a, fourth_school, django_capture_on_commit_callbacks):
    a1, a2 = world_a.municipality.name, world_a.other_municipality.name
    body = [
        [1, a1, world_a.school1.login, "Школа a1", "0,62 высокий +", "средний", 0.15],   # 6
        [2, None, world_a.school2.login, "Школа a2", "низкий", None, "+"],               # 7
        [None, "Итого по району: 2"],                                                    # 8
        GROUPS, FIELDS,                                                                  # 9–10
        [3, a2, world_a.school_other.login, "Школа a3", "нет риска", "высокий +", None],  # 11
        [4, None, fourth_school.login, "Школа a4", 0.4, None, None],                     # 12
        [None, "Итого по району: 2"],                                                    # 13
        [None, "Всего по региону: 4"],                                                   # 14
        [],                                                                              # 15
        ["Примечание: значения ФИОКО на 01.03.2022."],                                  # 16
        ["Исполнитель: ____________ / Иванова И.И. /"],                                  # 17
    ]
    content = _official(body, ["B6:B7", "B11:B12"])

    batch = _upload(django_capture_on_commit_callbacks, world_a, content)
    assert batch.status == ImportBatch.Status.PREVIEWED, batch.errors or batch.message
    assert batch.header_row == 3
    assert batch.mapping == {"login": 2, "school_name": 3, "factor:R01": 4, "factor:R02": 5,
                             "factor:R11": 6}
    counts = batch.counts
    assert (counts["rows"], counts["valid"], counts["new"], counts["factors"]) == (4, 4, 4, 3)
    assert (counts["errors"], counts["activated"]) == (0, 3)
    assert [(s["row"], s["reason"]) for s in batch.skipped] == [
        (5, "строка с номерами столбцов"),
        (8, "итоговая строка"),
        (9, "повтор строки заголовков (начало новой страницы)"),
        (10, "повтор строки заголовков (начало новой страницы)"),
        (13, "итоговая строка"),
        (14, "итоговая строка"),
        (15, "пустая строка"),
        (16, "примечание или подпись под таблицей"),
        (17, "примечание или подпись под таблицей"),
    ]
    assert not RiskProfile.objects.exists()  # the dry run writes nothing
    client.force_login(world_a.regional_staff)
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "Пропущенные строки: 9" in page and "Всего по региону: 4" in page

    batch = _apply(django_capture_on_commit_callbacks, world_a, batch)
    assert batch.status == ImportBatch.Status.APPLIED, batch.message
    profiles = {p.school_id: p for p in RiskProfile.objects.filter(year=2022)}
    assert set(profiles) == {world_a.school1.pk, world_a.school2.pk, world_a.school_other.pk,
                             fourth_school.pk}
    r01 = profiles[world_a.school1.pk].items.get(factor__code="R01")
    assert (r01.value, r01.level, r01.activated) == (Decimal("0.6200"), "high", True)
    assert sorted(profiles[world_a.school_other.pk].items.filter(activated=True)
                  .values_list("factor__code", flat=True)) == ["R02"]
    assert profiles[fourth_school.pk].items.get(factor__code="R01").value == Decimal("0.4")


def test_a_row_with_the_school_name_but_no_login_is_an_error_not_a_skipped_row(
        catalogue, world_a, django_capture_on_commit_callbacks):
    body = [
        [1, world_a.municipality.name, world_a.school1.login, "Школа a1", "высокий"],  # 6
        [2, world_a.municipality.name, None, "Школа a2", "+"],                         # 7
        [None, None, None, "Школа a3"],  # the name alone is still a school            # 8
        [None, "Южный округ"],           # a heading above a group of rows             # 9
    ]
    batch = _upload(django_capture_on_commit_callbacks, world_a, _official(body))
    assert batch.status == ImportBatch.Status.INVALID
    assert [(e["row"], e["message"]) for e in batch.errors] == [
        (7, "не заполнен логин школы (или ИНН)"), (8, "не заполнен логин школы (или ИНН)")]
    assert (batch.counts["rows"], batch.counts["valid"], batch.counts["error_rows"]) == (3, 1, 2)
    assert [(s["row"], s["reason"]) for s in batch.skipped] == [
        (5, "строка с номерами столбцов"),
        (9, "пояснение или заголовок группы: в строке нет данных")]
    assert not RiskProfile.objects.exists()


def test_importing_without_the_rows_with_errors_writes_only_the_valid_rows(
        catalogue, world_a, django_capture_on_commit_callbacks):
    body = [
        [1, None, world_a.school1.login, "Школа a1", "высокий"],   # 6
        [2, None, "sch619999", "Школа a9", "низкий"],               # 7
        [3, None, world_a.school2.login, "Школа a2", "очень много"],  # 8
        [4, None, world_a.school_other.login, "Школа a3", "средний"],  # 9
    ]
    batch = _upload(django_capture_on_commit_callbacks, world_a, _official(body))
    assert batch.status == ImportBatch.Status.INVALID
    assert sorted(e["row"] for e in batch.errors) == [7, 8]
    assert (batch.counts["valid"], batch.counts["error_rows"]) == (2, 2)
    assert skippable(batch)

    batch = _apply(django_capture_on_commit_callbacks, world_a, batch, skip_invalid_rows=True)
    assert batch.status == ImportBatch.Status.APPLIED, batch.message
    assert batch.counts["skipped_invalid"] == 2
    assert set(RiskProfile.objects.values_list("school_id", flat=True)) == {
        world_a.school1.pk, world_a.school_other.pk}


def test_a_factor_column_of_another_year_under_a_group_label_cannot_be_skipped(
        client, catalogue, world_a, django_capture_on_commit_callbacks):
    fields = [*FIELDS[:5], "R09 Пониженный уровень школьного благополучия"]
    body = [[1, None, world_a.school1.login, "Школа a1", "высокий", "+"],
            [2, None, "sch619999", "Школа a9", "низкий", ""]]
    batch = _upload(django_capture_on_commit_callbacks, world_a,
                    _official(body, groups=GROUPS[:6], fields=fields))
    assert batch.status == ImportBatch.Status.INVALID
    whole = [e for e in batch.errors if e["row"] is None]
    assert len(whole) == 1 and whole[0]["column"].startswith("F: ")
    assert "фактора R09 нет в каталоге 2022 года (он действовал в 2021 г.)" in \
        whole[0]["message"]
    assert batch.counts["file_errors"] == 1 and not skippable(batch)
    client.force_login(world_a.regional_staff)
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "Фактора R09 нет в каталоге" in page
    assert "Импортировать без строк с ошибками" not in page
    with pytest.raises(ImportFailure, match="нельзя импортировать без строк с ошибками"):
        import_apply_start(actor=world_a.regional_staff, batch=batch, skip_invalid_rows=True)
    assert not RiskProfile.objects.exists()
