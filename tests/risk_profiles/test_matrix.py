"""The curator's risk matrix against seed 000, table 2 (shared/data), from data entered
through the services: per-school totals 2, 3, 3, 4, 2, 3; per-factor 5, 3, 2, 2, 3, 2."""

import csv

import pytest
from django.conf import settings

from core.roles import Role
from core.services import membership_create, municipality_create
from curators.services import assignment_create
from risk_profiles.selectors import curator_matrix
from risk_profiles.services import ItemChange, profile_create, profile_update
from tests.factories import SchoolFactory, SchoolYearFactory, UserFactory
from tests.risk_profiles.conftest import activate

SOURCE = settings.DEMO_DATA_DIR / "curator_risk_matrix_example_2022.csv"


def _source_rows():
    with SOURCE.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture
def lastovyrya_world(world_a, catalogue):
    """The six schools of the seed in region A, each entered as its coordinator would."""
    rows = _source_rows()
    curator = UserFactory(username="lastovyrya", last_name="Ластовыря")
    membership_create(actor=None, user=curator, role=Role.CURATOR, region=world_a.region)
    municipalities = {}
    schools = []
    for number, row in enumerate(rows, start=1):
        name = row["municipality"]
        if name not in municipalities:
            municipalities[name] = municipality_create(actor=None, region=world_a.region,
                                                       name=name)
        school = SchoolFactory(municipality=municipalities[name], short_name=row["school"],
                               full_name=row["school"], login=f"sch61{90 + number:02d}01")
        SchoolYearFactory(school=school, category=row["category"])
        assignment_create(actor=None, curator=curator, school=school, year=2022)
        profile = profile_create(actor=world_a.regional_staff, school=school, year=2022)
        marked = [code for code in ("R01", "R07", "R11", "R12", "R04", "R06")
                  if row[code].strip() == "+"]
        activate(world_a.regional_staff, profile, *marked)
        # a level without activation must not count as '+'
        profile_update(actor=world_a.regional_staff, profile=profile,
                       changes={"R02": ItemChange(level="medium")})
        schools.append(school)
    return curator, schools, rows


def test_matrix_reproduces_the_seed_totals(lastovyrya_world, world_a):
    curator, schools, rows = lastovyrya_world
    matrix = curator_matrix(world_a.regional_staff, curator=curator, year=2022)
    by_school = {r.school.short_name: r.total for r in matrix.rows}
    assert [by_school[row["school"]] for row in rows] == [2, 3, 3, 4, 2, 3]
    totals = dict(zip((f.code for f in matrix.factors), matrix.factor_totals, strict=True))
    assert totals == {"R01": 5, "R07": 3, "R11": 2, "R12": 2, "R04": 3, "R06": 2}
    assert matrix.total == 17
    # the marks are the seed's, cell by cell, and each row carries its category
    for row in matrix.rows:
        source = next(r for r in rows if r["school"] == row.school.short_name)
        assert row.category == source["category"]
        for factor, mark in zip(matrix.factors, row.marks, strict=True):
            assert mark == (source[factor.code] == "+")
    assert "R02" in {f.code for f in matrix.idle_factors}


def test_the_curator_sees_its_own_matrix_and_nobody_elses_schools(lastovyrya_world, world_a,
                                                                   world_b):
    curator, schools, _ = lastovyrya_world
    own = curator_matrix(curator, curator=curator, year=2022)
    assert len(own.rows) == 6
    # region B's staff asking for this curator sees none of region A's schools
    foreign = curator_matrix(world_b.regional_staff, curator=curator, year=2022)
    assert foreign.rows == [] and foreign.factors == []


def test_matrix_export_has_the_shape_of_the_seed_table(client, lastovyrya_world, world_a):
    from io import BytesIO

    from django.urls import reverse
    from openpyxl import load_workbook

    curator, _, rows = lastovyrya_world
    client.force_login(world_a.regional_staff)
    response = client.get(reverse("risk_profiles:matrix_export"),
                          {"curator": str(curator.public_id), "year": 2022})
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    header = values[1]
    assert header[:3] == ["Школа", "Муниципалитет", "Категория"]
    assert [h.split(".")[0] for h in header[3:-1]] == ["R01", "R04", "R06", "R07", "R11", "R12"]
    body = {r[0]: r for r in values[2:-1]}
    assert [body[row["school"]][-1] for row in rows] == [2, 3, 3, 4, 2, 3]
    assert values[-1] == ["Итого", None, None, 5, 3, 2, 3, 2, 2, 17]
