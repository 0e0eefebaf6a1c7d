"""Browser tests: Playwright (Python) driving Debian's /usr/bin/chromium, headless.

Playwright's sync API runs an event loop in this thread, so Django's async-safety check
must be relaxed here — and only here (STYLE 7.5).
"""

import os
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser):
    context = browser.new_context(locale="ru-RU", viewport={"width": 390, "height": 844},
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def demo_site(live_server, transactional_db):
    from django.core.management import call_command

    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    return live_server


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def login(page, base_url: str, username: str, password: str = "Demo-500plus") -> None:
    page.goto(f"{base_url}/login/")
    page.get_by_label("Логин или электронная почта").fill(username)
    page.get_by_label("Пароль").fill(password)
    page.get_by_role("button", name="Войти").click()


def go(page, entry: str) -> None:
    """Follow the main menu to ``entry`` as a person would: open the phone menu when the
    «Меню» button is shown, open the entry's group when it sits in one, click the entry."""
    nav = page.locator("#mainnav")
    toggle = page.locator(".navtoggle")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    link = nav.get_by_role("link", name=entry, exact=True)
    if not link.is_visible():
        # a link inside a closed group is hidden, so it is found by its text, not its role
        group = nav.locator("details.navgroup").filter(
            has=page.locator(f'a:text-is("{entry}")'))
        group.locator("summary").click()
    link.click()
