"""A juror is told when applications are assigned to them (issue 23) — by hand or
automatically, one notification per juror and run, with the count agreed; never the staff
who assigned, never another region; nobody when the assignment is rolled back."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import reverse

from contests import services as s
from contests.models import Edition
from core.models import Notification, NotificationChannel, NotificationPreference
from tests.contests.test_contests import _apply, _edition, _first, _juror, _open
from tests.factories import SchoolFactory

KIND = "contests.review.assigned"


@pytest.fixture
def jury(world_a, world_b):
    edition = _open(world_a, _edition(world_a))
    nomination = _first(edition)
    apps = [_apply(edition, nomination, world_a.school_other),
            _apply(edition, nomination, SchoolFactory(municipality=world_a.other_municipality))]
    jurors = [_juror(world_a, world_a.municipality, f"Эксперт{i}") for i in range(3)]
    for m in jurors:
        s.juror_add(actor=world_a.regional_staff, nomination=nomination, methodist=m)
    Notification.objects.all().delete()
    return edition, nomination, apps, jurors


def _told():
    return sorted((n.recipient.username, n.kind) for n in Notification.objects.all())


def test_a_juror_assigned_by_hand_is_told(world_a, jury):
    edition, nomination, apps, jurors = jury
    juror = nomination.jurors.get(methodist=jurors[0])
    s.assignment_create(actor=world_a.regional_staff, application=apps[0], juror=juror)
    assert _told() == [("j_Эксперт0", KIND)]
    n = Notification.objects.get()
    assert n.title == f"{edition}: вам назначены заявки на оценку"
    assert n.body == (f"Номинация «{nomination.title}»: 1 новая заявка. Оценка начнётся, "
                      "когда конкурс перейдёт к экспертизе.")
    assert n.url == reverse("contests:my_reviews") and n.region == world_a.region


def test_in_the_review_stage_the_link_opens_the_assignment(world_a, jury):
    edition, nomination, apps, jurors = jury
    s.edition_advance(actor=world_a.regional_staff, edition=edition,
                      expected=Edition.Stage.APPLICATIONS)
    Notification.objects.all().delete()
    juror = nomination.jurors.get(methodist=jurors[1])
    assignment = s.assignment_create(actor=world_a.regional_staff, application=apps[1],
                                     juror=juror)
    n = Notification.objects.get()
    assert n.url == assignment.get_absolute_url()
    assert n.body.endswith("Оценить их можно уже сейчас.")


def test_automatic_assignment_tells_each_juror_once_with_the_count(world_a, jury):
    edition, nomination, apps, jurors = jury
    result = s.assignments_auto(actor=world_a.regional_staff, nomination=nomination)
    assert result.created == 2 * min(3, edition.jurors_per_application)
    told = list(Notification.objects.filter(kind=KIND))
    assert sorted(n.recipient.username for n in told) == sorted(
        m.user.username for m in jurors if result.loads[nomination.jurors.get(methodist=m).pk])
    assert all("2 новые заявки" in n.body for n in told)
    # a second run assigns nothing and tells nobody
    Notification.objects.all().delete()
    assert s.assignments_auto(actor=world_a.regional_staff, nomination=nomination).created == 0
    assert not Notification.objects.exists()


def test_a_rolled_back_assignment_tells_nobody(world_a, jury):
    edition, nomination, apps, jurors = jury
    juror = nomination.jurors.get(methodist=jurors[0])
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            s.assignment_create(actor=world_a.regional_staff, application=apps[0], juror=juror)
            raise RuntimeError("a later step failed")
    with pytest.raises(s.ContestError):  # the own municipality's school: refused
        s.assignment_create(actor=world_a.regional_staff,
                            application=_apply(edition, nomination, world_a.school2),
                            juror=juror)
    assert not Notification.objects.exists()


def test_the_juror_s_choice_is_honoured(world_a, jury):
    edition, nomination, apps, jurors = jury
    NotificationPreference.objects.create(user=jurors[0].user, kind=KIND,
                                          channel=NotificationChannel.PORTAL)
    s.assignment_create(actor=world_a.regional_staff, application=apps[0],
                        juror=nomination.jurors.get(methodist=jurors[0]))
    assert Notification.objects.get().channel == NotificationChannel.PORTAL
