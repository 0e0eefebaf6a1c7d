"""The monitoring dashboard in a browser: regional staff filter the dashboard to one
municipality (the address keeps the filters, the figures follow), see the Plotly charts and
the confirmed engagement score of Rostov 2022 (1004), build the PDF and the Excel report of
that filter in the background, watch each job finish, download the files and find in them
the figures the page showed, then see both jobs in «Мои отчёты». A federal observer sees the
engagement of all four regions and no person's name. Desktop and phone screenshots."""

import io
import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from core.text import count_phrase, noun_form, predicate_form

from .conftest import go, login, shot

pytestmark = pytest.mark.e2e

STAFF = "rostov.region"
OBSERVER = "observer"
MUNICIPALITY = "Красносулинский район"  # 2 participant schools with documents in each state
ENGAGEMENT = {"59 Пермский край": "1103", "60 Псковская область": "903",
              "61 Ростовская область": "1004", "62 Рязанская область": "1004"}
JOB_TIMEOUT = 60_000


def _figures(row) -> list[str]:
    """The cells of a table row, header cell included."""
    return [text.strip() for text in row.locator("th, td").all_inner_texts()]


def _documents_total(page):
    table = page.get_by_role("region", name="Документы", exact=True)
    return table.locator("tfoot tr").filter(has=page.get_by_role("rowheader", name="Итого"))


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _number(cell: str):
    """A page's figure as the Excel cell holds it: «9,1» → 9.1, «3» → 3."""
    return float(cell.replace(",", ".")) if "," in cell else int(cell)


def _run_report(page, button: str, kind_label: str):
    """Starts a report of the dashboard's filter, waits on its job page, downloads it."""
    page.get_by_role("button", name=button, exact=True).click()
    expect(page).to_have_url(re.compile(r"/jobs/[0-9a-f-]{36}/\?stay=1$"))
    expect(page.get_by_role("heading", name=kind_label)).to_be_visible()
    expect(page.locator(".job__status")).to_have_text("готово", timeout=JOB_TIMEOUT)
    expect(page.locator(".job__progress")).to_have_attribute("value", "100")
    expect(page.locator(".job__percent")).to_have_text("100%")
    link = page.get_by_role("link", name="Скачать результат")
    expect(link).to_be_visible()
    with page.expect_download() as info:
        link.click()
    download = info.value
    with open(download.path(), "rb") as fh:
        return page.url, download.suggested_filename, fh.read()


def _engagement_total(page):
    region = page.get_by_role("region", name="Составляющие оценки вовлеченности")
    return region.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=re.compile(r"^Итог: содержание")))


def test_regional_staff_filter_dashboard_and_download_reports(demo_site, page, phone_page):
    from monitoring.models import EngagementScore

    url = demo_site.url
    login(page, url, STAFF)
    page.wait_for_load_state("load")

    # 1. the whole region: 60 schools, charts drawn, the confirmed engagement score 1004
    go(page, "Сводные показатели")
    expect(page.get_by_role("heading", name="Мониторинг проекта «500+»")).to_be_visible()
    expect(page.get_by_text("2022 г., Ростовская область.", exact=False)).to_be_visible()
    expect(page.locator(".chart .main-svg").first).to_be_visible()
    for chart in ("engagement-chart", "risks-chart", "documents-chart", "curators-chart"):
        expect(page.locator(f"#{chart} .main-svg").first).to_be_attached()
    expect(_engagement_total(page).locator("td").last).to_have_text("1004")
    expect(page.locator(".stat").filter(has_text="вовлеченность")
           .locator(".stat__value")).to_have_text("1004")
    region_total = _documents_total(page)
    expect(region_total.locator("td").first).to_have_text("60")
    region_figures = _figures(region_total)
    expect(page.locator(".stat").filter(has_text=re.compile(r"— участни[а-я]+ проекта"))
           .locator(".stat__value")).to_have_text("60")
    shot(page, "monitoring-dashboard-region")

    # 2. one municipality: the address holds the filter, the figures follow it
    page.get_by_label("Муниципалитет", exact=True).select_option(label=MUNICIPALITY)
    page.get_by_role("button", name="Показать").click()
    expect(page.get_by_text(f"2022 г., Ростовская область, {MUNICIPALITY}.", exact=False)
           ).to_be_visible()
    query = parse_qs(urlparse(page.url).query)
    assert query["year"] == ["2022"]
    municipality_id = page.get_by_label("Муниципалитет", exact=True).input_value()
    assert query["municipality"] == [municipality_id]
    expect(page.get_by_label("Муниципалитет", exact=True).locator("option:checked")
           ).to_have_text(MUNICIPALITY)
    total = _documents_total(page)
    expect(total.locator("td").first).to_have_text("2")
    figures = _figures(total)
    assert figures != region_figures
    assert figures[0] == "Итого"
    documents = page.get_by_role("region", name="Документы", exact=True)
    expect(documents.locator("tbody tr")).to_have_count(1)
    expect(documents.locator("tbody th")).to_have_text(MUNICIPALITY)
    # the area row and the total agree, and the stats above repeat the total
    assert _figures(documents.locator("tbody tr"))[1:] == figures[1:]
    schools, due, approved = figures[1], figures[2], figures[5]
    expect(page.locator(".stat").filter(has_text=re.compile(r"— участни[а-я]+ проекта"))
           .locator(".stat__value")).to_have_text(schools)
    expect(page.locator(".stat").filter(has_text=re.compile(r"документ[а-я]* подтвержд"))
           .locator(".stat__value")).to_have_text(f"{approved} из {due}")
    expect(page.locator("#documents-chart .main-svg").first).to_be_visible()
    # the engagement score belongs to the region: the same 1004 under any municipality
    expect(_engagement_total(page).locator("td").last).to_have_text("1004")
    # the filter survives a reload from the address alone (a link shared with colleagues)
    filtered_url = page.url
    page.goto(filtered_url)
    expect(_documents_total(page)).to_have_count(1)
    assert _figures(_documents_total(page)) == figures
    shot(page, "monitoring-dashboard")

    # 3. the PDF report of this filter: the same figures in its text
    job_url, name, content = _run_report(page, "Отчёт PDF", "Отчёт мониторинга (PDF)")
    assert name.endswith(".pdf"), name
    assert content[:5] == b"%PDF-"
    shot(page, "monitoring-job")
    from pypdf import PdfReader

    text = _normalise(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages))
    assert f"Отбор: 2022 г., Ростовская область, {MUNICIPALITY}." in text
    assert f"{count_phrase(int(schools), 'школа')} — {noun_form(int(schools), 'участница')} " \
        "проекта" in text
    assert f"{approved} из {count_phrase(int(due), 'документ', case='gent')} " \
        f"{predicate_form(int(approved), 'документ', 'подтверждён')}" in text
    assert " ".join(figures) in text, (figures, text)
    assert f"{MUNICIPALITY} {' '.join(figures[1:])}" in text
    assert "Итог с учётом доли школ, активировавших направления 1004" in text

    # 4. the Excel tables of the same filter: the sheet «Документы» ends with the same total
    page.goto(filtered_url)
    _, name, content = _run_report(page, "Таблицы Excel", "Отчёт мониторинга (Excel)")
    assert name.endswith(".xlsx"), name
    assert content[:2] == b"PK"
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content), read_only=True)
    rows = [list(row) for row in book["Документы"].iter_rows(values_only=True)]
    assert rows[0][:2] == ["Муниципалитет", "Школ"]
    assert rows[-1] == [figures[0], *(_number(cell) for cell in figures[1:])], rows
    assert rows[1:-1] == [[MUNICIPALITY, *(_number(cell) for cell in figures[1:])]]
    summary = dict(row[:2] for row in book["Сводка"].iter_rows(min_row=2, values_only=True))
    assert summary["Школ — участниц проекта"] == int(schools)
    assert summary["Вовлеченность: итог"] == 1004

    # 5. «Мои отчёты»: both jobs, finished, with their files
    page.goto(filtered_url)
    page.get_by_role("link", name="Мои отчёты").click()
    expect(page.get_by_role("heading", name="Мои отчёты и выгрузки")).to_be_visible()
    for label, ext in (("Отчёт мониторинга (PDF)", ".pdf"),
                       ("Отчёт мониторинга (Excel)", ".xlsx")):
        row = page.get_by_role("row").filter(has=page.get_by_role("link", name=label))
        expect(row).to_have_count(1)
        expect(row.locator("td").nth(2)).to_have_text("готово")
        expect(row.locator("td").nth(3).get_by_role("link")).to_have_text(
            re.compile(rf"\{ext}$"))
        expect(row).to_contain_text(f"2022 г., Ростовская область, {MUNICIPALITY}")
    shot(page, "monitoring-my-reports")

    # 6. the engagement page of Rostov 2022
    page.goto(filtered_url)
    page.get_by_role("link", name="Составляющие, обоснования и подтверждение").click()
    score = EngagementScore.objects.get(region__code=61, year=2022)
    expect(page).to_have_url(f"{url}/monitoring/engagement/{score.public_id}/")
    expect(page.get_by_role("heading", name="Мониторинг вовлеченности: Ростовская область, "
                                            "2022 г.")).to_be_visible()
    expect(page.locator(".stat").filter(has_text="итог (из").locator(".stat__value")
           ).to_have_text("1004")
    engagement_url = page.url
    shot(page, "monitoring-engagement")

    # 7. the same pages on a phone
    login(phone_page, url, STAFF)
    phone_page.wait_for_load_state("load")
    phone_page.goto(filtered_url)
    expect(phone_page.locator("#documents-chart .main-svg").first).to_be_attached()
    assert _figures(_documents_total(phone_page)) == figures
    shot(phone_page, "monitoring-dashboard-phone")
    phone_page.goto(job_url)
    expect(phone_page.locator(".job__status")).to_have_text("готово")
    shot(phone_page, "monitoring-job-phone")
    phone_page.goto(engagement_url)
    expect(phone_page.locator(".stat").filter(has_text="итог (из").locator(".stat__value")
           ).to_have_text("1004")
    shot(phone_page, "monitoring-engagement-phone")
    phone_page.goto(f"{url}/jobs/")
    expect(phone_page.get_by_role("link", name="Отчёт мониторинга (PDF)")).to_be_visible()
    shot(phone_page, "monitoring-my-reports-phone")


def test_federal_observer_sees_regions_without_names(demo_site, page):
    from curators.models import CuratorAssignment

    url = demo_site.url
    curators = set(CuratorAssignment.objects.values_list("curator__last_name", flat=True))
    assert "Ластовыря" in curators
    login(page, url, OBSERVER)
    page.wait_for_load_state("load")
    page.goto(f"{url}/monitoring/")
    expect(page.get_by_text("2022 г., все регионы.", exact=False)).to_be_visible()
    regions = page.get_by_role("region", name="Вовлеченность регионов")
    expect(regions.locator("tbody tr")).to_have_count(4)
    for name, total in ENGAGEMENT.items():
        row = regions.get_by_role("row").filter(has=page.get_by_role("rowheader", name=name))
        expect(row.locator("td").nth(2)).to_have_text(total)
        expect(row.locator("td").nth(3)).to_have_text(total)
    expect(page.locator("#federal-chart .main-svg").first).to_be_visible()
    curator_table = page.get_by_role("region", name="Кураторы", exact=True)
    expect(curator_table.locator("tbody tr")).to_have_count(0)
    expect(curator_table.locator("tfoot th")).to_have_text(re.compile(r"^Кураторов: \d+$"))
    expect(page.get_by_text("Федеральному наблюдателю показываются только итоги, без имён.")
           ).to_be_visible()
    main = page.locator("#main").inner_text()
    assert not [name for name in curators if name in main]
    shot(page, "monitoring-dashboard-observer")

    # Rostov alone: still no names, neither on the dashboard nor on the engagement page
    page.get_by_label("Регион", exact=True).select_option(label="61 Ростовская область")
    page.get_by_role("button", name="Показать").click()
    expect(_engagement_total(page).locator("td").last).to_have_text("1004")
    assert not [name for name in curators if name in page.locator("#main").inner_text()]
    page.get_by_role("link", name="Составляющие, обоснования и подтверждение").click()
    expect(page.locator(".stat").filter(has_text="итог (из").locator(".stat__value")
           ).to_have_text("1004")
    main = page.locator("#main").inner_text()
    assert "Демина" not in main  # the expert who confirmed the components
    assert not [name for name in curators if name in main]
    expect(page.get_by_role("button", name="Подтвердить все предложения портала")
           ).to_have_count(0)
