"""Login by username or e-mail, one generic Russian message, lockout after 5 failures."""

import pytest
from django.urls import reverse

from conftest import PASSWORD
from core.models import AuditEntry


def _login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


@pytest.mark.parametrize("login", ["staff_a", "STAFF_A", "staff_a@example.org",
                                   "Staff_A@Example.org"])
def test_login_by_username_or_email_case_insensitively(client, world_a, login):
    response = _login(client, login, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    assert AuditEntry.objects.filter(action="core.login.succeeded",
                                     actor=world_a.regional_staff).exists()


@pytest.mark.parametrize("login,password", [("staff_a", "wrong-password"),
                                            ("nobody", PASSWORD)])
def test_wrong_login_or_password_gets_one_generic_message(client, world_a, login, password):
    response = _login(client, login, password)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Неверный логин или пароль." in text
    assert "_auth_user_id" not in client.session
    entry = AuditEntry.objects.get(action="core.login.failed")
    assert entry.data == {"username": login}


def test_inactive_user_cannot_log_in(client, world_a):
    user = world_a.regional_staff
    user.is_active = False
    user.save()
    response = _login(client, "staff_a", PASSWORD)
    assert "Неверный логин или пароль." in response.content.decode()


def test_five_failures_lock_the_account_and_are_audited(client, world_a):
    for _ in range(5):
        _login(client, "staff_a", "wrong-password")
    response = _login(client, "staff_a", PASSWORD)  # right password, but locked
    assert response.status_code == 429
    assert "Вход временно заблокирован" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action="core.login.failed").count() >= 5
    assert AuditEntry.objects.filter(action="core.login.locked_out").exists()


def test_five_failures_on_other_accounts_from_one_address_do_not_lock_it(client, world_a):
    # the flood limit of an address is AXES_ADDRESS_FAILURE_LIMIT (tests/security)
    for n in range(5):
        _login(client, f"guess{n}", "wrong-password")
    response = _login(client, "mun_a", PASSWORD)
    assert response.status_code == 302


def test_logout_is_post_only(client, world_a):
    client.force_login(world_a.regional_staff)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_change_is_audited_and_validated(client, world_a):
    user = world_a.curator
    client.force_login(user)
    url = reverse("core:password_change")
    bad = client.post(url, {"old_password": "wrong", "new_password1": "x",
                            "new_password2": "x"})
    assert "Текущий пароль введён неверно." in bad.content.decode()
    good = client.post(url, {"old_password": PASSWORD, "new_password1": "Nov-Parol-2026!",
                             "new_password2": "Nov-Parol-2026!"})
    assert good.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Nov-Parol-2026!")
    assert AuditEntry.objects.filter(action="core.password.changed", actor=user).exists()
    # the session survives the change
    assert client.get(reverse("core:home")).status_code == 200


def test_username_equal_to_another_users_email_logs_in_the_username(client, world_a):
    from tests.factories import UserFactory

    UserFactory(username="staff_a@example.org", email="other@example.org", password=PASSWORD)
    response = _login(client, "staff_a@example.org", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] != str(world_a.regional_staff.pk)


def test_spellings_of_one_account_share_the_failure_count(client, world_a):
    for login in ("staff_a", "STAFF_A", "staff_a@example.org", "Staff_A", " staff_a"):
        _login(client, login, "wrong-password")
    assert _login(client, "staff_a", PASSWORD).status_code == 429
    assert _login(client, "mun_a", PASSWORD).status_code == 302
