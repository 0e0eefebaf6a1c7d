"""Forms never lose input (issue 23), in a browser: the risk profile's «Сохранить и
отправить» sends what was typed; a refused send shows it back; leaving a multi-part form
with unsaved changes asks first (static/js/unsaved.js, a «beforeunload» dialog)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from .conftest import login, shot

pytestmark = pytest.mark.e2e

SCHOOL = "pervomayskaya.school"
SCHOOL_NAME = "МБОУ Первомайская СОШ"
SEND_QUESTION = ("Сохранить изменения и отправить риск-профиль куратору? Пока он на "
                 "проверке, изменить его нельзя.")


def _profile():
    from risk_profiles.models import RiskProfile

    return RiskProfile.objects.get(school__region__code=61, school__short_name=SCHOOL_NAME,
                                   year=2022)


def _items(profile):
    return {code: (activated, level, justification, value)
            for code, activated, level, justification, value in profile.items.values_list(
                "factor__code", "activated", "level", "justification", "value")}


class Dialogs:
    """Records every dialog; answers confirm() with ``confirm`` and the «leave the page?»
    question with ``leave``."""

    def __init__(self, page, *, confirm=True, leave=False):
        self.seen, self.confirm, self.leave = [], confirm, leave
        page.on("dialog", self.answer)

    def answer(self, dialog):
        self.seen.append(dialog.type)
        agree = self.leave if dialog.type == "beforeunload" else self.confirm
        dialog.accept() if agree else dialog.dismiss()


def _type(page, label, text):
    field = page.get_by_label(label)
    field.click()  # a real click: browsers ask before leaving only after the user interacted
    field.fill(text)


def _leave_by_breadcrumb(page, path, *, leaves, dialogs=None):
    """Click the first breadcrumb and wait for what follows (a fixed pause flaked on a busy
    machine): the next page when the browser ``leaves``, else the «leave?» dialog."""
    seen = len(dialogs.seen) if dialogs else 0
    page.locator("nav.breadcrumbs a").first.click(no_wait_after=True)
    if leaves:
        page.wait_for_url(lambda u: not u.endswith(path), timeout=20000)
        return
    for _ in range(200):
        if len(dialogs.seen) > seen:
            break
        page.wait_for_timeout(100)
    page.wait_for_timeout(300)  # a navigation the dialog did not stop would have begun


def test_save_and_send_in_the_browser_keeps_the_typed_values(demo_site, page):
    url = demo_site.url
    profile = _profile()
    assert profile.status == "draft"
    login(page, url, SCHOOL)
    page.goto(f"{url}{profile.get_absolute_url()}")
    dialogs = Dialogs(page)
    page.get_by_label("R02: активировать").check()
    page.get_by_label("R02: уровень риска").select_option(label="высокий")
    _type(page, "R02: значение ФИОКО", "0,71")
    _type(page, "R02: обоснование", "Две вакансии: учитель математики и физики.")
    _type(page, "R01: обоснование", "Кабинеты физики и химии без оборудования.")
    shot(page, "unsaved-profile-filled")
    page.get_by_role("button", name="Сохранить и отправить").click()
    expect(page.get_by_text("Риск-профиль отправлен куратору на проверку.")).to_be_visible()
    # one question — the confirmation; sending its own form is not «leaving»
    assert dialogs.seen == ["confirm"]

    profile.refresh_from_db()
    assert profile.status == "submitted"
    items = _items(profile)
    assert items["R02"][:3] == (True, "high", "Две вакансии: учитель математики и физики.")
    assert str(items["R02"][3]) == "0.7100"
    assert items["R01"][2] == "Кабинеты физики и химии без оборудования."
    shot(page, "unsaved-profile-sent")


def test_a_refused_send_shows_the_input_and_leaving_then_asks(demo_site, page):
    url = demo_site.url
    profile = _profile()
    before = _items(profile)
    login(page, url, SCHOOL)
    page.goto(f"{url}{profile.get_absolute_url()}")
    dialogs = Dialogs(page)
    page.get_by_label("R11: активировать").check()
    _type(page, "R02: обоснование", "Черновик, который нельзя потерять")
    page.get_by_role("button", name="Сохранить и отправить").click()
    expect(page.get_by_text("R11: укажите уровень активированного риска.")).to_be_visible()
    expect(page.get_by_text("R11: напишите обоснование")).to_be_visible()
    expect(page.get_by_label("R11: активировать")).to_be_checked()
    expect(page.get_by_label("R02: обоснование")).to_have_value(
        "Черновик, который нельзя потерять")
    shot(page, "unsaved-profile-refused")
    profile.refresh_from_db()
    assert profile.status == "draft" and _items(profile) == before

    # what is on the page was typed, not saved: leaving asks, and staying keeps it
    page.get_by_label("R02: уровень риска").click()
    here = page.url  # the answer to the POST
    _leave_by_breadcrumb(page, here, leaves=False, dialogs=dialogs)
    assert dialogs.seen == ["confirm", "beforeunload"]
    assert page.url == here
    expect(page.get_by_label("R02: обоснование")).to_have_value(
        "Черновик, который нельзя потерять")


def _sheet_url():
    from schools.models import School

    school = School.objects.get(region__code=61, short_name=SCHOOL_NAME)
    return reverse("curators:sheet", args=[school.public_id, 2022])


def _item_url():
    from roadmaps.models import RoadmapItem

    item = (RoadmapItem.objects.filter(roadmap__region__code=61, roadmap__level="region",
                                       done_on__isnull=True).order_by("pk").first())
    return item.get_absolute_url()


def _review_url():
    """2022's contest moved to its review stage with jury.azov judging Первомайская's
    application (the demo leaves it at the application stage)."""
    from contests import services
    from contests.models import Application, Assignment, Edition
    from core.models import User
    from methodists.models import Methodist

    staff = User.objects.get(username="rostov.region")
    application = Application.objects.get(edition__region__code=61, edition__year=2022,
                                           school__short_name=SCHOOL_NAME)
    methodist = Methodist.objects.get(user__username="jury.azov")
    services.juror_add(actor=staff, nomination=application.nomination, methodist=methodist,
                       is_chair=True)
    services.assignments_auto(actor=staff, nomination=application.nomination)
    services.edition_advance(actor=staff, edition=application.edition,
                             expected=Edition.Stage.APPLICATIONS)
    return Assignment.objects.get(application=application,
                                  juror__methodist=methodist).get_absolute_url()


FORMS = {
    "risk-profile": (SCHOOL, lambda: _profile().get_absolute_url(), "R02: обоснование"),
    "expertise-sheet": ("lastovyrya", _sheet_url, "Заключение эксперта"),
    "measure": ("rostov.region", _item_url, "Что сделано"),
    "jury-scoring": ("jury.azov", _review_url, "Общий комментарий"),
}


@pytest.mark.parametrize("name", list(FORMS))
def test_leaving_a_form_with_unsaved_changes_asks_first(demo_site, page, name):
    username, path_of, label = FORMS[name]
    url, path = demo_site.url, path_of()
    login(page, url, username)
    page.goto(f"{url}{path}")
    dialogs = Dialogs(page, leave=False)

    # nothing typed: leaving is silent
    page.get_by_label(label).click()
    _leave_by_breadcrumb(page, path, leaves=True)
    assert dialogs.seen == [] and not page.url.endswith(path)

    page.goto(f"{url}{path}")
    _type(page, label, "Несохранённый текст")
    _leave_by_breadcrumb(page, path, leaves=False, dialogs=dialogs)
    assert dialogs.seen == ["beforeunload"], name
    assert page.url.endswith(path)  # stayed, with the input
    expect(page.get_by_label(label)).to_have_value("Несохранённый текст")
    shot(page, f"unsaved-{name}")

    dialogs.leave = True  # «Покинуть»: the browser goes on
    _leave_by_breadcrumb(page, path, leaves=True)
    assert dialogs.seen == ["beforeunload", "beforeunload"]
    page.wait_for_load_state()
    assert not page.url.endswith(path)
