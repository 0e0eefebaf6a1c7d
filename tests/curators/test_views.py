from django.urls import reverse


def test_assignment_list_shows_load_within_scope(client, world_a, world_b):
    client.force_login(world_a.regional_staff)
    page = client.get(reverse("curators:assignment_list")).content.decode()
    assert world_a.curator.short_name in page
    assert world_b.curator.last_name not in page
    assert "Нагрузка кураторов" in page


def test_assignment_list_search_and_empty_state(client, world_a):
    client.force_login(world_a.regional_staff)
    url = reverse("curators:assignment_list")
    assert "По этим условиям назначений не найдено" in client.get(
        url, {"q": "никто"}).content.decode()
    assert world_a.school1.short_name in client.get(url, {"year": 2022}).content.decode()


def test_assignment_list_is_forbidden_to_school_level_roles(client, world_a):
    for user in (world_a.school_coordinator, world_a.methodist):
        client.force_login(user)
        assert client.get(reverse("curators:assignment_list")).status_code == 403
