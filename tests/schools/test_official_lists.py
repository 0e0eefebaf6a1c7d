"""Official lists as regions send them: totals, merged groups, two-row headers, repeated
headers, notes and signatures (the issue's workbook: 60 Rostov schools, «Итого: 60
организаций»); rows with errors skipped only by an explicit, audited choice."""

import pytest

from core.models import AuditEntry, Job
from core.services import municipalities_bulk_create
from schools.models import ImportBatch, School, SchoolYear
from schools.services import ImportFailure, import_apply_start, import_batch_create

from .conftest import xlsx
from .official import OfficialSchool, municipalities, official_workbook, rostov_schools


@pytest.fixture
def rostov(world_a):
    municipalities_bulk_create(actor=None, region=world_a.region, names=municipalities())
    return world_a


def _upload(callbacks, world, content, *, year=2022, kind="shnor"):
    with callbacks(execute=True):
        batch, job = import_batch_create(actor=world.regional_staff, region=world.region,
                                         year=year, kind=kind, file_name="list.xlsx",
                                         content=content)
    batch.refresh_from_db()
    job.refresh_from_db()
    return batch, job


def _apply(callbacks, world, batch, **kwargs):
    with callbacks(execute=True):
        job = import_apply_start(actor=world.regional_staff, batch=batch, **kwargs)
    job.refresh_from_db()
    batch.refresh_from_db()
    return job


def test_the_official_list_with_totals_merged_groups_and_notes_imports_all_60(
        rostov, django_capture_on_commit_callbacks):
    batch, job = _upload(django_capture_on_commit_callbacks, rostov, official_workbook())
    assert job.status == Job.Status.SUCCEEDED, job.message
    assert batch.status == ImportBatch.Status.PREVIEWED, batch.errors[:5]
    assert batch.sheet_name == "Перечень ШНОР"  # the title sheet is passed over
    assert batch.counts["valid"] == 60 and batch.counts["errors"] == 0
    reasons = [s["reason"] for s in batch.skipped]
    assert reasons.count("итоговая строка") == 39 + 1  # a subtotal per district and the total
    assert "строка с номерами столбцов" in reasons
    assert reasons.count("повтор строки заголовков (начало новой страницы)") == 2
    assert reasons.count("примечание или подпись под таблицей") == 2
    assert any("Итого: 60 организаций" in s["text"] for s in batch.skipped)
    job = _apply(django_capture_on_commit_callbacks, rostov, batch)
    assert job.status == Job.Status.SUCCEEDED, job.message
    assert SchoolYear.objects.filter(year=2022, is_shnor=True, batch=batch).count() == 60
    by_district = {}
    logins = [s.login for s in rostov_schools()]
    for school in School.objects.filter(login__in=logins).select_related("municipality"):
        by_district[school.municipality.name] = by_district.get(school.municipality.name, 0) + 1
    expected = {}
    for school in rostov_schools():
        expected[school.municipality] = expected.get(school.municipality, 0) + 1
    assert by_district == expected  # the merged municipality cell filled its whole group
    assert School.objects.get(login="sch610001").inn == "6100000001"


@pytest.mark.parametrize("variant", [
    {"subtotals": False}, {"merged": False}, {"repeat_header_at": None},
    {"notes": False, "title_sheet": False},
])
def test_each_quirk_alone_still_gives_the_same_60_rows(rostov, variant,
                                                       django_capture_on_commit_callbacks):
    batch, _ = _upload(django_capture_on_commit_callbacks, rostov, official_workbook(**variant))
    assert batch.counts["valid"] == 60 and batch.counts["errors"] == 0, batch.errors[:3]


def test_a_row_with_a_school_name_but_no_login_is_an_error_not_skipped(
        rostov, django_capture_on_commit_callbacks):
    schools = rostov_schools()[:5]
    schools[2] = OfficialSchool("", schools[2].inn, schools[2].name, schools[2].municipality)
    content = official_workbook(schools, repeat_header_at=None)
    batch, _ = _upload(django_capture_on_commit_callbacks, rostov, content)
    assert batch.status == ImportBatch.Status.INVALID
    assert [e["message"] for e in batch.errors] == ["не заполнен логин школы"]
    assert batch.counts["valid"] == 4


def test_a_duplicate_row_is_one_error_not_one_per_key(rostov,
                                                      django_capture_on_commit_callbacks):
    schools = rostov_schools()[:3]
    content = official_workbook([*schools, schools[1]], repeat_header_at=None, merged=False)
    batch, _ = _upload(django_capture_on_commit_callbacks, rostov, content)
    assert batch.counts["errors"] == 1, batch.errors
    assert "уже встречался в строке" in batch.errors[0]["message"]


def test_importing_without_rows_with_errors_is_explicit_audited_and_keeps_them_listed(
        rostov, django_capture_on_commit_callbacks):
    # last year's list holds the school whose row is broken now: it must not be cleared
    schools = rostov_schools()[:6]
    first, _ = _upload(django_capture_on_commit_callbacks, rostov,
                       official_workbook(schools, repeat_header_at=None))
    _apply(django_capture_on_commit_callbacks, rostov, first)
    broken = list(schools)
    broken[1] = OfficialSchool(broken[1].login, "12345", broken[1].name, broken[1].municipality)
    broken[4] = OfficialSchool("sch61abc", broken[4].inn, broken[4].name, broken[4].municipality)
    batch, _ = _upload(django_capture_on_commit_callbacks, rostov,
                       official_workbook(broken, repeat_header_at=None))
    assert batch.status == ImportBatch.Status.INVALID and batch.counts["error_rows"] == 2
    with pytest.raises(ImportFailure):
        import_apply_start(actor=rostov.regional_staff, batch=batch)  # not without the choice
    job = _apply(django_capture_on_commit_callbacks, rostov, batch, skip_invalid_rows=True)
    assert job.status == Job.Status.SUCCEEDED, job.message
    assert batch.status == ImportBatch.Status.APPLIED
    assert batch.counts["skipped_invalid"] == 2 and len(batch.errors) == 2
    entry = AuditEntry.objects.get(action="schools.import.invalid_rows_skipped")
    assert entry.target_id == str(batch.public_id) and entry.data["error_rows"] == 2
    assert entry.actor == rostov.regional_staff
    # the school of the row with a bad ИНН keeps its flag: its row was skipped, not absent
    assert SchoolYear.objects.get(school__login=broken[1].login, year=2022).is_shnor


def test_values_in_the_forms_people_type(rostov, django_capture_on_commit_callbacks):
    header = ["Логин ОО", "Наименование ОО", "МО", "ИНН ОО", "ШНОР", "ШССУ", "Участник 500+"]
    district = municipalities()[0]
    content = xlsx([header,
                    ["ѕсһ610901", "МБОУ СОШ № 1", district, "'6100000901", "да", "✓", "V"],
                    ["SCH 610902", "МБОУ СОШ № 2", district, "61 000 009 02", "+", "x", "1"],
                    ["sch610903", "МБОУ СОШ № 3", district, "6100000903.0", "ИСТИНА", "", None],
                    ["sch610904", "МБОУ СОШ № 4", district, 6100000904, "1", "нет", "0"],
                    ["sch610905", "МБОУ СОШ № 5", district, "610000090512", "да", "да", "да"]])
    batch, _ = _upload(django_capture_on_commit_callbacks, rostov, content, kind="combined")
    assert [(e["row"], e["column"]) for e in batch.errors] == [(6, "ИНН")]
    assert "10 цифр" in batch.errors[0]["message"]
    notes = " ".join(n["message"] for n in batch.notes)
    assert "кириллические буквы заменены латинскими" in notes and "sch610902" in notes
    job = _apply(django_capture_on_commit_callbacks, rostov, batch, skip_invalid_rows=True)
    assert job.status == Job.Status.SUCCEEDED
    years = {y.school.login: y
             for y in SchoolYear.objects.filter(batch=batch).select_related("school")}
    assert set(years) == {"sch610901", "sch610902", "sch610903", "sch610904"}
    assert [School.objects.get(login=f"sch61090{i}").inn for i in range(1, 5)] == [
        f"610000090{i}" for i in range(1, 5)]
    assert years["sch610901"].is_shssu and years["sch610901"].is_participant
    assert years["sch610902"].is_shssu and years["sch610902"].is_participant
    assert years["sch610903"].is_shnor and not years["sch610903"].is_shssu
    assert not years["sch610904"].is_shssu and not years["sch610904"].is_participant


def test_a_list_of_short_names_keeps_the_full_names(rostov, django_capture_on_commit_callbacks):
    schools = rostov_schools()[:2]
    first, _ = _upload(django_capture_on_commit_callbacks, rostov,
                       official_workbook(schools, repeat_header_at=None))
    _apply(django_capture_on_commit_callbacks, rostov, first)
    short = [OfficialSchool(s.login, s.inn, f"МБОУ СОШ № {i + 1}", s.municipality)
             for i, s in enumerate(schools)]
    batch, _ = _upload(django_capture_on_commit_callbacks, rostov,
                       official_workbook(short, repeat_header_at=None), year=2023)
    assert batch.counts["renamed"] == 0, batch.diff["renamed"]
    _apply(django_capture_on_commit_callbacks, rostov, batch)
    school = School.objects.get(login=schools[0].login)
    assert school.full_name == schools[0].name and school.short_name == "МБОУ СОШ № 1"


def test_an_empty_cell_never_clears_a_value(rostov, django_capture_on_commit_callbacks):
    district = municipalities()[0]
    header = ["Логин", "Наименование", "Муниципалитет", "ИНН", "Адрес", "ИОР"]
    first, _ = _upload(django_capture_on_commit_callbacks, rostov, xlsx([
        header, ["sch610950", "МБОУ СОШ № 50", district, 6100000950, "ул. Мира, 1", "0,5"]]))
    _apply(django_capture_on_commit_callbacks, rostov, first)
    again, _ = _upload(django_capture_on_commit_callbacks, rostov, xlsx([
        header, ["sch610950", "МБОУ СОШ № 50", district, None, "", None]]))
    assert again.counts["updated"] == 0 and again.counts["year_updated"] == 0
    _apply(django_capture_on_commit_callbacks, rostov, again)
    school = School.objects.get(login="sch610950")
    assert school.inn == "6100000950" and school.address == "ул. Мира, 1"
    assert str(SchoolYear.objects.get(school=school, year=2022).ior) == "0.500"
