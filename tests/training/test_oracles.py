"""Seed 000's figures computed from records entered through the imports and services, and
the bad input of issue 10."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from openpyxl import Workbook

from core.jobs import job_run
from methodists.models import Methodist
from methodists.selectors import pool_by_subject, pool_coverage
from methodists.services import MethodistData, methodist_create, subjects_resolve
from schools.models import ImportBatch
from schools.services import import_apply_start, import_batch_create
from tests.factories import SchoolFactory, SchoolYearFactory
from training import services as t
from training.models import Enrolment, StaffMember
from training.selectors import course_table, coverage, routes_for, share, staff_for


def _csv(name):
    with open(settings.DEMO_DATA_DIR / name, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["Список, выгруженный из системы"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _load(actor, region, kind, rows, year=2022, params=None, apply=True):
    batch, job = import_batch_create(actor=actor, region=region, year=year, kind=kind,
                                     file_name="spisok.xlsx", content=_xlsx(rows),
                                     params=params)
    job_run(job.pk)
    batch.refresh_from_db()
    if apply and batch.status == ImportBatch.Status.PREVIEWED:
        job_run(import_apply_start(actor=actor, batch=batch).pk)
        batch.refresh_from_db()
    return batch


def test_pool_of_308_by_subject_and_municipality(world_a):
    subjects = {r["subject"]: int(r["teachers"]) for r in _csv("rostov_rma_by_subject_2022.csv")}
    rows = [["ФИО", "Муниципалитет", "Предмет", "Тьютор"]]
    i = 0
    for subject, n in subjects.items():
        for _ in range(n):
            place = world_a.municipality if i % 3 else world_a.other_municipality
            rows.append([f"Методистова Анна {i:03d}", place.name, subject,
                         "да" if i % 10 == 0 else "нет"])
            i += 1
    batch = _load(world_a.regional_staff, world_a.region, ImportBatch.Kind.METHODISTS, rows)
    assert batch.status == "applied", batch.errors
    table, total, tutors = pool_by_subject(world_a.region)
    assert total == 308 and tutors == 31
    assert {r.subject: r.methodists for r in table} == subjects
    # the same file again updates, never doubles
    again = _load(world_a.regional_staff, world_a.region, ImportBatch.Kind.METHODISTS, rows)
    assert again.counts["new"] == 0 and again.counts["updated"] == 308
    assert Methodist.objects.filter(region=world_a.region).count() == 308
    by_place = {r.municipality.pk: r for r in pool_coverage(world_a.region, 2022).rows}
    assert by_place[world_a.municipality.pk].methodists == 205
    assert by_place[world_a.municipality.pk].shnor == 2
    assert not by_place[world_a.municipality.pk].uncovered


def test_municipality_with_shnor_and_no_methodist_is_flagged(world_a):
    subjects, _ = subjects_resolve(["Математика"], create=True)
    methodist_create(actor=world_a.regional_staff, region=world_a.region, data=MethodistData(
        full_name="Иванова Анна", municipality=world_a.municipality, subjects=subjects))
    rows = {r.municipality.pk: r for r in pool_coverage(world_a.region, 2022).rows}
    assert rows[world_a.other_municipality.pk].uncovered
    assert rows[world_a.other_municipality.pk].shnor == 1
    assert not rows[world_a.municipality.pk].uncovered


def test_course_2021_table_is_seed_000(world_a):
    table = _csv("course_school_of_modern_teacher_2021.csv")
    shnor = [SchoolYearFactory(school=SchoolFactory(municipality=world_a.municipality,
                                                    login=f"sch61{80 + i:02d}01"),
                               year=2021, is_shnor=True).school for i in range(5)]
    others = [SchoolYearFactory(school=SchoolFactory(municipality=world_a.other_municipality,
                                                     login=f"sch61{80 + i:02d}02"),
                                year=2021, is_shnor=False).school for i in range(5)]
    course = t.course_create(actor=world_a.regional_staff, region=world_a.region,
                             title="Школа современного учителя", audience="учителя",
                             hours=72, form="blended", provider="РИПК и ППРО")
    run = t.run_create(actor=world_a.regional_staff, course=course,
                       starts_on=datetime.date(2021, 2, 1), ends_on=datetime.date(2021, 11, 30))
    rows = [["ФИО", "Школа", "Предмет", "Дата завершения", "Результат аттестации"]]
    n = 0
    for row in table:
        for i in range(int(row["teachers_total"])):
            school = (shnor if i < int(row["teachers_from_shnor"]) else others)[n % 5]
            rows.append([f"Учитель {n:04d}", school.login, row["subject"], "30.11.2021",
                         "зачтено"])
            n += 1
    batch = _load(world_a.regional_staff, world_a.region, ImportBatch.Kind.ENROLMENTS, rows,
                  year=2021, params={"run": str(run.public_id)})
    assert batch.status == "applied", batch.errors
    result, total = course_table(course)
    assert [(r.subject, r.total, r.shnor, r.share) for r in result] == [
        (r["subject"], int(r["teachers_total"]), int(r["teachers_from_shnor"]),
         int(r["share_percent"])) for r in sorted(table, key=lambda r: r["subject"])]
    assert (total.total, total.shnor, total.share) == (1676, 510, 30)


def test_share_rounds_half_up():
    assert (share(510, 1676), share(1, 2), share(1, 3), share(0, 0)) == (30, 50, 33, None)


@pytest.fixture
def run_a(world_a):
    course = t.course_create(actor=world_a.regional_staff, region=world_a.region,
                             title="Курс", audience="учителя", hours=36, form="distance",
                             provider="ИРО")
    return t.run_create(actor=world_a.regional_staff, course=course,
                        starts_on=datetime.date(2022, 9, 1), ends_on=datetime.date(2022, 12, 1))


def test_double_enrolment_and_early_completion_change_nothing(world_a, run_a):
    staff = world_a.regional_staff
    member = t.staff_create(actor=world_a.school_coordinator, school=world_a.school1,
                            full_name="Петрова Ольга Ивановна")
    enrolment = t.enrolment_create(actor=staff, run=run_a, member=member)
    with pytest.raises(t.TrainingError, match="уже записан"):
        t.enrolment_create(actor=staff, run=run_a, member=member)
    assert Enrolment.objects.count() == 1
    with pytest.raises(t.TrainingError, match="раньше начала обучения"):
        t.enrolments_complete(actor=staff, run=run_a, enrolments=[enrolment],
                              completed_on=datetime.date(2022, 8, 31), result="passed")
    with pytest.raises(t.TrainingError, match="ещё не наступила"):
        t.enrolments_complete(actor=staff, run=run_a, enrolments=[enrolment],
                              completed_on=datetime.date(2100, 1, 1), result="passed")
    enrolment.refresh_from_db()
    assert enrolment.status == "enrolled" and enrolment.completed_on is None
    t.enrolments_complete(actor=staff, run=run_a, enrolments=[enrolment],
                          completed_on=datetime.date(2022, 12, 1), result="passed")
    cover = coverage(world_a.region, 2022)
    assert (cover.total.staff, cover.total.trained, cover.total.share) == (1, 1, 100)
    assert coverage(world_a.region, 2025).total.share is None  # no ШНОР list of 2025


def test_bad_lists_write_nothing(world_a, run_a):
    header = ["ФИО", "Школа", "Дата завершения", "Результат аттестации"]
    params = {"run": str(run_a.public_id)}
    cases = [
        ([header, ["Петрова Ольга", world_a.school1.login, "", ""],
          ["петрова  ольга", world_a.school1.login, "", ""]], "уже указан"),
        ([header, ["Петрова Ольга", "sch619999", "", ""]], "не найден"),
        ([header, ["Петрова Ольга", "Школа, которой нет", "", ""]], "не найдена"),
        ([header, ["Петрова Ольга", world_a.school1.login, "01.08.2022", "зачтено"]],
         "раньше начала обучения"),
        ([header, ["Петрова Ольга", world_a.school1.login, "", "зачтено"]],
         "вместе с датой завершения"),
    ]
    for rows, message in cases:
        batch = _load(world_a.regional_staff, world_a.region, ImportBatch.Kind.ENROLMENTS,
                      rows, params=params)
        assert batch.status == "invalid"
        assert any(message in e["message"] for e in batch.errors), batch.errors
    assert not StaffMember.objects.exists() and not Enrolment.objects.exists()


def test_methodist_list_with_unknown_municipality_is_refused(world_a):
    batch = _load(world_a.regional_staff, world_a.region, ImportBatch.Kind.METHODISTS,
                  [["ФИО", "Муниципалитет", "Предмет"], ["Иванова Анна", "Нигдеевский район",
                                                        "Математика"]])
    assert batch.status == "invalid" and "не найден" in batch.errors[0]["message"]
    assert not Methodist.objects.exists()


def _tutor(world, user=None, is_tutor=True):
    subjects, _ = subjects_resolve(["Математика"], create=True)
    return methodist_create(actor=None, region=world.region, data=MethodistData(
        full_name=f"Тьюторова {world.region.code}", municipality=world.municipality,
        subjects=subjects, is_tutor=is_tutor, user=user))


def test_tutor_of_another_region_or_not_a_tutor_is_refused(world_a, world_b):
    member = t.staff_create(actor=world_a.school_coordinator, school=world_a.school1,
                            full_name="Петрова Ольга")
    with pytest.raises(t.TrainingError, match="того же региона"):
        t.route_create(actor=world_a.regional_staff, member=member, year=2022,
                       tutor=_tutor(world_b))
    route = t.route_create(actor=world_a.regional_staff, member=member, year=2022)
    with pytest.raises(t.TrainingError, match="не отмечен"):
        t.route_tutor_set(actor=world_a.regional_staff, route=route,
                          tutor=_tutor(world_a, is_tutor=False))
    with pytest.raises(PermissionDenied):  # the school may not choose the tutor
        t.route_tutor_set(actor=world_a.school_coordinator, route=route, tutor=None)
    route.refresh_from_db()
    assert route.tutor_id is None


def test_personal_data_and_the_tutor(world_a):
    member = t.staff_create(actor=world_a.school_coordinator, school=world_a.school1,
                            full_name="Петрова Ольга")
    t.staff_create(actor=world_a.regional_staff, school=world_a.school2,
                   full_name="Сидорова Анна")
    assert not staff_for(world_a.municipal_coordinator).exists()
    assert list(staff_for(world_a.school_coordinator)) == [member]
    assert list(staff_for(world_a.curator)) == [member]  # its assigned school only
    assert staff_for(world_a.regional_staff).count() == 2
    tutor = _tutor(world_a, user=world_a.methodist)
    route = t.route_create(actor=world_a.regional_staff, member=member, year=2022, tutor=tutor)
    other = t.route_create(actor=world_a.regional_staff,
                           member=StaffMember.objects.get(full_name="Сидорова Анна"), year=2022)
    assert list(routes_for(world_a.methodist)) == [route]
    assert not staff_for(world_a.methodist).exists()
    t.note_add(actor=world_a.methodist, route=route, text="Встреча проведена")
    with pytest.raises(PermissionDenied):
        t.note_add(actor=world_a.methodist, route=other, text="Чужой маршрут")
    assert route.notes.count() == 1 and other.notes.count() == 0
