"""Import of official lists: every quirk of real files and every bad input."""

import io
import zipfile
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from core.models import AuditEntry, Job
from schools.models import ImportBatch, School, SchoolYear
from schools.services import (
    ImportFailure,
    import_apply_start,
    import_batch_create,
    import_mapping_set,
)

from .conftest import xlsx

HEADER = ["Логин ОО в ФИС ОКО", "Наименование образовательной организации",
          "Муниципальное образование", "ИНН", "Категория", "ИОР", "ИСБ"]


def _run(callbacks, fn, **kwargs):
    with callbacks(execute=True):
        result = fn(**kwargs)
    return result


def _upload(callbacks, world, content, *, year=2023, kind="shnor", name="list.xlsx"):
    batch, job = _run(callbacks, import_batch_create, actor=world.regional_staff,
                      region=world.region, year=year, kind=kind, file_name=name,
                      content=content)
    batch.refresh_from_db()
    job.refresh_from_db()
    return batch, job


def _apply(callbacks, world, batch):
    job = _run(callbacks, import_apply_start, actor=world.regional_staff, batch=batch)
    job.refresh_from_db()
    batch.refresh_from_db()
    return job


QUIRKY = xlsx([
    HEADER,
    ["SCH 61 0501 ", "Муниципальное бюджетное общеобразовательное учреждение «Средняя "
     "общеобразовательная школа № 1»", "Пролетарский район", 6128004567, "сильно неуспевающая",
     "0,512", 0.31],
    ["sch610502", "МБОУ Лицей № 2", "Шахты г.", "6155012345", "УМЕРЕННО НЕУСПЕВАЮЩАЯ",
     0.61, "0,7"],
    [None, None, None, None, None, None, None],
    ["sch610503", "Основная  общеобразовательная\u00a0школа № 3", "город  Шахты", None, "",
     None, None],
    ["sch610504", "МБОУ Гимназия № 4", "Матвеево-Курганский (с) район", "",
     "СИЛЬНО НЕУСПЕВАЮЩАЯ", 0.4, 0.8],
], title_rows=[["Перечень школ с низкими образовательными результатами, 2023 год"],
               ["по состоянию на 01.09.2023"], []], merge_title=True)


def test_quirky_official_list_previews_and_applies(rostov_directory,
                                                  django_capture_on_commit_callbacks):
    world = rostov_directory
    batch, job = _upload(django_capture_on_commit_callbacks, world, QUIRKY)
    assert job.status == Job.Status.SUCCEEDED, job.message
    assert batch.status == ImportBatch.Status.PREVIEWED, batch.errors
    assert batch.header_row == 3  # found under the merged title rows
    assert batch.counts["new"] == 4 and batch.counts["errors"] == 0
    assert batch.counts["rows"] == 4  # the blank line is not a row
    assert not School.objects.filter(login="sch610501").exists()  # a dry run writes nothing
    job = _apply(django_capture_on_commit_callbacks, world, batch)
    assert job.status == Job.Status.SUCCEEDED, job.message
    assert batch.status == ImportBatch.Status.APPLIED
    first = School.objects.get(login="sch610501")
    assert first.municipality.name == "Пролетарский (с) район"
    assert first.inn == "6128004567" and first.kind == School.Kind.SOSH
    third = School.objects.get(login="sch610503")
    assert third.full_name == "Основная общеобразовательная школа № 3"
    assert third.kind == School.Kind.OOSH
    assert School.objects.get(login="sch610504").kind == School.Kind.GYMNASIUM
    year = SchoolYear.objects.get(school=first, year=2023)
    assert year.is_shnor and year.ior == Decimal("0.512") and year.isb == Decimal("0.310")
    assert year.category == "СИЛЬНО НЕУСПЕВАЮЩАЯ"
    assert AuditEntry.objects.filter(action="schools.import.applied").count() == 1


def test_reimporting_the_same_file_changes_nothing(rostov_directory,
                                                  django_capture_on_commit_callbacks):
    world = rostov_directory
    batch, _ = _upload(django_capture_on_commit_callbacks, world, QUIRKY)
    _apply(django_capture_on_commit_callbacks, world, batch)
    snapshot = list(SchoolYear.objects.order_by("pk").values())
    schools = list(School.objects.order_by("pk").values())
    again, _ = _upload(django_capture_on_commit_callbacks, world, QUIRKY)
    assert again.counts["new"] == 0 and again.counts["updated"] == 0
    assert again.counts["year_new"] == 0 and again.counts["year_updated"] == 0
    _apply(django_capture_on_commit_callbacks, world, again)
    assert list(SchoolYear.objects.order_by("pk").values()) == snapshot
    assert list(School.objects.order_by("pk").values()) == schools


def test_diff_shows_updates_renames_gone_and_cleared(rostov_directory,
                                                    django_capture_on_commit_callbacks):
    world = rostov_directory
    last_year = xlsx([HEADER, ["sch610601", "МБОУ СОШ № 6", "г. Шахты", "", "", "", ""],
                      ["sch610602", "МБОУ СОШ № 7", "г. Шахты", "", "", "", ""]])
    batch, _ = _upload(django_capture_on_commit_callbacks, world, last_year, year=2022)
    _apply(django_capture_on_commit_callbacks, world, batch)
    this_year = xlsx([HEADER, ["sch610601", "МБОУ «Лицей № 6»", "г. Шахты", "", "", "0,6", ""],
                      ["sch610603", "МБОУ СОШ № 8", "г. Шахты", "", "", "", ""]])
    preview, _ = _upload(django_capture_on_commit_callbacks, world, this_year, year=2023)
    assert preview.counts["new"] == 1
    assert preview.counts["renamed"] == 1 and preview.counts["updated"] == 1
    renamed = preview.diff["renamed"][0]
    assert renamed == {"login": "sch610601", "old": "МБОУ СОШ № 6", "new": "МБОУ «Лицей № 6»"}
    gone_logins = {g["login"] for g in preview.diff["gone"]}
    # on the 2022 list, absent now; the fixture's own 2022 schools count as well
    assert "sch610602" in gone_logins and "sch610601" not in gone_logins
    # a corrected 2022 list without sch610602 clears its flag for 2022
    corrected, _ = _upload(django_capture_on_commit_callbacks, world,
                           xlsx([HEADER, ["sch610601", "МБОУ СОШ № 6", "г. Шахты", "", "", "",
                                          ""]]), year=2022)
    assert corrected.counts["cleared"] >= 1
    _apply(django_capture_on_commit_callbacks, world, corrected)
    assert not SchoolYear.objects.get(school__login="sch610602", year=2022).is_shnor


def test_row_errors_name_the_row_and_reason_and_block_apply(rostov_directory,
                                                           django_capture_on_commit_callbacks):
    world = rostov_directory
    content = xlsx([HEADER,
                    ["школа-1", "МБОУ СОШ № 1", "г. Шахты", "", "", "", ""],
                    ["sch610701", "МБОУ СОШ № 2", "Шахтинский район", "", "", "", ""],
                    ["sch660702", "МБОУ СОШ № 3", "г. Шахты", "", "", "", ""],
                    ["sch610703", "", "г. Шахты", "", "", "", ""],
                    ["sch610704", "МБОУ СОШ № 5", "г. Шахты", "123", "", "abc", ""],
                    ["sch610705", "МБОУ СОШ № 6", "г. Шахты", "", "", "", ""],
                    ["SCH610705", "МБОУ СОШ № 7", "г. Шахты", "", "", "", ""]])
    batch, _ = _upload(django_capture_on_commit_callbacks, world, content)
    assert batch.status == ImportBatch.Status.INVALID
    messages = {(e["row"], e["message"].split(" —")[0].split(":")[0]) for e in batch.errors}
    by_row = {e["row"]: e["message"] for e in batch.errors}
    assert "логин должен иметь вид sch" in by_row[2]
    assert "не найден" in by_row[3] and "Возможно, имелся в виду «г. Шахты»" in by_row[3]
    assert "не совпадает с регионом импорта" in by_row[4]
    assert "не заполнено наименование" in by_row[5]
    assert any(e["row"] == 6 and "ИНН" in e["message"] for e in batch.errors)
    assert any(e["row"] == 6 and "не число" in e["message"] for e in batch.errors)
    assert "уже встречался в строке 7" in by_row[8]
    assert messages
    with pytest.raises(ImportFailure, match="без ошибок"):
        import_apply_start(actor=world.regional_staff, batch=batch)
    assert not School.objects.filter(login__startswith="sch6107").exists()


@pytest.mark.parametrize("content,name,message", [
    (b"%PDF-1.4 not a table", "list.xlsx", "Это PDF-документ"),
    (b"PK\x03\x04broken zip", "list.xlsx", "повреждён"),
    (b"\x00\x01\x02\x03" * 100, "list.bin", "не похож"),
    (b"", "list.xlsx", "Файл пустой"),
])
def test_files_that_are_not_tables_are_refused_before_storing(world_a, content, name, message):
    with pytest.raises(ImportFailure, match=message):
        import_batch_create(actor=world_a.regional_staff, region=world_a.region, year=2023,
                            kind="shnor", file_name=name, content=content)
    assert not ImportBatch.objects.exists()


def test_archive_that_is_not_a_workbook_is_refused(world_a):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(ImportFailure, match="не книга Excel"):
        import_batch_create(actor=world_a.regional_staff, region=world_a.region, year=2023,
                            kind="shnor", file_name="list.xlsx", content=buffer.getvalue())


def test_password_protected_workbook_is_explained(world_a):
    ole = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500
           + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 500)
    with pytest.raises(ImportFailure, match="защищена паролем"):
        import_batch_create(actor=world_a.regional_staff, region=world_a.region, year=2023,
                            kind="shnor", file_name="list.xlsx", content=ole)


def test_too_large_upload_is_refused(world_a, settings):
    settings.IMPORT_MAX_MB = 1
    with pytest.raises(ImportFailure, match="слишком большой"):
        import_batch_create(actor=world_a.regional_staff, region=world_a.region, year=2023,
                            kind="shnor", file_name="list.csv",
                            content=b"a;b\n" * (300 * 1024))


def test_empty_sheet_fails_the_preview_with_a_reason(world_a,
                                                     django_capture_on_commit_callbacks):
    batch, job = _upload(django_capture_on_commit_callbacks, world_a,
                         xlsx([[None, None], [None, None]]))
    assert job.status == Job.Status.FAILED and "пуст" in job.message
    assert batch.status == ImportBatch.Status.FAILED and "пуст" in batch.message


def test_unrecognised_header_is_offered_for_mapping_by_hand(
        rostov_directory, django_capture_on_commit_callbacks):
    world = rostov_directory
    content = xlsx([["Список на 2023 год"], ["Столбец 1", "Столбец 2", "Столбец 3"],
                    ["sch613301", "МБОУ СОШ № 1", "г. Шахты"]])
    batch, _ = _upload(django_capture_on_commit_callbacks, world, content)
    assert batch.status == ImportBatch.Status.INVALID
    assert "Не найдены обязательные столбцы" in batch.message
    assert batch.header_row == 1 and [c["title"] for c in batch.columns] == [
        "Столбец 1", "Столбец 2", "Столбец 3"]
    _run(django_capture_on_commit_callbacks, import_mapping_set, actor=world.regional_staff,
         batch=batch, mapping={"login": 0, "full_name": 1, "municipality": 2})
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEWED and batch.counts["new"] == 1


def test_formulas_without_values_are_refused(rostov_directory,
                                            django_capture_on_commit_callbacks):
    content = xlsx([HEADER, ["sch610801", "МБОУ СОШ № 1", "г. Шахты", "", "", "=1/2", ""]])
    batch, job = _upload(django_capture_on_commit_callbacks, rostov_directory, content)
    assert job.status == Job.Status.FAILED
    assert "F2" in job.message and "формулы без сохранённых значений" in job.message


def test_dates_and_numbers_in_cells_get_clear_messages(rostov_directory,
                                                      django_capture_on_commit_callbacks):
    import datetime

    content = xlsx([HEADER, ["sch610901", "МБОУ СОШ № 1", "г. Шахты", 6155012345.0, "",
                             datetime.date(2023, 5, 1), 0.5]])
    batch, _ = _upload(django_capture_on_commit_callbacks, rostov_directory, content)
    assert batch.status == ImportBatch.Status.INVALID
    assert "в ячейке дата" in batch.errors[0]["message"]


def test_csv_in_cp1251_with_semicolons(rostov_directory, django_capture_on_commit_callbacks):
    content = ("Логин;Наименование ОО;Муниципалитет;ИОР\n"
               "sch611001;МБОУ СОШ № 1;Пролетарский р-н;0,45\n").encode("cp1251")
    batch, _ = _upload(django_capture_on_commit_callbacks, rostov_directory, content,
                       name="список.csv")
    assert batch.status == ImportBatch.Status.PREVIEWED, batch.errors


def test_mapping_can_be_corrected(rostov_directory, django_capture_on_commit_callbacks):
    world = rostov_directory
    content = xlsx([["Логин", "Наименование", "Столбец без смысла", "Территория"],
                    ["sch611101", "МБОУ СОШ № 1", "мусор", "г. Шахты"]])
    batch, _ = _upload(django_capture_on_commit_callbacks, world, content)
    # «Территория» is a synonym; the user moves it anyway to prove the path
    assert batch.mapping["municipality"] == 3
    bad = dict(batch.mapping, municipality=2)
    job = _run(django_capture_on_commit_callbacks, import_mapping_set,
               actor=world.regional_staff, batch=batch, mapping=bad)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.INVALID
    assert "«мусор» не найден" in batch.errors[0]["message"]
    _run(django_capture_on_commit_callbacks, import_mapping_set, actor=world.regional_staff,
         batch=batch, mapping=dict(batch.mapping, municipality=3))
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEWED
    with pytest.raises(ImportFailure, match="Укажите столбцы"):
        import_mapping_set(actor=world.regional_staff, batch=batch, mapping={"login": 0})
    with pytest.raises(ImportFailure, match="двух полей"):
        import_mapping_set(actor=world.regional_staff, batch=batch,
                           mapping={"login": 0, "full_name": 0, "municipality": 3})
    assert job.kind == "schools.import_preview"


def test_apply_is_all_or_nothing(rostov_directory, django_capture_on_commit_callbacks,
                                 monkeypatch):
    world = rostov_directory
    batch, _ = _upload(django_capture_on_commit_callbacks, world, QUIRKY)
    import schools.importer as importer

    real = importer.bulk_insert

    def failing(model, attnames, rows):
        real(model, attnames, rows)
        if model is importer.SchoolYear:
            raise RuntimeError("disk full")

    monkeypatch.setattr(importer, "bulk_insert", failing)
    job = _apply(django_capture_on_commit_callbacks, world, batch)
    assert job.status == Job.Status.FAILED
    assert batch.status == ImportBatch.Status.PREVIEWED
    assert not School.objects.filter(login__startswith="sch6105").exists()


def test_only_staff_of_the_region_may_import(world_a, world_b):
    content = xlsx([HEADER])
    for actor, region in ((world_a.curator, world_a.region),
                          (world_a.regional_staff, world_b.region),
                          (world_a.regional_staff, None)):
        with pytest.raises(PermissionDenied):
            import_batch_create(actor=actor, region=region, year=2023, kind="shnor",
                                file_name="l.xlsx", content=content)


def test_command_imports_a_synthetic_list_with_quirks(admin_user, tmp_path, capsys):
    out = tmp_path / "list.xlsx"
    call_command("make_synthetic_list", str(out), "--regions", "2", "--first-region", "70",
                 "--municipalities", "8", "--schools", "60", "--create-reference")
    call_command("import_schools", str(out), "--year", "2023", "--list", "shnor",
                 "--dry-run")
    assert not School.objects.filter(region__code=70).exists()
    call_command("import_schools", str(out), "--year", "2023", "--list", "shnor")
    assert School.objects.filter(region__code__in=[70, 71]).count() == 60
    assert SchoolYear.objects.filter(year=2023, is_shnor=True).count() >= 60
    bad = tmp_path / "bad.xlsx"
    call_command("make_synthetic_list", str(bad), "--regions", "1", "--first-region", "70",
                 "--municipalities", "4", "--schools", "10", "--errors", "3")
    with pytest.raises(CommandError, match="исправьте ошибки"):
        call_command("import_schools", str(bad), "--year", "2024", "--list", "shnor")
    assert not SchoolYear.objects.filter(year=2024).exists()
