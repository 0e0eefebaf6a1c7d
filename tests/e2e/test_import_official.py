"""Regional staff import an official list as regions send it — a subtotal under every
municipality, the municipality written once in a merged cell, a two-row header, the total
and a signature — with two broken rows: the dry run lists the skipped rows and the errors,
«Импортировать без строк с ошибками» loads the rest, and the history says so."""

import pytest
from playwright.sync_api import expect

from tests.schools.official import OfficialSchool, official_workbook, rostov_schools

from .conftest import login, shot

pytestmark = pytest.mark.e2e


def _workbook() -> bytes:
    schools = [OfficialSchool(f"sch619{n:03d}", f"61990{n:05d}", s.name, s.municipality)
               for n, s in enumerate(rostov_schools()[:12], start=1)]
    schools[3] = OfficialSchool("sch61-bad", schools[3].inn, schools[3].name,
                                schools[3].municipality)
    schools[7] = OfficialSchool(schools[7].login, "12345", schools[7].name,
                                schools[7].municipality)
    return official_workbook(schools, repeat_header_at=None)


def test_regional_staff_import_an_official_list_without_its_broken_rows(demo_site, page,
                                                                         phone_page, tmp_path):
    path = tmp_path / "Перечень ШНОР 2024.xlsx"
    path.write_bytes(_workbook())
    login(page, demo_site.url, "rostov.region")
    page.goto(f"{demo_site.url}/schools/imports/new/")
    page.get_by_label("Файл", exact=True).set_input_files(str(path))
    page.get_by_label("Год", exact=True).fill("2024")
    page.get_by_label("Что загружается").select_option(label="перечень ШНОР")
    page.get_by_role("button", name="Проверить файл").click()
    expect(page.get_by_role("heading", name="Ошибки в строках")).to_be_visible()
    expect(page.get_by_text("логин должен иметь вид sch")).to_be_visible()
    expect(page.get_by_text("ИНН организации состоит из 10 цифр")).to_be_visible()
    page.get_by_text("Пропущенные строки").click()
    expect(page.get_by_text("Итого: 12 организаций")).to_be_visible()
    expect(page.get_by_text("итоговая строка").first).to_be_visible()
    expect(page.get_by_text("примечание или подпись под таблицей").first).to_be_visible()
    shot(page, "import-official-preview")
    dialogs = []
    page.once("dialog", lambda d: (dialogs.append(d.message), d.accept()))
    page.get_by_role("button", name="Импортировать без строк с ошибками").click()
    expect(page.get_by_role("heading", name="Что изменилось")).to_be_visible()
    assert "без 2\u00a0строк с ошибками" in dialogs[0]
    expect(page.get_by_text("строки с ошибками не загружены", exact=True)).to_be_visible()
    shot(page, "import-official-applied")
    batch_url = page.url
    page.goto(f"{demo_site.url}/schools/imports/")
    row = page.get_by_role("row").filter(has_text="Перечень ШНОР 2024.xlsx")
    expect(row).to_contain_text("применён")
    expect(row).to_contain_text("без 2 строк с ошибками")
    shot(page, "import-official-history")
    # the same batch on a phone: the tables scroll inside their frames, nothing overflows
    login(phone_page, demo_site.url, "rostov.region")
    phone_page.goto(batch_url)
    phone_page.get_by_text("Пропущенные строки").click()
    expect(phone_page.get_by_text("Итого: 12 организаций")).to_be_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    shot(phone_page, "import-official-phone")
