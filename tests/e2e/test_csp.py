"""The Content-Security-Policy in a real browser (issue 22): the main pages of the
journeys, opened as regional staff, a school coordinator and the federal observer, cause
no CSP violation — Plotly charts drawn from our static files with their stylesheet, the
Gantt timeline, a PDF preview framed from our own origin. A data-confirm form still asks
before it is sent, and a dismissed question sends nothing.

Every page records violations twice: an init script (which CSP does not govern) collects
``securitypolicyviolation`` events, and the console listener catches the browser's
"Refused to … Content Security Policy" messages, child frames included."""

import re

import pytest
from playwright.sync_api import expect

from tests.files import pdf_bytes

from .conftest import login, shot

pytestmark = pytest.mark.e2e

STAFF = "rostov.region"
SCHOOL = "pervomayskaya.school"
OBSERVER = "observer"
SCHOOL_NAME = "МБОУ Первомайская СОШ"
DOCUMENTS_SCHOOL = "МБОУ Михайловская СОШ"  # the demo's school with documents in each state

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(event.effectiveDirective + " refused " +
    (event.blockedURI || "inline") + " (" + event.sourceFile + ":" + event.lineNumber +
    ") " + event.sample);
});
"""


class Watch:
    """Opens pages and keeps every CSP violation the browser reports on them."""

    def __init__(self, page, base_url):
        self.page, self.base_url, self.violations = page, base_url, []
        page.context.add_init_script(RECORD_VIOLATIONS)
        page.on("console", self._console)

    def _console(self, message):
        if "Content Security Policy" in message.text:
            self.violations.append(f"{self.page.url}: console: {message.text}")

    def open(self, path: str, *, wait_for: str | None = None):
        response = self.page.goto(f"{self.base_url}{path}")
        assert response.status == 200, (path, response.status)
        self.check_header(response)
        self.page.wait_for_load_state("load")
        if wait_for:
            expect(self.page.locator(wait_for).first).to_be_visible()
        self.collect()
        return response

    def check_header(self, response):
        policy = response.headers.get("content-security-policy", "")
        assert "script-src 'self'" in policy, (response.url, policy)
        assert "unsafe-inline" not in policy, policy

    def collect(self):
        # violation events are queued as tasks: let them be delivered first
        self.page.evaluate("() => new Promise((done) => setTimeout(done, 150))")
        found = self.page.evaluate("() => window.__cspViolations.splice(0)")
        self.violations += [f"{self.page.url}: {v}" for v in found]


def _switch(page, base_url, username):
    page.context.clear_cookies()
    login(page, base_url, username)
    expect(page).to_have_url(f"{base_url}/")


def _wait_for_pdf_viewer(page):
    """The framed preview opened in Chromium's PDF viewer, not on a refusal page."""
    for _ in range(50):
        urls = [frame.url for frame in page.frames]
        if any(u.startswith("chrome-extension://") for u in urls):
            return
        assert not any(u.startswith("chrome-error://") for u in urls), urls
        page.wait_for_timeout(200)
    pytest.fail(f"the PDF preview did not open: {urls}")


def _plotly_styled(page):
    """Plotly's runtime stylesheet exists and holds its rules (the modebar, hover layer)."""
    return page.evaluate("""() => {
        const sheet = document.getElementById("plotly.js-style-global");
        return sheet && sheet.sheet ? sheet.sheet.cssRules.length : 0;
    }""")


def test_main_pages_of_each_role_cause_no_csp_violation(demo_site, page):
    from risk_profiles.models import RiskProfile
    from roadmaps.models import Document, Roadmap
    from schools.models import ImportBatch, School

    url = demo_site.url
    watch = Watch(page, url)
    rostov_school = School.objects.get(region__code=61, short_name=DOCUMENTS_SCHOOL)
    own_school = School.objects.get(region__code=61, short_name=SCHOOL_NAME)
    document = Document.objects.filter(school=rostov_school).order_by("pk").first()
    profile = RiskProfile.objects.get(school=rostov_school, year=2022)
    roadmap = Roadmap.objects.get(region__code=61, level=Roadmap.Level.REGION)
    batch = ImportBatch.objects.filter(region__code=61).order_by("pk").first()

    # regional staff: home, a school, documents, a risk profile, charts, imports, timeline
    _switch(page, url, STAFF)
    watch.collect()
    watch.open("/", wait_for="h1")
    watch.open(rostov_school.get_absolute_url(), wait_for="h1")
    watch.open("/documents/", wait_for="h1")
    watch.open(document.get_absolute_url(), wait_for="h1")
    watch.open(profile.get_absolute_url(), wait_for="h1")
    watch.open("/monitoring/", wait_for=".chart .main-svg")
    assert _plotly_styled(page) > 0
    expect(page.locator(".modebar").first).to_have_css("position", "absolute")
    # «Download plot as a PNG» draws the chart through a blob: image (img-src blob:)
    page.locator(".chart").first.hover()
    with page.expect_download() as download:
        page.locator('.modebar-btn[data-title="Download plot as a PNG"]').first.click()
    assert download.value.suggested_filename.endswith(".png")
    watch.collect()
    shot(page, "csp-monitoring")
    watch.open("/risks/distribution/", wait_for=".chart .main-svg")
    watch.open("/schools/imports/", wait_for="h1")
    watch.open(batch.get_absolute_url(), wait_for="h1")
    watch.open(f"/documents/plans/{roadmap.public_id}/timeline/", wait_for=".gantt__bar")
    shot(page, "csp-timeline")

    # the school coordinator: its home, the checklist, a PDF upload and its framed preview
    _switch(page, url, SCHOOL)
    watch.collect()
    watch.open("/", wait_for="h1")
    page.get_by_role("link", name=re.compile("документы 2022 года")).click()
    expect(page.get_by_role("heading", name="Документы школы на 2022 год")).to_be_visible()
    watch.collect()
    page.get_by_role("row", name=re.compile("^Концепция развития")).get_by_role(
        "link", name="Загрузить").click()
    watch.collect()
    page.get_by_label("Файл документа").set_input_files(files=[
        {"name": "Концепция.pdf", "mimeType": "application/pdf",
         "buffer": pdf_bytes("Концепция")}])
    with page.expect_response(lambda r: r.url.endswith("?inline=1")) as preview:
        page.get_by_role("button", name="Загрузить", exact=True).click()
    expect(page.get_by_text("Документ отправлен куратору на проверку")).to_be_visible()
    assert preview.value.status == 200
    assert "frame-ancestors 'self'" in preview.value.headers["content-security-policy"]
    _wait_for_pdf_viewer(page)
    watch.collect()
    shot(page, "csp-pdf-preview")
    watch.open(own_school.get_absolute_url(), wait_for="h1")

    # the federal observer: the regions and the monitoring charts
    _switch(page, url, OBSERVER)
    watch.collect()
    watch.open("/", wait_for="h1")
    watch.open("/monitoring/", wait_for=".chart .main-svg")
    assert _plotly_styled(page) > 0

    assert watch.violations == []


def test_confirm_question_still_guards_a_form(demo_site, page):
    from risk_profiles.models import RiskProfile
    from schools.models import School

    url = demo_site.url
    watch = Watch(page, url)
    profile = RiskProfile.objects.get(
        school=School.objects.get(region__code=61, short_name=SCHOOL_NAME), year=2022)
    assert profile.status == RiskProfile.Status.DRAFT
    _switch(page, url, SCHOOL)
    watch.open(profile.get_absolute_url(), wait_for="h1")
    questions = []

    def dismiss(dialog):
        questions.append((dialog.type, dialog.message))
        dialog.dismiss()

    page.on("dialog", dismiss)
    page.get_by_role("button", name="Сохранить и отправить").click()
    expect(page.get_by_role("button", name="Сохранить и отправить")).to_be_visible()
    assert questions == [("confirm", "Сохранить изменения и отправить риск-профиль куратору? "
                                     "Пока он на проверке, изменить его нельзя.")]
    assert page.url == f"{url}{profile.get_absolute_url()}"
    profile.refresh_from_db()
    assert profile.status == RiskProfile.Status.DRAFT
    page.remove_listener("dialog", dismiss)

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Сохранить и отправить").click()
    expect(page.get_by_role("button", name="Сохранить и отправить")).to_have_count(0)
    profile.refresh_from_db()
    assert profile.status == RiskProfile.Status.SUBMITTED
    watch.collect()
    assert watch.violations == []
