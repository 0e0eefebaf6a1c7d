"""The federal observer never reads one school off a small group (issue 22, item 3).
A district with one participant school would show that school's documents and risks; for
aggregate-only readers every figure of fewer than AGGREGATE_MIN_SCHOOLS schools reads
«менее 3 школ», and one more group is hidden with it when the total would give it away."""

import io

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from core.models import Role
from core.services import membership_create
from core.suppression import hidden_rows, label
from monitoring.reports import dashboard_xlsx, print_context
from monitoring.selectors import dashboard, filters_from
from risk_profiles.selectors import risk_distribution
from risk_profiles.services import profile_create
from tests.factories import MunicipalityFactory, SchoolFactory, SchoolYearFactory
from tests.risk_profiles.conftest import activate, catalogue  # noqa: F401

LABEL = "менее 3 школ"


def test_the_label_agrees_with_its_number(settings):
    assert label() == LABEL
    settings.AGGREGATE_MIN_SCHOOLS = 21
    assert label() == "менее 21 школы"
    settings.AGGREGATE_MIN_SCHOOLS = 5
    assert label() == "менее 5 школ"


@pytest.mark.parametrize(("sizes", "hidden"), [
    ([4, 5], set()),            # nothing small
    ([4, 1, 5], {0, 1}),        # the one school, and the smallest other to protect it
    ([1, 1, 1, 9], {0, 1, 2}),  # three small groups protect one another
    ([2], {0}),                 # the only group (its total is hidden too)
    ([0, 1, 6, 3], {1, 3}),     # an empty group is no secret and protects nothing
])
def test_hidden_rows(sizes, hidden):
    assert hidden_rows(sizes) == hidden


@given(st.lists(st.integers(min_value=0, max_value=40), max_size=30),
       st.integers(min_value=1, max_value=10))
def test_no_hidden_figure_can_be_recovered_from_the_total(sizes, minimum):
    from django.test import override_settings

    with override_settings(AGGREGATE_MIN_SCHOOLS=minimum):
        hidden = hidden_rows(sizes)
    assert all(i in hidden for i, n in enumerate(sizes) if 0 < n < minimum)
    total = sum(sizes)
    recovered = total - sum(n for i, n in enumerate(sizes) if i not in hidden)
    # what the total minus the shown rows gives is nothing, many schools, or a total
    # that is itself hidden
    assert recovered == 0 or recovered >= minimum or total < minimum


@pytest.fixture
def small_district(world_a, catalogue):  # noqa: F811
    """Region A: «Район a-1» with four schools, «Район a-2» with one (school_other),
    «Район a-3» with four; the lone school activated R01 and R02."""
    for n in range(2):
        SchoolYearFactory(school=SchoolFactory(municipality=world_a.municipality,
                                               short_name=f"Школа a1-{n}"))
    third = MunicipalityFactory(region=world_a.region, name="Район a-3")
    for n in range(4):
        SchoolYearFactory(school=SchoolFactory(municipality=third, short_name=f"Школа a3-{n}"))
    coordinator = world_a.school_coordinator
    membership_create(actor=None, user=coordinator, role=Role.SCHOOL_COORDINATOR,
                      school=world_a.school_other)
    profile = profile_create(actor=coordinator, school=world_a.school_other, year=2022)
    activate(coordinator, profile, "R01", "R02")
    return world_a


def _board(user, region, **extra):
    return dashboard(user, filters_from(user, {"region": str(region.code), "year": "2022",
                                               **extra}))


def test_the_observer_sees_small_districts_hidden_with_their_protector(
        small_district, federal_observer):
    world = small_district
    board = _board(federal_observer, world.region)
    rows = {a.name: a for a in board.areas}
    assert [rows["Район a-1"].schools, rows["Район a-3"].schools] == [None, 4]
    assert rows["Район a-2"].hidden and rows["Район a-2"].schools is None
    assert rows["Район a-2"].due is None and rows["Район a-2"].staff is None
    # «Район a-1» (4) is hidden too: total 9 − 4 would give the lone school otherwise
    assert rows["Район a-1"].hidden and not rows["Район a-3"].hidden
    assert board.totals.schools == 9 and not board.totals.hidden
    # the region's members see everything
    staff_board = _board(world.regional_staff, world.region)
    assert [a.schools for a in staff_board.areas] == [4, 1, 4]
    assert not any(a.hidden for a in staff_board.areas)


def test_the_lone_schools_risks_are_hidden_from_the_observer(small_district,
                                                             federal_observer):
    world = small_district
    lone = risk_distribution(federal_observer, year=2022, region=world.region,
                             municipality=world.other_municipality)
    assert lone.hidden and lone.rows == [] and lone.profiles is None
    staff = risk_distribution(world.regional_staff, year=2022, region=world.region,
                              municipality=world.other_municipality)
    assert not staff.hidden and staff.profiles == 1
    assert {r.code for r in staff.rows if r.count} == {"R01", "R02"}


def test_the_dashboard_page_pdf_and_excel_say_fewer_than_three(client, small_district,
                                                               federal_observer):
    world = small_district
    client.force_login(federal_observer)
    page = client.get(reverse("monitoring:dashboard"),
                      {"region": world.region.code, "year": 2022,
                       "municipality": world.other_municipality.pk}).content.decode()
    assert LABEL in page
    assert "R01" not in page.split('id="risks"')[1].split("</section>")[0]
    region_page = client.get(reverse("monitoring:dashboard"),
                             {"region": world.region.code, "year": 2022}).content.decode()
    assert region_page.count(LABEL) >= 2
    board = _board(federal_observer, world.region)
    pdf_html = render_to_string("monitoring/pdf/dashboard.html", print_context(board))
    assert LABEL in pdf_html
    book = load_workbook(io.BytesIO(dashboard_xlsx(board)))
    documents = {row[0]: row[1:] for row in book["Документы"].iter_rows(values_only=True)}
    assert set(documents["Район a-2"]) == {LABEL}
    assert set(documents["Район a-1"]) == {LABEL}
    assert documents["Район a-3"][0] == 4 and documents["Итого"][0] == 9


def test_the_distribution_page_hides_a_lone_school_and_refuses_other_regions(
        client, small_district, federal_observer, world_b):
    world = small_district
    client.force_login(federal_observer)
    # the region has one school with a profile (the observer has no district filter here)
    page = client.get(reverse("risk_profiles:distribution"), {
        "region": world.region.code, "year": 2022}).content.decode()
    assert LABEL in page and "R01." not in page
    # a regional member asking for another region's distribution: 404, not a form error
    client.force_login(world.regional_staff)
    response = client.get(reverse("risk_profiles:distribution"),
                          {"region": world_b.region.code, "year": 2022})
    assert response.status_code == 404
