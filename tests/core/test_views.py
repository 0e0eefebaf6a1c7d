"""Home page per role, navigation per role, profile, audit list."""

import pytest
from django.urls import reverse

from core import audit


def _home(client, user):
    client.force_login(user)
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    return response.content.decode()


def test_home_of_regional_staff_shows_its_region(client, world_a, world_b):
    page = _home(client, world_a.regional_staff)
    assert "Мой регион" in page and "Ростовская область" in page
    assert "Свердловская область" not in page
    assert 'href="/schools/"' in page and 'href="/curators/"' in page
    assert 'href="/audit/"' in page


def test_home_of_municipal_coordinator_lists_its_schools(client, world_a):
    page = _home(client, world_a.municipal_coordinator)
    assert "Мой муниципалитет" in page and world_a.municipality.name in page
    assert world_a.school1.short_name in page and world_a.school2.short_name in page
    assert world_a.school_other.short_name not in page


def test_home_of_curator_shows_queue_and_its_schools(client, world_a):
    page = _home(client, world_a.curator)
    assert "Очередь проверки документов" in page
    assert "Документов на проверке нет" in page
    assert world_a.school1.short_name in page
    assert world_a.school2.short_name not in page
    assert 'href="/audit/"' not in page and 'href="/curators/"' not in page


def test_home_of_school_coordinator_shows_its_school(client, world_a):
    page = _home(client, world_a.school_coordinator)
    assert "Моя школа" in page and world_a.school1.get_absolute_url() in page
    assert 'href="/audit/"' not in page


def test_home_of_federal_observer_and_admin_show_every_region(client, world_a, world_b,
                                                             federal_observer, admin_user):
    for user in (federal_observer, admin_user):
        page = _home(client, user)
        assert "Ростовская область" in page and "Свердловская область" in page
    assert 'href="/admin/"' in _home(client, admin_user)
    assert 'href="/admin/"' not in _home(client, federal_observer)


def test_user_without_roles_is_told_so(client, db):
    from tests.factories import UserFactory

    page = _home(client, UserFactory(username="norole"))
    assert "Роль пока не назначена" in page


def test_profile_lists_own_roles_only(client, world_a):
    client.force_login(world_a.school_coordinator)
    page = client.get(reverse("core:profile")).content.decode()
    assert "школьный координатор" in page and world_a.school1.short_name in page
    assert "региональный координатор" not in page


def test_audit_list_filters_and_scopes(client, world_a, world_b):
    client.force_login(world_a.regional_staff)
    audit.record(world_a.regional_staff, "core.user.created", world_a.school2,
                 {"note": "проверка"})
    page = client.get(reverse("core:audit_list")).content.decode()
    assert "<td>Назначена роль</td>" in page
    assert world_b.school1.short_name not in page
    filtered = client.get(reverse("core:audit_list"), {"action": "core.user.created"})
    body = filtered.content.decode()
    assert world_a.school2.short_name in body and "<td>Назначена роль</td>" not in body
    empty = client.get(reverse("core:audit_list"), {"q": "нет-такого"}).content.decode()
    assert "Записей не найдено" in empty


def test_audit_list_is_forbidden_to_roles_without_the_right(client, world_a):
    for user in (world_a.curator, world_a.school_coordinator, world_a.methodist):
        client.force_login(user)
        assert client.get(reverse("core:audit_list")).status_code == 403


def test_audit_data_masks_secrets(world_a):
    entry = audit.record(None, "core.user.created", None,
                         {"password": "p", "nested": {"api_token": "t"}, "ok": 1})
    assert entry.data == {"password": "********", "nested": {"api_token": "********"}, "ok": 1}


@pytest.mark.parametrize("name", ["core:home", "core:profile", "core:audit_list",
                                  "schools:school_list", "curators:assignment_list"])
def test_pages_refuse_post(client, world_a, name):
    client.force_login(world_a.regional_staff)
    assert client.post(reverse(name)).status_code == 405


def test_error_pages_are_russian(client, world_a):
    client.force_login(world_a.regional_staff)
    response = client.get("/schools/00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 404
    assert "Страница не найдена" in response.content.decode()
    client.force_login(world_a.methodist)
    forbidden = client.get(reverse("schools:school_list"))
    assert forbidden.status_code == 403
    assert "Доступ запрещён" in forbidden.content.decode()
