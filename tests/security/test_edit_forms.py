"""Saving an edit form unchanged keeps its object (issue 22, item 7).

Every edit form of the portal is opened as a browser would: GET the page, read the form it
rendered (STYLE 7.6) and post its own values back. Afterwards every stored field of the
object — the ones the form shows and, above all, the ones it does not (a linked portal
account, the school of a workplace, who created it, its state) — and the rows it owns
(scores, items) are what they were. Only the fields named by a case may change: those a
save records by design (who corrected a review and why).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import reverse
from django.utils import timezone

from contests import services as contests
from contests.models import Edition
from core.files import upload_check
from core.roles import Role
from core.services import membership_create
from curators.services import scheme_load, sheet_save
from methodists.models import Methodist
from methodists.services import MethodistData, methodist_create, subjects_resolve
from monitoring.services import rules_save
from risk_profiles.models import Level, RiskFactor
from risk_profiles.services import ItemChange, catalogue_load, profile_create, profile_update
from roadmaps.models import PlanStage
from roadmaps.services import kinds_load
from roadmaps.services.plans import (
    ItemInput,
    StageInput,
    item_add,
    school_roadmap_start,
    section_add,
    stage_save,
)
from tests.factories import UserFactory
from tests.files import pdf_bytes
from training import services as training


# -- reading a rendered form as a browser submits it ------------------------------------------
class _BrowserForm(HTMLParser):
    """The successful controls of the first form posting to ``action``, in the order a
    browser sends them: disabled controls and file inputs are left out, unchecked boxes
    send nothing, a select sends its selected options (a single select without one: its
    first option), and the first named submit button is the one «clicked»."""

    def __init__(self, action: str, page: str):
        super().__init__()
        self.action, self.page = action, page
        self.inside = self.found = False
        self.pairs: list[tuple[str, str]] = []
        self.button: tuple[str, str] | None = None
        self._select: dict | None = None
        self._textarea: list | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and not self.found and a.get("action", self.page) == self.action:
            self.inside = self.found = True
            return
        if not self.inside:
            return
        name, disabled = a.get("name"), "disabled" in a
        if tag == "input" and name and not disabled:
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "image"):
                self.button = self.button or (name, a.get("value", ""))
            elif kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.pairs.append((name, a.get("value", "on")))
            elif kind not in ("button", "reset", "file"):
                self.pairs.append((name, a.get("value", "")))
        elif tag == "button" and name and not disabled and \
                (a.get("type") or "submit").lower() == "submit":
            self.button = self.button or (name, a.get("value", ""))
        elif tag == "select" and name:
            self._select = {"name": name, "multiple": "multiple" in a, "disabled": disabled,
                            "options": [], "selected": []}
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            self._select["options"].append(value)
            if "selected" in a:
                self._select["selected"].append(value)
        elif tag == "textarea" and name and not disabled:
            self._textarea = [name, ""]

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "select" and self._select is not None:
            s, self._select = self._select, None
            chosen = s["selected"] or ([] if s["multiple"] else s["options"][:1])
            if not s["disabled"]:
                self.pairs.extend((s["name"], value) for value in chosen)
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            self._textarea = None
            # the one line break after <textarea> belongs to the markup, not to the value
            self.pairs.append((name, text[1:] if text.startswith("\n") else text))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data


def submitted(html: str, action: str, page: str) -> dict[str, list[str]]:
    """What the browser posts when the form sending to ``action`` is submitted untouched."""
    parser = _BrowserForm(action, page)
    parser.feed(html)
    assert parser.found, f"no form posting to {action} on {page}"
    data: dict[str, list[str]] = {}
    for name, value in parser.pairs + ([parser.button] if parser.button else []):
        data.setdefault(name, []).append(value)
    data.pop("csrfmiddlewaretoken", None)
    return data


def test_the_form_reader_submits_like_a_browser():
    html = """<form action="/x/"><input name="t" value="a &amp; b"><input name="d" value="1"
      disabled><input type="checkbox" name="c" value="1" checked><input type="checkbox"
      name="c" value="2"><input type="checkbox" name="c" value="3" checked>
      <select name="one"><option value="p">P</option><option value="q">Q</option></select>
      <select name="many" multiple><option value="1" selected>1</option>
      <option value="2" selected>2</option></select><input type="file" name="f">
      <textarea name="area">
line one
line two</textarea><button name="action" value="save">S</button>
      <button name="action" value="publish">P</button></form>"""
    assert submitted(html, "/x/", "/x/") == {
        "t": ["a & b"], "c": ["1", "3"], "one": ["p"], "many": ["1", "2"],
        "area": ["line one\nline two"], "action": ["save"]}


# -- what a save must keep ---------------------------------------------------------------------
def _stored(obj: models.Model) -> dict:
    """Every stored column of ``obj`` (but the «changed at» stamps) and its many-to-many."""
    fresh = type(obj).objects.get(pk=obj.pk)
    values = {f.attname: getattr(fresh, f.attname) for f in fresh._meta.concrete_fields
              if not getattr(f, "auto_now", False)}
    for f in fresh._meta.many_to_many:
        values[f.name] = sorted(getattr(fresh, f.name).values_list("pk", flat=True))
    return values


@dataclass
class Case:
    user: object
    page: str  # the page that renders the form
    action: str  # where the form posts
    obj: models.Model  # what the form edits
    owned: Callable[[], object] = lambda: None  # rows the object owns (scores, items)
    typed: dict = field(default_factory=dict)  # what the user must type in to save at all
    changes: frozenset = frozenset()  # columns the save rewrites by design


def _today() -> datetime.date:
    return timezone.localdate()


# -- methodists, risk profiles, roadmaps, curators -----------------------------------------------
def _methodist(w, admin) -> Case:
    subjects, _ = subjects_resolve(["Математика", "Физика"], create=True)
    methodist = methodist_create(actor=w.regional_staff, region=w.region, data=MethodistData(
        full_name="Сидорова Анна Петровна", municipality=w.municipality, subjects=subjects,
        workplace=w.school1.login, position="учитель математики",
        assessed_on=datetime.date(2022, 3, 15), assessment_score=87, is_tutor=True,
        user=w.methodist))
    assert methodist.user == w.methodist and methodist.school == w.school1
    url = reverse("methodists:edit", args=[methodist.public_id])
    return Case(w.regional_staff, url, url, methodist)


def _risk_profile(w, admin) -> Case:
    catalogue_load(actor=None)
    profile = profile_create(actor=w.school_coordinator, school=w.school1, year=2022)
    profile_update(actor=w.school_coordinator, profile=profile, changes={
        "R01": ItemChange(activated=True, justification="Выявлено по анкетам ФИОКО",
                          level=Level.HIGH, value=Decimal("0.6200")),
        "R02": ItemChange(level=Level.LOW, value=Decimal("12.5"))})

    def items():
        return sorted(profile.items.values_list("factor__code", "value", "level", "activated",
                                                "justification"))

    return Case(w.school_coordinator, profile.get_absolute_url(),
                reverse("risk_profiles:profile_edit", args=[profile.public_id]), profile,
                owned=items)


def _risk_factor(w, admin) -> Case:
    catalogue_load(actor=None)
    factor = RiskFactor.objects.get(year=2022, code="R03")
    url = reverse("risk_profiles:factor_edit", args=[factor.pk])
    return Case(admin, url, url, factor)


def _roadmap_item(w, admin) -> Case:
    catalogue_load(actor=None)
    kinds_load(actor=None, year=2022)
    profile = profile_create(actor=w.school_coordinator, school=w.school1, year=2022)
    profile_update(actor=w.school_coordinator, profile=profile, changes={
        "R01": ItemChange(activated=True, justification="Выявлено")})
    roadmap = school_roadmap_start(actor=w.school_coordinator, school=w.school1, year=2022)
    stage = stage_save(actor=w.regional_staff, region=w.region, year=2022, data=StageInput(
        title="Мероприятия первого полугодия", due_on=datetime.date(2022, 6, 30),
        rule=PlanStage.Rule.MEASURES))
    section = section_add(actor=w.school_coordinator, roadmap=roadmap, number="1",
                          title="Работа с педагогами")
    item = item_add(actor=w.school_coordinator, roadmap=roadmap, data=ItemInput(
        activity="Педагогический совет по итогам ВПР", deadline_text="март 2022",
        number="1.1", section=section, responsible="Директор, заместитель директора",
        responsible_user=w.school_coordinator, expected_result="Решение педсовета",
        risk_factor=RiskFactor.objects.get(year=2022, code="R01"), stage=stage))
    return Case(w.school_coordinator, item.get_absolute_url(),
                reverse("roadmaps:item_edit", args=[item.public_id]), item)


def _plan_stage(w, admin) -> Case:
    kinds_load(actor=None, year=2022)
    stage = stage_save(actor=w.regional_staff, region=w.region, year=2022, data=StageInput(
        title="Концепции школ", due_on=datetime.date(2022, 4, 15),
        rule=PlanStage.Rule.DOCUMENTS, kind_code="concept", position=3))
    return Case(w.regional_staff, reverse("roadmaps:schedule") + "?year=2022",
                reverse("roadmaps:stage_edit", args=[stage.public_id]), stage)


def _expertise_sheet(w, admin) -> Case:
    scheme = scheme_load(actor=None, year=2022)
    first, second = list(scheme.criteria.order_by("position"))[:2]
    sheet = sheet_save(actor=w.curator, school=w.school1, year=2022,
                       scores={first.pk: (first.max_points, "Полностью"),
                               second.pk: (second.min_points, "")},
                       comment="Концепция требует доработки")

    def scores():
        return sorted(sheet.scores.values_list("criterion_id", "points", "comment"))

    url = reverse("curators:sheet", args=[w.school1.public_id, 2022])
    return Case(w.curator, url, url, sheet, owned=scores)


# -- training ----------------------------------------------------------------------------------
def _course(w):
    return training.course_create(actor=w.regional_staff, region=w.region,
                                  title="Функциональная грамотность", audience="учителя ШНОР",
                                  hours=72, form="blended", provider="ГБУ ДПО РО РИПК и ППРО",
                                  description="Модули:\nчитательская грамотность")


def _run(w):
    return training.run_create(actor=w.regional_staff, course=_course(w),
                               starts_on=datetime.date(2022, 9, 1),
                               ends_on=datetime.date(2022, 12, 1), label="поток 1",
                               capacity=25)


def _member(w):
    subjects, _ = subjects_resolve(["Математика"], create=True)
    return training.staff_create(actor=w.regional_staff, school=w.school1,
                                 full_name="Петрова Ольга Ивановна", position="учитель",
                                 subjects=subjects)


def _training_course(w, admin) -> Case:
    course = _course(w)
    url = reverse("training:course_edit", args=[course.public_id])
    return Case(w.regional_staff, url, url, course)


def _training_run(w, admin) -> Case:
    run = _run(w)
    return Case(w.regional_staff, run.get_absolute_url(),
                reverse("training:run_edit", args=[run.public_id]), run)


def _enrolment(w, admin) -> Case:
    run = _run(w)
    subjects, _ = subjects_resolve(["Математика"], create=True)
    enrolment = training.enrolment_create(actor=w.regional_staff, run=run, member=_member(w),
                                          subject=subjects[0])
    enrolment = training.enrolment_update(
        actor=w.regional_staff, enrolment=enrolment, status="completed",
        completed_on=datetime.date(2022, 12, 1), result="passed",
        certificate_number="612400012345", subject=subjects[0])
    url = reverse("training:enrolment_edit", args=[enrolment.public_id])
    return Case(w.regional_staff, url, url, enrolment)


def _staff_member(w, admin) -> Case:
    member = _member(w)
    url = reverse("training:staff_edit", args=[member.public_id])
    return Case(w.school_coordinator, url, url, member)


def _route_tutor(w, admin) -> Case:
    subjects, _ = subjects_resolve(["Математика"], create=True)
    tutor = methodist_create(actor=None, region=w.region, data=MethodistData(
        full_name="Тьюторова Мария Ивановна", municipality=w.municipality, subjects=subjects,
        is_tutor=True, user=w.methodist))
    route = training.route_create(actor=w.regional_staff, member=_member(w), year=2022,
                                  tutor=tutor)
    return Case(w.regional_staff, route.get_absolute_url(),
                reverse("training:route_tutor", args=[route.public_id]), route)


# -- the contest -------------------------------------------------------------------------------
@dataclass
class Contest:
    edition: Edition
    nomination: object
    application: object
    juror: Methodist
    chair: Methodist


def _contest(w, upto: str) -> Contest:
    """An edition of 2022 (its catalogue of risk factors exists) with today inside the
    application window, one application of school 1 with subjects and risk factors, two
    jurors from the other municipality, moved on to the stage ``upto``."""
    catalogue_load(actor=None)
    today = _today()
    edition = contests.edition_create(
        actor=w.regional_staff, region=w.region, year=2022, load_nominations=True,
        title="Наша история успеха", regulation_order="приказ от 29.04.2022 № 432",
        applications_open=today - datetime.timedelta(days=5),
        applications_close=today + datetime.timedelta(days=5),
        review_close=today + datetime.timedelta(days=20),
        results_on=today + datetime.timedelta(days=25),
        publication_on=today + datetime.timedelta(days=30), jurors_per_application=2)
    nomination = edition.nominations.get(number=1)
    edition = contests.edition_advance(actor=w.regional_staff, edition=edition,
                                       expected=Edition.Stage.DRAFT)
    subjects, _ = subjects_resolve(["История"], create=True)
    factors = tuple(RiskFactor.objects.filter(year=2022, code__in=["R01", "R04"]))
    body = pdf_bytes("practice")
    upload = upload_check(SimpleUploadedFile("p.pdf", body), "p.pdf", len(body))
    application = contests.application_create(
        actor=w.school_coordinator, edition=edition, nomination=nomination, school=w.school1,
        data=contests.ApplicationData(
            title="Школа равных возможностей", authors="Иванова И. И., учитель истории",
            description="Описание практики", subjects=tuple(subjects), risk_factors=factors),
        files=[("Описание практики", upload)])
    jurors = []
    for i, name in enumerate(("Председателева", "Экспертова")):
        user = UserFactory(username=f"juror_{i}")
        membership_create(actor=None, user=user, role=Role.METHODIST, region=w.region)
        methodist = Methodist.objects.create(region=w.region, municipality=w.other_municipality,
                                             full_name=f"{name} Анна Ивановна", user=user)
        contests.juror_add(actor=w.regional_staff, nomination=nomination, methodist=methodist,
                           is_chair=i == 0)
        jurors.append(methodist)
    contest = Contest(edition, nomination, application, jurors[1], jurors[0])
    order = [Edition.Stage.APPLICATIONS, Edition.Stage.REVIEW, Edition.Stage.RESULTS,
             Edition.Stage.PUBLISHED]
    if order.index(upto) >= 1:
        contests.assignments_auto(actor=w.regional_staff, nomination=nomination)
        contests.edition_advance(actor=w.regional_staff, edition=edition,
                                 expected=Edition.Stage.APPLICATIONS)
    if order.index(upto) >= 2:
        for methodist in jurors:
            _review(contest, methodist, submit=True)
        contests.edition_advance(actor=w.regional_staff, edition=edition,
                                 expected=Edition.Stage.REVIEW)
        contests.application_result_set(actor=w.regional_staff, application=application,
                                        place=1, in_bank=True)
    if order.index(upto) >= 3:
        contests.edition_advance(actor=w.regional_staff, edition=edition,
                                 expected=Edition.Stage.RESULTS)
    return contest


def _review(contest: Contest, methodist: Methodist, *, submit: bool):
    assignment = contest.application.assignments.get(juror__methodist=methodist)
    criteria = list(contest.nomination.criteria.all())
    values = {c.pk: (c.min_score + i % 3, f"Комментарий {i}" if i % 2 else "")
              for i, c in enumerate(criteria)}
    return contests.review_save(actor=methodist.user, assignment=assignment, values=values,
                                comment="Практика описана полно", submit=submit)


def _scores(review):
    return lambda: sorted(review.scores.values_list("criterion_id", "value", "comment"))


def _contest_edition(w, admin) -> Case:
    edition = _contest(w, Edition.Stage.APPLICATIONS).edition
    url = reverse("contests:edition_edit", args=[edition.public_id])
    return Case(w.regional_staff, url, url, edition)


def _contest_nomination(w, admin) -> Case:
    nomination = _contest(w, Edition.Stage.APPLICATIONS).nomination
    return Case(w.regional_staff, nomination.get_absolute_url(),
                reverse("contests:nomination_edit", args=[nomination.public_id]), nomination)


def _contest_criterion(w, admin) -> Case:
    nomination = _contest(w, Edition.Stage.APPLICATIONS).nomination
    criterion = nomination.criteria.get(weight=Decimal("1.5"))  # «1,5» on the page
    return Case(w.regional_staff, nomination.get_absolute_url(),
                reverse("contests:criterion_edit", args=[nomination.public_id,
                                                         criterion.number]), criterion)


def _contest_application(w, admin) -> Case:
    application = _contest(w, Edition.Stage.APPLICATIONS).application
    url = reverse("contests:application_edit", args=[application.public_id])
    return Case(w.school_coordinator, url, url, application)


def _contest_review(w, admin) -> Case:
    contest = _contest(w, Edition.Stage.REVIEW)
    review = _review(contest, contest.juror, submit=False)
    url = reverse("contests:review", args=[review.assignment.public_id])
    return Case(contest.juror.user, url, url, review, owned=_scores(review))


def _contest_correction(w, admin) -> Case:
    contest = _contest(w, Edition.Stage.RESULTS)
    review = contest.application.assignments.get(juror__methodist=contest.juror).review
    url = reverse("contests:review_correct", args=[review.assignment.public_id])
    return Case(contest.chair.user, url, url, review, owned=_scores(review),
                typed={"reason": ["Проверено председателем"]},
                changes=frozenset({"corrected_by_id", "corrected_at", "correction_reason"}))


def _contest_result(w, admin) -> Case:
    application = _contest(w, Edition.Stage.RESULTS).application
    return Case(w.regional_staff, application.get_absolute_url(),
                reverse("contests:result_set", args=[application.public_id]), application)


def _contest_practice(w, admin) -> Case:
    application = _contest(w, Edition.Stage.PUBLISHED).application
    contests.practice_courses_set(actor=w.regional_staff, application=application,
                                  courses=[_course(w)])
    url = reverse("contests:practice", args=[application.public_id])
    return Case(w.regional_staff, url, url, application)


# -- monitoring --------------------------------------------------------------------------------
def _engagement_rules(w, admin) -> Case:
    rules = rules_save(actor=admin, year=2022, plan_scale=[[95, 6], [82.5, 5], [60, 3]],
                       documents_scale=[[90, 5], [50, 2]], curator_scale=[[80, 3], [40, 1]],
                       one_school_threshold=85)
    url = reverse("monitoring:rules", args=[2022])
    return Case(admin, url, url, rules)


EDIT_FORMS = {
    "methodists:edit": _methodist,
    "risk_profiles:profile_edit": _risk_profile,
    "risk_profiles:factor_edit": _risk_factor,
    "roadmaps:item_edit": _roadmap_item,
    "roadmaps:stage_edit": _plan_stage,
    "curators:sheet": _expertise_sheet,
    "training:course_edit": _training_course,
    "training:run_edit": _training_run,
    "training:enrolment_edit": _enrolment,
    "training:staff_edit": _staff_member,
    "training:route_tutor": _route_tutor,
    "contests:edition_edit": _contest_edition,
    "contests:nomination_edit": _contest_nomination,
    "contests:criterion_edit": _contest_criterion,
    "contests:application_edit": _contest_application,
    "contests:review": _contest_review,
    "contests:review_correct": _contest_correction,
    "contests:result_set": _contest_result,
    "contests:practice": _contest_practice,
    "monitoring:rules": _engagement_rules,
}


@pytest.mark.parametrize("name", list(EDIT_FORMS))
def test_saving_an_edit_form_unchanged_keeps_the_object(name, world_a, admin_user, client):
    case = EDIT_FORMS[name](world_a, admin_user)
    before, owned_before = _stored(case.obj), case.owned()
    client.force_login(case.user)
    page = client.get(case.page)
    assert page.status_code == 200, case.page
    data = submitted(page.content.decode(), case.action, case.page) | case.typed
    response = client.post(case.action, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    levels = [m.level for m in get_messages(response.wsgi_request)]
    assert message_levels.ERROR not in levels and message_levels.SUCCESS in levels, [
        str(m) for m in get_messages(response.wsgi_request)]
    after = _stored(case.obj)
    kept = {k: v for k, v in before.items() if k not in case.changes}
    assert {k: after[k] for k in kept} == kept
    assert case.owned() == owned_before


def test_the_methodist_form_keeps_the_jurors_account_and_assignment(world_a, admin_user,
                                                                    client):
    """The defect of the issue, end to end: a juror stays able to open its assignment
    after regional staff saved its methodist record."""
    contest = _contest(world_a, Edition.Stage.REVIEW)
    juror = contest.juror
    assignment = contest.application.assignments.get(juror__methodist=juror)
    subjects, _ = subjects_resolve(["История"], create=True)
    juror.subjects.set(subjects)
    client.force_login(world_a.regional_staff)
    url = reverse("methodists:edit", args=[juror.public_id])
    data = submitted(client.get(url).content.decode(), url, url)
    assert client.post(url, data).status_code == 302
    juror.refresh_from_db()
    assert juror.user == assignment.juror.methodist.user
    client.force_login(juror.user)
    assert client.get(reverse("contests:review", args=[assignment.public_id])).status_code == 200
