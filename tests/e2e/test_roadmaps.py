"""The electronic roadmap in a browser: the school coordinator starts the school's roadmap
of 2022 and writes two measures under an activated risk → marks the first one done with a
PDF (a completion without a file is refused) → the curator confirms the evidence on its
document page → regional staff see the progress, the overdue list, the plan-schedule and the
regional roadmap's timeline, on a desktop and on a phone."""

import re

import pytest
from playwright.sync_api import expect

from tests.files import pdf_bytes

from .conftest import login, shot

pytestmark = pytest.mark.e2e

SCHOOL = "pervomayskaya.school"
CURATOR = "lastovyrya"
STAFF = "rostov.region"
SCHOOL_NAME = "МБОУ Первомайская СОШ"
ROADMAP = f"Дорожная карта: {SCHOOL_NAME}, 2022"
REGIONAL = "Комплекс мер поддержки ШНОР и ШССУ Ростовской области на 2020–2023 годы"
STAGE = "Мероприятия первого полугодия выполнены"
FIRST = "Педсовет «Причины низких результатов ВПР по математике» с решениями"
SECOND = "Индивидуальные образовательные маршруты для обучающихся группы риска"
PDF = pdf_bytes("roadmap evidence")


def _switch(page, base_url, username):
    page.context.clear_cookies()
    login(page, base_url, username)
    page.wait_for_load_state("load")


def _school_and_risk():
    from roadmaps.selectors import activated_risks
    from schools.models import School

    school = School.objects.get(short_name=SCHOOL_NAME)
    risks = activated_risks(school, 2022)
    assert risks, "the demo's 2022 risk profile of the school activates risks"
    return school, risks[0]


def _add_measure(page, risk_label, activity, deadline, responsible):
    form = page.locator("#item-new")
    if form.get_attribute("open") is None:
        form.get_by_text("Добавить мероприятие").click()
    form.get_by_label("Риск, на который направлено мероприятие").select_option(label=risk_label)
    form.get_by_label("Мероприятие", exact=True).fill(activity)
    form.get_by_label("Срок (как в документе)").fill(deadline)
    form.get_by_label("Ответственные", exact=True).fill(responsible)
    form.get_by_label("Этап план-графика").select_option(label=f"{STAGE} (до 30.06.2022)")
    form.get_by_role("button", name="Добавить", exact=True).click()
    page.wait_for_load_state("load")


def _measure_row(page, activity):
    return page.get_by_role("row").filter(has_text=activity)


def test_roadmap_journey(demo_site, page, phone_page):
    url = demo_site.url
    school, risk = _school_and_risk()
    risk_label = f"{risk.code}. {risk.title}"
    page.on("dialog", lambda dialog: dialog.accept())

    # 1. the coordinator starts the roadmap and writes two measures under an activated risk
    _switch(page, url, SCHOOL)
    page.goto(f"{url}/schools/{school.public_id}/")
    page.get_by_role("link", name="Дорожная карта 2022 года").click()
    expect(page.get_by_role("heading", name="Дорожная карта школы на 2022 год")).to_be_visible()
    expect(page.get_by_text("Дорожная карта школы на 2022 год ещё не начата.")).to_be_visible()
    expect(page.get_by_text(risk_label)).to_be_visible()
    page.get_by_role("button", name="Начать дорожную карту").click()
    expect(page.get_by_text("Дорожная карта школы начата.")).to_be_visible()
    expect(page.get_by_role("heading", name=ROADMAP)).to_be_visible()
    assert page.url.startswith(f"{url}/documents/plans/")

    _add_measure(page, risk_label, FIRST, "март 2022", "Заместитель директора по УВР")
    expect(page.get_by_text("Мероприятие добавлено. Срок: 01.03.2022 — 31.03.2022.")
           ).to_be_visible()
    _add_measure(page, risk_label, SECOND, "01.04.2022 - 12.04.2022", "Классные руководители")
    expect(page.get_by_text("Мероприятие добавлено. Срок: 01.04.2022 — 12.04.2022.")
           ).to_be_visible()
    items = page.locator("table.items tbody tr")
    expect(items).to_have_count(2)
    for activity in (FIRST, SECOND):
        expect(_measure_row(page, activity).locator(".badge")).to_have_text("просрочено")
    expect(page.get_by_role("heading", name=re.compile(rf"^{risk.code}\."))).to_be_visible()
    expect(page.get_by_text("Выполнено 0 из 2 (0%)")).to_be_visible()
    shot(page, "roadmaps-school-roadmap")

    # 2. the first measure: a completion without a file is refused, then done with a PDF
    page.get_by_role("link", name=FIRST).click()
    expect(page.get_by_role("heading", name="Мероприятие", exact=True)).to_be_visible()
    expect(page.locator(".page-head .badge")).to_have_text("просрочено")
    item_url = page.url
    complete = page.locator("#complete")
    complete.get_by_label("Дата выполнения").fill("2022-03-25")
    complete.get_by_label("Отметка о выполнении (что сделано)").fill(
        "Педсовет проведён 25.03.2022, протокол № 7.")
    complete.get_by_role("button", name="Отметить и отправить куратору").click()
    page.wait_for_load_state("load")
    expect(page.get_by_role("alert").filter(has_text="нужен подтверждающий документ")
           ).to_be_visible()
    expect(page.locator(".page-head .badge")).to_have_text("просрочено")
    expect(page.get_by_text("Файлов пока нет.")).to_be_visible()
    done_term = page.get_by_role("term").filter(has_text=re.compile("^Выполнено$"))
    expect(done_term).to_have_count(0)

    complete.get_by_label("Дата выполнения").fill("2022-03-25")
    complete.get_by_label("Отметка о выполнении (что сделано)").fill(
        "Педсовет проведён 25.03.2022, протокол № 7.")
    complete.get_by_label("Подтверждающий документ").set_input_files(files=[{
        "name": "Протокол педсовета.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    complete.get_by_role("button", name="Отметить и отправить куратору").click()
    expect(page.get_by_text("Мероприятие отмечено выполненным. Подтверждающий документ "
                            "отправлен куратору на проверку.")).to_be_visible()
    assert page.url == item_url
    expect(page.locator(".page-head .badge")).to_have_text("ждёт подтверждения куратора")
    expect(done_term).to_have_count(1)
    expect(page.get_by_text("25.03.2022, отметила Школьникова М.В.")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("версия 1: Протокол педсовета.pdf"))
           ).to_be_visible()
    shot(page, "roadmaps-measure")

    # 3. the curator confirms the evidence on its document page
    _switch(page, url, CURATOR)
    page.goto(item_url)
    expect(page.locator(".page-head .badge")).to_have_text("ждёт подтверждения куратора")
    page.get_by_role("region", name="Подтверждение").get_by_role("link").first.click()
    page.wait_for_load_state("load")
    expect(page.get_by_role("heading", name=re.compile("Решение куратора по версии 1"))
           ).to_be_visible()
    page.get_by_role("button", name="Подтвердить", exact=True).click()
    expect(page.get_by_text("Документ подтверждён.")).to_be_visible(timeout=20_000)
    page.goto(item_url)
    expect(page.locator(".page-head .badge")).to_have_text("подтверждено куратором")
    expect(page.locator("#complete")).to_have_count(0)

    # 4. regional staff: progress, the overdue list, the plan-schedule, the timeline
    _switch(page, url, STAFF)
    page.goto(f"{url}/documents/plans/")
    expect(page.get_by_role("heading", name="Дорожные карты", exact=True)).to_be_visible()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=ROADMAP))
    expect(row).to_have_count(1)
    expect(row.locator("td").nth(2)).to_have_text("2")
    expect(row.locator("td").nth(3)).to_contain_text("50%")
    expect(row.locator("td progress")).to_have_attribute("value", "1")
    expect(row.locator("td progress")).to_have_attribute("max", "2")
    expect(row.locator("td").nth(4)).to_have_text("1")

    page.get_by_role("link", name="Просроченные мероприятия").click()
    expect(page.get_by_role("heading", name="Просроченные мероприятия")).to_be_visible()
    page.get_by_label("Поиск").fill("Первомайская")
    page.get_by_label("Только мои").uncheck()
    page.get_by_role("button", name="Показать").click()
    expect(page.get_by_role("heading", name="Мероприятий: 1")).to_be_visible()
    overdue = page.get_by_role("row").filter(has_text=SECOND)
    expect(overdue).to_have_count(1)
    expect(overdue.locator("td").first).to_contain_text("12.04.2022")
    expect(overdue).to_contain_text(ROADMAP)
    expect(overdue.locator(".badge")).to_have_text("просрочено")
    expect(page.get_by_role("row").filter(has_text=FIRST)).to_have_count(0)
    shot(page, "roadmaps-overdue")

    page.get_by_role("link", name="Сбросить").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Мероприятий: \d+"))).to_be_visible()
    page.goto(f"{url}/documents/plans/")
    page.locator("#main").get_by_role("link", name="План-график").click()
    page.get_by_label("Год").select_option("2022")
    page.get_by_role("button", name="Показать").click()
    expect(page.get_by_role("heading", name="План-график 2022 года")).to_be_visible()
    stages = page.get_by_role("region", name="Этапы план-графика")
    expect(stages.get_by_role("row")).to_have_count(5)
    expect(stages.get_by_role("rowheader", name=STAGE)).to_be_visible()
    expect(stages.get_by_role("row").filter(has_text=STAGE).locator("td").first
           ).to_have_text("30.06.2022")
    schools = page.get_by_role("region", name="Выполнение этапов школами")
    expect(schools.get_by_role("columnheader", name=re.compile(STAGE))).to_be_visible()
    # both measures belong to the stage: one of two confirmed, the stage is past due
    school_row = schools.get_by_role("row").filter(has_text=SCHOOL_NAME)
    expect(school_row.locator("td.stage-cell").last).to_have_text("✗1 из 2")
    shot(page, "roadmaps-schedule")

    page.goto(f"{url}/documents/plans/")
    page.get_by_role("link", name=REGIONAL).click()
    expect(page.get_by_role("heading", name=REGIONAL)).to_be_visible()
    page.get_by_role("link", name="Временная шкала").click()
    expect(page.get_by_role("heading", name="Временная шкала")).to_be_visible()
    expect(page.locator(".gantt__bar")).to_have_count(50)
    expect(page.locator(".gantt__row--head .gantt__tick")).to_have_text(
        ["2020", "2021", "2022", "2023"])
    timeline_url = page.url
    shot(page, "roadmaps-timeline")

    # 5. the same on a phone
    login(phone_page, url, STAFF)
    phone_page.wait_for_load_state("load")
    phone_page.goto(f"{url}/documents/plans/")
    expect(phone_page.get_by_role("link", name=ROADMAP)).to_be_visible()
    shot(phone_page, "roadmaps-list-phone")
    phone_page.goto(timeline_url)
    expect(phone_page.locator(".gantt__bar")).to_have_count(50)
    shot(phone_page, "roadmaps-timeline-phone")
