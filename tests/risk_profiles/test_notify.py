"""Everyone waiting for a risk profile is told (issue 23): a sent profile reaches the
curators assigned to the school for that year; a return, a verification or an unlock
reaches the school's coordinators — never the actor, never another region, and nobody
when the change is rolled back."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction

from core.models import Notification, NotificationChannel, NotificationPreference
from core.roles import Role
from core.services import membership_create
from curators.services import assignment_create
from risk_profiles.services import (
    ItemChange,
    RiskProfileError,
    profile_save_and_submit,
    profile_transition,
)
from tests.factories import UserFactory

from .conftest import activate


def _told():
    return sorted((n.recipient.username, n.kind) for n in Notification.objects.all())


@pytest.fixture
def curator_of_2023(world_a):
    """A second curator of region A, assigned school 1 for 2023 only."""
    user = UserFactory(username="curator_2023", last_name="Будущева")
    membership_create(actor=None, user=user, role=Role.CURATOR, region=world_a.region)
    assignment_create(actor=None, curator=user, school=world_a.school1, year=2023)
    return user


def _submit(world, profile):
    activate(world.school_coordinator, profile, "R01", "R02")
    return profile_transition(actor=world.school_coordinator, profile=profile, action="submit")


def test_a_sent_profile_reaches_the_curators_of_that_year(profile_a, world_a, world_b,
                                                          curator_of_2023):
    profile = _submit(world_a, profile_a)
    assert _told() == [("curator_a", "risk_profiles.profile.submitted")]
    n = Notification.objects.get()
    assert n.title == "Риск-профиль на проверку: Школа a1, 2022 год"
    assert n.body == ("Школа «Школа a1» отправила риск-профиль 2022 года: "
                      "2 активированных фактора риска.")
    assert n.url == profile.get_absolute_url() and n.region == world_a.region


def test_sent_by_regional_staff_the_school_is_not_told_of_it(profile_a, world_a):
    activate(world_a.regional_staff, profile_a, "R01")
    profile_transition(actor=world_a.regional_staff, profile=profile_a, action="submit")
    assert _told() == [("curator_a", "risk_profiles.profile.submitted")]
    assert "1 активированный фактор риска" in Notification.objects.get().body


def test_a_return_and_a_verification_reach_the_school_not_the_curator(profile_a, world_a,
                                                                       world_b):
    _submit(world_a, profile_a)
    Notification.objects.all().delete()
    profile_transition(actor=world_a.curator, profile=profile_a, action="return",
                       comment="Обоснуйте R02 данными мониторинга")
    assert _told() == [("school_a", "risk_profiles.profile.returned")]
    n = Notification.objects.get()
    assert n.title == "Риск-профиль 2022 года возвращён на доработку"
    assert "Что исправить: Обоснуйте R02 данными мониторинга" in n.body
    assert "Кураторова" in n.body

    Notification.objects.all().delete()
    profile_transition(actor=world_a.school_coordinator, profile=profile_a, action="submit")
    assert "после доработки" in Notification.objects.get().body
    Notification.objects.all().delete()
    profile_transition(actor=world_a.curator, profile=profile_a, action="verify")
    assert _told() == [("school_a", "risk_profiles.profile.verified")]
    assert Notification.objects.get().title == "Риск-профиль 2022 года подтверждён"

    Notification.objects.all().delete()
    profile_transition(actor=world_a.curator, profile=profile_a, action="unlock",
                       comment="Ошибка в уровне R01")
    assert _told() == [("school_a", "risk_profiles.profile.returned")]
    assert "Причина: Ошибка в уровне R01" in Notification.objects.get().body


def test_a_refused_or_rolled_back_change_tells_nobody(profile_a, world_a):
    with pytest.raises(RiskProfileError):  # nothing activated: the send is refused
        profile_transition(actor=world_a.school_coordinator, profile=profile_a, action="submit")
    activate(world_a.school_coordinator, profile_a, "R01")
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            profile_transition(actor=world_a.school_coordinator, profile=profile_a,
                               action="submit")
            raise RuntimeError("a later step failed")
    with pytest.raises(RiskProfileError):  # «Сохранить и отправить» without a justification
        profile_save_and_submit(actor=world_a.school_coordinator, profile=profile_a, changes={
            "R01": ItemChange(activated=True, justification="", level="high")})
    assert not Notification.objects.exists()


def test_the_school_s_choice_is_honoured(profile_a, world_a, settings):
    settings.USE_CELERY_BROKER = False
    NotificationPreference.objects.create(user=world_a.school_coordinator,
                                          kind="risk_profiles.profile.returned",
                                          channel=NotificationChannel.PORTAL)
    _submit(world_a, profile_a)
    profile_transition(actor=world_a.curator, profile=profile_a, action="return",
                       comment="Исправьте")
    returned = Notification.objects.get(kind="risk_profiles.profile.returned")
    assert returned.channel == NotificationChannel.PORTAL
    from core.notifications import notifications_deliver

    notifications_deliver()
    assert world_a.school_coordinator.email not in [m.to[0] for m in mail.outbox]
    assert world_a.curator.email in [m.to[0] for m in mail.outbox]
