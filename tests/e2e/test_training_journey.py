"""Regional staff create a course run, enrol a school's teachers from Excel, mark their
completion; the school page and the dashboard's coverage change."""

import re

import pytest
from playwright.sync_api import expect

from tests.schools.conftest import xlsx

from .conftest import login, shot

pytestmark = pytest.mark.e2e
SCHOOL = "МБОУ Первомайская СОШ"


def _school_numbers(page, base, school_id):
    page.goto(f"{base}/schools/{school_id}/")
    text = page.locator("section", has=page.locator("#school-section-training")).inner_text()
    staff = int(re.search(r"кадровом списке: (\d+)", text).group(1))
    trained = int(re.search(r"гг\.: (\d+)", text).group(1))
    return staff, trained


def _district_row(page, base):
    page.goto(f"{base}/monitoring/?year=2022")
    row = page.locator("#coverage tbody tr", has_text="Красносулинский район")
    cells = row.locator("td").all_inner_texts()
    return int(cells[1]), int(cells[2])  # staff, trained


def test_staff_enrol_teachers_from_excel_and_mark_completion(demo_site, page, tmp_path):
    from schools.models import School

    school = School.objects.get(short_name=SCHOOL)
    base = demo_site.url
    login(page, base, "rostov.region")
    before_school = _school_numbers(page, base, school.public_id)
    before_area = _district_row(page, base)

    page.goto(f"{base}/training/")
    page.get_by_role("link", name="Добавить курс").click()
    page.get_by_label("Название").fill("Наставничество в ШНОР")
    page.get_by_label("Категория слушателей").fill("учителя ШНОР")
    page.get_by_label("Объём, часов").fill("24")
    page.get_by_label("Организатор").fill("ГБУ ДПО РО «РИПК и ППРО»")
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_role("heading", name="Наставничество в ШНОР")).to_be_visible()
    page.get_by_role("textbox", name="Поток").fill("поток 1")
    page.get_by_label("Начало обучения").fill("2022-10-01")
    page.get_by_label("Окончание обучения").fill("2022-11-30")
    page.get_by_role("button", name="Создать поток").click()
    expect(page.get_by_text("Поток создан")).to_be_visible()
    shot(page, "training-run-new")
    run_url = page.url

    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(xlsx([["ФИО", "Школа", "Предмет"],
                          ["Новикова Анна Ивановна", "МБОУ СОШ, которой нет", "История"]]))
    page.get_by_label("Список слушателей").set_input_files(str(bad))
    page.get_by_role("button", name="Загрузить и проверить").click()
    expect(page.get_by_text("не найдена в реестре региона")).to_be_visible()
    shot(page, "training-batch-error")
    page.goto(run_url)

    good = tmp_path / "slushateli.xlsx"
    good.write_bytes(xlsx([["ФИО", "Школа", "Должность", "Предмет"],
                           ["Новикова Анна Ивановна", school.login, "учитель", "История"],
                           ["Орлова Вера Петровна", SCHOOL, "учитель", "Математика"],
                           ["Титова Ольга Юрьевна", school.login, "учитель", "Русский язык"]],
                          title_rows=[["Список слушателей"]]))
    page.get_by_label("Список слушателей").set_input_files(str(good))
    page.get_by_role("button", name="Загрузить и проверить").click()
    expect(page.get_by_text("записываются на поток")).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Применить", exact=True).click()
    page.get_by_role("link", name="Открыть поток").click()
    expect(page.get_by_role("link", name="Новикова Анна Ивановна")).to_be_visible()
    page.get_by_label("Отметить всех обучающихся на странице").check()
    page.get_by_label("Дата завершения").fill("2022-11-30")
    page.get_by_role("button", name="Отметить завершение").click()
    expect(page.get_by_text("Завершение отмечено: слушателей — 3.")).to_be_visible()
    shot(page, "training-run-completed")

    after_school = _school_numbers(page, base, school.public_id)
    shot(page, "training-school")
    assert after_school == (before_school[0] + 3, before_school[1] + 3)
    after_area = _district_row(page, base)
    page.locator("#coverage").screenshot(path="test-artifacts/training-dashboard-coverage.png")
    assert after_area == (before_area[0] + 3, before_area[1] + 3)
