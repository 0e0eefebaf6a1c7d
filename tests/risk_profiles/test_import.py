"""ФИОКО's risk-profile table through the shared import machinery: dry run, errors that
change nothing, all-or-nothing apply."""

from decimal import Decimal

import pytest

from risk_profiles.models import RiskProfile
from risk_profiles.services import profile_transition
from schools.models import ImportBatch
from schools.services import import_apply_start, import_batch_create
from tests.schools.conftest import xlsx

from .conftest import activate

TITLE = [["Риск-профили школ — участников проекта «500+», 2022 год (ФИОКО)"]]


def _upload(callbacks, world, content, *, year=2022, name="riski-2022.xlsx"):
    with callbacks(execute=True):
        batch, job = import_batch_create(actor=world.regional_staff, region=world.region,
                                         year=year, kind="risk_profiles", file_name=name,
                                         content=content)
    batch.refresh_from_db()
    job.refresh_from_db()
    return batch, job


def _apply(callbacks, world, batch):
    with callbacks(execute=True):
        job = import_apply_start(actor=world.regional_staff, batch=batch)
    job.refresh_from_db()
    batch.refresh_from_db()
    return job


def _table(world, *rows, header=None):
    header = header or ["Логин ОО", "Наименование ОО", "R01 Низкий уровень оснащения школы",
                        "Р02. Дефицит педагогических кадров",  # Cyrillic «Р», as typed
                        "R11 Риски низкой адаптивности учебного процесса"]
    return xlsx([header, *rows], title_rows=TITLE)


def test_import_creates_profiles_with_values_levels_and_marks(
        catalogue, world_a, django_capture_on_commit_callbacks):
    content = _table(world_a,
                     [world_a.school1.login, "Школа a1", "0,62 высокий +", "средний", 0.15],
                     [world_a.school2.login.upper(), "Школа a2", "Низкий", None, "+"])
    batch, job = _upload(django_capture_on_commit_callbacks, world_a, content)
    assert batch.status == "previewed", batch.errors or batch.message
    assert batch.counts["new"] == 2 and batch.counts["factors"] == 3
    assert batch.diff["marks_activation"] is True
    assert RiskProfile.objects.count() == 0  # the dry run writes nothing
    assert "новых риск-профилей 2" in job.message
    _apply(django_capture_on_commit_callbacks, world_a, batch)
    assert batch.status == "applied"
    one = RiskProfile.objects.get(school=world_a.school1, year=2022)
    r01 = one.items.get(factor__code="R01")
    assert (r01.value, r01.level, r01.activated) == (Decimal("0.6200"), "high", True)
    r02 = one.items.get(factor__code="R02")
    assert (r02.value, r02.level, r02.activated) == (None, "medium", False)
    assert one.items.get(factor__code="R11").value == Decimal("0.1500")
    assert one.batch == batch and one.status == "draft"
    two = RiskProfile.objects.get(school=world_a.school2)
    assert sorted(two.items.filter(activated=True).values_list("factor__code", flat=True)) \
        == ["R11"]


def test_a_factor_column_of_another_year_invalidates_the_whole_file(
        catalogue, world_a, django_capture_on_commit_callbacks):
    header = ["Логин ОО", "R01", "R09 Пониженный уровень школьного благополучия"]
    content = xlsx([header, [world_a.school1.login, "высокий", "+"]])
    batch, _ = _upload(django_capture_on_commit_callbacks, world_a, content)
    assert batch.status == "invalid"
    messages = " ".join(e["message"] for e in batch.errors)
    assert "фактора R09 нет в каталоге 2022 года (он действовал в 2021 г.)" in messages
    with pytest.raises(Exception, match="только проверенный"):
        _apply(django_capture_on_commit_callbacks, world_a, batch)
    assert RiskProfile.objects.count() == 0


def test_bad_rows_are_reported_in_russian_and_nothing_is_written(
        catalogue, world_a, world_b, django_capture_on_commit_callbacks):
    content = _table(world_a,
                     [world_a.school1.login, "", "очень много", "", ""],
                     [world_b.school1.login, "", "+", "", ""],
                     ["sch619999", "", "+", "", ""],
                     ["школа 5", "", "+", "", ""],
                     [world_a.school2.login, "", "-0,5", "", ""],
                     [world_a.school_other.login, "", "+", "", ""],
                     [world_a.school_other.login, "", "+", "", ""])
    batch, _ = _upload(django_capture_on_commit_callbacks, world_a, content)
    assert batch.status == "invalid"
    text = " | ".join(f"{e['row']}: {e['message']}" for e in batch.errors)
    assert "«очень много» — ожидалось значение ФИОКО" in text
    assert "код региона в логине (66) не совпадает с регионом загрузки" in text
    assert "школа с логином sch619999 не найдена в реестре" in text
    assert "ожидался логин вида sch610123 или ИНН" in text
    assert "не может быть отрицательным" in text
    assert "уже встречалась в строке 8" in text
    assert RiskProfile.objects.count() == 0


def test_a_submitted_or_verified_profile_is_not_overwritten(
        catalogue, profile_a, world_a, django_capture_on_commit_callbacks):
    activate(world_a.school_coordinator, profile_a, "R01")
    profile_transition(actor=world_a.school_coordinator, profile=profile_a, action="submit")
    profile_transition(actor=world_a.curator, profile=profile_a, action="verify")
    content = _table(world_a, [world_a.school1.login, "", "низкий", "", ""])
    batch, _ = _upload(django_capture_on_commit_callbacks, world_a, content)
    assert batch.status == "invalid"
    assert "подтверждён куратором: его нельзя изменить загрузкой — сначала куратор должен " \
           "его разблокировать" in batch.errors[0]["message"]
    assert profile_a.items.get(factor__code="R01").level == "high"  # not the file's «низкий»


def test_reimport_updates_drafts_and_leaves_activation_alone_without_marks(
        catalogue, profile_a, world_a, django_capture_on_commit_callbacks):
    activate(world_a.school_coordinator, profile_a, "R02", level="")
    content = _table(world_a, [world_a.school1.login, "", "0,4", "высокий", ""])
    batch, _ = _upload(django_capture_on_commit_callbacks, world_a, content)
    assert batch.counts["updated"] == 1 and batch.diff["marks_activation"] is False
    changes = {(c["field"], c["new"]) for c in batch.diff["updated"][0]["changes"]}
    assert changes == {("R01", "0,4"), ("R02", "высокий")}
    _apply(django_capture_on_commit_callbacks, world_a, batch)
    assert profile_a.items.get(factor__code="R02").activated is True  # untouched
    assert profile_a.items.get(factor__code="R01").value == Decimal("0.4")
    again, _ = _upload(django_capture_on_commit_callbacks, world_a, content, name="again.xlsx")
    assert (again.counts["updated"], again.counts["unchanged"]) == (0, 1)


def test_schools_are_found_by_inn_too(catalogue, world_a, django_capture_on_commit_callbacks):
    world_a.school1.inn = "6128004567"
    world_a.school1.save(update_fields=["inn"])
    content = xlsx([["ИНН", "Фактор риска 1"], [6128004567, "средний"]])
    batch, _ = _upload(django_capture_on_commit_callbacks, world_a, content)
    assert batch.status == "previewed", batch.errors
    _apply(django_capture_on_commit_callbacks, world_a, batch)
    profile = RiskProfile.objects.get(school=world_a.school1)
    assert profile.items.get(factor__code="R01").level == "medium"


def test_a_year_without_catalogue_fails_with_a_reason(
        catalogue, world_a, django_capture_on_commit_callbacks):
    content = _table(world_a, [world_a.school1.login, "", "+", "", ""])
    batch, job = _upload(django_capture_on_commit_callbacks, world_a, content, year=2025)
    assert batch.status == "failed"
    assert "Каталог факторов риска на 2025 год не загружен" in batch.message
    assert job.status == "failed"


def test_no_factor_column_asks_for_the_mapping(catalogue, world_a,
                                               django_capture_on_commit_callbacks):
    content = xlsx([["Логин", "Что-то"], [world_a.school1.login, "+"]])
    batch, _ = _upload(django_capture_on_commit_callbacks, world_a, content)
    assert batch.status == "invalid"
    assert "Не найдено ни одного столбца факторов риска 2022 года" in batch.message
    assert ImportBatch.objects.get(pk=batch.pk).columns  # the mapping form has columns


@pytest.mark.parametrize("raw, expected", [
    ("0,62", (Decimal("0.6200"), "", False)),
    ("высокий", (None, "high", False)),
    ("Нет риска", (None, "none", False)),
    ("+", (None, "", True)),
    ("да", (None, "", True)),
    ("0.3 (средний) +", (Decimal("0.3000"), "medium", True)),
    (0.5, (Decimal("0.5000"), "", False)),
    ("нет", (None, "", False)),
    (None, (None, "", False)),
])
def test_cell_grammar(raw, expected):
    from risk_profiles.importer import parse_cell

    cell = parse_cell(raw)
    assert (cell.value, cell.level, cell.activated) == expected


def test_yes_marks_set_activation_like_plus(catalogue, world_a,
                                            django_capture_on_commit_callbacks):
    content = xlsx([["Логин", "R01", "R02"], [world_a.school1.login, "да", "высокий"]])
    batch, _ = _upload(django_capture_on_commit_callbacks, world_a, content)
    assert batch.diff["marks_activation"] is True and batch.counts["activated"] == 1
    _apply(django_capture_on_commit_callbacks, world_a, batch)
    profile = RiskProfile.objects.get(school=world_a.school1)
    assert list(profile.items.filter(activated=True).values_list("factor__code", flat=True)) \
        == ["R01"]
