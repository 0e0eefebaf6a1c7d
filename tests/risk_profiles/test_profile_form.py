"""The risk profile's one form (issue 23, «forms never lose input»): «Сохранить и отправить»
saves what was typed and sends it in one transaction; an activated risk without its level
or justification is refused per risk, nothing changes, and the typed input comes back."""

import pytest
from django.urls import reverse

from core.models import AuditEntry
from risk_profiles.models import Level, RiskProfile
from risk_profiles.services import (
    ItemChange,
    ProfileIncomplete,
    profile_transition,
    profile_update,
)
from tests.forms import form_fields

from .conftest import activate


def _edit_url(profile):
    return reverse("risk_profiles:profile_edit", args=[profile.public_id])


def _fields(client, profile):
    page = client.get(profile.get_absolute_url()).content.decode()
    return form_fields(page, _edit_url(profile))


def _items(profile):
    return {code: (activated, level, justification, value)
            for code, activated, level, justification, value in profile.items.values_list(
                "factor__code", "activated", "level", "justification", "value")}


def _audit_count(profile):
    return AuditEntry.objects.filter(target_id=str(profile.public_id)).count()


def test_the_page_has_one_form_with_save_and_save_and_send(client, profile_a, world_a):
    client.force_login(world_a.school_coordinator)
    page = client.get(profile_a.get_absolute_url()).content.decode()
    form = page.split(f'action="{_edit_url(profile_a)}"', 1)[1].split("</form>", 1)[0]
    assert "data-unsaved-warning" in form and 'data-unsaved-warning="dirty"' not in form
    assert 'name="action" value="save"' in form and ">Сохранить</button>" in form
    assert 'name="action" value="submit"' in form and ">Сохранить и отправить</button>" in form
    # no second form that would send the profile without the table
    assert reverse("risk_profiles:profile_transition", args=[profile_a.public_id]) not in page


def test_save_and_send_keeps_what_was_typed(client, profile_a, world_a):
    client.force_login(world_a.school_coordinator)
    fields = _fields(client, profile_a)
    fields.update({"R02-activated": "on", "R02-level": "high", "R02-value": "0,71",
                   "R02-justification": "Две вакансии: учитель математики и физики.",
                   "action": "submit"})
    response = client.post(_edit_url(profile_a), fields, follow=True)
    assert "Риск-профиль отправлен куратору на проверку." in response.content.decode()
    profile_a.refresh_from_db()
    assert profile_a.status == RiskProfile.Status.SUBMITTED
    assert profile_a.submitted_by == world_a.school_coordinator
    activated, level, justification, value = _items(profile_a)["R02"]
    assert (activated, level, justification, str(value)) == (
        True, "high", "Две вакансии: учитель математики и физики.", "0.7100")
    actions = list(AuditEntry.objects.filter(target_id=str(profile_a.public_id))
                   .order_by("pk").values_list("action", flat=True))
    assert actions[-2:] == ["risk_profiles.profile.changed", "risk_profiles.profile.submitted"]
    submitted = AuditEntry.objects.get(action="risk_profiles.profile.submitted")
    assert submitted.data["activated"] == ["R02"]


@pytest.mark.parametrize("typed, messages", [
    ({"R02-level": "", "R02-justification": ""},
     ["R02: укажите уровень активированного риска.",
      "R02: напишите обоснование — почему школа будет работать над этим риском."]),
    ({"R02-level": "high", "R02-justification": "   "},
     ["R02: напишите обоснование — почему школа будет работать над этим риском."]),
    ({"R02-level": "", "R02-justification": "Вакансии"},
     ["R02: укажите уровень активированного риска."]),
    ({"R02-level": "none", "R02-justification": "Вакансии"},
     ["R02: уровень «нет риска» не подходит для активированного риска"]),
])
def test_an_activated_risk_without_level_or_justification_is_refused_and_nothing_changes(
        client, profile_a, world_a, typed, messages):
    activate(world_a.school_coordinator, profile_a, "R01")
    before, audits = _items(profile_a), _audit_count(profile_a)
    client.force_login(world_a.school_coordinator)
    fields = _fields(client, profile_a)
    fields.update({"R01-justification": "Новая формулировка, ещё не сохранённая",
                   "R02-activated": "on", "R02-value": "0,71", **typed, "action": "submit"})
    response = client.post(_edit_url(profile_a), fields)
    body = response.content.decode()
    assert response.status_code == 200
    for message in messages:
        assert message in body
    assert "Профиль не отправлен и изменения не сохранены" in body and "(R02)" in body
    # the complete risk carries no error of its own
    assert "R01: укажите" not in body and "R01: напишите" not in body
    # what was typed is shown back, the form is marked as holding unsaved input
    assert "Новая формулировка, ещё не сохранённая" in body
    assert 'name="R02-activated" id="id_R02-activated" checked' in body
    assert 'value="0,71"' in body
    assert 'data-unsaved-warning="dirty"' in body
    # and nothing changed: neither the items, nor the state, nor the journal
    profile_a.refresh_from_db()
    assert profile_a.status == RiskProfile.Status.DRAFT
    assert _items(profile_a) == before
    assert _audit_count(profile_a) == audits


def test_save_alone_keeps_an_unfinished_draft(client, profile_a, world_a):
    """A draft may be incomplete: only sending needs the level and the justification."""
    client.force_login(world_a.school_coordinator)
    fields = _fields(client, profile_a)
    fields.update({"R02-activated": "on", "action": "save"})
    response = client.post(_edit_url(profile_a), fields, follow=True)
    assert "Изменения риск-профиля сохранены." in response.content.decode()
    profile_a.refresh_from_db()
    assert profile_a.status == RiskProfile.Status.DRAFT
    assert _items(profile_a)["R02"][:3] == (True, "", "")


def test_resubmitting_after_return_saves_the_fix_and_checks_it(client, profile_a, world_a):
    activate(world_a.school_coordinator, profile_a, "R01", "R07")
    profile_transition(actor=world_a.school_coordinator, profile=profile_a, action="submit")
    profile_transition(actor=world_a.curator, profile=profile_a, action="return",
                       comment="R07 не подтверждён анкетами — обоснуйте.")
    client.force_login(world_a.school_coordinator)

    # the fix leaves R07's justification empty: refused, still returned, input shown back
    fields = _fields(client, profile_a)
    fields.update({"R07-justification": "", "R11-activated": "on", "R11-level": "medium",
                   "R11-justification": "Уроки без дифференциации", "action": "submit"})
    response = client.post(_edit_url(profile_a), fields)
    body = response.content.decode()
    assert "R07: напишите обоснование" in body and "Уроки без дифференциации" in body
    profile_a.refresh_from_db()
    assert profile_a.status == RiskProfile.Status.RETURNED
    assert not _items(profile_a)["R11"][0]

    fields["R07-justification"] = "По анкетам 64 % родителей не участвуют в жизни школы."
    response = client.post(_edit_url(profile_a), fields, follow=True)
    assert "Риск-профиль отправлен куратору на проверку." in response.content.decode()
    profile_a.refresh_from_db()
    assert profile_a.status == RiskProfile.Status.SUBMITTED
    items = _items(profile_a)
    assert items["R07"][2] == "По анкетам 64 % родителей не участвуют в жизни школы."
    assert items["R11"][:3] == (True, "medium", "Уроки без дифференциации")


def test_the_service_names_every_gap_per_risk(profile_a, world_a):
    profile_update(actor=world_a.school_coordinator, profile=profile_a, changes={
        "R01": ItemChange(activated=True, level=Level.HIGH, justification="Нет лаборатории"),
        "R02": ItemChange(activated=True),
        "R07": ItemChange(activated=True, level=Level.LOW)})
    with pytest.raises(ProfileIncomplete) as caught:
        profile_transition(actor=world_a.school_coordinator, profile=profile_a,
                           action="submit")
    assert sorted(caught.value.problems) == ["R02", "R07"]
    assert sorted(caught.value.problems["R02"]) == ["justification", "level"]
    assert list(caught.value.problems["R07"]) == ["justification"]
    assert str(caught.value).startswith("Профиль не отправлен: R02: укажите уровень")
    profile_a.refresh_from_db()
    assert profile_a.status == RiskProfile.Status.DRAFT


def test_sending_is_the_schools_right_even_through_the_edit_form(client, profile_a, world_a):
    """«Сохранить и отправить» needs the right to send, checked before anything is saved:
    the school's curator is refused (403) and nothing changes."""
    before = _items(profile_a)
    client.force_login(world_a.curator)
    response = client.post(_edit_url(profile_a), {"R01-activated": "on", "R01-level": "high",
                                                  "R01-justification": "x", "action": "submit"})
    assert response.status_code == 403
    profile_a.refresh_from_db()
    assert profile_a.status == RiskProfile.Status.DRAFT and _items(profile_a) == before
