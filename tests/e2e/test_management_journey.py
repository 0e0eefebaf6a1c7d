"""The management cycle in a browser, on seed 004's Frolovo: the municipal coordinator sets a
target, the region's coordinator has the portal compute the values, a recommendation goes to
МКОУ «Средняя школа № 6», the school reports on it, the municipality records a decision and
its effect shows next year in the yearly report; the region approves the exit list and
exports it."""

import datetime
import io
import subprocess

import pytest
from playwright.sync_api import expect

from tests.files import pdf_bytes

from .conftest import go, login, shot

pytestmark = pytest.mark.e2e
SCHOOL = "МКОУ «Средняя школа № 6»"


def _indicator_url(base, year, code):
    from management.models import Indicator

    indicator = Indicator.objects.get(region__code=34, year=year, code=code)
    return f"{base}{indicator.get_absolute_url()}"


def _logout(page, base):
    page.context.clear_cookies()


def _set_target_and_compute(page, base):
    login(page, base, "frolovo.mun")
    page.goto(_indicator_url(base, 2022, "1.2") + "?territory=" + _frolovo_pk())
    page.get_by_label("Цель на 2022 г., %").fill("65")
    page.get_by_role("button", name="Сохранить цель").click()
    expect(page.get_by_text("сохранена")).to_be_visible()
    page.get_by_label("Цель на 2022 г., %").fill("-5")
    page.get_by_role("button", name="Сохранить цель").click()
    expect(page.get_by_text("не может быть отрицательным")).to_be_visible()
    _logout(page, base)
    login(page, base, "volgograd.region")
    page.goto(f"{base}/indicators/?region=34&year=2022")
    page.get_by_role("button", name="Пересчитать значения портала").click()
    expect(page.get_by_text("пересчитаны")).to_be_visible(timeout=30000)
    page.goto(_indicator_url(base, 2022, "1.2"))
    row = page.locator("tr", has_text="городской округ город Фролово")
    expect(row).to_contain_text("66,7")
    expect(row).to_contain_text("цель достигнута")
    shot(page, "management-indicator")
    _logout(page, base)


def _frolovo_pk() -> str:
    from core.models import Municipality

    return str(Municipality.objects.get(region__code=34).pk)


def _recommend_and_report(page, base, tmp_path):
    login(page, base, "frolovo.mun")
    go(page, "Адресные рекомендации")
    page.get_by_role("link", name="Направить рекомендацию").click()
    page.get_by_label("Кому").select_option(label="руководителю школы")
    page.get_by_label("Школа (руководителю или школе-куратору)").select_option(label=SCHOOL)
    page.locator("#id_text").fill(
        "Провести методический день по формирующему оцениванию для учителей 5–9 классов.")
    due = datetime.date.today() + datetime.timedelta(days=21)
    page.get_by_label("Срок исполнения").fill(due.strftime("%d.%m.%Y"))
    page.get_by_role("button", name="Направить").click()
    expect(page.get_by_text("Рекомендация направлена")).to_be_visible()
    recommendation_url = page.url
    _logout(page, base)

    login(page, base, "frolovo6.school")
    page.goto(recommendation_url)
    page.get_by_role("button", name="Принять к исполнению").click()
    evidence = tmp_path / "Протокол методического дня.pdf"
    evidence.write_bytes(pdf_bytes("протокол методического дня"))
    page.get_by_label("Что сделано").fill("Методический день проведён, 14 учителей.")
    page.get_by_label("Подтверждающий файл (обязателен)").set_input_files(str(evidence))
    page.get_by_role("button", name="Отправить отчёт").click()
    expect(page.get_by_text("Отчёт об исполнении отправлен")).to_be_visible()
    _logout(page, base)

    login(page, base, "frolovo.mun")
    page.goto(recommendation_url)
    page.get_by_role("button", name="Принять отчёт").click()
    expect(page.get_by_text("рекомендация исполнена")).to_be_visible()


def _record_decision(page, base, tmp_path):
    go(page, "Управленческие решения")
    page.get_by_label("Год", exact=True).select_option("2021")
    page.get_by_role("button", name="Показать").click()
    page.get_by_role("link", name="Внести решение").click()
    page.get_by_label("Вид решения").select_option(label="активизирующее")
    page.get_by_label("Содержание решения").fill(
        "О проведении методических дней в ШНОР по итогам мониторинга 2021 года")
    page.locator("#id_document_type").select_option(label="приказ")
    page.locator("#id_signed_on").fill("15.12.2021")
    page.get_by_label("Кем принято (должность, ФИО)").fill("Начальник отдела образования")
    order = tmp_path / "Приказ 480.pdf"
    order.write_bytes(pdf_bytes("приказ 480"))
    page.get_by_label("Файл документа").set_input_files(str(order))
    page.get_by_label("1.2. Доля ШНОР и ШССУ", exact=False).check()
    page.get_by_role("button", name="Внести решение").click()
    expect(page.get_by_text("Укажите номер документа")).to_be_visible()  # nothing written
    page.locator("#id_number").fill("480")
    page.get_by_label("Файл документа").set_input_files(str(order))
    page.get_by_role("button", name="Внести решение").click()
    expect(page.get_by_text("Решение внесено")).to_be_visible()
    effect = page.locator("#effect-h + div tr", has_text="1.2")
    expect(effect).to_contain_text("цель достигнута")  # 66,7 % in 2022 against 65 %
    shot(page, "management-decision")


def _yearly_report(page, base):
    page.goto(f"{base}/indicators/reports/?region=34&year=2021")
    page.get_by_role("button", name="Сформировать PDF").click()
    expect(page.get_by_text("Отчёт управленческого цикла 2021 г. готов")).to_be_visible(
        timeout=60000)
    page.goto(f"{base}/indicators/reports/?region=34&year=2021")
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF").first.click()
    pdf = download.value.path().read_bytes()
    text = subprocess.run(["/usr/bin/pdftotext", "-layout", "-", "-"], input=pdf,
                          capture_output=True, check=True).stdout.decode()
    assert "№ 480" in text and "цель достигнута" in text
    page.get_by_label("Номер протокола").fill("3")
    page.get_by_label("Дата протокола").fill(datetime.date.today().strftime("%d.%m.%Y"))
    page.get_by_role("button", name="Утвердить").click()
    expect(page.locator("td", has_text="протоколом № 3")).to_contain_text("утверждён")
    shot(page, "management-reports")


def _approve_exit_list(page, base, tmp_path):
    login(page, base, "volgograd.region")
    page.goto(f"{base}/indicators/decisions/new/?region=34&year=2022")
    page.get_by_label("Вид решения").select_option(label="контролирующее")
    page.get_by_label("Содержание решения").fill("Об исключении школ из программы поддержки")
    page.locator("#id_document_type").select_option(label="распоряжение")
    page.locator("#id_number").fill("1205-р")
    page.locator("#id_signed_on").fill("28.12.2022")
    page.get_by_label("Кем принято (должность, ФИО)").fill("Председатель комитета образования")
    order = tmp_path / "Распоряжение.pdf"
    order.write_bytes(pdf_bytes("распоряжение 1205-р"))
    page.get_by_label("Файл документа").set_input_files(str(order))
    page.get_by_role("button", name="Внести решение").click()
    expect(page.get_by_text("Решение внесено")).to_be_visible()
    go(page, "Список на исключение")
    page.goto(f"{base}/indicators/exit/?region=34&year=2022")
    row = page.locator("tr", has_text="МКОУ «Средняя школа № 2»")
    expect(row).to_contain_text("было 3, стало 1")
    row.get_by_role("checkbox").check()
    page.get_by_label("Управленческое решение об исключении").select_option(index=1)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Утвердить исключение").click()
    expect(page.get_by_text("Рассмотрено школ: 1")).to_be_visible()
    expect(row).to_contain_text("исключение утверждено")
    shot(page, "management-exit")
    with page.expect_download() as download:
        page.get_by_role("link", name="Выгрузить в Excel").click()
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    cells = [c.value for r in book.active.iter_rows() for c in r]
    assert "исключение утверждено" in cells and "Распоряжение № 1205-р от 28.12.2022" in cells


def test_the_management_cycle_of_frolovo(demo_site, page, tmp_path):
    base = demo_site.url
    _set_target_and_compute(page, base)
    _recommend_and_report(page, base, tmp_path)
    _record_decision(page, base, tmp_path)
    _yearly_report(page, base)
    _logout(page, base)
    _approve_exit_list(page, base, tmp_path)
