"""Behind the reverse proxy one mistyped password locks one browser, not the region
(issue 22, item 1). Every request reaches the portal from the proxy's address, as nginx in
docker-compose.yml sends it: REMOTE_ADDR is the proxy, X-Forwarded-For ends with the
address the proxy saw."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from conftest import PASSWORD
from core.models import AuditEntry

PROXY = "172.18.0.2"
BROWSER = "203.0.113.7"      # the person who mistyped
COLLEAGUE = "198.51.100.9"   # another school, another address
HOME = "192.0.2.44"          # the same person, from home


@pytest.fixture(autouse=True)
def _behind_one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1


def _login(client, username, password, address, forwarded=""):
    """A login as nginx passes it on: whatever the client sent in X-Forwarded-For, then
    the address nginx saw ($proxy_add_x_forwarded_for); each from a fresh browser."""
    chain = f"{forwarded}, {address}" if forwarded else address
    client.logout()
    return client.post(reverse("login"), {"username": username, "password": password},
                       REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=chain)


def _fail(client, username, address, times, forwarded=""):
    for _ in range(times):
        response = _login(client, username, "wrong-password", address, forwarded)
        assert response.status_code in (200, 429)


def test_five_failures_lock_that_account_from_that_browser_only(client, world_a):
    _fail(client, "staff_a", BROWSER, 5)
    # the account from that browser is locked, even with the right password …
    assert _login(client, "staff_a", PASSWORD, BROWSER).status_code == 429
    # … another account from the same address, and the same account elsewhere, are not
    assert _login(client, "mun_a", PASSWORD, BROWSER).status_code == 302
    assert _login(client, "school_a", PASSWORD, COLLEAGUE).status_code == 302
    assert _login(client, "staff_a", PASSWORD, HOME).status_code == 302


def test_after_the_cool_off_the_same_browser_logs_in(client, world_a, settings):
    _fail(client, "staff_a", BROWSER, 5)
    assert _login(client, "staff_a", PASSWORD, BROWSER).status_code == 429
    # an hour (AXES_COOLOFF_HOURS) later
    past = AccessAttempt.objects.get(username="staff_a").attempt_time - timedelta(
        hours=settings.AXES_COOLOFF_TIME, minutes=1)
    AccessAttempt.objects.update(attempt_time=past)
    assert _login(client, "staff_a", PASSWORD, BROWSER).status_code == 302


def test_a_login_elsewhere_does_not_lift_the_lock_on_the_guessing_browser(client, world_a):
    _fail(client, "staff_a", BROWSER, 5)
    assert _login(client, "staff_a", PASSWORD, HOME).status_code == 302
    assert _login(client, "staff_a", PASSWORD, BROWSER).status_code == 429


def test_a_flood_from_one_address_is_throttled_for_every_account(client, world_a, settings):
    settings.AXES_ADDRESS_FAILURE_LIMIT = 12
    for n in range(12):  # never five on one account: only the address lock can stop it
        _fail(client, f"guess{n}", BROWSER, 1)
    assert _login(client, "mun_a", PASSWORD, BROWSER).status_code == 429
    assert _login(client, "mun_a", PASSWORD, COLLEAGUE).status_code == 302


def test_guessing_one_account_from_many_addresses_locks_the_account(client, world_a,
                                                                   settings):
    settings.AXES_ACCOUNT_FAILURE_LIMIT = 8
    for n in range(8):  # at most two from each address: only the account lock can stop it
        _fail(client, "staff_a", f"203.0.113.{10 + n // 2}", 1)
    assert _login(client, "staff_a", PASSWORD, HOME).status_code == 429
    assert _login(client, "mun_a", PASSWORD, HOME).status_code == 302


def test_default_limits_are_five_twenty_and_a_hundred(settings):
    from core.axes import lockout_limits

    assert lockout_limits(None) == [5, 20, 100]
    assert settings.AXES_COOLOFF_TIME == 1


def test_a_forged_forwarded_for_does_not_move_the_lock(client, world_a):
    # the client writes a new address in front each time; nginx appends the real one
    for n in range(5):
        _login(client, "staff_a", "wrong-password", BROWSER, forwarded=f"10.9.9.{n}")
    assert _login(client, "staff_a", PASSWORD, BROWSER, forwarded="10.9.9.99").status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {BROWSER}


def test_the_audit_trail_records_the_clients_address(client, world_a):
    _login(client, "staff_a", "wrong-password", BROWSER, forwarded="10.9.9.9")
    failed = AuditEntry.objects.get(action="core.login.failed")
    assert failed.ip_address == BROWSER
    assert _login(client, "staff_a", PASSWORD, COLLEAGUE).status_code == 302
    assert AuditEntry.objects.get(action="core.login.succeeded").ip_address == COLLEAGUE
    # an action the user takes afterwards is recorded with the address too
    response = client.post(reverse("core:password_change"), {
        "old_password": PASSWORD, "new_password1": "Nov-Parol-2026!",
        "new_password2": "Nov-Parol-2026!"}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=HOME)
    assert response.status_code == 302
    assert AuditEntry.objects.get(action="core.password.changed").ip_address == HOME


def test_without_a_proxy_the_direct_address_counts_and_forwarded_for_is_ignored(
        client, world_a, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    for n in range(5):
        client.post(reverse("login"), {"username": "staff_a", "password": "x"},
                    REMOTE_ADDR=BROWSER, HTTP_X_FORWARDED_FOR=f"10.9.9.{n}")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {BROWSER}
    response = client.post(reverse("login"), {"username": "staff_a", "password": PASSWORD},
                           REMOTE_ADDR=BROWSER)
    assert response.status_code == 429
    assert "попробуйте снова через час" in response.content.decode()
