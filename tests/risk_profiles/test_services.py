"""Catalogue and profile services: states, locking, permissions, bad input, audit."""

import pytest
from django.core.exceptions import PermissionDenied

from core.models import AuditEntry
from core.roles import Role
from core.services import membership_create
from risk_profiles.models import Level, RiskFactor, RiskProfile
from risk_profiles.services import (
    ItemChange,
    RiskProfileError,
    catalogue_copy,
    catalogue_load,
    factor_create,
    factor_delete,
    factor_update,
    profile_create,
    profile_transition,
    profile_update,
)
from tests.factories import UserFactory

from .conftest import activate


def _codes(year):
    return list(RiskFactor.objects.filter(year=year).values_list("code", flat=True))


def _activated(profile):
    return sorted(profile.items.filter(activated=True).values_list("factor__code", flat=True))


# -- the catalogue --------------------------------------------------------------------------------
def test_catalogue_has_ten_factors_each_year_with_r08_r10_replaced_in_2022(catalogue):
    assert catalogue.created == 20
    assert _codes(2021) == [f"R{n:02d}" for n in range(1, 11)]
    assert _codes(2022) == [f"R{n:02d}" for n in (1, 2, 3, 4, 5, 6, 7, 11, 12, 13)]
    r11 = RiskFactor.objects.get(year=2022, code="R11")
    assert (r11.position, r11.title) == (8, "Риски низкой адаптивности учебного процесса")


def test_catalogue_load_twice_changes_nothing(catalogue):
    again = catalogue_load(actor=None)
    assert (again.created, again.unchanged) == (0, 20)
    assert RiskFactor.objects.count() == 20


def test_catalogue_load_refuses_a_file_that_contradicts_the_portal(catalogue, tmp_path):
    path = tmp_path / "factors.csv"
    path.write_text("code,title,position,years\nR01,Другое название,1,2022\n", encoding="utf-8")
    with pytest.raises(RiskProfileError, match="R01 2022 года в портале уже есть"):
        catalogue_load(actor=None, path=path)
    assert RiskFactor.objects.get(year=2022, code="R01").title == "Низкий уровень оснащения школы"


def test_only_an_administrator_changes_the_catalogue(catalogue, world_a, admin_user):
    factor = RiskFactor.objects.get(year=2022, code="R13")
    with pytest.raises(PermissionDenied):
        factor_update(actor=world_a.regional_staff, factor=factor, title="x", position=10)
    factor_update(actor=admin_user, factor=factor, title="Пониженное качество среды",
                  position=10)
    factor.refresh_from_db()
    assert factor.title == "Пониженное качество среды"
    entry = AuditEntry.objects.get(action="risk_profiles.factor.changed")
    assert entry.actor == admin_user
    assert entry.data["old"]["title"].startswith("Пониженный уровень качества")


def test_catalogue_with_profiles_is_frozen_with_a_reason(profile_a, admin_user):
    factor = RiskFactor.objects.get(year=2022, code="R01")
    with pytest.raises(RiskProfileError, match="по нему уже заполнены риск-профили школ \\(1\\)"):
        factor_update(actor=admin_user, factor=factor, title="Новое", position=1)
    with pytest.raises(RiskProfileError, match="изменить нельзя"):
        factor_delete(actor=admin_user, factor=factor)
    with pytest.raises(RiskProfileError, match="изменить нельзя"):
        factor_create(actor=admin_user, year=2022, code="R14", title="Новый", position=11)
    assert RiskFactor.objects.get(pk=factor.pk).title == "Низкий уровень оснащения школы"
    # another year without profiles stays open
    factor_create(actor=admin_user, year=2021, code="R14", title="Новый", position=11)


def test_factor_create_refuses_a_taken_code_or_position_and_a_bad_code(catalogue, admin_user):
    with pytest.raises(RiskProfileError, match="уже есть"):
        factor_create(actor=admin_user, year=2022, code="r01", title="Дубль", position=20)
    with pytest.raises(RiskProfileError, match="номер п/п в этом году уже занят|уже есть"):
        factor_create(actor=admin_user, year=2022, code="R20", title="Дубль", position=1)
    with pytest.raises(RiskProfileError, match="латинская R и две цифры"):
        factor_create(actor=admin_user, year=2022, code="Риск 1", title="Дубль", position=30)
    assert RiskFactor.objects.filter(year=2022).count() == 10


def test_catalogue_copy_starts_a_new_year_once(catalogue, admin_user):
    factors = catalogue_copy(actor=admin_user, source_year=2022, year=2023)
    assert len(factors) == 10 and _codes(2023) == _codes(2022)
    with pytest.raises(RiskProfileError, match="уже есть"):
        catalogue_copy(actor=admin_user, source_year=2021, year=2023)
    with pytest.raises(RiskProfileError, match="Каталога 2019 года нет"):
        catalogue_copy(actor=admin_user, source_year=2019, year=2024)


# -- profiles -------------------------------------------------------------------------------------
def test_profile_create_opens_every_factor_of_the_year(profile_a, world_a):
    assert profile_a.status == RiskProfile.Status.DRAFT
    assert sorted(profile_a.items.values_list("factor__code", flat=True)) == _codes(2022)
    assert profile_a.region == world_a.region
    assert AuditEntry.objects.filter(action="risk_profiles.profile.created",
                                     target_id=str(profile_a.public_id)).exists()


def test_profile_create_refuses_a_second_profile_a_missing_catalogue_and_a_school_off_lists(
        profile_a, world_a, catalogue):
    with pytest.raises(RiskProfileError, match="уже есть риск-профиль на 2022"):
        profile_create(actor=world_a.regional_staff, school=world_a.school1, year=2022)
    with pytest.raises(RiskProfileError, match="Каталог факторов риска на 2024 год не загружен"):
        profile_create(actor=world_a.regional_staff, school=world_a.school1, year=2024)
    with pytest.raises(RiskProfileError, match="не входит в перечни 2021 года"):
        profile_create(actor=world_a.regional_staff, school=world_a.school1, year=2021)
    assert RiskProfile.objects.count() == 1


def test_activating_a_factor_not_in_force_that_year_is_refused_and_changes_nothing(
        profile_a, world_a):
    with pytest.raises(RiskProfileError, match="R09 не входит в каталог 2022 года "
                                               "\\(действовал в 2021 г.\\)"):
        profile_update(actor=world_a.school_coordinator, profile=profile_a, changes={
            "R01": ItemChange(activated=True), "R09": ItemChange(activated=True)})
    assert _activated(profile_a) == []
    assert not AuditEntry.objects.filter(action="risk_profiles.profile.changed").exists()


def test_profile_update_keeps_value_and_level_and_audits_the_diff(profile_a, world_a):
    from decimal import Decimal

    profile_update(actor=world_a.school_coordinator, profile=profile_a, changes={
        "R02": ItemChange(value=Decimal("0.62"), level=Level.HIGH, activated=True,
                          justification="Две вакансии учителей математики")})
    item = profile_a.items.get(factor__code="R02")
    assert (item.value, item.level, item.activated) == (Decimal("0.6200"), "high", True)
    entry = AuditEntry.objects.get(action="risk_profiles.profile.changed")
    assert entry.data["items"]["R02"]["activated"] == [False, True]
    assert entry.data["items"]["R02"]["value"] == [None, "0.62"]


def test_submit_needs_an_activated_risk(profile_a, world_a):
    with pytest.raises(RiskProfileError, match="хотя бы один активированный"):
        profile_transition(actor=world_a.school_coordinator, profile=profile_a,
                           action="submit")
    profile_a.refresh_from_db()
    assert profile_a.status == RiskProfile.Status.DRAFT


def test_the_whole_cycle_submit_return_fix_verify_lock_unlock(profile_a, world_a):
    coordinator, curator = world_a.school_coordinator, world_a.curator
    activate(coordinator, profile_a, "R01", "R07")
    profile_transition(actor=coordinator, profile=profile_a, action="submit")
    profile_a.refresh_from_db()
    assert profile_a.status == "submitted" and profile_a.submitted_by == coordinator

    # on review the school cannot edit
    with pytest.raises(RiskProfileError, match="на проверке у куратора"):
        activate(coordinator, profile_a, "R02")

    with pytest.raises(RiskProfileError, match="Напишите, что нужно исправить"):
        profile_transition(actor=curator, profile=profile_a, action="return", comment="  ")
    profile_transition(actor=curator, profile=profile_a, action="return",
                       comment="R07 не обоснован данными анкет родителей.")
    profile_a.refresh_from_db()
    assert profile_a.status == "returned"
    assert profile_a.comment == "R07 не обоснован данными анкет родителей."

    profile_update(actor=coordinator, profile=profile_a,
                   changes={"R07": ItemChange(activated=False),
                            "R11": ItemChange(activated=True, level=Level.MEDIUM,
                                              justification="Уроки без дифференциации")})
    profile_transition(actor=coordinator, profile=profile_a, action="submit")
    profile_transition(actor=curator, profile=profile_a, action="verify")
    profile_a.refresh_from_db()
    assert profile_a.status == "verified" and profile_a.verified_by == curator
    assert profile_a.reviewed_at is not None
    assert _activated(profile_a) == ["R01", "R11"]

    # verified is locked for everybody, the curator included
    for actor in (coordinator, curator, world_a.regional_staff):
        with pytest.raises(RiskProfileError, match="подтверждён куратором и закрыт"):
            activate(actor, profile_a, "R02")
    assert _activated(profile_a) == ["R01", "R11"]

    with pytest.raises(RiskProfileError, match="Укажите причину разблокировки"):
        profile_transition(actor=curator, profile=profile_a, action="unlock")
    with pytest.raises(RiskProfileError, match="может только куратор, назначенный ей на этот год"):
        profile_transition(actor=coordinator, profile=profile_a, action="unlock",
                           comment="хочу изменить")
    profile_transition(actor=curator, profile=profile_a, action="unlock",
                       comment="ФИОКО прислал уточнённые значения")
    profile_a.refresh_from_db()
    assert profile_a.status == "returned"
    activate(coordinator, profile_a, "R02")
    assert _activated(profile_a) == ["R01", "R02", "R11"]

    actions = list(AuditEntry.objects.filter(target_id=str(profile_a.public_id))
                   .order_by("pk").values_list("action", flat=True))
    assert actions == [
        "risk_profiles.profile.created", "risk_profiles.profile.changed",
        "risk_profiles.profile.submitted", "risk_profiles.profile.returned",
        "risk_profiles.profile.changed", "risk_profiles.profile.submitted",
        "risk_profiles.profile.verified", "risk_profiles.profile.unlocked",
        "risk_profiles.profile.changed",
    ]
    unlock = AuditEntry.objects.get(action="risk_profiles.profile.unlocked")
    assert unlock.actor == curator and unlock.data["comment"] == "ФИОКО прислал уточнённые значения"


def test_a_curator_not_assigned_to_the_school_cannot_verify(profile_a, world_a):
    other = UserFactory(username="curator_other", last_name="Чужова")
    membership_create(actor=None, user=other, role=Role.CURATOR, region=world_a.region)
    activate(world_a.school_coordinator, profile_a, "R01")
    profile_transition(actor=world_a.school_coordinator, profile=profile_a, action="submit")
    for actor in (other, world_a.regional_staff, world_a.school_coordinator):
        with pytest.raises(RiskProfileError,
                           match="может только куратор, назначенный ей на этот год"):
            profile_transition(actor=actor, profile=profile_a, action="verify")
    profile_a.refresh_from_db()
    assert profile_a.status == "submitted" and profile_a.reviewed_by is None


def test_a_curator_of_another_region_cannot_verify(profile_a, world_a, world_b):
    activate(world_a.school_coordinator, profile_a, "R01")
    profile_transition(actor=world_a.school_coordinator, profile=profile_a, action="submit")
    with pytest.raises(RiskProfileError):
        profile_transition(actor=world_b.curator, profile=profile_a, action="verify")
    profile_a.refresh_from_db()
    assert profile_a.status == "submitted"


def test_wrong_state_transitions_say_what_the_state_is(profile_a, world_a):
    with pytest.raises(RiskProfileError, match="Подтвердить можно только профиль, "
                                               "отправленный на проверку, а этот — «черновик»"):
        profile_transition(actor=world_a.curator, profile=profile_a, action="verify")
    with pytest.raises(RiskProfileError, match="Разблокировать можно только подтверждённый"):
        profile_transition(actor=world_a.curator, profile=profile_a, action="unlock",
                           comment="x")
    with pytest.raises(RiskProfileError, match="Неизвестное действие"):
        profile_transition(actor=world_a.curator, profile=profile_a, action="delete")


def test_the_federal_observer_and_the_methodist_change_nothing(profile_a, world_a,
                                                                 federal_observer):
    for actor in (federal_observer, world_a.methodist):
        with pytest.raises(PermissionDenied):
            activate(actor, profile_a, "R01")
        with pytest.raises(RiskProfileError):
            profile_transition(actor=actor, profile=profile_a, action="submit")
    assert _activated(profile_a) == []
