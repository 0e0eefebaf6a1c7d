"""The command line maps columns (--map), shows the mapping, prints one JSON object for a
dry run and skips bad rows only when told; a mapping confirmed once is reused for next
year's file of the same shape; a federal list naming regions the portal lacks gives one
error per region and the territories are created in one audited step."""

import json

import pytest
from django.core.management import CommandError, call_command

from core.models import AuditEntry, Job, Municipality, Region
from core.services import municipalities_bulk_create
from schools.models import ImportBatch, ImportMapping, School
from schools.services import (
    import_apply_start,
    import_batch_create,
    import_mapping_set,
    import_territories_create,
)

from .conftest import xlsx

ODD = ["Идентификатор", "Организация (полностью)", "Где находится", "ИНН"]


def _odd_list(rows):
    return xlsx([ODD, *rows], title_rows=[["Перечень ШНОР"]])


@pytest.fixture
def shakhty(world_a):
    municipalities_bulk_create(actor=None, region=world_a.region,
                               names=["г. Шахты", "Белокалитвинский район"])
    return world_a


def _json(capsys):
    return json.loads(capsys.readouterr().out)


def test_map_by_letter_and_by_header_text_and_the_json_of_a_dry_run(shakhty, admin_user,
                                                                   tmp_path, capsys):
    path = tmp_path / "list.xlsx"
    path.write_bytes(_odd_list([["sch610801", "МБОУ СОШ № 1", "г. Шахты", 6100000801],
                                ["sch610802", "МБОУ СОШ № 2", "г. Шахты", "bad"],
                                [None, "Итого: 2 организации", None, None]]))
    call_command("import_schools", str(path), "--year", "2023", "--list", "shnor",
                 "--region", "61", "--dry-run", "--json")
    out = _json(capsys)
    assert "login" not in {m["field"] for m in out["mapping"] if m["column"]}
    call_command("import_schools", str(path), "--year", "2023", "--list", "shnor",
                 "--region", "61", "--dry-run", "--json", "--map", "login=A",
                 "--map", "full_name=Организация (полностью)", "--map", "municipality=c")
    out = _json(capsys)
    mapping = {m["field"]: m["column"] for m in out["mapping"]}
    assert mapping["login"] == "A" and mapping["full_name"] == "B"
    assert mapping["municipality"] == "C"
    assert out["counts"]["valid"] == 1 and out["counts"]["new"] == 1
    assert out["errors"] == [{"row": 4, "field": "ИНН",
                              "message": out["errors"][0]["message"]}]
    assert out["skipped"] == [{"row": 5, "reason": "итоговая строка"}]
    assert out["mapping_source"] == "command"
    assert not School.objects.filter(login="sch610801").exists()


def test_show_mapping_and_skip_invalid_rows_on_the_command_line(shakhty, admin_user, tmp_path,
                                                                capsys):
    path = tmp_path / "list.xlsx"
    path.write_bytes(_odd_list([["sch610811", "МБОУ СОШ № 11", "г. Шахты", 6100000811],
                                ["sch610812", "МБОУ СОШ № 12", "Нигдевский район", None]]))
    args = [str(path), "--year", "2023", "--list", "shnor", "--region", "61",
            "--map", "login=A", "--map", "full_name=B", "--map", "municipality=C"]
    with pytest.raises(CommandError, match="--skip-invalid-rows"):
        call_command("import_schools", *args, "--show-mapping")
    text = capsys.readouterr().out
    assert "login (Логин ФИС ОКО): A «Идентификатор»" in text
    assert not School.objects.filter(login="sch610811").exists()
    call_command("import_schools", *args, "--skip-invalid-rows")
    assert School.objects.filter(login="sch610811").exists()
    assert not School.objects.filter(login="sch610812").exists()
    assert AuditEntry.objects.filter(action="schools.import.invalid_rows_skipped").count() == 1


def test_a_file_that_cannot_be_read_exits_with_an_error_in_json(admin_user, tmp_path, capsys):
    path = tmp_path / "list.xlsx"
    path.write_bytes(b"%PDF-1.4 not a table")
    with pytest.raises(CommandError):
        call_command("import_schools", str(path), "--year", "2023", "--list", "shnor",
                     "--dry-run", "--json")
    assert "PDF" in _json(capsys)["error"]


def test_a_confirmed_mapping_is_reused_for_next_years_file_of_the_same_shape(
        shakhty, django_capture_on_commit_callbacks):
    world = shakhty

    def upload(year, rows):
        with django_capture_on_commit_callbacks(execute=True):
            batch, _ = import_batch_create(actor=world.regional_staff, region=world.region,
                                           year=year, kind="shnor", file_name="l.xlsx",
                                           content=_odd_list(rows))
        batch.refresh_from_db()
        return batch

    first = upload(2022, [["sch610821", "МБОУ СОШ № 21", "г. Шахты", 6100000821]])
    assert first.status == ImportBatch.Status.INVALID and "Логин" in first.message
    with django_capture_on_commit_callbacks(execute=True):
        import_mapping_set(actor=world.regional_staff, batch=first,
                           mapping={"login": 0, "full_name": 1, "municipality": 2, "inn": 3})
    first.refresh_from_db()
    assert first.status == ImportBatch.Status.PREVIEWED
    assert ImportMapping.objects.filter(region=world.region, target="schools").count() == 1
    following = upload(2023, [["sch610822", "МБОУ СОШ № 22", "г. Шахты", 6100000822],
                              ["sch610823", "МБОУ СОШ № 23", "Белокалитвинский район", None]])
    assert following.status == ImportBatch.Status.PREVIEWED, following.message
    assert following.params["mapping_source"] == "remembered"
    assert following.counts["new"] == 2
    # another region's files are not read with this region's mapping
    assert not ImportMapping.objects.exclude(region=world.region).exists()


def test_a_federal_list_with_unknown_regions_gives_one_error_per_region_and_creates_them(
        admin_user, django_capture_on_commit_callbacks):
    rows = [["Логин", "Наименование ОО", "Муниципалитет"]]
    rows += [[f"sch05{n:04d}", f"МКОУ СОШ № {n}", "Буйнакский район" if n % 2 else
              "г. Махачкала"] for n in range(1, 41)]
    rows += [[f"sch95{n:04d}", f"МБОУ СОШ № {n}", "Каховский муниципальный округ"]
             for n in range(1, 6)]
    rows += [["sch990001", "МБОУ СОШ № 1", "Где-то"]]
    with django_capture_on_commit_callbacks(execute=True):
        batch, _ = import_batch_create(actor=admin_user, region=None, year=2023,
                                       kind="shnor", file_name="fed.xlsx", content=xlsx(rows))
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.INVALID
    assert batch.counts["errors"] == 3, batch.errors  # one per region, not 46
    messages = " ".join(e["message"] for e in batch.errors)
    assert "Республика Дагестан" in messages and "40 строк" in messages
    assert "Херсонская область" in messages and "код региона 99 не является" in messages
    missing = batch.diff["missing"]["regions"]
    dagestan = next(r for r in missing if r["code"] == 5)
    assert {m["name"]: m["schools"] for m in dagestan["municipalities"]} == {
        "Буйнакский район": 20, "г. Махачкала": 20}
    with django_capture_on_commit_callbacks(execute=True):
        job = import_territories_create(actor=admin_user, batch=batch)
    job.refresh_from_db()
    batch.refresh_from_db()
    assert Region.objects.get(code=5).name == "Республика Дагестан"
    assert Municipality.objects.filter(region__code=95).count() == 1
    assert not Region.objects.filter(code=99).exists()
    assert AuditEntry.objects.filter(action="schools.import.territories_created").count() == 1
    assert batch.counts["errors"] == 1 and batch.counts["valid"] == 45
    with django_capture_on_commit_callbacks(execute=True):
        import_apply_start(actor=admin_user, batch=batch, skip_invalid_rows=True)
    assert School.objects.filter(region__code=5).count() == 40


def test_creating_territories_needs_the_right_to_create_them(world_a,
                                                             django_capture_on_commit_callbacks):
    content = xlsx([["Логин", "Наименование ОО", "Муниципалитет"],
                    ["sch610831", "МБОУ СОШ № 31", "Новый район"]])
    with django_capture_on_commit_callbacks(execute=True):
        batch, _ = import_batch_create(actor=world_a.regional_staff, region=world_a.region,
                                       year=2023, kind="shnor", file_name="l.xlsx",
                                       content=content)
    batch.refresh_from_db()
    assert batch.diff["missing"]["municipalities"][0]["name"] == "Новый район"
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        import_territories_create(actor=world_a.curator, batch=batch)
    assert not Municipality.objects.filter(name="Новый район").exists()
    assert Job.objects.filter(kind="schools.import_preview").count() == 1
