"""The risk-profile journey in a browser: the coordinator fills and submits, the curator
returns with a comment, the coordinator fixes, the curator verifies, the region sees the
distribution change."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import go, login, shot

pytestmark = pytest.mark.e2e


def _switch(page, base_url, username):
    page.context.clear_cookies()
    login(page, base_url, username)


def _verified_count(page, base_url, code):
    page.goto(f"{base_url}/risks/distribution/?year=2022&status=verified")
    row = page.get_by_role("row", name=re.compile(rf"^{code}\."))
    return int(row.locator("td").first.inner_text())


def test_profile_journey_from_school_to_curator_to_region(demo_site, page):
    url = demo_site.url
    login(page, url, "rostov.region")
    assert _verified_count(page, url, "R02") == 0
    assert _verified_count(page, url, "R01") == 2
    expect(page.locator("#risk-chart .main-svg").first).to_be_visible()  # plotly drew it
    shot(page, "risk-distribution-before")

    # the school coordinator opens its draft from the home page and fills it
    _switch(page, url, "pervomayskaya.school")
    page.get_by_role("link", name=re.compile("профиль 2022 года")).first.click()
    expect(page.get_by_role("heading", name="Риск-профиль 2022 года")).to_be_visible()
    page.get_by_label("R02: активировать").check()
    page.get_by_label("R02: уровень риска").select_option(label="высокий")
    page.get_by_label("R02: значение ФИОКО").fill("0,71")
    page.get_by_label("R02: обоснование").fill("Две вакансии: учитель математики и физики.")
    page.get_by_role("button", name="Сохранить", exact=True).click()
    expect(page.get_by_text("Изменения риск-профиля сохранены.")).to_be_visible()
    expect(page.get_by_role("heading", name="Активированные риски: 3 из 10")).to_be_visible()
    shot(page, "risk-profile-draft")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Сохранить и отправить").click()
    expect(page.get_by_text("Риск-профиль отправлен куратору на проверку.")).to_be_visible()

    # the curator finds it in its queue and returns it with a comment
    _switch(page, url, "lastovyrya")
    page.get_by_role("link", name="МБОУ Первомайская СОШ, 2022").click()
    page.get_by_label("Комментарий для школы (что исправить)").fill(
        "R07 не подтверждён анкетами родителей — снимите отметку или обоснуйте.")
    page.get_by_role("button", name="Вернуть на доработку").click()
    expect(page.get_by_text("возвращён школе на доработку")).to_be_visible()

    # the coordinator sees the comment, fixes and sends again
    _switch(page, url, "pervomayskaya.school")
    page.get_by_role("link", name=re.compile("профиль 2022 года")).first.click()
    expect(page.get_by_role("status")).to_contain_text(
        "Куратор вернул профиль на доработку")
    expect(page.get_by_role("status")).to_contain_text("R07 не подтверждён анкетами родителей")
    shot(page, "risk-profile-returned")
    page.get_by_label("R07: активировать").uncheck()
    page.once("dialog", lambda dialog: dialog.accept())  # sent with the fix, in one step
    page.get_by_role("button", name="Сохранить и отправить").click()
    expect(page.get_by_text("Риск-профиль отправлен куратору на проверку.")).to_be_visible()

    # the curator verifies; the profile is locked
    _switch(page, url, "lastovyrya")
    page.get_by_role("link", name="МБОУ Первомайская СОШ, 2022").click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Подтвердить профиль").click()
    expect(page.get_by_text("Риск-профиль подтверждён и закрыт для изменений.")).to_be_visible()
    expect(page.get_by_role("button", name="Сохранить", exact=True)).to_have_count(0)
    shot(page, "risk-profile-verified")
    go(page, "Матрица рисков")
    expect(page.get_by_role("rowheader", name="МБОУ Первомайская СОШ")).to_be_visible()
    shot(page, "risk-matrix")

    # the region sees the verified distribution change
    _switch(page, url, "rostov.region")
    assert _verified_count(page, url, "R02") == 1
    assert _verified_count(page, url, "R01") == 3
    shot(page, "risk-distribution-after")


def test_risk_pages_on_a_phone(demo_site, phone_page):
    url = demo_site.url
    login(phone_page, url, "lastovyrya")
    phone_page.goto(f"{url}/risks/matrix/")
    expect(phone_page.get_by_role("heading", name="Активированные риски школ куратора")) \
        .to_be_visible()
    shot(phone_page, "risk-matrix-phone")
    phone_page.get_by_role("link", name="МБОУ СОШ №2").click()
    expect(phone_page.get_by_role("button", name="Подтвердить профиль")).to_be_visible()
    shot(phone_page, "risk-profile-review-phone")
    phone_page.context.clear_cookies()
    login(phone_page, url, "rostov.region")
    phone_page.goto(f"{url}/risks/distribution/")
    expect(phone_page.locator("#risk-chart .main-svg").first).to_be_visible()
    shot(phone_page, "risk-distribution-phone")
