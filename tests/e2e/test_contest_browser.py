"""The contest in a browser: regional staff open a 2026 edition with the six nominations and
seat three РМА jurors; the school applies (a wrong file refused first); jurors are assigned
automatically and score blind (a score out of range refused); regional staff close the
review, award the place and publish; the winner is on the public page and in the bank."""

import datetime

import pytest
from playwright.sync_api import expect

from tests.files import pdf_bytes

from .conftest import login, shot

pytestmark = pytest.mark.e2e
NOMINATION = "Опыт профилактики учебной неуспешности обучающихся"
JURORS = ["jury.azov", "jury.bataysk", "jury.novocherkassk"]
TITLE = "Каждый ученик успешен: система поддержки"
PDF = {"name": "Практика.pdf", "mimeType": "application/pdf",
       "buffer": pdf_bytes("practice of Pervomayskaya")}
PNG = {"name": "Практика.pdf", "mimeType": "application/pdf",
       "buffer": b"\x89PNG\r\n\x1a\n0000000000"}


def _as(page, base, username):
    page.context.clear_cookies()
    login(page, base, username)


def _advance(page, edition_url, button):
    page.goto(edition_url)
    page.get_by_role("button", name=button).click()
    expect(page.get_by_text("Конкурс переведён на следующий этап")).to_be_visible()


def test_school_applies_jurors_score_region_publishes_winner_in_bank(demo_site, page,
                                                                     phone_page):
    from contests.models import Application
    from methodists.models import Methodist

    base = demo_site.url
    today = datetime.date.today()
    page.on("dialog", lambda dialog: dialog.accept())
    names = {u: Methodist.objects.get(user__username=u).full_name for u in JURORS}

    # regional staff: a new edition with the six nominations, open for applications
    _as(page, base, "rostov.region")
    page.goto(f"{base}/contests/?region=61")
    page.get_by_role("link", name="Создать конкурс года").click()
    page.locator("#id_year").fill("2026")
    page.get_by_label("Начало приёма заявок").fill(str(today - datetime.timedelta(days=1)))
    page.get_by_label("Окончание приёма заявок").fill(str(today + datetime.timedelta(days=10)))
    page.get_by_label("Окончание экспертизы").fill(str(today + datetime.timedelta(days=20)))
    page.get_by_label("Подведение итогов").fill(str(today + datetime.timedelta(days=25)))
    page.get_by_label("Публикация итогов").fill(str(today + datetime.timedelta(days=30)))
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_role("heading", name="«Наша история успеха» 2026")).to_be_visible()
    expect(page.locator("#noms-h + .table-wrap tbody tr")).to_have_count(6)
    edition_url = page.url
    _advance(page, edition_url, "Открыть приём заявок")

    page.get_by_role("link", name=f"4. {NOMINATION}").click()
    nomination_url = page.url
    for i, username in enumerate(JURORS):
        if i:
            page.locator("summary", has_text="Включить методиста РМА в жюри").click()
        option = page.locator("#id_methodist option", has_text=names[username]).first
        page.get_by_label("Методист РМА").select_option(option.get_attribute("value"))
        if i == 0:
            page.get_by_label("Председатель жюри номинации").check()
        page.get_by_role("button", name="Включить в жюри").click()
        expect(page.get_by_text("Методист включён в жюри")).to_be_visible()
    expect(page.locator(".badge", has_text="председатель")).to_have_count(1)

    # the school: a PNG named .pdf is refused, a PDF is accepted
    _as(page, base, "pervomayskaya.school")
    page.goto(edition_url)
    page.get_by_role("link", name="Подать заявку").click()
    page.get_by_label("Номинация").select_option(label=f"4. {NOMINATION}")
    page.get_by_label("Название практики").fill(TITLE)
    page.get_by_label("Авторы (ФИО, должность)").fill("Иванова Анна Петровна, завуч")
    page.get_by_label("Краткое описание практики").fill("Ранняя диагностика трудностей.")
    page.get_by_label("Файл с материалами практики").set_input_files(PNG)
    page.get_by_role("button", name="Подать заявку").click()
    expect(page.get_by_text("по содержимому это изображение PNG")).to_be_visible()
    assert not Application.objects.filter(title=TITLE).exists()
    page.get_by_label("Файл с материалами практики").set_input_files(PDF)
    page.get_by_role("button", name="Подать заявку").click()
    expect(page.get_by_text("Заявка подана")).to_be_visible()
    shot(page, "contest-application")

    # regional staff: automatic assignment, then the review starts
    _as(page, base, "rostov.region")
    page.goto(nomination_url)
    page.get_by_role("button", name="Назначить автоматически").click()
    expect(page.get_by_text("Назначено экспертов: 3")).to_be_visible()
    shot(page, "contest-assignment")
    _advance(page, edition_url, "Начать экспертизу")

    # each juror: blind, a score out of range refused, then sent
    for i, username in enumerate(JURORS):
        _as(page, base, username)
        page.goto(f"{base}/contests/reviews/")
        page.get_by_role("link", name=TITLE).click()
        for other in JURORS:
            if other != username:
                expect(page.get_by_text(names[other])).to_have_count(0)
        boxes = page.locator("input[type=number]")
        if i == 0:
            boxes.first.fill("11")
            for k in range(1, boxes.count()):
                boxes.nth(k).fill("5")
            page.get_by_role("button", name="Отправить оценку").click()
            expect(page.get_by_text("от 0 до 10, а не 11")).to_be_visible()
            shot(page, "contest-review-error")
        for k in range(boxes.count()):
            boxes.nth(k).fill(str(8 + i % 2))
        page.get_by_role("button", name="Отправить оценку").click()
        expect(page.get_by_text("Оценка отправлена").first).to_be_visible()

    # regional staff: close the review, award I место with the bank, publish
    _as(page, base, "rostov.region")
    _advance(page, edition_url, "Завершить экспертизу")
    page.goto(nomination_url)
    row = page.locator("#ranking tbody tr", has_text=TITLE)
    expect(row.locator("td").first).to_have_text("1")
    row.locator("select[name=place]").select_option("1")
    row.get_by_label("в банк").check()
    row.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_text("Решение сохранено")).to_be_visible()
    shot(page, "contest-ranking")
    _advance(page, edition_url, "Опубликовать итоги")
    application = Application.objects.get(title=TITLE)
    diploma = page.request.get(f"{base}/contests/applications/{application.public_id}/"
                               "diploma.pdf")
    assert diploma.ok and diploma.body().startswith(b"%PDF")

    # the public page needs no login; the school finds its practice in the bank
    page.context.clear_cookies()
    page.goto(f"{base}/contests/winners/61/2026/")
    expect(page.get_by_text("МБОУ Первомайская СОШ")).to_be_visible()
    expect(page.get_by_text("I место")).to_be_visible()
    _as(page, base, "pervomayskaya.school")
    page.goto(f"{base}/contests/bank/?region=61")
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    shot(page, "contest-bank")
    login(phone_page, base, "pervomayskaya.school")
    phone_page.goto(f"{base}/contests/bank/?region=61&q=успешен")
    expect(phone_page.get_by_role("link", name=TITLE)).to_be_visible()
    shot(phone_page, "contest-bank-phone")
