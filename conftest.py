"""Personas (STYLE 7.2): two regions, each with every role, plus a federal observer and an
administrator. Every role is given through the services, as in production."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from core.roles import Role
from core.services import membership_create
from curators.services import assignment_create
from tests.factories import (
    MunicipalityFactory,
    RegionFactory,
    SchoolFactory,
    SchoolYearFactory,
    UserFactory,
)

PASSWORD = "Secret-pass-123"


@dataclass
class World:
    region: object
    municipality: object
    other_municipality: object
    school1: object
    school2: object
    school_other: object
    regional_staff: object
    municipal_coordinator: object
    curator: object
    school_coordinator: object
    methodist: object


def _user(username: str, last_name: str):
    return UserFactory(username=username, last_name=last_name, password=PASSWORD)


def build_world(code: int, name: str, suffix: str) -> World:
    region = RegionFactory(code=code, name=name)
    municipality = MunicipalityFactory(region=region, name=f"Район {suffix}-1")
    other = MunicipalityFactory(region=region, name=f"Район {suffix}-2")
    school1 = SchoolFactory(municipality=municipality, short_name=f"Школа {suffix}1",
                            full_name=f"Средняя школа {suffix}1")
    school2 = SchoolFactory(municipality=municipality, short_name=f"Школа {suffix}2",
                            full_name=f"Средняя школа {suffix}2")
    school_other = SchoolFactory(municipality=other, short_name=f"Школа {suffix}3",
                                 full_name=f"Средняя школа {suffix}3")
    for school in (school1, school2, school_other):
        SchoolYearFactory(school=school)
    staff = _user(f"staff_{suffix}", f"Регионова{suffix.upper()}")
    membership_create(actor=None, user=staff, role=Role.REGIONAL_STAFF, region=region)
    mun = _user(f"mun_{suffix}", f"Муниципалова{suffix.upper()}")
    membership_create(actor=None, user=mun, role=Role.MUNICIPAL_COORDINATOR,
                      municipality=municipality)
    curator = _user(f"curator_{suffix}", f"Кураторова{suffix.upper()}")
    membership_create(actor=None, user=curator, role=Role.CURATOR, region=region)
    assignment_create(actor=None, curator=curator, school=school1, year=2022)
    coordinator = _user(f"school_{suffix}", f"Школьная{suffix.upper()}")
    membership_create(actor=None, user=coordinator, role=Role.SCHOOL_COORDINATOR, school=school1)
    methodist = _user(f"methodist_{suffix}", f"Методистова{suffix.upper()}")
    membership_create(actor=None, user=methodist, role=Role.METHODIST, region=region)
    return World(region, municipality, other, school1, school2, school_other, staff, mun,
                 curator, coordinator, methodist)


@pytest.fixture
def world_a(db) -> World:
    return build_world(61, "Ростовская область", "a")


@pytest.fixture
def world_b(db) -> World:
    return build_world(66, "Свердловская область", "b")


@pytest.fixture
def federal_observer(db):
    user = _user("observer", "Наблюдателев")
    membership_create(actor=None, user=user, role=Role.FEDERAL_OBSERVER)
    return user


@pytest.fixture
def admin_user(db):
    user = _user("portal_admin", "Админов")
    membership_create(actor=None, user=user, role=Role.ADMINISTRATOR)
    return user


# Persona fixtures by the names of STYLE 7.2.
@pytest.fixture
def regional_staff_a(world_a):
    return world_a.regional_staff


@pytest.fixture
def municipal_coordinator_a(world_a):
    return world_a.municipal_coordinator


@pytest.fixture
def curator_a(world_a):
    return world_a.curator


@pytest.fixture
def school_coordinator_a1(world_a):
    return world_a.school_coordinator


@pytest.fixture
def methodist_a(world_a):
    return world_a.methodist


REGION_A_PERSONAS = ("regional_staff", "municipal_coordinator", "curator",
                     "school_coordinator", "methodist")


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (computed dashboards, throttling counters)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
