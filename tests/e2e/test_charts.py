"""The dashboard's charts as a phone draws them (390 px): no Plotly toolbar over the legend,
whole numbers on every count axis (read from the SVG's tick texts), the municipalities as the
top ten and «Остальные 29 муниципалитетов», every label inside the screen, and the year
without risk profiles (2021 in the demo) said «Нет данных за 2021 год», not drawn as zeros.
On a desktop the toolbar stays (its «download as PNG» serves reports)."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import login, shot

pytestmark = pytest.mark.e2e

STAFF = "rostov.region"
COUNT_CHARTS = ("documents-chart", "curators-chart", "overdue-chart")


def _texts(page, selector: str) -> list[str]:
    return page.eval_on_selector_all(selector, "els => els.map(e => e.textContent)")


def test_charts_on_a_phone_have_whole_ticks_no_toolbar_and_say_no_data(demo_site, phone_page,
                                                                       page):
    url = demo_site.url
    login(phone_page, url, STAFF)
    phone_page.wait_for_load_state("load")
    phone_page.goto(f"{url}/monitoring/?year=2022")
    for chart in (*COUNT_CHARTS, "risks-chart", "engagement-chart"):
        expect(phone_page.locator(f"#{chart} .main-svg").first).to_be_attached()
    assert phone_page.locator(".modebar").count() == 0  # no toolbar below 600 px

    for chart in COUNT_CHARTS:
        ticks = _texts(phone_page, f"#{chart} .xtick text")
        assert ticks, chart
        assert all(re.fullmatch(r"\d+", t.replace("\u2009", "")) for t in ticks), (chart, ticks)

    municipalities = _texts(phone_page, "#documents-chart .ytick text")
    assert len(municipalities) == 11
    assert "Остальные 29муниципалитетов" in municipalities  # two lines (tspans) of the SVG

    # every label of every chart inside the screen: nothing cut at either side
    boxes = phone_page.eval_on_selector_all(
        ".chart .xtick text, .chart .ytick text, .chart .legendtext",
        "els => els.map(e => { const r = e.getBoundingClientRect();"
        " return [e.textContent, r.left, r.right]; })")
    width = phone_page.viewport_size["width"]
    cut = [(text, left, right) for text, left, right in boxes if left < 0 or right > width]
    assert cut == []

    risks = phone_page.locator("#risks")
    expect(risks.get_by_text("Нет данных за 2021 год", exact=True).first).to_be_visible()
    assert _texts(phone_page, "#risks-chart .legendtext") == ["2022"]
    assert "Нет данных за 2021 год." in _texts(phone_page, "#risks-chart .annotation-text")
    expect(risks.locator('td[data-label="2021"]', has_text="нет данных").first).to_be_visible()
    risks.scroll_into_view_if_needed()
    shot(phone_page, "charts-dashboard-phone")

    login(page, url, STAFF)
    page.wait_for_load_state("load")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{url}/monitoring/?year=2022")
    expect(page.locator("#documents-chart .main-svg").first).to_be_attached()
    assert page.locator("#documents-chart .modebar").count() == 1
    shot(page, "charts-dashboard-desktop")
