"""Tenancy: a user of region A never sees region B (STYLE 4.1, 4.4)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import TestCase, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import REGION_A_PERSONAS, build_world
from core.jobs import job_start
from core.models import AuditEntry, Notification
from risk_profiles.models import RiskFactor
from risk_profiles.services import (
    ItemChange,
    catalogue_load,
    profile_create,
    profile_transition,
    profile_update,
)
from roadmaps.models import DocumentKind
from roadmaps.services import Slot, document_upload, kinds_load, upload_check
from schools.services import import_batch_create, thresholds_set
from tests.files import pdf_bytes
from tests.isolation import EXEMPT_NAMESPACES, OPENERS, URLS


def _url_names(resolver: URLResolver, prefix: str = "") -> set[str]:
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            namespace = pattern.namespace
            if namespace in EXEMPT_NAMESPACES:
                continue
            names |= _url_names(pattern, f"{prefix}{namespace}:" if namespace else prefix)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(prefix + pattern.name)
    return names


def test_every_url_name_is_declared_in_the_isolation_registry():
    names = _url_names(get_resolver())
    missing = sorted(names - URLS.keys())
    assert not missing, (
        "These URL names are not in tests/isolation.py; declare each with how to reach "
        f"region B's object: {missing}"
    )
    stale = sorted(URLS.keys() - names)
    assert not stale, f"tests/isolation.py declares URLs that no longer exist: {stale}"


@pytest.fixture(scope="module")
def _objs_module(django_db_setup, django_db_blocker, tmp_path_factory):
    """Both worlds and region B's objects, built once for the whole matrix.

    They live in one outer transaction that is rolled back when the module ends; each test
    runs in a savepoint inside it (pytest-django's ``db``), so what a test changes is undone
    and the next test sees the same objects. Their files live in one media root.
    """
    media = tmp_path_factory.mktemp("isolation-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), \
            transaction.atomic():
        world_a = build_world(61, "Ростовская область", "a")
        world_b = build_world(66, "Свердловская область", "b")
        data = _build_region_b(world_a, world_b)
        data["media"] = media
        yield data
        transaction.set_rollback(True)


@pytest.fixture
def objs(_objs_module, db, settings):
    settings.MEDIA_ROOT = _objs_module["media"]
    return _objs_module


def _build_region_b(world_a, world_b) -> dict:
    with TestCase.captureOnCommitCallbacks(execute=True):
        job_b = job_start(actor=world_b.regional_staff, kind="core.audit_export",
                          params={"filters": {}})
        batch_b, _ = import_batch_create(
            actor=world_b.regional_staff, region=world_b.region, year=2023,
            kind="participants", file_name="Перечень-Свердловская.csv",
            content=SMALL_LIST_B.format(login=world_b.school1.login,
                                        municipality=world_b.municipality.name).encode())
        thresholds_set(actor=world_b.regional_staff, region=world_b.region, year=2023,
                       ior_min=Decimal("0.5"), isb_min=Decimal("0.5"))
        catalogue_load(actor=None)
        profile_b = profile_create(actor=world_b.school_coordinator, school=world_b.school1,
                                   year=2022)
        profile_update(actor=world_b.school_coordinator, profile=profile_b,
                       changes={"R01": ItemChange(activated=True, level="high",
                                                  justification="Выявлено ФИОКО")})
        profile_transition(actor=world_b.school_coordinator, profile=profile_b,
                           action="submit")
        kinds_load(actor=None, year=2022)
        f = SimpleUploadedFile("Концепция-b.pdf", pdf_bytes("region B"))
        version_b = document_upload(
            actor=world_b.school_coordinator, school=world_b.school1, year=2022,
            upload=upload_check(f, f.name, f.size),
            slot=Slot(kind=DocumentKind.objects.get(year=2022, code="concept")))
        f = SimpleUploadedFile("Концепция-b-2.pdf", pdf_bytes("region B, fixed"))
        document_upload(actor=world_b.school_coordinator, school=world_b.school1, year=2022,
                        upload=upload_check(f, f.name, f.size), document=version_b.document)
        curator_b = _curator_work_b(world_b)
        roadmaps_b = _roadmaps_b(world_b)
        from monitoring.services import engagement_recompute

        score_b = engagement_recompute(actor=None, region=world_b.region, year=2022)
        training_b = _training_b(world_b)
        contests_b = _contests_b(world_b)
        management_b = _management_b(world_b)
        from tests.isolation_mentoring import build_b as mentoring_build_b

        mentoring_b = mentoring_build_b(world_b)
        from api.services import token_create

        token_b, _ = token_create(actor=world_b.regional_staff, name="Токен региона Б",
                                  days=30)
    job_b.refresh_from_db()
    batch_b.refresh_from_db()
    assert job_b.result_file
    assert batch_b.status == "previewed", batch_b.errors or batch_b.message
    return {"world_a": world_a, "world_b": world_b, "job_b": job_b, "batch_b": batch_b,
            "profile_b": profile_b, "version_b": version_b, "document_b": version_b.document,
            "notification_b": Notification.objects.filter(recipient=world_b.curator).first(),
            **curator_b, **roadmaps_b, **contests_b,
            "score_b": score_b, "component_b": score_b.components.get(code="plan"),
            **training_b, **management_b, **mentoring_b, "token_b": token_b,
            # a factor of a year without profiles: an administrator may still change it
            "factor": RiskFactor.objects.get(year=2021, code="R08")}


def _curator_work_b(world_b) -> dict:
    """Region B's order (with a file), its curator's declared work place, a log entry with
    evidence and a published expertise sheet."""
    import datetime

    from curators.models import CuratorAssignment
    from curators.services import (
        LogInput,
        affiliation_add,
        order_create,
        scheme_load,
        sheet_save,
        worklog_add,
    )

    def pdf(name):
        f = SimpleUploadedFile(name, pdf_bytes(name))
        return upload_check(f, f.name, f.size)

    staff, curator = world_b.regional_staff, world_b.curator
    order_b = order_create(actor=staff, region=world_b.region, year=2022, number="Б-777",
                           date=datetime.date(2022, 3, 1), upload=pdf("prikaz-b.pdf"))
    affiliation_b = affiliation_add(actor=curator, user=curator,
                                    municipality=world_b.other_municipality,
                                    position="методист управления образования")
    log_b = worklog_add(actor=curator, region=world_b.region, upload=pdf("vyezd-b.pdf"),
                        data=LogInput(date=datetime.date(2022, 5, 19), kind="visit",
                                      minutes=120, text="Выезд в школу региона Б",
                                      school=world_b.school1))
    scheme = scheme_load(actor=None, year=2022)
    sheet_save(actor=curator, school=world_b.school1, year=2022,
               scores={c.pk: (1, "") for c in scheme.criteria.all()}, publish=True)
    return {"order_b": order_b, "affiliation_b": affiliation_b, "log_b": log_b,
            "assignment_b": CuratorAssignment.objects.get(curator=curator,
                                                          school=world_b.school1)}


def _roadmaps_b(world_b) -> dict:
    """Region B's regional and municipal roadmaps (a measure done with evidence), its
    school's roadmap with an overdue measure, and a stage of its plan-schedule."""
    import datetime

    from risk_profiles.models import RiskFactor
    from roadmaps.services.plans import (
        ItemInput,
        StageInput,
        item_add,
        item_complete,
        roadmap_create,
        school_roadmap_start,
        stage_save,
    )

    staff, coordinator = world_b.regional_staff, world_b.school_coordinator
    roadmap_create(actor=staff, level="region", region=world_b.region, start_year=2022,
                   end_year=2022, title="Региональная дорожная карта Б")
    municipal = roadmap_create(actor=staff, level="municipality", region=world_b.region,
                               municipality=world_b.municipality, start_year=2022,
                               end_year=2022, title="Муниципальная дорожная карта Б")
    done = item_add(actor=staff, roadmap=municipal, data=ItemInput(
        activity="Совещание муниципалитета Б", deadline_text="март 2022"))
    f = SimpleUploadedFile("akt-b.pdf", pdf_bytes("akt B"))
    done = item_complete(actor=staff, item=done, done_on=datetime.date(2022, 3, 20),
                         upload=upload_check(f, f.name, f.size))
    school = school_roadmap_start(actor=coordinator, school=world_b.school1, year=2022)
    overdue = item_add(actor=coordinator, roadmap=school, data=ItemInput(
        activity="Мероприятие школы Б просрочено", deadline_text="апрель 2022",
        risk_factor=RiskFactor.objects.get(year=2022, code="R01")))
    stage = stage_save(actor=staff, region=world_b.region, year=2022, data=StageInput(
        title="Этап план-графика региона Б", due_on=datetime.date(2022, 4, 30),
        rule="risk_profile"))
    return {"roadmap_b": municipal, "school_roadmap_b": school, "item_b": overdue,
            "done_item_b": done, "stage_b": stage,
            "evidence_version_b": done.evidence.versions.get()}


def _management_b(world_b) -> dict:
    """Region B's indicators of 2022, a regional value entered with its evidence file, and
    its monitoring calendar with the first event done."""
    import datetime

    from management import services as m
    from management.services import (
        calendar_create,
        catalogue_create,
        event_complete,
        value_enter,
    )

    staff = world_b.regional_staff
    indicators = catalogue_create(actor=staff, region=world_b.region, year=2022)
    entered = next(i for i in indicators if not i.is_computed)
    f = SimpleUploadedFile("Справка-б.pdf", pdf_bytes("region B evidence"))
    value_enter(actor=staff, indicator=entered, municipality=None, value=Decimal("40"),
                note="Справка ИРО региона Б", upload=upload_check(f, f.name, f.size))
    event = calendar_create(actor=staff, region=world_b.region, year=2022)[0]
    f = SimpleUploadedFile("Итоги-диагностики-б.pdf", pdf_bytes("region B results"))
    event_complete(actor=staff, event=event, done_on=datetime.date(2022, 2, 20),
                   upload=upload_check(f, f.name, f.size), note="Проведена")
    recommendation = m.recommendation_issue(
        actor=staff, region=world_b.region, data=m.RecommendationInput(
            addressee="school", year=2026, school=world_b.school1,
            text="Рекомендация региона Б: провести педсовет по итогам ВПР",
            due_on=datetime.date.today() + datetime.timedelta(days=30)))
    m.recommendation_acknowledge(actor=world_b.school_coordinator,
                                 recommendation=recommendation)
    f = SimpleUploadedFile("Протокол-педсовета-б.pdf", pdf_bytes("region B report"))
    m.recommendation_report(actor=world_b.school_coordinator, recommendation=recommendation,
                            text="Педсовет проведён", upload=upload_check(f, f.name, f.size))
    return {"indicator_b": entered, "event_b": event, "recommendation_b": recommendation,
            **_cycle_b(world_b, recommendation)}


def _cycle_b(world_b, recommendation) -> dict:
    """Region B's decision, its yearly report and a school on its exit list."""
    import datetime

    from management import services as m
    from management.models import ExitProposal

    staff = world_b.regional_staff
    f = SimpleUploadedFile("Приказ-б.pdf", pdf_bytes("region B order"))
    decision = m.decision_record(
        actor=staff, region=world_b.region, upload=upload_check(f, f.name, f.size),
        data=m.DecisionInput(kind="controlling", title="Решение региона Б о мониторинге",
                             document_type="order", number="Б-17",
                             signed_on=datetime.date(2022, 12, 20), author="Министр Б",
                             year=2022, indicator_codes=("1.3а",),
                             schools=(world_b.school1,)))
    report = m.report_store(actor=staff, region=world_b.region, municipality=None, year=2022,
                            content=pdf_bytes("region B cycle report"))
    exit_b = ExitProposal.objects.create(
        region=world_b.region, municipality=world_b.school1.municipality,
        school=world_b.school1, year=2022, risks_before=3, risks_now=1,
        basis="Основание региона Б: ИОР рос два года подряд",
        ior_series=[[2020, "0.4"], [2021, "0.5"], [2022, "0.6"]])
    return {"decision_b": decision, "report_b": report, "exit_b": exit_b}


def _training_b(world_b) -> dict:
    """Region B's methodist (a tutor), course, run, a teacher of school 1 enrolled and
    finished, and the teacher's route with a deficit, a step and a note."""
    import datetime

    from methodists.services import MethodistData, methodist_create, subjects_resolve
    from training import services as t

    staff = world_b.regional_staff
    subjects, _ = subjects_resolve(["Математика"], create=True)
    methodist = methodist_create(actor=staff, region=world_b.region, data=MethodistData(
        full_name="Тьюторова Берта Бориславовна", municipality=world_b.municipality,
        subjects=subjects, is_tutor=True, user=world_b.methodist))
    course = t.course_create(actor=staff, region=world_b.region, title="Курс региона Б",
                             audience="учителя", hours=36, form="distance",
                             provider="ИРО региона Б")
    run = t.run_create(actor=staff, course=course, starts_on=datetime.date(2022, 2, 1),
                       ends_on=datetime.date(2022, 3, 1))
    member = t.staff_create(actor=staff, school=world_b.school1,
                            full_name="Учительская Беата Борисовна", subjects=subjects)
    enrolment = t.enrolment_create(actor=staff, run=run, member=member)
    route = t.route_create(actor=staff, member=member, year=2022, tutor=methodist)
    deficit = t.deficit_add(actor=staff, route=route, area="methods",
                            description="Дефицит Б", source="entered")
    step = t.step_add(actor=staff, route=route, kind="self", description="Шаг Б",
                      due_on=datetime.date(2022, 12, 1), deficit=deficit)
    t.note_add(actor=world_b.methodist, route=route, text="Заметка тьютора Б")
    return {"methodist_b": methodist, "course_b": course, "run_b": run, "staff_b": member,
            "enrolment_b": enrolment, "route_b": route, "deficit_b": deficit,
            "step_b": step}


def _contests_b(world_b) -> dict:
    """Region B's contest 2026, published: a nomination with its jury (region B's methodist
    user, on a second pool record in the other municipality, chairs it), school 1's winning
    application with a material, the juror's submitted scores, the regulation."""

    from django.utils import timezone

    from contests import services as c
    from contests.models import Edition
    from methodists.models import Methodist

    staff, today = world_b.regional_staff, timezone.localdate()
    pdf = SimpleUploadedFile("Положение-b.pdf", pdf_bytes("contest B"))
    edition = c.edition_create(actor=staff, region=world_b.region, year=2026,
                               applications_open=today, applications_close=today,
                               review_close=today, results_on=today, publication_on=today,
                               load_nominations=True)
    regulation = c.regulation_upload(actor=staff, edition=edition,
                                     upload=upload_check(pdf, pdf.name, pdf.size))
    c.edition_advance(actor=staff, edition=edition, expected=Edition.Stage.DRAFT)
    nomination = edition.nominations.get(number=1)
    pdf = SimpleUploadedFile("Практика-b.pdf", pdf_bytes("practice B"))
    application = c.application_create(
        actor=world_b.school_coordinator, edition=edition, nomination=nomination,
        school=world_b.school1, data=c.ApplicationData("Практика региона Б", "Авторы Б", "Б"),
        files=[("Описание Б", upload_check(pdf, pdf.name, pdf.size))])
    juror_record = Methodist.objects.create(region=world_b.region,
                                            municipality=world_b.other_municipality,
                                            full_name="Жюрина Берта Борисовна",
                                            user=world_b.methodist)
    juror = c.juror_add(actor=staff, nomination=nomination, methodist=juror_record,
                        is_chair=True)
    c.assignments_auto(actor=staff, nomination=nomination)
    c.edition_advance(actor=staff, edition=edition, expected=Edition.Stage.APPLICATIONS)
    assignment = application.assignments.get()
    c.review_save(actor=world_b.methodist, assignment=assignment, submit=True,
                  values={k.pk: (5, "") for k in nomination.criteria.all()})
    c.edition_advance(actor=staff, edition=edition, expected=Edition.Stage.REVIEW)
    c.application_result_set(actor=staff, application=application, place=1, in_bank=True)
    c.edition_advance(actor=staff, edition=edition, expected=Edition.Stage.RESULTS)
    material = application.materials.get()
    return {"edition_b": edition, "regulation_b": regulation, "nomination_b": nomination,
            "juror_b": juror, "application_b": application, "assignment_b": assignment,
            "material_b": material, "contest_version_b": material.versions.get()}


SMALL_LIST_B = "Логин;Наименование ОО;Муниципалитет\n{login};Школа b1;{municipality}\n"


def _request(client, case, url):
    return client.post(url) if case.method == "post" else client.get(url)


OBJECT_CASES = sorted(n for n, c in URLS.items() if c.kind == "object")
LIST_CASES = sorted(n for n, c in URLS.items() if c.kind == "list")


@pytest.mark.parametrize("persona", REGION_A_PERSONAS)
@pytest.mark.parametrize("name", OBJECT_CASES)
def test_object_of_region_b_answers_404_to_every_role_of_region_a(client, objs, name, persona):
    case = URLS[name]
    client.force_login(getattr(objs["world_a"], persona))
    response = _request(client, case, reverse(name, kwargs=case.kwargs(objs)))
    assert response.status_code == 404


@pytest.mark.parametrize("persona", REGION_A_PERSONAS)
@pytest.mark.parametrize("name", LIST_CASES)
def test_lists_never_show_region_b_to_region_a(client, objs, name, persona):
    case = URLS[name]
    client.force_login(getattr(objs["world_a"], persona))
    response = _request(client, case, reverse(name))
    assert response.status_code in (200, 302, 400, 403)  # 400: the form shown again
    if response.status_code == 302:  # an action that leads to a job page: follow it
        response = client.get(response["Location"])
    if case.method == "post" and response.status_code == 200:
        # the export job ran in-process: its file holds only region A's rows
        from core.models import Job

        job = (Job.objects.filter(created_by=getattr(objs["world_a"], persona))
               .order_by("-created_at").first())
        content = job.result_file.read() if job and job.result_file else b""
        assert case.marker(objs) not in _workbook_text(content)
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        assert case.marker(objs) not in _workbook_text(response.content)
        return
    assert case.marker(objs) not in response.content.decode()


def _workbook_text(content: bytes) -> str:
    from io import BytesIO

    from openpyxl import load_workbook

    if not content:
        return ""
    sheet = load_workbook(BytesIO(content), read_only=True).active
    return " ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row)


@pytest.mark.parametrize("persona", REGION_A_PERSONAS)
@pytest.mark.parametrize("name", sorted(n for n, c in URLS.items() if c.kind == "shared"))
def test_shared_objects_are_changed_by_administrators_only(client, objs, name, persona):
    case = URLS[name]
    client.force_login(getattr(objs["world_a"], persona))
    response = _request(client, case, reverse(name, kwargs=case.kwargs(objs)))
    assert response.status_code == 403


@pytest.mark.parametrize("name", sorted(n for n, c in URLS.items() if c.kind == "shared"))
def test_shared_pages_open_for_the_administrator(client, objs, admin_user, name):
    case = URLS[name]
    client.force_login(admin_user)
    response = _request(client, case, reverse(name, kwargs=case.kwargs(objs)))
    assert response.status_code in (200, 302)


@pytest.mark.parametrize("name", sorted(n for n, c in URLS.items()
                                         if c.kind not in ("public", "api")))
def test_anonymous_user_is_sent_to_login(client, objs, name):
    case = URLS[name]
    url = reverse(name, kwargs=case.kwargs(objs) if case.kwargs else None)
    response = _request(client, case, url)
    if name == "logout":
        assert response.status_code == 302
        return
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", sorted(n for n, c in URLS.items() if c.mutation))
def test_get_on_a_mutation_is_refused(client, objs, name):
    case = URLS[name]
    client.force_login(objs["world_a"].regional_staff)
    url = reverse(name, kwargs=case.kwargs(objs) if case.kwargs else None)
    assert client.get(url).status_code == 405


def test_region_b_object_is_visible_to_its_own_staff(client, objs):
    """The 404s above are about scope, not about broken URLs."""
    for name in OBJECT_CASES:
        case = URLS[name]
        if case.method != "get":
            continue
        client.force_login(getattr(objs["world_b"], case.viewer))
        response = client.get(reverse(name, kwargs=case.kwargs(objs)))
        assert response.status_code == 200, name


@pytest.mark.parametrize("name", ["methodists:list", "methodists:export", "methodists:subjects",
                                  "methodists:coverage", "methodists:new",
                                  "training:course_list", "training:course_new",
                                  "training:coverage", "contests:edition_list",
                                  "contests:edition_new", "contests:application_list",
                                  "contests:bank"])
def test_region_b_in_the_query_string_answers_404(client, objs, name):
    """Pages that pick a region by ``?region=<code>``: region B's code is not a silent
    switch to region A, and not a way into region B."""
    client.force_login(objs["world_a"].regional_staff)
    response = client.get(reverse(name) + f"?region={objs['world_b'].region.code}")
    assert response.status_code == 404
    client.force_login(objs["world_b"].regional_staff)
    response = client.get(reverse(name) + f"?region={objs['world_b'].region.code}")
    assert response.status_code == 200


# -- who may open what, and read-only means read-only (issue 22) ---------------------------------
PERSONAS = {"staff": "regional_staff", "municipal": "municipal_coordinator",
            "curator": "curator", "school": "school_coordinator", "methodist": "methodist"}


def test_every_page_declares_who_may_open_it():
    pages = {n for n, c in URLS.items() if c.kind in ("object", "list") and c.method == "get"}
    assert sorted(pages - OPENERS.keys()) == [], "declare the openers in tests/isolation.py"
    assert sorted(OPENERS.keys() - pages) == []
    known = {*PERSONAS, "observer"}
    assert all(set(who.split()) <= known for who in OPENERS.values())


@pytest.mark.parametrize("who", [*PERSONAS, "observer"])
@pytest.mark.parametrize("name", sorted(OPENERS))
def test_a_page_opens_for_exactly_its_personas(client, objs, federal_observer, name, who):
    """Region B's page as each persona of region B and as the federal observer: 200 for
    those declared, 403 or 404 for the rest (the observer never opens a single record)."""
    case = URLS[name]
    user = federal_observer if who == "observer" else getattr(objs["world_b"], PERSONAS[who])
    client.force_login(user)
    url = reverse(name, kwargs=case.kwargs(objs) if case.kind == "object" else None)
    status = client.get(url).status_code
    if who in OPENERS[name].split():
        assert status == 200, (name, who, status)
    else:
        assert status in (403, 404), (name, who, status)


def _is_read_action(url: str) -> bool:
    from django.urls import resolve

    return getattr(resolve(url).func, "read_action", False)


MUTATIONS = sorted(n for n, c in URLS.items() if c.mutation and c.kind != "public")


@pytest.mark.parametrize("name", MUTATIONS)
def test_a_read_only_member_gets_403_on_every_mutation(client, objs, federal_observer, name):
    """The federal observer (read-only, over every region) changes nothing: every mutation
    of region B's objects answers 403 and writes no audit entry; only read actions (a
    report to build, one's own notifications) are let through."""
    case = URLS[name]
    url = reverse(name, kwargs=case.kwargs(objs) if case.kwargs else None)
    if _is_read_action(url):
        pytest.skip("a read action: builds a report or touches only the observer's own data")
    client.force_login(federal_observer)
    before = AuditEntry.objects.count()
    response = client.post(url)
    assert response.status_code == 403, (name, response.status_code)
    assert AuditEntry.objects.count() == before


def test_read_actions_are_few_and_named(objs):
    """What a read-only role may POST, on purpose."""
    actions = sorted(n for n in [*MUTATIONS, "core:password_change",
                                 "core:notification_settings"]
                     if _is_read_action(reverse(n, kwargs=URLS[n].kwargs(objs)
                                                if URLS[n].kwargs else None)))
    assert actions == ["api:token_create", "api:token_revoke",  # one's own tokens
                       "core:job_restart", "core:notification_open",
                       "core:notification_read_all", "core:notification_settings",
                       "core:password_change", "logout", "monitoring:report_start"]


# -- the read API (issue 27): a token of region A never reads region B ----------------------------
API_NAMES = sorted(n.removeprefix("api:") for n, c in URLS.items() if c.kind == "api"
                   and n != "api:schema")


def _api(user):
    from rest_framework.test import APIClient

    from api.services import token_create

    _, secret = token_create(actor=user, name="isolation", days=1)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def _markers_b(objs) -> list[str]:
    world_b = objs["world_b"]
    return [world_b.region.name, world_b.school1.login, world_b.municipality.name,
            str(objs["profile_b"].public_id), str(objs["document_b"].public_id),
            str(objs["indicator_b"].public_id)]


@pytest.mark.parametrize("persona", REGION_A_PERSONAS)
@pytest.mark.parametrize("name", API_NAMES)
def test_an_api_token_of_region_a_never_reads_region_b(objs, name, persona):
    client = _api(getattr(objs["world_a"], persona))
    url = reverse(f"api:{name}")
    for query in ("", f"?region={objs['world_b'].region.code}"):
        response = client.get(url + query)
        assert response.status_code in (200, 400, 403, 404), (name, query, response.status_code)
        text = response.content.decode()
        for marker in _markers_b(objs):
            assert marker not in text, (name, persona, query, marker)


@pytest.mark.parametrize("name", ["school_years", "risk_profiles", "documents", "indicators",
                                  "regions", "municipalities"])
def test_region_b_reads_its_own_through_the_api(objs, name):
    """The same endpoints do show region B's rows to region B's staff (the test above is
    not empty by construction)."""
    response = _api(objs["world_b"].regional_staff).get(reverse(f"api:{name}"))
    assert response.status_code == 200
    assert any(m in response.content.decode() for m in _markers_b(objs)), name


def test_api_without_a_token_answers_401(objs):
    from rest_framework.test import APIClient

    for name in API_NAMES + ["schema"]:
        assert APIClient().get(reverse(f"api:{name}")).status_code == 401, name
