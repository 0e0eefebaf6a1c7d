"""Edge cases of real workbooks and of the apply (found in review; each reproduced first)."""

import io
from decimal import Decimal

from openpyxl import Workbook

from core.models import Job
from core.services import municipalities_bulk_create
from core.tabular import Column, match_columns
from schools.importer import COLUMNS
from schools.models import ImportBatch, School, SchoolYear
from schools.services import import_apply_start, import_batch_create

from .conftest import xlsx


def _upload(callbacks, world, content, *, year=2023, kind="shnor", region="own",
            name="list.xlsx", actor=None):
    with callbacks(execute=True):
        batch, job = import_batch_create(
            actor=actor or world.regional_staff, region=world.region if region == "own"
            else region, year=year, kind=kind, file_name=name, content=content)
    batch.refresh_from_db()
    return batch


def _apply(callbacks, world, batch, actor=None):
    with callbacks(execute=True):
        job = import_apply_start(actor=actor or world.regional_staff, batch=batch)
    job.refresh_from_db()
    batch.refresh_from_db()
    return job


def test_absent_or_empty_columns_never_erase_registry_data(world_a,
                                                          django_capture_on_commit_callbacks):
    school = world_a.school1
    School.objects.filter(pk=school.pk).update(address="ул. Ленина, 1")
    content = xlsx([["Логин", "Наименование ОО", "Муниципалитет", "Адрес"],
                    [school.login, school.full_name, world_a.municipality.name, ""]])
    batch = _upload(django_capture_on_commit_callbacks, world_a, content)
    assert batch.counts["updated"] == 0, batch.diff
    _apply(django_capture_on_commit_callbacks, world_a, batch)
    school.refresh_from_db()
    assert school.short_name == "Школа a1" and school.address == "ул. Ленина, 1"


def test_too_long_values_are_row_errors_not_crashes(rostov_directory,
                                                   django_capture_on_commit_callbacks):
    content = xlsx([["Логин", "Наименование ОО", "Муниципалитет", "ИОР"],
                    ["sch613401", "Ш" * 600, "г. Шахты", 0.5],
                    ["sch613402", "МБОУ СОШ № 2", "г. Шахты", 123456]])
    batch = _upload(django_capture_on_commit_callbacks, rostov_directory, content)
    assert batch.status == ImportBatch.Status.INVALID
    messages = " ".join(e["message"] for e in batch.errors)
    assert "слишком длинное значение (600 символов" in messages
    assert "вне допустимого диапазона" in messages


def test_the_most_specific_header_wins():
    def mapped(headers, year=None):
        keys = [h.lower().replace("(", "").replace(")", "") for h in headers]
        from core.tabular import header_key

        return match_columns([header_key(h) for h in keys], COLUMNS, year=year)

    m = mapped(["Логин", "Наименование ОО (краткое)", "Наименование ОО (полное)", "МО"])
    assert m["full_name"] == 2 and m["short_name"] == 1
    m = mapped(["Логин", "Наименование", "Категория населённого пункта",
                "Категория школы (ФИОКО)", "Район"])
    assert m["category"] == 3
    m = mapped(["Логин", "ИНН учредителя", "ИНН"], year=None)
    assert m["inn"] == 2
    m = mapped(["Логин", "Участник проекта 500+ в 2024 году", "Участник проекта 500+ в 2023 году"],
               year=2023)
    assert m["is_participant"] == 2
    assert match_columns(["a"], [Column("x", "X", ("x",))]) == {}


def test_csv_with_a_title_line(rostov_directory, django_capture_on_commit_callbacks):
    content = ("Перечень школ, 2024\nЛогин;Наименование;Муниципалитет\n"
               "sch613501;МБОУ СОШ № 1, корпус 2;г. Шахты\n").encode()
    batch = _upload(django_capture_on_commit_callbacks, rostov_directory, content,
                    name="list.csv")
    assert batch.status == ImportBatch.Status.PREVIEWED, (batch.message, batch.errors)
    assert batch.counts["new"] == 1


def test_hidden_directory_sheet_is_skipped(rostov_directory,
                                           django_capture_on_commit_callbacks):
    book = Workbook()
    hidden = book.active
    hidden.title = "Справочник"
    hidden.sheet_state = "hidden"
    hidden.append(["Код", "Значение"])
    sheet = book.create_sheet("Список")
    sheet.append(["Логин", "Наименование ОО", "Муниципалитет"])
    sheet.append(["sch613601", "МБОУ СОШ № 1", "г. Шахты"])
    buffer = io.BytesIO()
    book.save(buffer)
    batch = _upload(django_capture_on_commit_callbacks, rostov_directory, buffer.getvalue())
    assert batch.sheet_name == "Список" and batch.status == ImportBatch.Status.PREVIEWED


def test_federal_list_touches_only_the_regions_it_holds(world_a, world_b, admin_user,
                                                       django_capture_on_commit_callbacks):
    content = xlsx([["Логин", "Наименование ОО", "Муниципалитет"],
                    [world_a.school1.login, world_a.school1.full_name,
                     world_a.municipality.name]])
    batch = _upload(django_capture_on_commit_callbacks, world_a, content, year=2022,
                    region=None, actor=admin_user)
    assert batch.counts["cleared"] == 2  # the other two schools of region A only
    _apply(django_capture_on_commit_callbacks, world_a, batch, actor=admin_user)
    assert SchoolYear.objects.filter(region=world_b.region, year=2022, is_shnor=True).count() == 3


def test_a_list_honours_its_own_flag_column(rostov_directory,
                                            django_capture_on_commit_callbacks):
    content = xlsx([["Логин", "Наименование ОО", "Муниципалитет", "ШНОР", "ШССУ"],
                    ["sch613701", "МБОУ СОШ № 1", "г. Шахты", "нет", "да"]])
    batch = _upload(django_capture_on_commit_callbacks, rostov_directory, content)
    _apply(django_capture_on_commit_callbacks, rostov_directory, batch)
    year = SchoolYear.objects.get(school__login="sch613701")
    assert not year.is_shnor and year.is_shssu


def test_combined_list_needs_a_flag_column_and_reports_gone(
        world_a, django_capture_on_commit_callbacks):
    header = ["Логин", "Наименование ОО", "Муниципалитет"]
    row = [world_a.school1.login, world_a.school1.full_name, world_a.municipality.name]
    no_flags = _upload(django_capture_on_commit_callbacks, world_a, xlsx([header, row]),
                       kind="combined")
    assert no_flags.status == ImportBatch.Status.INVALID
    assert "хотя бы один столбец признаков" in no_flags.message
    combined = _upload(django_capture_on_commit_callbacks, world_a,
                       xlsx([header + ["Участник 500+"], row + ["да"]]), kind="combined")
    gone = {g["login"] for g in combined.diff["gone"]}
    assert gone == {world_a.school2.login, world_a.school_other.login}


def test_inn_of_another_school_in_the_registry_is_a_row_error(
        world_a, django_capture_on_commit_callbacks):
    School.objects.filter(pk=world_a.school2.pk).update(inn="6155012345")
    content = xlsx([["Логин", "Наименование ОО", "Муниципалитет", "ИНН"],
                    ["sch613801", "МБОУ СОШ № 1", world_a.municipality.name, 6155012345]])
    batch = _upload(django_capture_on_commit_callbacks, world_a, content)
    assert batch.status == ImportBatch.Status.INVALID
    assert f"принадлежит другой школе ({world_a.school2.login})" in batch.errors[0]["message"]


def test_apply_refuses_a_result_different_from_the_confirmed_preview(
        rostov_directory, django_capture_on_commit_callbacks):
    world = rostov_directory
    content = xlsx([["Логин", "Наименование ОО", "Муниципалитет", "ИОР"],
                    ["sch613901", "МБОУ СОШ № 1", "г. Шахты", 0.4]])
    first = _upload(django_capture_on_commit_callbacks, world, content)
    second = _upload(django_capture_on_commit_callbacks, world, content)
    _apply(django_capture_on_commit_callbacks, world, first)
    job = _apply(django_capture_on_commit_callbacks, world, second)
    assert job.status == Job.Status.FAILED and "Проверка запущена заново" in job.message
    assert second.status == ImportBatch.Status.PREVIEWED  # the new dry run already ran
    assert second.counts["new"] == 0
    assert SchoolYear.objects.get(school__login="sch613901").ior == Decimal("0.400")
    assert School.objects.filter(login="sch613901").count() == 1


def test_municipality_directory_is_added_once(world_a):
    created = municipalities_bulk_create(actor=None, region=world_a.region,
                                         names=["Азовский район", "Азовский (с) район"])
    assert len(created) == 1


def test_old_excel_97_2003_workbook(rostov_directory, django_capture_on_commit_callbacks):
    """ФИОКО and ministries still send .xls; it is read like .xlsx."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Перечень")
    rows = [["Перечень ШНОР, 2023"], [],
            ["Логин ОО", "Наименование ОО", "Муниципалитет", "ИНН", "ИОР"],
            ["sch614001", "МБОУ СОШ № 1", "г. Шахты", 6155099999, 0.42]]
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    buffer = io.BytesIO()
    book.save(buffer)
    batch = _upload(django_capture_on_commit_callbacks, rostov_directory, buffer.getvalue(),
                    name="perechen.xls")
    assert batch.status == ImportBatch.Status.PREVIEWED, (batch.message, batch.errors)
    assert batch.header_row == 2 and batch.counts["new"] == 1
    _apply(django_capture_on_commit_callbacks, rostov_directory, batch)
    school = School.objects.get(login="sch614001")
    assert school.inn == "6155099999"
    assert SchoolYear.objects.get(school=school).ior == Decimal("0.420")
