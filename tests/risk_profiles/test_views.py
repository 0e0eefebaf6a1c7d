"""Pages of risk profiles: the forms as rendered, permissions (403 inside the scope),
messages, the region view with the chart, the catalogue."""

import json

import pytest
from django.urls import reverse

from core.models import AuditEntry
from risk_profiles.models import RiskFactor, RiskProfile
from risk_profiles.services import profile_create, profile_transition
from tests.forms import form_fields

from .conftest import activate


def _detail(client, profile):
    response = client.get(profile.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_coordinator_fills_the_rendered_form_and_submits(client, profile_a, world_a):
    client.force_login(world_a.school_coordinator)
    page = _detail(client, profile_a)
    edit_url = reverse("risk_profiles:profile_edit", args=[profile_a.public_id])
    fields = form_fields(page, edit_url)
    assert "R01-activated" not in fields and fields["R01-level"] == ""
    assert "R09-level" not in fields  # 2021's factor is not offered in 2022
    fields.update({"R01-activated": "on", "R01-level": "high", "R01-value": "0,62",
                   "R01-justification": "Нет цифровой лаборатории"})
    response = client.post(edit_url, fields, follow=True)
    assert "Изменения риск-профиля сохранены." in response.content.decode()
    item = profile_a.items.get(factor__code="R01")
    assert (str(item.value), item.level, item.activated) == ("0.6200", "high", True)
    # the other factors were posted back unchanged
    assert profile_a.items.filter(activated=True).count() == 1

    page = response.content.decode()
    # one form: «Сохранить и отправить» posts the table with action=submit
    assert reverse("risk_profiles:profile_transition", args=[profile_a.public_id]) not in page
    fields = form_fields(page, edit_url)
    assert fields["R01-activated"] == "on"
    response = client.post(edit_url, {**fields, "action": "submit"}, follow=True)
    assert "Риск-профиль отправлен куратору на проверку." in response.content.decode()
    profile_a.refresh_from_db()
    assert profile_a.status == "submitted"
    # the submitted profile shows no edit form to the school any more
    assert edit_url not in _detail(client, profile_a)


def test_a_bad_value_keeps_the_form_with_a_russian_error(client, profile_a, world_a):
    client.force_login(world_a.school_coordinator)
    edit_url = reverse("risk_profiles:profile_edit", args=[profile_a.public_id])
    fields = form_fields(_detail(client, profile_a), edit_url)
    fields.update({"R01-value": "много", "R01-activated": "on"})
    response = client.post(edit_url, fields)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Введите число, например 0,62." in body and "Изменения не сохранены" in body
    assert not profile_a.items.filter(activated=True).exists()


def test_curator_returns_with_a_comment_the_school_sees_it(client, profile_a, world_a):
    activate(world_a.school_coordinator, profile_a, "R01")
    profile_transition(actor=world_a.school_coordinator, profile=profile_a, action="submit")
    client.force_login(world_a.curator)
    url = reverse("risk_profiles:profile_transition", args=[profile_a.public_id])
    response = client.post(url, {"action": "return", "comment": ""}, follow=True)
    assert "Напишите, что нужно исправить" in response.content.decode()
    client.post(url, {"action": "return", "comment": "Добавьте обоснование R01."})
    client.force_login(world_a.school_coordinator)
    page = _detail(client, profile_a)
    assert "Куратор вернул профиль на доработку" in page and "Добавьте обоснование R01." in page
    assert "Риск-профиль возвращён на доработку" in page  # the history


@pytest.mark.parametrize("persona, action", [
    ("school_coordinator", "verify"), ("regional_staff", "verify"),
    ("municipal_coordinator", "submit"), ("curator", "submit"),
])
def test_actions_outside_the_role_are_403_and_change_nothing(client, profile_a, world_a,
                                                             persona, action):
    activate(world_a.school_coordinator, profile_a, "R01")
    if action == "verify":
        profile_transition(actor=world_a.school_coordinator, profile=profile_a,
                           action="submit")
    before = RiskProfile.objects.get(pk=profile_a.pk).status
    client.force_login(getattr(world_a, persona))
    response = client.post(reverse("risk_profiles:profile_transition",
                                   args=[profile_a.public_id]), {"action": action})
    assert response.status_code == 403
    assert RiskProfile.objects.get(pk=profile_a.pk).status == before


def test_municipal_coordinator_reads_but_cannot_edit(client, profile_a, world_a):
    client.force_login(world_a.municipal_coordinator)
    page = _detail(client, profile_a)
    assert "Факторы риска 2022 года" in page
    assert reverse("risk_profiles:profile_edit", args=[profile_a.public_id]) not in page
    response = client.post(reverse("risk_profiles:profile_edit", args=[profile_a.public_id]),
                           {"R01-activated": "on"})
    assert response.status_code == 403


def test_creating_a_profile_for_a_school_of_another_region_is_404(client, world_a, world_b,
                                                                  catalogue):
    client.force_login(world_a.regional_staff)
    response = client.post(reverse("risk_profiles:profile_create"),
                           {"school": str(world_b.school1.public_id), "year": 2022})
    assert response.status_code == 404
    assert not RiskProfile.objects.exists()


def test_profile_list_offers_schools_without_a_profile(client, world_a, catalogue):
    client.force_login(world_a.regional_staff)
    page = client.get(reverse("risk_profiles:profile_list")).content.decode()
    assert "Школы без риск-профиля на 2022 год: 3" in page
    fields = form_fields(page, reverse("risk_profiles:profile_create"))
    response = client.post(reverse("risk_profiles:profile_create"), fields, follow=True)
    assert "Риск-профиль создан" in response.content.decode()
    assert RiskProfile.objects.count() == 1


def test_distribution_compares_years_and_marks_replaced_factors(client, world_a, catalogue):
    for school, codes, year in ((world_a.school1, ("R01", "R11"), 2022),
                                (world_a.school2, ("R01",), 2022)):
        activate(world_a.regional_staff, profile_create(actor=None, school=school, year=year),
                 *codes)
    client.force_login(world_a.regional_staff)
    response = client.get(reverse("risk_profiles:distribution"), {"year": 2022})
    body = response.content.decode()
    assert "новый в 2022" in body and "исключён в 2022" in body
    assert "не было в каталоге 2021 г." in body and "нет в каталоге 2022 г." in body
    script = body.split('id="risk-chart-data"')[1]
    figure = json.loads(script.split(">", 1)[1].split("</script>")[0])
    current = next(t for t in figure["data"] if t["name"] == "2022")
    shares = dict(zip(current["x"], current["y"], strict=True))
    assert shares["R01"] == 100.0 and shares["R11"] == 50.0 and shares["R08"] is None
    assert "plotly-4.1.1.min.js" in body and "cdn" not in body.lower()


def test_distribution_filters_by_category_and_status(client, world_a, catalogue):
    profile = profile_create(actor=None, school=world_a.school1, year=2022)
    activate(world_a.regional_staff, profile, "R02")
    client.force_login(world_a.regional_staff)
    url = reverse("risk_profiles:distribution")
    verified = client.get(url, {"year": 2022, "status": "verified"}).content.decode()
    assert "По этим условиям риск-профилей нет" in verified
    other = client.get(url, {"year": 2022, "category": "ШНОР"}).content.decode()
    assert "Выберите корректный вариант. ШНОР нет среди допустимых значений." in other
    same = client.get(url, {"year": 2022, "category": "СИЛЬНО НЕУСПЕВАЮЩАЯ"}).content.decode()
    assert '<td class="num">1</td><td class="num nowrap">100,0 %</td>' in same


def test_federal_observer_sees_the_distribution_but_no_profile(client, world_a, catalogue,
                                                               federal_observer):
    profile = profile_create(actor=None, school=world_a.school1, year=2022)
    activate(world_a.regional_staff, profile, "R03")
    # three schools with a profile: fewer would be hidden from the observer (tests/security)
    for school in (world_a.school2, world_a.school_other):
        profile_create(actor=None, school=school, year=2022)
    client.force_login(federal_observer)
    body = client.get(reverse("risk_profiles:distribution"),
                      {"year": 2022, "region": str(world_a.region.code)}).content.decode()
    assert "школы с профилем в 2022" in body and world_a.school1.short_name not in body
    assert client.get(profile.get_absolute_url()).status_code == 404


def test_catalogue_page_and_admin_edit_with_the_frozen_year(client, admin_user, world_a,
                                                            profile_a):
    client.force_login(world_a.regional_staff)
    page = client.get(reverse("risk_profiles:catalogue"), {"year": 2022}).content.decode()
    assert "Риски низкой адаптивности учебного процесса" in page
    assert "Добавить фактор" not in page
    client.force_login(admin_user)
    page = client.get(reverse("risk_profiles:catalogue"), {"year": 2022}).content.decode()
    assert "Изменить каталог этого года нельзя" in page
    factor = RiskFactor.objects.get(year=2022, code="R01")
    response = client.post(reverse("risk_profiles:factor_edit", args=[factor.pk]),
                           {"title": "Другое", "position": 1})
    assert "по нему уже заполнены риск-профили школ (1)" in response.content.decode()
    # 2021 has no profiles: its factor changes
    r08 = RiskFactor.objects.get(year=2021, code="R08")
    url = reverse("risk_profiles:factor_edit", args=[r08.pk])
    fields = form_fields(client.get(url).content.decode(), url)
    fields["title"] = "Низкая учебная мотивация"
    response = client.post(url, fields, follow=True)
    assert "Фактор R08 2021 года изменён." in response.content.decode()
    assert AuditEntry.objects.filter(action="risk_profiles.factor.changed").count() == 1


def test_risk_import_goes_through_the_shared_import_pages(client, world_a, catalogue,
                                                         django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from schools.models import ImportBatch
    from tests.schools.conftest import xlsx

    client.force_login(world_a.regional_staff)
    page = client.get(reverse("schools:import_new"), {"kind": "risk_profiles"}).content.decode()
    assert '<option value="risk_profiles" selected>' in page
    content = xlsx([["Логин", "Что-то", "R01"], [world_a.school1.login, "x", "высокий +"]])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("schools:import_new"), {
            "file": SimpleUploadedFile("riski.xlsx", content), "year": 2022,
            "kind": "risk_profiles", "region": str(world_a.region.code)})
    batch = ImportBatch.objects.get()
    assert batch.target == "risk_profiles" and batch.status == "previewed"
    body = client.get(batch.get_absolute_url()).content.decode()
    assert "новый риск-профиль" in body and "R01. Низкий уровень оснащения школы" in body
    assert "Риск-профилей: 1" not in body  # the school list's wording is not used

    assert "Новых риск-профилей: 1, изменённых: 0." in body  # the confirmation
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("schools:import_apply", args=[batch.public_id]))
    job_page = client.get(response["Location"] + "?stay=1").content.decode()
    assert "Риск-профили загружены: новых 1, изменено 0." in job_page
    assert RiskProfile.objects.get().items.get(factor__code="R01").activated


@pytest.mark.parametrize("persona, missing", [("regional_staff", 2),
                                              ("municipal_coordinator", 1)])
def test_region_and_municipality_home_pages_link_to_the_risks(client, world_a, profile_a,
                                                              persona, missing):
    client.force_login(getattr(world_a, persona))
    page = client.get(reverse("core:home")).content.decode()
    assert "Риск-профили 2022 года в вашей зоне ответственности." in page
    schools = {1: "школа", 2: "школы"}[missing]
    assert f'<span class="stat__value">{missing}</span><span class="stat__label">{schools} без ' \
           'профиля' in page
    assert reverse("risk_profiles:distribution") in page
    assert f'{reverse("risk_profiles:profile_list")}?year=2022' in page
