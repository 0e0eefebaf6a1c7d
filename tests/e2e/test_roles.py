"""Critical journeys in a real browser: every demo role logs in and lands on its home
page; a user of one region cannot open another region's page."""


import pytest
from playwright.sync_api import expect

from schools.models import School

from .conftest import go, login, shot

pytestmark = pytest.mark.e2e

ROLES = [
    # login, a heading the home page must show, text that must be on it
    ("admin", "Регионы портала", "Свердловская область"),
    ("observer", "Регионы портала", "Ростовская область"),
    ("rostov.region", "Мой регион", "муниципалитет"),
    ("shakhty.mun", "Мой муниципалитет", "г. Шахты"),
    ("lastovyrya", "Мои школы и очередь проверки", "МБОУ Первомайская СОШ"),
    ("pervomayskaya.school", "Моя школа", "МБОУ Первомайская СОШ"),
    ("rostov.methodist", "Моя работа в методическом активе", "Ростовская область"),
    ("sverdlovsk.region", "Мой регион", "Свердловская область"),
    ("ku.school27", "Моя школа", "ООШ № 27"),
]


def test_every_demo_role_logs_in_and_sees_its_home(demo_site, page):
    for username, heading, text in ROLES:
        login(page, demo_site.url, username)
        expect(page).to_have_url(f"{demo_site.url}/")
        if heading:
            expect(page.get_by_role("heading", name=heading)).to_be_visible()
        expect(page.get_by_text(text).first).to_be_visible()
        shot(page, f"home-{username}")
        page.locator(".usermenu summary").click()
        page.get_by_role("button", name="Выйти").click()
        expect(page.get_by_role("heading", name="Вход в портал «500+»")).to_be_visible()


def test_wrong_password_shows_one_message(demo_site, page):
    login(page, demo_site.url, "rostov.region", "not-the-password")
    expect(page.get_by_role("alert")).to_have_text("Неверный логин или пароль.")
    shot(page, "login-error")


def test_region_a_user_cannot_open_region_b_school(demo_site, page):
    foreign = School.objects.get(login="sch660027")
    own = School.objects.filter(region__code=61).first()
    login(page, demo_site.url, "rostov.region")
    response = page.goto(f"{demo_site.url}{foreign.get_absolute_url()}")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Страница не найдена")).to_be_visible()
    response = page.goto(f"{demo_site.url}{own.get_absolute_url()}")
    assert response.status == 200
    expect(page.get_by_role("heading", name=own.short_name)).to_be_visible()


def test_school_list_search_and_school_page(demo_site, page, phone_page):
    login(page, demo_site.url, "rostov.region")
    go(page, "Школы")
    page.get_by_label("Поиск").fill("Колодезянская")
    page.get_by_role("button", name="Показать").click()
    shot(page, "school-list-search")
    page.get_by_role("link", name="МОУ Колодезянская СОШ").click()
    expect(page.get_by_role("heading", name="Куратор")).to_be_visible()
    expect(page.get_by_role("region", name="Куратор")).to_contain_text("Ластовыря Л.Ф.")
    expect(page.get_by_role("region", name="Риск-профиль")).to_contain_text(
        "подтверждён куратором")
    shot(page, "school-page")
    login(phone_page, demo_site.url, "lastovyrya")
    expect(phone_page.get_by_role("heading", name="Мои школы и очередь проверки")).to_be_visible()
    shot(phone_page, "phone-home-curator")
    phone_page.goto(f"{demo_site.url}/schools/")
    expect(phone_page.get_by_role("heading", name="Школы")).to_be_visible()
    expect(phone_page.get_by_role("link", name="МБОУ Никольская СОШ")).to_be_visible()
    shot(phone_page, "phone-school-list")


def test_audit_export_job_runs_and_downloads(demo_site, page):
    login(page, demo_site.url, "rostov.region")
    go(page, "Журнал действий")
    page.get_by_role("button", name="Выгрузить в Excel").click()
    expect(page.get_by_text("готово")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Скачать результат").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    shot(page, "job-done")
