"""The curators' journey in a browser (issue 7): regional staff free a school, then assign
it from the board → the curator sees it and its waiting document in the queue, logs a visit
with evidence, fills and publishes the expertise sheet, and downloads its report as PDF."""

import re

import pytest
from playwright.sync_api import expect

from tests.files import pdf_bytes

from .conftest import go, login, shot

pytestmark = pytest.mark.e2e

STAFF = "rostov.region"
CURATOR = "lastovyrya"
SCHOOL = "МБОУ Обливская СОШ"


def _waiting_document(school_name: str) -> None:
    """A coordinator of the school sends its concept for review (the same services)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from core.roles import Role
    from core.services import membership_create
    from roadmaps.models import DocumentKind
    from roadmaps.services import Slot, document_upload, upload_check
    from schools.models import School
    from tests.factories import UserFactory

    school = School.objects.get(short_name=school_name)
    coordinator = UserFactory(username="oblivskaya.school")
    membership_create(actor=None, user=coordinator, role=Role.SCHOOL_COORDINATOR,
                      school=school)
    f = SimpleUploadedFile("Концепция.pdf", pdf_bytes("oblivskaya concept"))
    document_upload(actor=coordinator, school=school, year=2022,
                    upload=upload_check(f, f.name, f.size),
                    slot=Slot(kind=DocumentKind.objects.get(year=2022, code="concept")))


def _switch(page, base_url, username):
    page.context.clear_cookies()
    login(page, base_url, username)


def test_curator_journey_from_the_board_to_the_report(demo_site, page, phone_page):
    url = demo_site.url
    from schools.models import School

    school_name = School.objects.get(municipality__name="Обливский район").short_name
    _waiting_document(school_name)
    page.on("dialog", lambda dialog: dialog.accept())

    # regional staff: free the school from Горбунько, then assign it to Ластовыря
    _switch(page, url, STAFF)
    go(page, "Кураторы")
    expect(page.get_by_role("heading", name="Кураторы на 2022 год")).to_be_visible()
    page.get_by_role("link", name="Горбунько Ю.П.").click()
    row = page.get_by_role("row").filter(has_text=school_name)
    row.get_by_text("Завершить…").click()
    row.get_by_role("button", name="Завершить назначение").click()
    expect(page.get_by_text("Назначение завершено")).to_be_visible()

    page.goto(f"{url}/curators/")
    expect(page.get_by_role("heading", name="Школы без куратора: 1")).to_be_visible()
    page.get_by_label(school_name).check()
    page.get_by_label("Куратор", exact=True).select_option(label="Ластовыря Л.Ф.")
    page.get_by_label("Приказ", exact=True).first.select_option(index=1)
    page.get_by_role("button", name="Назначить").click()
    expect(page.get_by_text("Ластовыря Л.Ф.: назначено школ — 1.")).to_be_visible()
    expect(page.get_by_text("У всех школ-участниц 2022 года есть куратор.")).to_be_visible()
    shot(page, "curators-board")
    login(phone_page, url, STAFF)
    phone_page.goto(f"{url}/curators/")
    shot(phone_page, "curators-board-phone")

    # the curator: the new school and its waiting concept in the queue
    _switch(page, url, CURATOR)
    expect(page.get_by_role("link", name=school_name).first).to_be_visible()
    go(page, "Очередь проверки")
    expect(page.get_by_role("row").filter(has_text=school_name)).to_have_count(1)

    # a visit in the log, with evidence
    go(page, "Журнал работы")
    page.get_by_text("Добавить запись").click()
    page.get_by_label("Дата", exact=True).fill("2026-11-20")
    page.get_by_label("Вид работы").select_option(label="выезд в школу")
    page.get_by_label("Школа", exact=True).select_option(label=school_name)
    page.get_by_label("Длительность, минут").fill("150")
    page.get_by_label("Что сделано").fill("Выезд в школу: знакомство с командой, план работы.")
    page.get_by_label("Подтверждающий файл").set_input_files(files=[{
        "name": "Акт выезда.pdf", "mimeType": "application/pdf",
        "buffer": pdf_bytes("visit")}])
    page.get_by_role("button", name="Записать").click()
    expect(page.get_by_text("Запись добавлена в журнал.")).to_be_visible()
    expect(page.get_by_role("link", name="Акт выезда.pdf")).to_be_visible()
    shot(page, "curators-log")

    # the expertise sheet of the new school, from its page (the home page lists «Мои школы»)
    page.get_by_role("link", name="Главная").first.click()
    page.get_by_role("link", name=school_name).first.click()
    page.get_by_role("link", name="Заполнить экспертный лист 2022").click()
    for i, points in enumerate([2, 2, 1, 2, 2, 1, 2]):
        page.locator("input[type=number]").nth(i).fill(str(points))
    page.get_by_label("Заключение эксперта").fill("Документы в целом соответствуют.")
    page.get_by_role("button", name="Опубликовать").click()
    expect(page.get_by_text("Экспертный лист опубликован")).to_be_visible()
    expect(page.get_by_text("12 из 14")).to_be_visible()
    expect(page.get_by_text("зелёная зона")).to_be_visible()
    shot(page, "curators-sheet")

    # the report: the page, then the PDF from the worker
    page.goto(f"{url}/curators/report/")
    expect(page.get_by_role("heading", name=re.compile("Отчет по введению кураторства"))
           ).to_be_visible()
    expect(page.get_by_text("Выезд в школу: знакомство с командой")).to_be_visible()
    shot(page, "curators-report")
    page.get_by_role("button", name="Сформировать PDF").click()
    link = page.get_by_role("link", name="Скачать результат")
    expect(link).to_be_visible(timeout=60_000)
    with page.expect_download() as download:
        link.click()
    path = download.value.path()
    with open(path, "rb") as fh:
        assert fh.read(4) == b"%PDF"
