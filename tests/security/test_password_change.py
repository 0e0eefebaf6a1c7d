"""The current-password check of «Сменить пароль» is throttled and audited (issue 22,
item 8): a stolen session cannot guess the password there."""

from datetime import timedelta

from django.urls import reverse

from conftest import PASSWORD
from core.models import AuditEntry


def _change(client, current):
    return client.post(reverse("core:password_change"), {
        "old_password": current, "new_password1": "Nov-Parol-2026!",
        "new_password2": "Nov-Parol-2026!"})


def test_wrong_current_passwords_are_audited_and_blocked_after_five(client, world_a,
                                                                    settings):
    user = world_a.curator
    client.force_login(user)
    for _ in range(4):
        assert "Текущий пароль введён неверно." in _change(client, "guess").content.decode()
    # the fifth wrong one blocks the check …
    assert "Смена пароля заблокирована на час" in _change(client, "guess").content.decode()
    # … so even the right password is not checked now
    page = _change(client, PASSWORD).content.decode()
    assert "Смена пароля заблокирована на час" in page
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert AuditEntry.objects.filter(actor=user,
                                     action="core.password.check_failed").count() == 5
    assert AuditEntry.objects.filter(actor=user, action="core.password.check_locked").exists()
    # after the cool-off the right password changes it
    AuditEntry.objects.filter(actor=user).update(
        created_at=AuditEntry.objects.latest("created_at").created_at
        - timedelta(hours=settings.AXES_COOLOFF_TIME, minutes=1))
    assert _change(client, PASSWORD).status_code == 302
    user.refresh_from_db()
    assert user.check_password("Nov-Parol-2026!")


def test_one_users_failures_do_not_block_another(client, world_a):
    client.force_login(world_a.curator)
    for _ in range(5):
        _change(client, "guess")
    client.force_login(world_a.regional_staff)
    assert _change(client, PASSWORD).status_code == 302
