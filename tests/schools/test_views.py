"""The school list and the school page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import SchoolFactory, SchoolYearFactory


def _school(**kwargs):
    school = SchoolFactory(**kwargs)
    SchoolYearFactory(school=school)
    return school


def test_school_list_shows_scope_and_searches(client, world_a, world_b):
    client.force_login(world_a.regional_staff)
    url = reverse("schools:school_list")
    page = client.get(url).content.decode()
    for school in (world_a.school1, world_a.school2, world_a.school_other):
        assert school.short_name in page
    assert world_b.school1.short_name not in page
    found = client.get(url, {"q": world_a.school2.login.upper()}).content.decode()
    assert world_a.school2.short_name in found and world_a.school1.short_name not in found
    by_municipality = client.get(url, {"municipality": world_a.other_municipality.public_id})
    body = by_municipality.content.decode()
    assert world_a.school_other.short_name in body and world_a.school1.short_name not in body
    nothing = client.get(url, {"q": "нет такой школы"}).content.decode()
    assert "По этим условиям школ не найдено" in nothing


def test_foreign_municipality_in_filter_is_a_form_error_not_a_leak(client, world_a, world_b):
    client.force_login(world_a.regional_staff)
    response = client.get(reverse("schools:school_list"),
                          {"municipality": world_b.municipality.public_id})
    body = response.content.decode()
    assert response.status_code == 200
    assert world_b.municipality.name not in body
    assert world_b.school1.short_name not in body
    assert "Выберите корректный вариант" in body


def test_school_list_paginates(client, world_a, settings):
    settings.PAGE_SIZE = 2
    client.force_login(world_a.regional_staff)
    first = client.get(reverse("schools:school_list")).content.decode()
    assert "страница 1 из 2" in first
    second = client.get(reverse("schools:school_list"), {"page": 2}).content.decode()
    assert "страница 2 из 2" in second
    assert "Всего: 3" in second


def test_school_list_query_count_does_not_grow_with_rows(client, world_a):
    client.force_login(world_a.regional_staff)
    url = reverse("schools:school_list")
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(10):
        _school(municipality=world_a.municipality)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    # session, user, memberships, guardian grants (curator/coordinator: none here),
    # municipalities for the filter, count, page of schools with region and municipality,
    # the unread notifications of the bell
    assert len(many) == len(few)
    assert len(many) <= 9


def test_school_page_shows_identity_and_curator(client, world_a):
    client.force_login(world_a.regional_staff)
    page = client.get(world_a.school1.get_absolute_url()).content.decode()
    assert world_a.school1.full_name in page and world_a.school1.login in page
    assert "Куратор" in page and world_a.curator.last_name in page
    other = client.get(world_a.school2.get_absolute_url()).content.decode()
    assert "Куратор школе не назначен." in other


@pytest.mark.parametrize("persona,status", [("curator", 404), ("school_coordinator", 404),
                                            ("municipal_coordinator", 200),
                                            ("regional_staff", 200), ("methodist", 404)])
def test_school_page_inside_the_region_follows_the_role(client, world_a, persona, status):
    client.force_login(getattr(world_a, persona))
    response = client.get(world_a.school2.get_absolute_url())
    assert response.status_code == status


def test_malformed_school_id_is_404(client, world_a):
    client.force_login(world_a.regional_staff)
    assert client.get("/schools/not-a-uuid/").status_code == 404


def test_demo_school_is_marked(client, world_a):
    school = _school(municipality=world_a.municipality, is_demo=True,
                           short_name="МБОУ Демонстрационная СОШ")
    client.force_login(world_a.regional_staff)
    page = client.get(school.get_absolute_url()).content.decode()
    assert "демо-данные" in page


def test_school_list_sorts_russian_names_with_yo_beside_ye(client, world_a):
    # in code-point order «Ё» (U+0401) comes before «А» (U+0410); in Russian it does not
    for name in ("Яблоновская СОШ", "Ёлкинская СОШ", "Ершовская СОШ", "Жуковская СОШ",
                 "Алексеевская СОШ"):
        _school(municipality=world_a.other_municipality, short_name=name)
    client.force_login(world_a.regional_staff)
    for params in ({}, {"ordering": "name"}):
        page = client.get(reverse("schools:school_list"),
                          {"municipality": world_a.other_municipality.public_id, **params})
        body = page.content.decode()
        expected = ("Алексеевская", "Ёлкинская", "Ершовская", "Жуковская", "Яблоновская")
        positions = [body.index(n) for n in expected]
        assert positions == sorted(positions), params
    descending = client.get(reverse("schools:school_list"),
                            {"municipality": world_a.other_municipality.public_id,
                             "ordering": "-name"}).content.decode()
    assert descending.index("Яблоновская") < descending.index("Ершовская")
