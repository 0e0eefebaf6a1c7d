"""Training: seed 000's «Школа современного учителя» 2021 table from an imported list,
coverage of ШНОР staff over three years, bad input that writes nothing, who reads staff
records and routes, and the pages."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from core.jobs import job_run
from core.models import AuditEntry
from methodists.models import Methodist
from methodists.services import MethodistData, methodist_create, subjects_resolve
from schools.models import ImportBatch
from schools.services import import_apply_start, import_batch_create
from tests.factories import SchoolFactory, SchoolYearFactory
from training import services as t
from training.models import Enrolment, Route, RouteNote, StaffMember
from training.selectors import (
    course_table,
    coverage,
    enrolments_for,
    routes_for,
    share,
    staff_for,
)

HEADER = ["ФИО", "Школа (login)", "Предмет", "Дата завершения", "Результат аттестации"]


def _csv(name: str) -> list[dict]:
    with open(settings.DEMO_DATA_DIR / name, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["Ведомость слушателей курса"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _preview(world, run, rows, *, year=None) -> ImportBatch:
    batch, job = import_batch_create(actor=world.regional_staff, region=world.region,
                                     year=year or run.year, kind=ImportBatch.Kind.ENROLMENTS,
                                     file_name="slushateli.xlsx", content=_xlsx(rows),
                                     params={"run": str(run.public_id)})
    job_run(job.pk)
    batch.refresh_from_db()
    return batch


def _apply(world, batch) -> ImportBatch:
    job_run(import_apply_start(actor=world.regional_staff, batch=batch).pk)
    batch.refresh_from_db()
    return batch


def _counts() -> tuple[int, ...]:
    return (StaffMember.objects.count(), Enrolment.objects.count(), Route.objects.count(),
            RouteNote.objects.count(),
            Enrolment.objects.filter(status=Enrolment.Status.COMPLETED).count(),
            AuditEntry.objects.filter(action__startswith="training.").count())


def _course(world, title="Школа современного учителя"):
    return t.course_create(actor=world.regional_staff, region=world.region, title=title,
                           audience="учителя-предметники", hours=72,
                           form="blended", provider="ГБУ ДПО РО РИПК и ППРО")


def _run(world, course, starts, ends):
    return t.run_create(actor=world.regional_staff, course=course, starts_on=starts,
                        ends_on=ends)


@pytest.fixture
def run_a(world_a):
    return _run(world_a, _course(world_a, "Функциональная грамотность"),
                datetime.date(2022, 9, 1), datetime.date(2022, 12, 1))


def _member(world, name="Петрова Ольга Ивановна", school=None, subjects=()):
    found, _ = subjects_resolve(list(subjects), create=True)
    return t.staff_create(actor=world.regional_staff, school=school or world.school1,
                          full_name=name, subjects=found)


def _methodist(world, name, *, is_tutor=True, user=None):
    found, _ = subjects_resolve(["Математика"], create=True)
    return methodist_create(actor=None, region=world.region, data=MethodistData(
        full_name=name, municipality=world.municipality, subjects=found, is_tutor=is_tutor,
        user=user))


# -- the oracle: «Школа современного учителя», 2021 ---------------------------------------------
def test_course_2021_table_is_seed_000(world_a):
    seed = _csv("course_school_of_modern_teacher_2021.csv")
    assert sum(int(r["teachers_total"]) for r in seed) == 1676
    shnor = [SchoolYearFactory(year=2021, is_shnor=True, school=SchoolFactory(
        municipality=world_a.municipality, login=f"sch6170{i:02d}")).school for i in range(4)]
    others = [SchoolYearFactory(year=2021, is_shnor=False, school=SchoolFactory(
        municipality=world_a.other_municipality, login=f"sch6171{i:02d}")).school
        for i in range(3)]
    # ШНОР in 2022 but not in the list of 2021: its teachers are not «from ШНОР» in 2021
    others.append(world_a.school1)
    course = _course(world_a)
    run = _run(world_a, course, datetime.date(2021, 2, 1), datetime.date(2021, 11, 30))
    rows, n = [HEADER], 0
    for row in seed:
        for i in range(int(row["teachers_total"])):
            group = shnor if i < int(row["teachers_from_shnor"]) else others
            rows.append([f"Учитель {n:04d} Иван Петрович", group[n % len(group)].login,
                         row["subject"], datetime.date(2021, 11, 30), "зачтено"])
            n += 1
    batch = _preview(world_a, run, rows, year=2021)
    assert batch.status == ImportBatch.Status.PREVIEWED, batch.errors or batch.message
    assert (batch.counts["new"], batch.counts["staff_new"], batch.counts["completed"]) == (
        1676, 1676, 1676)
    assert not Enrolment.objects.exists()  # the dry run writes nothing
    assert _apply(world_a, batch).status == ImportBatch.Status.APPLIED
    assert Enrolment.objects.filter(status=Enrolment.Status.COMPLETED,
                                    result=Enrolment.Result.PASSED).count() == 1676

    table, total = course_table(course)
    assert {r.subject: (r.total, r.shnor, r.share) for r in table} == {
        r["subject"]: (int(r["teachers_total"]), int(r["teachers_from_shnor"]),
                       int(r["share_percent"])) for r in seed}
    history = next(r for r in table if r.subject == "История")
    assert (history.total, history.shnor, history.share) == (211, 95, 45)
    assert (total.total, total.shnor, total.share) == (1676, 510, 30)
    assert course_table(course, year=2022)[1].total == 0


def test_share_rounds_half_up():
    assert share(510, 1676) == 30
    assert share(1, 2) == 50
    assert share(1, 3) == 33
    assert share(2, 3) == 67
    assert share(1, 8) == 13  # 12.5 → 13, not banker's 12
    assert share(5, 8) == 63
    assert share(0, 5) == 0 and share(3, 0) is None


# -- bad input writes nothing -------------------------------------------------------------------
def test_enrolling_twice_changes_nothing(world_a, run_a):
    member = _member(world_a)
    t.enrolment_create(actor=world_a.regional_staff, run=run_a, member=member)
    before = _counts()
    with pytest.raises(t.TrainingError, match="уже записан"):
        t.enrolment_create(actor=world_a.regional_staff, run=run_a, member=member)
    assert _counts() == before


def test_completion_before_the_start_or_in_the_future_changes_nothing(world_a, run_a):
    enrolment = t.enrolment_create(actor=world_a.regional_staff, run=run_a,
                                   member=_member(world_a))
    before = _counts()
    with pytest.raises(t.TrainingError, match="раньше начала обучения"):
        t.enrolments_complete(actor=world_a.regional_staff, run=run_a, enrolments=[enrolment],
                              completed_on=datetime.date(2022, 8, 31),
                              result=Enrolment.Result.PASSED)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(t.TrainingError, match="ещё не наступила"):
        t.enrolments_complete(actor=world_a.regional_staff, run=run_a, enrolments=[enrolment],
                              completed_on=tomorrow, result=Enrolment.Result.PASSED)
    assert _counts() == before
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.completed_on, enrolment.result) == (
        Enrolment.Status.ENROLLED, None, "")
    # the start day itself is allowed
    assert t.enrolments_complete(actor=world_a.regional_staff, run=run_a,
                                 enrolments=[enrolment], completed_on=run_a.starts_on,
                                 result=Enrolment.Result.PASSED) == 1


def test_file_with_the_same_teacher_twice_writes_nothing(world_a, run_a):
    before = _counts()
    batch = _preview(world_a, run_a, [
        HEADER,
        ["Петрова Ольга Ивановна", world_a.school1.login, "Математика", None, None],
        ["Сидорова Вера", world_a.school2.login, "Физика", None, None],
        ["петрова  ольга ивановна", world_a.school1.login, "Физика", None, None],
    ])
    assert batch.status == ImportBatch.Status.INVALID
    assert [e["row"] for e in batch.errors] == [5]
    assert "уже указан" in batch.errors[0]["message"]
    assert "строке 3" in batch.errors[0]["message"]
    with pytest.raises(Exception, match="только проверенный список"):
        import_apply_start(actor=world_a.regional_staff, batch=batch)
    assert _counts() == before
    assert not StaffMember.objects.exists() and not Enrolment.objects.exists()


@pytest.mark.parametrize("school", ["sch619999", "Школа, которой нет в реестре"])
def test_file_with_an_unknown_school_writes_nothing(world_a, run_a, school):
    before = _counts()
    batch = _preview(world_a, run_a, [
        HEADER,
        ["Петрова Ольга Ивановна", world_a.school1.login, "Математика", None, None],
        ["Сидорова Вера", school, "Физика", None, None],
    ])
    assert batch.status == ImportBatch.Status.INVALID
    assert len(batch.errors) == 1 and batch.errors[0]["row"] == 4
    assert batch.errors[0]["column"] == "Школа"
    assert "не найден" in batch.errors[0]["message"]
    assert _counts() == before


def test_file_with_a_school_of_another_region_writes_nothing(world_a, world_b, run_a):
    batch = _preview(world_a, run_a, [HEADER, ["Петрова Ольга", world_b.school1.login,
                                               "Математика", None, None]])
    assert batch.status == ImportBatch.Status.INVALID
    assert "не найден" in batch.errors[0]["message"]
    assert not StaffMember.objects.filter(school=world_b.school1).exists()


def test_file_with_bad_completions_writes_nothing(world_a, run_a):
    before = _counts()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    batch = _preview(world_a, run_a, [
        HEADER,
        ["Петрова Ольга", world_a.school1.login, "", tomorrow, "зачтено"],
        ["Сидорова Вера", world_a.school1.login, "", "01.08.2022", "зачтено"],
        ["Иванова Анна", world_a.school1.login, "", "", "зачтено"],
        ["Орлова Нина", world_a.school1.login, "", "01.12.2022", "может быть"],
        ["Кузнецова Мария", world_a.school1.login, "", "01.12.2022", ""],
    ])
    assert batch.status == ImportBatch.Status.INVALID
    messages: dict[int, str] = {}
    for error in batch.errors:
        messages[error["row"]] = messages.get(error["row"], "") + error["message"] + "\n"
    assert set(messages) == {3, 4, 5, 6, 7}
    assert "ещё не наступила" in messages[3]
    assert "раньше начала обучения" in messages[4]
    assert "вместе с датой завершения" in messages[5]
    assert "«зачтено» или «не зачтено»" in messages[6]
    assert "укажите результат" in messages[7]
    assert _counts() == before


def test_tutor_of_another_region_is_refused(world_a, world_b):
    member = _member(world_a)
    stranger = _methodist(world_b, "Тьюторова Анна")
    before = _counts()
    with pytest.raises(t.TrainingError, match="того же региона"):
        t.route_create(actor=world_a.regional_staff, member=member, year=2022, tutor=stranger)
    assert _counts() == before
    route = t.route_create(actor=world_a.regional_staff, member=member, year=2022)
    before = _counts()
    with pytest.raises(t.TrainingError, match="того же региона"):
        t.route_tutor_set(actor=world_a.regional_staff, route=route, tutor=stranger)
    assert _counts() == before
    route.refresh_from_db()
    assert route.tutor_id is None


def test_a_methodist_who_is_not_a_tutor_is_refused(world_a):
    member = _member(world_a)
    plain = _methodist(world_a, "Методистова Вера", is_tutor=False)
    before = _counts()
    with pytest.raises(t.TrainingError, match="не отмечен"):
        t.route_create(actor=world_a.regional_staff, member=member, year=2022, tutor=plain)
    assert _counts() == before
    route = t.route_create(actor=world_a.regional_staff, member=member, year=2022)
    with pytest.raises(t.TrainingError, match="как тьютор"):
        t.route_tutor_set(actor=world_a.regional_staff, route=route, tutor=plain)
    with pytest.raises(t.TrainingError, match="уже есть ИОМ"):
        t.route_create(actor=world_a.regional_staff, member=member, year=2022)
    route.refresh_from_db()
    assert route.tutor_id is None and Route.objects.count() == 1


def test_teacher_of_another_region_cannot_be_enrolled(world_a, world_b, run_a):
    stranger = _member(world_b, school=world_b.school1)
    before = _counts()
    with pytest.raises(t.TrainingError, match="другого региона"):
        t.enrolment_create(actor=world_a.regional_staff, run=run_a, member=stranger)
    assert _counts() == before


# -- coverage of ШНОР staff ---------------------------------------------------------------------
def test_coverage_counts_completions_of_three_years(world_a):
    staff = world_a.regional_staff
    a = _member(world_a, "Алексеева Анна", world_a.school1, ["Математика"])
    _member(world_a, "Борисова Вера", world_a.school1, ["Математика"])
    c = _member(world_a, "Васильева Галина", world_a.school2)
    d = _member(world_a, "Григорьева Дарья", world_a.school2)
    e = _member(world_a, "Дмитриева Елена", world_a.school_other)
    gone = _member(world_a, "Егорова Жанна", world_a.school_other)
    t.staff_update(actor=staff, member=gone, full_name=gone.full_name, position="",
                   subjects=[], is_active=False)
    outside = SchoolFactory(municipality=world_a.municipality, login="sch617501")
    SchoolYearFactory(school=outside, is_shnor=False)  # not ШНОР in 2022
    g = _member(world_a, "Жукова Зоя", outside)
    empty = SchoolFactory(municipality=world_a.other_municipality, login="sch617502")
    SchoolYearFactory(school=empty)

    def total():
        cover = coverage(world_a.region, 2022)
        return cover.total.staff, cover.total.trained, cover.total.share

    assert total() == (5, 0, 0)
    course = _course(world_a)
    run22 = _run(world_a, course, datetime.date(2022, 9, 1), datetime.date(2022, 12, 1))
    ea, ed, eg = (t.enrolment_create(actor=staff, run=run22, member=m) for m in (a, d, g))
    t.enrolments_complete(actor=staff, run=run22, enrolments=[ea, eg],
                          completed_on=datetime.date(2022, 12, 1), result="passed")
    assert total() == (5, 1, 20)  # g's school is not ШНОР, d only enrolled
    t.enrolments_complete(actor=staff, run=run22, enrolments=[ed],
                          completed_on=datetime.date(2022, 12, 1), result="not_passed")
    assert total() == (5, 1, 20)  # «не зачтено» is no training

    run19 = _run(world_a, course, datetime.date(2019, 9, 1), datetime.date(2019, 12, 31))
    t.enrolments_complete(actor=staff, run=run19,
                          enrolments=[t.enrolment_create(actor=staff, run=run19, member=c)],
                          completed_on=datetime.date(2019, 12, 31), result="passed")
    assert total() == (5, 1, 20)  # 2019 is older than 2020–2022
    run20 = _run(world_a, course, datetime.date(2020, 1, 1), datetime.date(2020, 3, 1))
    t.enrolments_complete(actor=staff, run=run20,
                          enrolments=[t.enrolment_create(actor=staff, run=run20, member=e)],
                          completed_on=datetime.date(2020, 1, 1), result="passed")
    assert total() == (5, 2, 40)  # the first day of the period counts

    cover = coverage(world_a.region, 2022)
    assert cover.period == "2020–2022"
    places = {r.obj.pk: (r.schools, r.staff, r.trained) for r in cover.by_municipality}
    assert places == {world_a.municipality.pk: (2, 4, 1),
                      world_a.other_municipality.pk: (2, 1, 1)}
    assert [r.obj for r in cover.schools_without_staff] == [empty]
    assert {r.label: (r.staff, r.trained) for r in cover.by_subject} == {"Математика": (2, 1)}

    # in 2021 (school2 on the list of 2021) the 2019 completion is within 2019–2021
    SchoolYearFactory(school=world_a.school2, year=2021)
    cover21 = coverage(world_a.region, 2021)
    assert (cover21.total.staff, cover21.total.trained, cover21.total.share) == (2, 1, 50)
    assert coverage(world_a.region, 2030).total.share is None  # no ШНОР list of 2030


# -- who reads staff records and routes ---------------------------------------------------------
def test_staff_records_are_read_by_the_school_its_curator_and_the_region(world_a, world_b):
    own = t.staff_create(actor=world_a.school_coordinator, school=world_a.school1,
                         full_name="Петрова Ольга")
    neighbour = _member(world_a, "Сидорова Вера", world_a.school2)
    _member(world_b, "Чужая Анна", world_b.school1)
    with pytest.raises(PermissionDenied):  # a school adds to its own list only
        t.staff_create(actor=world_a.school_coordinator, school=world_a.school2,
                       full_name="Орлова Нина")
    # the municipality's coordinator sees counts, never names, even of its own schools
    assert world_a.school1.municipality_id == world_a.municipal_coordinator.memberships.get(
    ).municipality_id
    assert not staff_for(world_a.municipal_coordinator).exists()
    assert list(staff_for(world_a.school_coordinator)) == [own]
    assert list(staff_for(world_a.curator)) == [own]
    assert set(staff_for(world_a.regional_staff)) == {own, neighbour}
    assert not staff_for(world_a.methodist).exists()
    assert not staff_for(world_b.regional_staff).filter(region=world_a.region).exists()
    run = _run(world_a, _course(world_a), datetime.date(2022, 9, 1), datetime.date(2022, 12, 1))
    t.enrolment_create(actor=world_a.regional_staff, run=run, member=own)
    assert not enrolments_for(world_a.municipal_coordinator).exists()
    assert enrolments_for(world_a.school_coordinator).count() == 1


def test_tutor_reads_and_notes_only_the_routes_it_tutors(world_a):
    tutor = _methodist(world_a, "Методистова Анна", user=world_a.methodist)
    mine = t.route_create(actor=world_a.regional_staff, member=_member(world_a), year=2022,
                          tutor=tutor)
    other = t.route_create(actor=world_a.regional_staff,
                           member=_member(world_a, "Сидорова Вера", world_a.school2), year=2022)
    assert list(routes_for(world_a.methodist)) == [mine]
    note = t.note_add(actor=world_a.methodist, route=mine, text="Проведена консультация")
    assert note.author == world_a.methodist and mine.notes.count() == 1
    before = _counts()
    with pytest.raises(PermissionDenied):
        t.note_add(actor=world_a.methodist, route=other, text="Чужой маршрут")
    with pytest.raises(PermissionDenied):  # the tutor does not choose tutors
        t.route_tutor_set(actor=world_a.methodist, route=other, tutor=tutor)
    assert _counts() == before and other.notes.count() == 0
    # the school coordinator sees its school's route, the municipality's coordinator none
    assert list(routes_for(world_a.school_coordinator)) == [mine]
    assert not routes_for(world_a.municipal_coordinator).exists()
    assert Methodist.objects.get(pk=tutor.pk).routes.count() == 1


# -- pages --------------------------------------------------------------------------------------
def test_pages_of_training(client, world_a, run_a):
    member = _member(world_a, "Петрова Ольга Ивановна", world_a.school1, ["Математика"])
    enrolment = t.enrolment_create(actor=world_a.regional_staff, run=run_a, member=member)
    t.enrolments_complete(actor=world_a.regional_staff, run=run_a, enrolments=[enrolment],
                          completed_on=datetime.date(2022, 12, 1), result="passed")
    client.force_login(world_a.regional_staff)

    page = client.get(reverse("training:course_list"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Курсы повышения квалификации" in text and "Функциональная грамотность" in text

    page = client.get(reverse("training:course", args=[run_a.course.public_id]))
    assert page.status_code == 200
    assert "Функциональная грамотность" in page.content.decode()
    assert "01.09.2022" in page.content.decode()

    page = client.get(reverse("training:run", args=[run_a.public_id]))
    assert page.status_code == 200
    assert "Петрова Ольга Ивановна" in page.content.decode()

    page = client.get(reverse("training:coverage"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Охват педагогов ШНОР повышением квалификации" in text and "Район a-1" in text


def test_municipal_coordinator_sees_the_run_without_names(client, world_a, run_a):
    t.enrolment_create(actor=world_a.regional_staff, run=run_a,
                       member=_member(world_a, "Петрова Ольга Ивановна"))
    client.force_login(world_a.municipal_coordinator)
    page = client.get(reverse("training:run", args=[run_a.public_id]))
    assert page.status_code == 200
    assert "Петрова Ольга Ивановна" not in page.content.decode()
    assert client.get(reverse("training:run_export", args=[run_a.public_id])
                      ).status_code == 403


def test_municipal_coordinator_reads_coverage_of_its_municipality(client, world_a, run_a):
    _member(world_a, "Петрова Ольга", world_a.school1)
    _member(world_a, "Сидорова Вера", world_a.school_other)
    client.force_login(world_a.municipal_coordinator)
    page = client.get(reverse("training:coverage"), {"year": 2022})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Район a-1" in text and "Район a-2" not in text
    assert "Петрова Ольга" not in text  # counts, never names
    client.force_login(world_a.methodist)
    assert client.get(reverse("training:coverage")).status_code == 403


def test_enrolling_twice_through_the_page_says_why(client, world_a, run_a):
    member = _member(world_a)
    client.force_login(world_a.regional_staff)
    url = reverse("training:run_enrol", args=[run_a.public_id])
    first = client.post(url, {"staff": str(member.public_id), "subject": ""})
    assert first.status_code == 302
    before = _counts()
    second = client.post(url, {"staff": str(member.public_id), "subject": ""})
    assert second.status_code == 400
    assert "уже записан" in second.content.decode()
    assert _counts() == before and Enrolment.objects.filter(run=run_a).count() == 1


def test_excel_exports_of_training(client, world_a, run_a):
    member = _member(world_a, "Петрова Ольга Ивановна", world_a.school1)
    enrolment = t.enrolment_create(actor=world_a.regional_staff, run=run_a, member=member)
    t.enrolments_complete(actor=world_a.regional_staff, run=run_a, enrolments=[enrolment],
                          completed_on=datetime.date(2022, 12, 1), result="passed")
    client.force_login(world_a.regional_staff)
    response = client.get(reverse("training:coverage"), {"year": 2022, "format": "xlsx"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Муниципалитеты"]
    assert sheet["A2"].value == "Муниципалитет" and sheet["E2"].value == "Охват, %"
    rows = {sheet.cell(row=r, column=1).value: [sheet.cell(row=r, column=c).value
                                                for c in range(2, 6)]
            for r in range(3, sheet.max_row + 1)}
    assert rows["Итого"] == [3, 1, 1, 100]
    assert book["Школы"]["C2"].value == "Логин ФИС ОКО"

    response = client.get(reverse("training:run_export", args=[run_a.public_id]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A2"].value == "ФИО" and sheet["A3"].value == "Петрова Ольга Ивановна"


def test_a_list_does_not_complete_a_withdrawn_student(world_a, run_a):
    member = _member(world_a, "Петрова Ольга")
    enrolment = t.enrolment_create(actor=world_a.regional_staff, run=run_a, member=member)
    t.enrolment_update(actor=world_a.regional_staff, enrolment=enrolment,
                       status=Enrolment.Status.WITHDRAWN, completed_on=None, result="",
                       certificate_number="", subject=None)
    with pytest.raises(t.TrainingError, match="отчисленные"):
        t.enrolments_complete(actor=world_a.regional_staff, run=run_a, enrolments=[enrolment],
                              completed_on=datetime.date(2022, 12, 1), result="passed")
    batch = _preview(world_a, run_a, [HEADER, ["Петрова Ольга", world_a.school1.login, "",
                                               "01.12.2022", "зачтено"]])
    if batch.status == ImportBatch.Status.PREVIEWED:
        _apply(world_a, batch)
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.WITHDRAWN
