"""The read API's region tables: the training coverage and the РМА coverage read through
the same selectors as their pages (counts, never names; a municipal coordinator narrowed to
its municipalities), the management cycle's indicators with targets and values — all three
in a number of SQL queries that does not grow with the rows."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from api.services import token_create
from core.files import upload_check
from management import services as m
from management.selectors import territory_rows
from methodists.services import MethodistData, methodist_create, subjects_resolve
from tests.files import pdf_bytes
from training import services as t
from training.selectors import coverage

pytestmark = pytest.mark.django_db


def _client(user) -> APIClient:
    _, secret = token_create(actor=user, name="DataLens", days=30)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


@pytest.fixture
def trained(world_a):
    """Three teachers of world A's ШНОР, one of them trained in 2022."""
    staff = world_a.regional_staff
    maths, _ = subjects_resolve(["Математика"], create=True)
    people = [t.staff_create(actor=staff, school=school, full_name=name, subjects=maths)
              for school, name in ((world_a.school1, "Алексеева Анна Петровна"),
                                   (world_a.school1, "Борисова Вера Ивановна"),
                                   (world_a.school_other, "Васильева Галина Олеговна"))]
    course = t.course_create(actor=staff, region=world_a.region,
                             title="Школа современного учителя", audience="учителя", hours=72,
                             form="blended", provider="ГБУ ДПО РО РИПК и ППРО")
    run = t.run_create(actor=staff, course=course, starts_on=datetime.date(2022, 9, 1),
                       ends_on=datetime.date(2022, 12, 1))
    t.enrolments_complete(actor=staff, run=run, result="passed",
                          completed_on=datetime.date(2022, 12, 1),
                          enrolments=[t.enrolment_create(actor=staff, run=run,
                                                         member=people[0])])
    return people


def test_training_coverage_is_the_pages_counts_without_names(world_a, trained):
    response = _client(world_a.regional_staff).get(reverse("api:training_coverage"),
                                                   {"year": 2022})
    assert response.status_code == 200, response.content
    body = response.json()
    page = coverage(world_a.region, 2022)
    assert (body["year"], body["period"]) == (2022, "2020–2022")
    assert body["total"] == {"name": "Всего", "staff": page.total.staff,
                             "trained": page.total.trained,
                             "trained_percent": page.total.share}
    assert body["total"]["staff"] == 3 and body["total"]["trained"] == 1
    assert {r["name"]: (r["schools"], r["staff"], r["trained"])
            for r in body["municipalities"]} == {
        r.label: (r.schools, r.staff, r.trained) for r in page.by_municipality}
    school1 = next(r for r in body["schools"] if r["login"] == world_a.school1.login)
    assert (school1["staff"], school1["trained"], school1["trained_percent"]) == (2, 1, 50)
    assert body["subjects"] == [{"name": "Математика", "staff": 3, "trained": 1,
                                 "trained_percent": 33}]
    assert not any(p.full_name.split()[0] in response.content.decode() for p in trained)


def test_training_coverage_of_a_municipal_coordinator_is_its_municipality(world_a, trained):
    body = _client(world_a.municipal_coordinator).get(reverse("api:training_coverage")).json()
    assert [r["name"] for r in body["municipalities"]] == [world_a.municipality.name]
    assert {r["login"] for r in body["schools"]} == {world_a.school1.login,
                                                     world_a.school2.login}
    assert body["total"]["staff"] == 2


@pytest.mark.parametrize("query, status, message", [
    ({"year": "2022a"}, 400, "целое"),
    ({"year": 1999}, 404, "Нет перечня ШНОР"),
    ({"region": "ростов"}, 400, "целое"),
])
def test_coverage_refuses_a_bad_year_or_region_with_a_message(world_a, query, status,
                                                             message):
    for name in ("training_coverage", "rma_coverage"):
        response = _client(world_a.regional_staff).get(reverse(f"api:{name}"), query)
        assert response.status_code == status, (name, response.content)
        assert message in response.content.decode()


def test_coverage_is_refused_to_whom_the_page_is_refused(world_a, federal_observer):
    assert _client(world_a.methodist).get(
        reverse("api:training_coverage")).status_code == 403
    assert _client(world_a.school_coordinator).get(
        reverse("api:rma_coverage")).status_code == 403
    # the observer reads these counts on the dashboard, suppressed: not here
    assert _client(federal_observer).get(reverse("api:rma_coverage")).status_code == 403


def test_rma_coverage_flags_a_shnor_municipality_without_methodists(world_a):
    maths, _ = subjects_resolve(["Математика"], create=True)
    methodist_create(actor=None, region=world_a.region, data=MethodistData(
        full_name="Кузнецова Мария Андреевна", municipality=world_a.municipality,
        subjects=maths, is_tutor=True, user=None))
    response = _client(world_a.regional_staff).get(reverse("api:rma_coverage"),
                                                   {"year": 2022})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["region"] == world_a.region.code and body["methodists"] == 1
    rows = {r["name"]: (r["shnor"], r["methodists"], r["tutors"], r["uncovered"])
            for r in body["municipalities"]}
    assert rows[world_a.municipality.name] == (2, 1, 1, False)
    assert rows[world_a.other_municipality.name][1:] == (0, 0, True)
    assert "Кузнецова" not in response.content.decode()


# -- indicators ----------------------------------------------------------------------------------
def _catalogue(world, year):
    return m.catalogue_create(actor=world.regional_staff, region=world.region, year=year)


def test_indicators_carry_the_pages_targets_and_values(world_a):
    staff = world_a.regional_staff
    last = {i.code: i for i in _catalogue(world_a, 2021)}
    now = {i.code: i for i in _catalogue(world_a, 2022)}
    entered = now["1.3а"]  # the share of schools diagnosed: entered with its evidence

    def evidence():
        f = SimpleUploadedFile("Справка ИРО.pdf", pdf_bytes("справка"))
        return upload_check(f, f.name, f.size)

    m.target_set(actor=staff, indicator=entered, municipality=None, value=Decimal("50"))
    m.value_enter(actor=staff, indicator=entered, municipality=None, value=Decimal("62.5"),
                  upload=evidence())
    m.value_enter(actor=staff, indicator=last[entered.code], municipality=None,
                  value=Decimal("40"), upload=evidence())
    response = _client(staff).get(reverse("api:indicators"), {"year": 2022})
    assert response.status_code == 200, response.content
    rows = {r["code"]: r for r in response.json()["results"]}
    assert set(rows) == set(now)
    region = rows[entered.code]["territories"][0]
    assert region["territory"] == "Регион в целом"
    assert (region["value"], region["previous"], region["target"]) == (62.5, 40.0, 50.0)
    assert region["met"] is True
    page = territory_rows(staff, entered)
    assert [r["territory"] for r in rows[entered.code]["territories"]] == [r.name for r in page]


def test_indicators_are_read_in_the_same_number_of_queries_for_more_rows(world_a):
    client = _client(world_a.regional_staff)
    _catalogue(world_a, 2022)
    client.get(reverse("api:indicators"))  # the token's first use is recorded once

    def queries():
        with CaptureQueriesContext(connection) as seen:
            assert client.get(reverse("api:indicators")).status_code == 200
        return len(seen)

    one_year = queries()
    _catalogue(world_a, 2021)
    _catalogue(world_a, 2020)
    assert queries() == one_year


# -- a token made on the server ------------------------------------------------------------------
def test_the_command_makes_a_token_that_reads_and_is_audited(world_a, capsys):
    from django.core.management import CommandError, call_command

    from core.models import AuditEntry

    call_command("api_token", world_a.regional_staff.username, "--name", "DataLens",
                 "--days", "30")
    secret = capsys.readouterr().out.strip()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert client.get(reverse("api:regions")).json()["results"] == [
        {"code": world_a.region.code, "name": world_a.region.name}]
    assert AuditEntry.objects.filter(action="api.token.created",
                                     actor=world_a.regional_staff).count() == 1
    for args, message in ((["nobody", "--name", "x"], "не найден"),
                          ([world_a.regional_staff.username, "--name", "x", "--days", "400"],
                           "от 1 до 365"),
                          ([world_a.regional_staff.username, "--name", " "], "для чего")):
        with pytest.raises(CommandError, match=message):
            call_command("api_token", *args)
    assert AuditEntry.objects.filter(action="api.token.created").count() == 1


# -- paging --------------------------------------------------------------------------------------
def test_pages_keep_the_lists_order_and_cover_it_once(world_a):
    """A page is found on the keys first, then read whole: the order is the list's."""
    client = _client(world_a.regional_staff)
    whole = client.get(reverse("api:school_years"), {"page_size": 500}).json()["results"]
    assert len(whole) >= 3
    paged, url = [], reverse("api:school_years") + "?page_size=2"
    while url:
        body = client.get(url).json()
        paged += body["results"]
        url = body["next"]
    assert paged == whole
    assert [(r["year"], r["school"]["login"]) for r in whole] == sorted(
        (r["year"], r["school"]["login"]) for r in whole)
