"""The institute's curator list as an order's annex looks: a title, a header over two rows
(group labels above the field names), the row of column numbers, a territory written once
in a vertically merged cell over the two curators who share it, a subtotal per territory,
the header repeated on the next page, a note and a signature under the table. The dry run
finds exactly the data rows and lists the others with the reason; the apply assigns the
schools; a list with errors cannot be imported without its bad rows."""

from __future__ import annotations

import pytest

from core.roles import Role
from core.services import membership_create
from curators.models import CuratorAssignment
from schools.models import ImportBatch
from schools.services import ImportFailure, import_apply_start, import_batch_create, skippable
from tests.factories import SchoolFactory, SchoolYearFactory, UserFactory
from tests.schools.conftest import xlsx

GROUPS = ["№ п/п", "Сведения о кураторе", None, None, "Закрепление", None]
FIELDS = [None, "ФИО", "Должность", "Подразделение", "Территории", "Количество школ"]
NUMBERS = [1, 2, 3, 4, 5, 6]
HEADER_MERGES = ["A3:A4", "B3:D3", "E3:F3"]
UNIT = "Кафедра управления образованием"


def _book(rows, merges=()) -> bytes:
    return xlsx(rows, sheet="Приложение 1", merges=merges)


def _official(body, body_merges=()) -> bytes:
    """Rows 1–5: title, order, the header over rows 3–4, column numbers; then the body."""
    rows = [["Список кураторов школ — участников проекта «500+»"],
            ["Приложение 1 к приказу от 09.03.2022 № 235"], GROUPS, FIELDS, NUMBERS]
    return _book(rows + list(body), ["A1:F1", *HEADER_MERGES, *body_merges])


@pytest.fixture
def curators(world_a):
    """Three curators of region A and three more participant schools (two in the first
    municipality, one in the second); school 1 already has region A's curator."""
    people = {}
    for username, last, first, middle in (("vtorova", "Второва", "Анна", "Павловна"),
                                          ("tretyakova", "Третьякова", "Елена", "Викторовна"),
                                          ("chetvertakova", "Четвертакова", "Ольга",
                                           "Ивановна")):
        user = UserFactory(username=username, last_name=last, first_name=first,
                           middle_name=middle)
        membership_create(actor=None, user=user, role=Role.CURATOR, region=world_a.region)
        people[last] = user
    for municipality, name in ((world_a.municipality, "Школа a4"),
                               (world_a.municipality, "Школа a5"),
                               (world_a.other_municipality, "Школа a6")):
        SchoolYearFactory(school=SchoolFactory(municipality=municipality, short_name=name,
                                               full_name=f"Средняя {name.lower()}"))
    return people


def _upload(callbacks, world, content) -> ImportBatch:
    with callbacks(execute=True):
        batch, _ = import_batch_create(actor=world.regional_staff, region=world.region,
                                       year=2022, kind=ImportBatch.Kind.CURATORS,
                                       file_name="kuratory-2022.xlsx", content=content)
    batch.refresh_from_db()
    return batch


def _open_assignments() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for last, school in CuratorAssignment.objects.filter(ended_at__isnull=True).values_list(
            "curator__last_name", "school__short_name"):
        found.setdefault(last, set()).add(school)
    return found


def test_the_official_workbook_assigns_exactly_its_data_rows(
        client, world_a, curators, django_capture_on_commit_callbacks):
    a1, a2 = world_a.municipality.name, world_a.other_municipality.name
    body = [
        [1, "Второва А.П.", "доцент", UNIT, a1, 2],                     # 6
        [2, "Третьякова Е. В.", "старший преподаватель", UNIT, None, 1],  # 7 (territory merged)
        [None, "Итого по району: 3"],                                    # 8
        GROUPS, FIELDS,                                                  # 9–10
        [3, "Четвертакова Ольга Ивановна", "методист", "Центр оценки", a2, 2],  # 11
        [None, "Итого по району: 2"],                                    # 12
        [None, "Всего: 5"],                                              # 13
        [],                                                              # 14
        ["Примечание: школа с куратором прошлого года не переназначается."],  # 15
        ["Исполнитель: ____________ / Иванова И.И. /"],                  # 16
    ]
    batch = _upload(django_capture_on_commit_callbacks, world_a, _official(body, ["E6:E7"]))
    assert batch.status == ImportBatch.Status.PREVIEWED, batch.errors or batch.message
    assert batch.header_row == 3
    assert batch.mapping == {"curator": 1, "position": 2, "unit": 3, "territories": 4,
                             "schools": 5}
    counts = batch.counts
    assert (counts["rows"], counts["curators"], counts["errors"]) == (3, 3, 0)
    assert (counts["new"], counts["already"], counts["left"], counts["warnings"]) == (5, 1, 0, 0)
    assert [(s["row"], s["reason"]) for s in batch.skipped] == [
        (5, "строка с номерами столбцов"),
        (8, "итоговая строка"),
        (9, "повтор строки заголовков (начало новой страницы)"),
        (10, "повтор строки заголовков (начало новой страницы)"),
        (12, "итоговая строка"),
        (13, "итоговая строка"),
        (14, "пустая строка"),
        (15, "примечание или подпись под таблицей"),
        (16, "примечание или подпись под таблицей"),
    ]
    assert set(_open_assignments()) == {world_a.curator.last_name}  # the dry run assigns none
    client.force_login(world_a.regional_staff)
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "Пропущенные строки: 9" in page and "Итого по району: 3" in page
    assert 'stat__label">куратора в списке<' in page
    assert 'stat__label">школ назначается<' in page

    with django_capture_on_commit_callbacks(execute=True):
        import_apply_start(actor=world_a.regional_staff, batch=batch)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.APPLIED, batch.message
    # the merged territory is shared by its two curators in the order and numbers of the
    # list (schools by name); the school with a curator keeps it
    assert _open_assignments() == {
        world_a.curator.last_name: {"Школа a1"},
        "Второва": {"Школа a2", "Школа a4"}, "Третьякова": {"Школа a5"},
        "Четвертакова": {"Школа a3", "Школа a6"}}
    assert set(CuratorAssignment.objects.filter(curator=curators["Второва"])
               .values_list("unit", flat=True)) == {UNIT}


def test_a_row_with_territories_but_no_curator_is_an_error_not_a_skipped_row(
        world_a, curators, django_capture_on_commit_callbacks):
    body = [
        [1, "Второва А.П.", "доцент", UNIT, world_a.municipality.name, 2],  # 6
        [2, None, "доцент", UNIT, world_a.other_municipality.name, 2],      # 7
        [None, None, None, None, world_a.other_municipality.name],          # 8
        [None, None, None, "Центр оценки качества образования"],  # a heading  # 9
    ]
    batch = _upload(django_capture_on_commit_callbacks, world_a, _official(body))
    assert batch.status == ImportBatch.Status.INVALID
    assert [(e["row"], e["column"], e["message"]) for e in batch.errors] == [
        (7, "Куратор (ФИО)", "не указан куратор"), (8, "Куратор (ФИО)", "не указан куратор")]
    assert batch.counts["rows"] == 3
    assert [(s["row"], s["reason"]) for s in batch.skipped] == [
        (5, "строка с номерами столбцов"),
        (9, "пояснение или заголовок группы: в строке нет данных")]


def test_a_list_with_errors_cannot_be_imported_without_its_bad_rows(
        client, world_a, curators, django_capture_on_commit_callbacks):
    # without row 7 its territory would go to Второва whole: an assignment nobody wrote
    body = [[1, "Второва А.П.", "доцент", UNIT, world_a.municipality.name, 2],
            [2, "Неизвестнова А.Б.", "доцент", UNIT, None, 1]]
    batch = _upload(django_capture_on_commit_callbacks, world_a, _official(body, ["E6:E7"]))
    assert batch.status == ImportBatch.Status.INVALID
    assert "«Неизвестнова А.Б.» не найден среди кураторов региона" in batch.errors[0]["message"]
    assert not skippable(batch)
    client.force_login(world_a.regional_staff)
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "Импортировать без строк с ошибками" not in page
    with pytest.raises(ImportFailure, match="нельзя импортировать без строк с ошибками"):
        import_apply_start(actor=world_a.regional_staff, batch=batch, skip_invalid_rows=True)
    assert set(_open_assignments()) == {world_a.curator.last_name}
