"""The administrator's journey: upload an official list, read the preview, fix a column
mapping, apply, see the diff and the school page."""

import pytest
from playwright.sync_api import expect

from tests.schools.conftest import xlsx

from .conftest import go, login, shot

pytestmark = pytest.mark.e2e

WORKBOOK = xlsx([
    ["Логин ОО", "Наименование образовательной организации", "Место нахождения", "ИОР"],
    ["SCH 61 9901", "МБОУ «Лицей № 30»", "Шахты г.", "0,71"],
    ["sch619902", "МБОУ Дубовская СОШ № 9", "Дубовский (с) район", 0.35],
], title_rows=[["Перечень участников проекта «500+» на 2023 год"], []], merge_title=True)


def test_admin_imports_a_list_fixing_the_mapping(demo_site, page, tmp_path):
    path = tmp_path / "Перечень-2023.xlsx"
    path.write_bytes(WORKBOOK)
    login(page, demo_site.url, "admin")
    go(page, "Импорт данных")
    page.get_by_role("link", name="Загрузить файл").click()
    page.get_by_label("Файл", exact=True).set_input_files(str(path))
    page.get_by_label("Год", exact=True).fill("2023")
    page.get_by_label("Что загружается").select_option(label="участники «500+»")
    page.get_by_label("Регион").select_option(label="Ростовская область")
    page.get_by_role("button", name="Проверить файл").click()
    # the job page opens the batch when the dry run is done
    expect(page.get_by_role("heading", name="Сопоставление столбцов")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("Муниципалитет")
    shot(page, "import-mapping-needed")
    page.get_by_label("Муниципалитет *").select_option(label="C: Место нахождения")
    page.get_by_role("button", name="Сохранить сопоставление и проверить снова").click()
    expect(page.get_by_role("heading", name="Что изменится")).to_be_visible()
    expect(page.get_by_text("новые школы", exact=True)).to_be_visible()
    shot(page, "import-preview")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Применить", exact=True).click()
    expect(page.get_by_role("heading", name="Что изменилось")).to_be_visible()
    page.get_by_text("Новые школы (2)").click()
    expect(page.get_by_role("cell", name="sch619901", exact=True)).to_be_visible()
    shot(page, "import-applied")
    go(page, "Школы")
    page.get_by_label("Год").select_option("2023")
    page.get_by_role("button", name="Показать").click()
    page.get_by_role("link", name="МБОУ «Лицей № 30»").click()
    expect(page.get_by_role("heading", name="Статус по годам")).to_be_visible()
    expect(page.get_by_text("«500+»").first).to_be_visible()
    expect(page.get_by_text("г. Шахты").first).to_be_visible()
    shot(page, "import-school-page")
