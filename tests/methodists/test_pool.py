"""The regional methodical pool (РМА): seed 000's 308 methodists by subject loaded through
the import, coverage of ШНОР by municipality, bad input that writes nothing, the pages."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from core.jobs import job_run
from core.models import AuditEntry
from methodists.models import Methodist, Subject
from methodists.selectors import pool_by_subject, pool_coverage, pool_narrowing
from methodists.services import (
    MethodistData,
    MethodistError,
    methodist_create,
    methodist_update,
    subjects_resolve,
)
from schools.models import ImportBatch
from schools.services import import_apply_start, import_batch_create
from tests.factories import MunicipalityFactory, SchoolFactory, SchoolYearFactory

HEADER = ["ФИО", "Муниципалитет", "Предмет", "Тьютор"]


def _seed_subjects() -> dict[str, int]:
    with open(settings.DEMO_DATA_DIR / "rostov_rma_by_subject_2022.csv", encoding="utf-8") as f:
        return {r["subject"]: int(r["teachers"]) for r in csv.DictReader(f)}


def _xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["Региональный методический актив Ростовской области, 2022"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _preview(world, rows, *, year=2022) -> ImportBatch:
    batch, job = import_batch_create(actor=world.regional_staff, region=world.region,
                                     year=year, kind=ImportBatch.Kind.METHODISTS,
                                     file_name="rma.xlsx", content=_xlsx(rows))
    job_run(job.pk)
    batch.refresh_from_db()
    return batch


def _apply(world, batch) -> ImportBatch:
    job_run(import_apply_start(actor=world.regional_staff, batch=batch).pk)
    batch.refresh_from_db()
    return batch


def _counts() -> tuple[int, int, int]:
    return (Methodist.objects.count(), Subject.objects.count(), AuditEntry.objects.filter(
        action__startswith="methodists.").count())


def _subjects(*names):
    found, _ = subjects_resolve(list(names), create=True)
    return found


def _data(world, name, *, municipality=None, subjects=("Математика",), **kwargs):
    return MethodistData(full_name=name, municipality=municipality or world.municipality,
                         subjects=_subjects(*subjects), **kwargs)


# -- the oracle: 308 methodists by subject ------------------------------------------------------
def test_pool_of_308_by_subject_is_seed_000(world_a):
    seed = _seed_subjects()
    assert sum(seed.values()) == 308
    rows, i = [HEADER], 0
    for subject, n in seed.items():
        for _ in range(n):
            place = world_a.other_municipality if i % 4 == 0 else world_a.municipality
            rows.append([f"Методистова Анна Петровна {i:03d}", place.name, subject,
                         "да" if i % 7 == 0 else "нет"])
            i += 1
    batch = _preview(world_a, rows)
    assert batch.status == ImportBatch.Status.PREVIEWED, batch.errors or batch.message
    assert batch.counts["new"] == 308 and batch.counts["errors"] == 0
    # the seed's subject groups are in the shared list already (migration 0002)
    assert batch.counts["subjects_new"] == 0 and batch.counts["tutors"] == 44
    assert not Methodist.objects.exists()  # the dry run writes nothing

    batch = _apply(world_a, batch)
    assert batch.status == ImportBatch.Status.APPLIED
    table, total, tutors = pool_by_subject(world_a.region)
    assert total == 308 and tutors == 44
    assert {r.subject: r.methodists for r in table} == seed
    assert {r.subject: r.methodists for r in table}["Русский язык и литература"] == 106
    assert {r.subject: r.methodists for r in table}["Математика"] == 53
    assert sum(r.tutors for r in table) == 44

    cover = pool_coverage(world_a.region, 2022)
    by_place = {r.municipality.pk: r for r in cover.rows}
    assert set(by_place) == {world_a.municipality.pk, world_a.other_municipality.pk}
    assert (by_place[world_a.municipality.pk].shnor,
            by_place[world_a.municipality.pk].methodists) == (2, 231)
    assert (by_place[world_a.other_municipality.pk].shnor,
            by_place[world_a.other_municipality.pk].methodists) == (1, 77)
    assert cover.uncovered == [] and cover.total == 308 and cover.elsewhere == 0
    assert cover.shnor == 3 and cover.in_shnor_municipalities == 308


def test_pool_by_subject_counts_a_person_once_in_the_total(world_a):
    methodist_create(actor=world_a.regional_staff, region=world_a.region,
                     data=_data(world_a, "Иванова Анна", subjects=("Физика", "Математика"),
                                is_tutor=True))
    methodist_create(actor=world_a.regional_staff, region=world_a.region,
                     data=_data(world_a, "Петрова Ольга", subjects=("Физика",),
                                status=Methodist.Status.LEFT))
    table, total, tutors = pool_by_subject(world_a.region)
    assert {r.subject: (r.methodists, r.tutors) for r in table} == {
        "Физика": (1, 1), "Математика": (1, 1)}
    assert (total, tutors) == (1, 1)


def test_coverage_flags_a_shnor_municipality_without_methodists(world_a, world_b):
    third = MunicipalityFactory(region=world_a.region, name="Район a-3")
    SchoolYearFactory(school=SchoolFactory(municipality=third, login="sch617301"))
    no_shnor = MunicipalityFactory(region=world_a.region, name="Район a-4")
    old = SchoolFactory(municipality=no_shnor, login="sch617401")
    SchoolYearFactory(school=old, year=2021)  # ШНОР in 2021 only: not a 2022 row
    methodist_create(actor=world_a.regional_staff, region=world_a.region,
                     data=_data(world_a, "Иванова Анна", is_tutor=True))
    for name in ("Сидорова Вера", "Кузнецова Мария"):
        methodist_create(actor=world_a.regional_staff, region=world_a.region,
                         data=_data(world_a, name, municipality=no_shnor))
    methodist_create(actor=world_a.regional_staff, region=world_a.region,
                     data=_data(world_a, "Орлова Нина", municipality=world_a.other_municipality,
                                status=Methodist.Status.SUSPENDED))
    methodist_create(actor=world_b.regional_staff, region=world_b.region,
                     data=_data(world_b, "Чужая Анна", municipality=world_b.other_municipality))

    cover = pool_coverage(world_a.region, 2022)
    rows = {r.municipality.pk: r for r in cover.rows}
    assert set(rows) == {world_a.municipality.pk, world_a.other_municipality.pk, third.pk}
    assert (rows[world_a.municipality.pk].methodists, rows[world_a.municipality.pk].tutors,
            rows[world_a.municipality.pk].uncovered) == (1, 1, False)
    # a suspended methodist covers nothing
    assert rows[world_a.other_municipality.pk].uncovered
    assert rows[third.pk].uncovered and rows[third.pk].shnor == 1
    assert {r.municipality.pk for r in cover.uncovered} == {world_a.other_municipality.pk,
                                                            third.pk}
    assert (cover.elsewhere, cover.total, cover.shnor) == (2, 3, 4)
    assert [r.municipality for r in pool_coverage(world_a.region, 2021).rows] == [no_shnor]

    # the municipal coordinator reads its own municipality's row only
    assert pool_narrowing(world_a.regional_staff, world_a.region) is None
    narrowed = pool_narrowing(world_a.municipal_coordinator, world_a.region)
    mine = pool_coverage(world_a.region, 2022, municipalities=narrowed)
    assert [r.municipality for r in mine.rows] == [world_a.municipality]
    assert mine.total == 1


# -- bad input writes nothing -------------------------------------------------------------------
def test_unknown_municipality_in_the_file_writes_nothing(world_a):
    before = _counts()
    batch = _preview(world_a, [HEADER,
                               ["Иванова Анна", world_a.municipality.name, "Математика", "да"],
                               ["Петрова Ольга", "Нигдеевский район", "Физика", "нет"]])
    assert batch.status == ImportBatch.Status.INVALID
    assert len(batch.errors) == 1
    error = batch.errors[0]
    assert error["row"] == 4 and error["column"] == "Муниципалитет"
    assert "Нигдеевский район" in error["message"] and "не найден" in error["message"]
    with pytest.raises(Exception, match="только проверенный список"):
        import_apply_start(actor=world_a.regional_staff, batch=batch)
    assert _counts() == before


def test_same_person_twice_and_future_assessment_are_row_errors(world_a):
    before = _counts()
    rows = [HEADER + ["Дата оценки компетенций"],
            ["Иванова Анна", world_a.municipality.name, "Математика", "да", "01.03.2022"],
            ["иванова  анна", world_a.municipality.name, "Физика", "нет", ""],
            ["Петрова Ольга", world_a.municipality.name, "Физика", "нет", "01.01.2099"],
            ["Сидорова Вера", world_a.municipality.name, "Физика", "может быть", ""]]
    batch = _preview(world_a, rows)
    assert batch.status == ImportBatch.Status.INVALID
    messages = {e["row"]: e["message"] for e in batch.errors}
    assert "уже указан" in messages[4] and "строке 3" in messages[4]
    assert "ещё не наступила" in messages[5]
    assert "«да» или «нет»" in messages[6]
    assert _counts() == before


def test_the_same_file_again_updates_and_never_doubles(world_a):
    rows = [HEADER, ["Иванова Анна", world_a.municipality.name, "Математика", "нет"]]
    assert _apply(world_a, _preview(world_a, rows)).status == ImportBatch.Status.APPLIED
    rows[1][2], rows[1][3] = "Математика; Информатика", "да"
    again = _preview(world_a, rows)
    assert (again.counts["new"], again.counts["updated"]) == (0, 1)
    _apply(world_a, again)
    methodist = Methodist.objects.get()
    assert methodist.is_tutor
    assert sorted(s.name for s in methodist.subjects.all()) == ["Информатика", "Математика"]


def test_service_refuses_bad_data_and_writes_nothing(world_a, world_b):
    methodist_create(actor=world_a.regional_staff, region=world_a.region,
                     data=_data(world_a, "Иванова Анна"))
    before = _counts()
    cases = [
        (_data(world_a, "Петрова Ольга", municipality=world_b.municipality), "другому региону"),
        (_data(world_a, "Петрова Ольга",
               assessed_on=timezone.localdate() + datetime.timedelta(days=1)), "в будущем"),
        (_data(world_a, "Петрова Ольга", assessment_score=120), "от 0 до 100"),
        (_data(world_a, "иванова   анна"), "уже есть"),
        (_data(world_a, "Петрова Ольга", workplace="sch619999"), "не найден"),
        (MethodistData(full_name="Петрова Ольга", municipality=world_a.municipality,
                       subjects=[]), "хотя бы один предмет"),
    ]
    for data, message in cases:
        with pytest.raises(MethodistError, match=message):
            methodist_create(actor=world_a.regional_staff, region=world_a.region, data=data)
    assert _counts() == before


def test_a_tutor_with_open_routes_cannot_be_suspended(world_a):
    from training import services as t

    tutor = methodist_create(actor=world_a.regional_staff, region=world_a.region,
                             data=_data(world_a, "Иванова Анна", is_tutor=True))
    member = t.staff_create(actor=world_a.school_coordinator, school=world_a.school1,
                            full_name="Петрова Ольга")
    t.route_create(actor=world_a.regional_staff, member=member, year=2022, tutor=tutor)
    with pytest.raises(MethodistError, match="незавершённые ИОМ"):
        methodist_update(actor=world_a.regional_staff, methodist=tutor,
                         data=_data(world_a, "Иванова Анна", is_tutor=True,
                                    status=Methodist.Status.SUSPENDED))
    tutor.refresh_from_db()
    assert tutor.status == Methodist.Status.ACTIVE and tutor.is_tutor


# -- pages --------------------------------------------------------------------------------------
@pytest.fixture
def pool(world_a):
    third = MunicipalityFactory(region=world_a.region, name="Район a-3")
    SchoolYearFactory(school=SchoolFactory(municipality=third, login="sch617301"))
    methodist_create(actor=world_a.regional_staff, region=world_a.region,
                     data=_data(world_a, "Иванова Анна Сергеевна", subjects=("Химия",),
                                is_tutor=True))
    methodist_create(actor=world_a.regional_staff, region=world_a.region,
                     data=_data(world_a, "Петрова Ольга Ивановна", subjects=("Химия",),
                                municipality=world_a.other_municipality))
    return third


def test_pages_of_the_pool(client, world_a, pool):
    client.force_login(world_a.regional_staff)
    page = client.get(reverse("methodists:list"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Региональный методический актив" in text and "Иванова Анна Сергеевна" in text

    page = client.get(reverse("methodists:subjects"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Химия" in text and "Всего методистов" in text

    page = client.get(reverse("methodists:coverage"), {"year": 2022})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Охват ШНОР методистами РМА" in text and "нет методистов" in text
    assert "Район a-3" in text
    assert client.get(reverse("methodists:coverage"), {"year": 2015}).status_code == 404


def test_municipal_coordinator_sees_its_municipality_only(client, world_a, pool):
    client.force_login(world_a.municipal_coordinator)
    text = client.get(reverse("methodists:list")).content.decode()
    assert "Иванова Анна Сергеевна" in text and "Петрова Ольга Ивановна" not in text


def test_excel_exports_of_the_pool(client, world_a, pool):
    client.force_login(world_a.regional_staff)
    response = client.get(reverse("methodists:export"), {"region": world_a.region.code})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[2]][:3] == ["ФИО", "Муниципалитет", "Место работы"]
    names = {sheet.cell(row=r, column=1).value for r in range(3, sheet.max_row + 1)}
    assert names == {"Иванова Анна Сергеевна", "Петрова Ольга Ивановна"}

    response = client.get(reverse("methodists:coverage"), {"year": 2022, "format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A2"].value == "Муниципалитет" and sheet["B2"].value == "ШНОР в 2022 г."
    flagged = {sheet.cell(row=r, column=1).value for r in range(3, sheet.max_row + 1)
               if sheet.cell(row=r, column=5).value == "нет методистов"}
    assert flagged == {"Район a-3"}


# Known app bugs (see the reasons): strict, so a fix turns them into failures that say
# «remove the marker».
def test_a_list_without_the_workplace_column_keeps_the_workplace(world_a):
    methodist_create(actor=world_a.regional_staff, region=world_a.region,
                     data=_data(world_a, "Иванова Анна", workplace=world_a.school1.login,
                                position="учитель математики"))
    rows = [HEADER, ["Иванова Анна", world_a.municipality.name, "Математика", "да"]]
    assert _apply(world_a, _preview(world_a, rows)).status == ImportBatch.Status.APPLIED
    methodist = Methodist.objects.get()
    assert methodist.is_tutor and methodist.position == "учитель математики"
    assert methodist.school == world_a.school1


def test_a_list_cannot_silently_take_the_tutor_off_open_routes(world_a):
    from training import services as t

    tutor = methodist_create(actor=world_a.regional_staff, region=world_a.region,
                             data=_data(world_a, "Иванова Анна", is_tutor=True))
    member = t.staff_create(actor=world_a.school_coordinator, school=world_a.school1,
                            full_name="Петрова Ольга")
    t.route_create(actor=world_a.regional_staff, member=member, year=2022, tutor=tutor)
    batch = _preview(world_a, [HEADER, ["Иванова Анна", world_a.municipality.name,
                                        "Математика", "нет"]])
    if batch.status == ImportBatch.Status.PREVIEWED:
        _apply(world_a, batch)
    tutor.refresh_from_db()
    assert tutor.is_tutor, "the list took the tutor of an open ИОМ off without a word"
