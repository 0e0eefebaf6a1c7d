"""The demo's figures of seed 000 in a browser: the course «Школа современного учителя»
2021 (1676 / 510 / 30 %) and the РМА (308 methodists); the coverage pages fit a phone."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import login, shot

pytestmark = pytest.mark.e2e

STAFF = "rostov.region"
MODERN_TEACHER = "Школа современного учителя"


def _logged_in(page, url: str) -> None:
    login(page, url, STAFF)
    expect(page).not_to_have_url(re.compile(r"/login/"))


def test_demo_training_figures_and_coverage_on_a_phone(demo_site, page, phone_page):
    from training.models import Course

    url = demo_site.url
    course = Course.objects.get(title=MODERN_TEACHER, region__code=61)

    # «Школа современного учителя» 2021: 1 676 teachers completed it, 510 from ШНОР, 30 %
    _logged_in(page, url)
    page.goto(f"{url}{course.get_absolute_url()}")
    expect(page.get_by_role("heading", name=MODERN_TEACHER, level=1)).to_be_visible()
    table = page.get_by_role("region", name="Обучено по предметам")
    total = table.locator("tfoot tr")
    expect(total.locator("th")).to_have_text("Всего")
    expect(total.locator("td")).to_have_text(["1676", "510", "30"])
    runs = page.get_by_role("region", name="Потоки курса")
    expect(runs.locator("tbody tr").first.locator("td").nth(3)).to_have_text("1676")

    _logged_in(phone_page, url)
    for path, name, heading in (
            ("/training/coverage/", "training-coverage-phone",
             "Охват педагогов ШНОР повышением квалификации"),
            ("/methodists/coverage/", "rma-coverage-phone", "Охват ШНОР методистами РМА"),
            ("/methodists/subjects/", "rma-subjects-phone",
             "Региональный методический актив по предметам")):
        phone_page.goto(f"{url}{path}")
        expect(phone_page.get_by_role("heading", name=heading, level=1)).to_be_visible()
        if path == "/methodists/subjects/":
            expect(phone_page.locator("tfoot tr").filter(has_text="Всего методистов")
                   .locator("td").first).to_have_text("308")
        if path == "/methodists/coverage/":
            expect(phone_page.locator(".stat").filter(has_text="методистов РМА всего")
                   .locator(".stat__value")).to_have_text("308")
        overflow = phone_page.evaluate(
            "[document.documentElement.scrollWidth, window.innerWidth]")
        shot(phone_page, name)
        assert overflow[0] <= overflow[1] + 1, (path, overflow)
