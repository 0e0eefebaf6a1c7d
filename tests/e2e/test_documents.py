"""The document journey in a browser (issue 6): the coordinator uploads the Концепция and
two anti-risk programmes (and the rest of the year's set) → the curator returns one with a
reason and a comment → the coordinator sees it and uploads a fixed version → the curator
approves → the checklist is complete; the bell rings on both sides."""

import io
import re

import pytest
from playwright.sync_api import expect

from tests.files import pdf_bytes

from .conftest import go, login, shot

pytestmark = pytest.mark.e2e

SCHOOL = "pervomayskaya.school"
CURATOR = "lastovyrya"


def _docx(*paragraphs):
    import docx

    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _switch(page, base_url, username):
    page.context.clear_cookies()
    login(page, base_url, username)


def _upload_row(page, row_name, file_name, content, mime="application/pdf"):
    page.get_by_role("row", name=re.compile(row_name)).get_by_role("link",
                                                                  name="Загрузить").click()
    page.get_by_label("Файл документа").set_input_files(
        files=[{"name": file_name, "mimeType": mime, "buffer": content}])
    page.get_by_role("button", name="Загрузить", exact=True).click()
    expect(page.get_by_text("Документ отправлен куратору на проверку")).to_be_visible()
    page.get_by_role("link", name="чек-лист школы").click()


def _open_in_queue(page, title):
    row = page.get_by_role("row").filter(has_text=title).filter(has_text="Первомайская")
    row.get_by_role("link").first.click()


def _approve(page):
    # the PDF preview loads in an iframe; on a busy 2-core machine let the page settle
    page.wait_for_load_state("load")
    page.get_by_role("button", name="Подтвердить", exact=True).click()
    expect(page.get_by_text("Документ подтверждён.")).to_be_visible(timeout=20_000)


def _bell(page):
    return page.get_by_role("link", name=re.compile("^Уведомления"))


def test_document_journey_from_school_to_curator_and_back(demo_site, page, phone_page):
    url = demo_site.url
    _switch(page, url, SCHOOL)
    page.get_by_role("link", name=re.compile("документы 2022 года")).click()
    expect(page.get_by_role("heading", name="Документы школы на 2022 год")).to_be_visible()
    expect(page.get_by_text("Подтверждено 0 из 5")).to_be_visible()
    expect(page.get_by_text("Нет антирисковой программы по активированным рискам (2)")
           ).to_be_visible()
    shot(page, "documents-checklist-empty")

    concept = _docx("Концепция развития МБОУ Первомайской СОШ", "Анализ рисков", "Цели")
    _upload_row(page, "^Концепция развития", "Концепция.docx", concept,
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    _upload_row(page, "Антирисковая программа: R01", "Программа R01.pdf",
                pdf_bytes("R01 v1"))
    _upload_row(page, "Антирисковая программа: R07", "Программа R07.pdf",
                pdf_bytes("R07"))
    _upload_row(page, "^Самодиагностика", "Самодиагностика.pdf", pdf_bytes("self"))
    _upload_row(page, "^Среднесрочная программа", "Программа.pdf", pdf_bytes("mid"))
    expect(page.get_by_text("загружено 5 из 5")).to_be_visible()

    # the curator: five documents in the queue, the bell says so
    _switch(page, url, CURATOR)
    expect(_bell(page)).to_contain_text(re.compile(r"\d+ непрочитанных"))
    _bell(page).click()
    page.get_by_role("link", name="Непрочитанные").click()
    expect(page.get_by_role("button", name=re.compile("^Новое: На проверку: .*Первомайская"))
           ).to_have_count(5)
    go(page, "Очередь проверки")
    # the demo's own waiting programmes (and a measure's evidence) are in the queue too
    expect(page.get_by_role("heading", name="Документы ждут проверки: 8")).to_be_visible()
    shot(page, "documents-queue")
    _open_in_queue(page, "Антирисковая программа: R01")
    page.get_by_label("Анализ не отражает причины возникновения рисков").check()
    page.get_by_label("Комментарий для школы (что исправить)").fill(
        "Опишите, почему у школы низкий уровень оснащения.")
    page.get_by_role("button", name="Вернуть на доработку").click()
    # each decision leads on to the next document of the queue, oldest first
    expect(page.get_by_text(re.compile(r"^Документ возвращён школе на доработку\. .*"
                                       r"Следующий в очереди: «Антирисковая программа: R07")
                            )).to_be_visible()
    page.on("dialog", lambda dialog: dialog.accept())
    page.set_viewport_size({"width": 1366, "height": 900})
    shot(page, "documents-next-in-queue")
    for title in ("Антирисковая программа: R07", "Самодиагностика",
                  "Среднесрочная программа развития"):
        expect(page.get_by_role("heading", level=1, name=re.compile(f"^{title}"))
               ).to_be_visible()
        _approve(page)
    # past the newest the queue goes round to the oldest one still waiting
    expect(page.get_by_text("Следующий в очереди:")).to_be_visible()
    page.goto(f"{url}/curators/queue/")
    _open_in_queue(page, "Концепция развития")
    _approve(page)

    # the school: the bell, the reasons next to the version, a fixed version
    _switch(page, url, SCHOOL)
    expect(_bell(page)).to_contain_text("5")
    _bell(page).click()
    page.get_by_role("button", name=re.compile(r"R01.*: возвращена на доработку")).click()
    expect(page.get_by_text("Версия 1 возвращена на доработку")).to_be_visible()
    expect(page.get_by_role("status").get_by_text(
        "Анализ не отражает причины возникновения рисков")).to_be_visible()
    shot(page, "documents-returned")
    page.get_by_label("Файл документа").set_input_files(files=[{
        "name": "Программа R01 исправленная.pdf", "mimeType": "application/pdf",
        "buffer": pdf_bytes("R01 v2 with causes")}])
    page.get_by_label("Примечание к версии (что изменено)").fill("Добавлен анализ причин")
    page.get_by_role("button", name="Загрузить версию").click()
    expect(page.get_by_text("Версия 2 загружена")).to_be_visible()

    # the curator compares the fix with the returned version and approves it right there
    _switch(page, url, CURATOR)
    page.goto(f"{url}/curators/queue/")
    _open_in_queue(page, "Антирисковая программа: R01")
    page.get_by_role("link", name="Сравнить версии").click()
    expect(page.get_by_role("heading", name="Что изменилось")).to_be_visible()
    expect(page.get_by_role("heading", name="Решение куратора по версии 2")).to_be_visible()
    shot(page, "documents-compare-decision")
    login(phone_page, url, CURATOR)
    phone_page.goto(page.url)
    phone_page.get_by_role("button", name="Вернуть на доработку").scroll_into_view_if_needed()
    shot(phone_page, "documents-compare-decision-phone")
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Подтвердить", exact=True).click()
    expect(page.get_by_text(re.compile(r"^Документ подтверждён\. .*(Следующий в очереди|"
                                       r"Очередь пуста)"))).to_be_visible(timeout=20_000)
    shot(page, "documents-approved")
    phone_page.goto(f"{url}/curators/queue/")
    shot(phone_page, "documents-queue-phone")

    # the checklist is complete
    _switch(page, url, SCHOOL)
    page.get_by_role("link", name=re.compile("документы 2022 года")).click()
    expect(page.get_by_text("Подтверждено 5 из 5")).to_be_visible()
    expect(page.get_by_text("все документы подтверждены")).to_be_visible()
    shot(page, "documents-checklist-complete")

    _switch(phone_page, url, SCHOOL)
    phone_page.get_by_role("link", name=re.compile("документы 2022 года")).click()
    expect(phone_page.get_by_text("Подтверждено 5 из 5")).to_be_visible()
    shot(phone_page, "documents-checklist-phone")
