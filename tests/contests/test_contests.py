"""The contest «Наша история успеха»: the six 2022 nominations from the CSV, conflict of
interest (own school, own municipality), balanced automatic assignment, blind review,
ranking with ties, the deadline lock, scores out of range, the chair's correction, and the
pages of each role."""

from __future__ import annotations

import csv
import datetime
from fractions import Fraction

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from contests import services as s
from contests.models import Application, Assignment, Edition, Review, Score
from contests.rules import Ranked, rank, weighted
from contests.selectors import application_get, jury_board, ranking, visible_reviews
from core.files import upload_check
from core.models import AuditEntry
from core.roles import Role
from core.services import membership_create
from methodists.models import Methodist
from tests.factories import MunicipalityFactory, SchoolFactory, UserFactory
from tests.files import pdf_bytes

# The pages decide by the real date (timezone.localdate()): the editions' windows are set
# around it, so a test written on one day still passes on another.
TODAY = timezone.localdate()
Stage = Edition.Stage


def _pdf(text: str = "practice"):
    body = pdf_bytes(text)
    return upload_check(SimpleUploadedFile("p.pdf", body), "p.pdf", len(body))


def _edition(world, **kw) -> Edition:
    dates = dict(applications_open=TODAY - datetime.timedelta(days=10),
                 applications_close=TODAY + datetime.timedelta(days=10),
                 review_close=TODAY + datetime.timedelta(days=30),
                 results_on=TODAY + datetime.timedelta(days=40),
                 publication_on=TODAY + datetime.timedelta(days=50))
    dates.update(kw)
    return s.edition_create(actor=world.regional_staff, region=world.region, year=TODAY.year,
                            load_nominations=True, **dates)


def _open(world, edition) -> Edition:
    return s.edition_advance(actor=world.regional_staff, edition=edition, expected=Stage.DRAFT)


def _juror(world, municipality, name: str, school=None) -> Methodist:
    user = UserFactory(username=f"j_{name}")
    membership_create(actor=None, user=user, role=Role.METHODIST, region=world.region)
    return Methodist.objects.create(region=world.region, municipality=municipality,
                                    school=school, full_name=f"{name} Анна Ивановна",
                                    user=user)


def _coordinator(school):
    user = UserFactory(username=f"c_{school.login}")
    membership_create(actor=None, user=user, role=Role.SCHOOL_COORDINATOR, school=school)
    return user


def _apply(edition, nomination, school, actor=None, title="Практика", today=TODAY, **kw):
    actor = actor or _coordinator(school)
    data = s.ApplicationData(title=title, authors="Иванова И. И., учитель",
                             description="Описание практики", **kw)
    files = [] if nomination.is_video else [("Описание", _pdf(f"{school.login}{title}"))]
    return s.application_create(actor=actor, edition=edition, nomination=nomination,
                                school=school, data=data, files=files, today=today)


def _first(edition):
    return edition.nominations.get(number=1)


# -- nominations ------------------------------------------------------------------------------
def test_the_six_2022_nominations_load_from_the_csv_with_criteria(world_a):
    edition = _edition(world_a)
    with open(settings.DEMO_DATA_DIR / "contest_nominations_2022.csv", encoding="utf-8") as f:
        expected = [row["nomination"] for row in csv.DictReader(f)]
    nominations = list(edition.nominations.order_by("number"))
    assert [n.title for n in nominations] == expected
    assert len(nominations) == 6
    assert [n.title for n in nominations if n.is_video] == ["Видеофильм «Наша история успеха»"]
    assert all(n.criteria.count() >= 4 for n in nominations)
    with pytest.raises(s.ContestError, match="уже есть"):
        s.nominations_load(actor=world_a.regional_staff, edition=edition)
    assert edition.nominations.count() == 6


def test_applications_open_only_with_criteria_in_every_nomination(world_a):
    edition = s.edition_create(actor=world_a.regional_staff, region=world_a.region, year=2025,
                               applications_open=TODAY, applications_close=TODAY,
                               review_close=TODAY, results_on=TODAY, publication_on=TODAY)
    with pytest.raises(s.ContestError, match="Добавьте номинации"):
        _open(world_a, edition)
    s.nomination_create(actor=world_a.regional_staff, edition=edition, title="Без критериев",
                        default_criteria=False)
    with pytest.raises(s.ContestError, match="Без критериев"):
        _open(world_a, edition)
    assert Edition.objects.get(pk=edition.pk).stage == Stage.DRAFT


def test_dates_out_of_order_are_refused(world_a):
    with pytest.raises(s.ContestError, match="раньше, чем начался"):
        _edition(world_a, applications_close=TODAY - datetime.timedelta(days=20))
    assert not Edition.objects.exists()


# -- conflict of interest ---------------------------------------------------------------------
def test_no_juror_scores_its_own_school_or_municipality(world_a):
    edition = _open(world_a, _edition(world_a))
    nomination = _first(edition)
    application = _apply(edition, nomination, world_a.school1)
    own_school = _juror(world_a, world_a.other_municipality, "Своя", school=world_a.school1)
    own_muni = _juror(world_a, world_a.municipality, "Земляк")
    stranger = _juror(world_a, world_a.other_municipality, "Чужая")
    jurors = {m.pk: s.juror_add(actor=world_a.regional_staff, nomination=nomination,
                                methodist=m) for m in (own_school, own_muni, stranger)}
    with pytest.raises(s.ContestError, match="работает в школе-заявителе"):
        s.assignment_create(actor=world_a.regional_staff, application=application,
                            juror=jurors[own_school.pk])
    with pytest.raises(s.ContestError, match="из того же муниципалитета"):
        s.assignment_create(actor=world_a.regional_staff, application=application,
                            juror=jurors[own_muni.pk])
    assert not Assignment.objects.exists()
    result = s.assignments_auto(actor=world_a.regional_staff, nomination=nomination)
    assert list(application.assignments.values_list("juror__methodist", flat=True)) == [
        stranger.pk]
    assert [(a.title, got) for a, got in result.short] == [(application.title, 1)]
    rows, _ = jury_board(nomination)
    reasons = {m.full_name: why for m, why in rows[0].skipped}
    assert reasons == {own_school.full_name: "работает в школе-заявителе",
                       own_muni.full_name: f"из того же муниципалитета "
                                           f"({world_a.municipality.name})"}


def test_a_juror_without_account_or_of_another_region_is_refused(world_a, world_b):
    edition = _edition(world_a)
    nomination = _first(edition)
    no_account = Methodist.objects.create(region=world_a.region,
                                          municipality=world_a.municipality,
                                          full_name="Безучётная Анна Ивановна")
    with pytest.raises(s.ContestError, match="нет учётной записи"):
        s.juror_add(actor=world_a.regional_staff, nomination=nomination, methodist=no_account)
    foreign = Methodist.objects.create(region=world_b.region, municipality=world_b.municipality,
                                       full_name="Чужая Анна Ивановна",
                                       user=world_b.methodist)
    with pytest.raises(s.ContestError, match="своего региона"):
        s.juror_add(actor=world_a.regional_staff, nomination=nomination, methodist=foreign)
    assert not nomination.jurors.exists()


# -- load balance -----------------------------------------------------------------------------
@pytest.mark.parametrize("applications,jurors", [(7, 5), (10, 5), (4, 9), (12, 6)])
def test_automatic_assignment_balances_the_load(world_a, applications, jurors):
    edition = _open(world_a, _edition(world_a))
    nomination = _first(edition)
    munis = [MunicipalityFactory(region=world_a.region, name=f"Район {i}") for i in range(6)]
    for i in range(applications):
        _apply(edition, nomination, SchoolFactory(municipality=munis[i % 3]))
    for i in range(jurors):
        # one juror shares a municipality with a third of the applications
        place = munis[0] if i == 0 else munis[3 + i % 3]
        s.juror_add(actor=world_a.regional_staff, nomination=nomination,
                    methodist=_juror(world_a, place, f"Ж{i}"))
    s.assignments_auto(actor=world_a.regional_staff, nomination=nomination)
    loads = [j.assignments.count() for j in nomination.jurors.all()]
    assert max(loads) - min(loads) <= 1, loads
    for application in nomination.applications.all():
        assert application.assignments.count() == 3
        for a in application.assignments.select_related("juror__methodist"):
            assert a.juror.methodist.municipality_id != application.municipality_id
    assert sum(loads) == 3 * applications
    # a second run adds nothing and keeps the balance
    assert s.assignments_auto(actor=world_a.regional_staff, nomination=nomination).created == 0


# -- applications and the deadline ------------------------------------------------------------
def test_the_deadline_locks_applications(world_a):
    edition = _open(world_a, _edition(world_a))
    nomination = _first(edition)
    coordinator = _coordinator(world_a.school1)
    application = _apply(edition, nomination, world_a.school1, actor=coordinator)
    late = edition.applications_close + datetime.timedelta(days=1)
    with pytest.raises(s.ContestError, match="Приём заявок закончился"):
        _apply(edition, edition.nominations.get(number=2), world_a.school1, actor=coordinator,
               today=late)
    data = s.ApplicationData(title="Новое название", authors="А", description="Б")
    with pytest.raises(s.ContestError, match="закончился"):
        s.application_update(actor=coordinator, application=application, data=data,
                             today=late)
    with pytest.raises(s.ContestError, match="закончился"):
        s.material_add(actor=coordinator, application=application, title="Ещё",
                       upload=_pdf("late"), today=late)
    with pytest.raises(s.ContestError, match="закончился"):
        s.application_withdraw(actor=coordinator, application=application, today=late)
    application.refresh_from_db()
    assert application.title == "Практика" and application.is_active
    assert Application.objects.count() == 1 and application.materials.count() == 1
    # before the deadline: edit and withdraw are allowed
    s.application_update(actor=coordinator, application=application, data=data, today=TODAY)
    s.application_withdraw(actor=coordinator, application=application, today=TODAY)
    application.refresh_from_db()
    assert application.title == "Новое название" and not application.is_active


def test_application_rules(world_a):
    edition = _open(world_a, _edition(world_a))
    nomination, video = _first(edition), edition.nominations.get(is_video=True)
    coordinator = _coordinator(world_a.school1)
    with pytest.raises(s.ContestError, match="ссылка на видеофильм"):
        _apply(edition, video, world_a.school1, actor=coordinator)
    _apply(edition, video, world_a.school1, actor=coordinator,
           video_url="https://rutube.ru/video/1/")
    with pytest.raises(s.ContestError, match="хотя бы один файл"):
        s.application_create(actor=coordinator, edition=edition, nomination=nomination,
                             school=world_a.school1, data=s.ApplicationData("Т", "А", "Б"),
                             today=TODAY)
    _apply(edition, nomination, world_a.school1, actor=coordinator)
    with pytest.raises(s.ContestError, match="уже подала заявку"):
        _apply(edition, nomination, world_a.school1, actor=coordinator, title="Другая")
    with pytest.raises(s.ContestError, match="школьный координатор"):
        _apply(edition, nomination, world_a.school2, actor=coordinator)
    assert Application.objects.count() == 2


def test_material_versions_are_kept(world_a):
    edition = _open(world_a, _edition(world_a))
    coordinator = _coordinator(world_a.school1)
    application = _apply(edition, _first(edition), world_a.school1, actor=coordinator)
    material = application.materials.get()
    s.material_version_add(actor=coordinator, material=material, upload=_pdf("v2"),
                           today=TODAY)
    with pytest.raises(s.ContestError, match="уже загружен"):
        s.material_version_add(actor=coordinator, material=material, upload=_pdf("v2"),
                               today=TODAY)
    assert list(material.versions.values_list("number", flat=True)) == [2, 1]
    with pytest.raises(s.ContestError, match="единственный материал"):
        s.material_remove(actor=coordinator, material=material, today=TODAY)


# -- scoring ----------------------------------------------------------------------------------
@pytest.fixture
def in_review(world_a):
    """Two applications (other municipality) scored by three jurors of the first one."""
    edition = _open(world_a, _edition(world_a))
    nomination = _first(edition)
    apps = [_apply(edition, nomination, world_a.school_other),
            _apply(edition, nomination, SchoolFactory(municipality=world_a.other_municipality))]
    jurors = [_juror(world_a, world_a.municipality, f"Эксперт{i}") for i in range(3)]
    for i, m in enumerate(jurors):
        s.juror_add(actor=world_a.regional_staff, nomination=nomination, methodist=m,
                    is_chair=i == 0)
    s.assignments_auto(actor=world_a.regional_staff, nomination=nomination)
    s.edition_advance(actor=world_a.regional_staff, edition=edition,
                      expected=Stage.APPLICATIONS)
    return edition, nomination, apps, jurors


def _score(methodist, application, values, submit=True):
    assignment = application.assignments.get(juror__methodist=methodist)
    criteria = list(application.nomination.criteria.all())
    return s.review_save(actor=methodist.user, assignment=assignment, submit=submit,
                         values={c.pk: (v, "") for c, v in zip(criteria, values, strict=True)})


def test_a_score_out_of_range_is_refused_and_nothing_saved(in_review):
    _, nomination, apps, jurors = in_review
    with pytest.raises(s.ContestError, match="от 0 до 10, а не 11"):
        _score(jurors[0], apps[0], [11, 5, 5, 5, 5])
    with pytest.raises(s.ContestError, match="поставьте балл"):
        s.review_save(actor=jurors[0].user, submit=True,
                      assignment=apps[0].assignments.get(juror__methodist=jurors[0]),
                      values={})
    assert not Score.objects.exists()
    assert not Review.objects.filter(status=Review.Status.SUBMITTED).exists()


def test_scores_are_immutable_after_submission_and_only_the_chair_corrects(in_review):
    _, nomination, apps, jurors = in_review
    review = _score(jurors[1], apps[0], [5, 5, 5, 5, 5])
    with pytest.raises(s.ContestError, match="уже отправлена"):
        _score(jurors[1], apps[0], [9, 9, 9, 9, 9])
    criteria = list(nomination.criteria.all())
    values = {c.pk: (7, "") for c in criteria}
    with pytest.raises(s.ContestError, match="только председатель"):
        s.review_correct(actor=jurors[1].user, review=review, values=values, reason="ошибка")
    with pytest.raises(s.ContestError, match="причину"):
        s.review_correct(actor=jurors[0].user, review=review, values=values, reason=" ")
    s.review_correct(actor=jurors[0].user, review=review, values=values,
                     reason="Опечатка в баллах")
    assert set(review.scores.values_list("value", flat=True)) == {7}
    entry = AuditEntry.objects.get(action="contests.review.corrected")
    assert entry.actor == jurors[0].user and entry.data["reason"] == "Опечатка в баллах"
    assert set(entry.data["before"].values()) == {5} and set(entry.data["after"].values()) == {7}


def test_a_juror_opens_only_assigned_applications(in_review, world_a, client):
    edition, nomination, apps, jurors = in_review
    outsider = _juror(world_a, world_a.municipality, "Посторонняя")
    with pytest.raises(Http404):
        application_get(outsider.user, apps[0].public_id)
    assert application_get(jurors[0].user, apps[0].public_id) == apps[0]
    client.force_login(outsider.user)
    response = client.get(reverse("contests:application", args=[apps[0].public_id]),
                          HTTP_HOST="localhost")
    assert response.status_code == 404
    assert "не назначена вам" in response.content.decode()
    assignment = apps[0].assignments.get(juror__methodist=jurors[0])
    with pytest.raises(s.ContestError, match="только назначенный"):
        s.review_save(actor=outsider.user, assignment=assignment, values={})
    assert not Review.objects.exists()


def test_review_is_blind_until_the_review_stage_closes(in_review, world_a):
    edition, nomination, apps, jurors = in_review
    for i, m in enumerate(jurors):
        _score(m, apps[0], [5 + i] * 5)
        _score(m, apps[1], [4] * 5)
    mine = visible_reviews(jurors[1].user, apps[0])
    assert [r.assignment.juror.methodist for r in mine] == [jurors[1]]
    assert visible_reviews(world_a.regional_staff, apps[0]) == []
    assert visible_reviews(world_a.school_coordinator, apps[0]) == []
    s.edition_advance(actor=world_a.regional_staff, edition=edition, expected=Stage.REVIEW)
    apps[0].edition.refresh_from_db()
    assert len(visible_reviews(jurors[1].user, apps[0])) == 3
    assert len(visible_reviews(world_a.regional_staff, apps[0])) == 3


def test_results_need_every_review(in_review, world_a):
    edition, nomination, apps, jurors = in_review
    _score(jurors[0], apps[0], [5] * 5)
    with pytest.raises(s.ContestError, match="ждём ещё 5"):
        s.edition_advance(actor=world_a.regional_staff, edition=edition, expected=Stage.REVIEW)


# -- ranking ----------------------------------------------------------------------------------
def test_weighted_mean_is_exact():
    assert weighted([(1, 10), (2, 4)]) == Fraction(18, 3)
    assert weighted([("1.5", 3), ("0.5", 7)]) == Fraction(4)
    assert weighted([]) is None


def test_ranking_shows_ties_as_ties(in_review, world_a):
    edition, nomination, apps, jurors = in_review
    third = _apply_late_free(edition, nomination, world_a)
    # app0: weights 1,1,2,1.5,1 → identical means for app0 and app1, app2 lower
    for m in jurors:
        _score(m, apps[0], [8, 6, 7, 7, 7])
        _score(m, apps[1], [6, 8, 7, 7, 7])
        _score(m, third, [1, 1, 1, 1, 1])
    s.edition_advance(actor=world_a.regional_staff, edition=edition, expected=Stage.REVIEW)
    rows = ranking(nomination)
    assert [r.rank_label for r in rows] == ["1–2", "1–2", "3"]
    assert rows[0].tied and rows[1].tied and not rows[2].tied
    assert rows[2].application == third
    assert rows[0].score == Fraction(7)
    # places: both tied applications may share the first place
    for r in rows[:2]:
        s.application_result_set(actor=world_a.regional_staff, application=r.application,
                                 place=1, in_bank=False)
    s.edition_advance(actor=world_a.regional_staff, edition=edition, expected=Stage.RESULTS)
    assert Application.objects.filter(place=1).count() == 2


def _apply_late_free(edition, nomination, world):
    """A third application entered before the review (edition back to «приём» is not
    possible, so it is written through the model with its assignments)."""
    school = SchoolFactory(municipality=world.other_municipality)
    application = Application.objects.create(
        region=world.region, edition=edition, nomination=nomination, school=school,
        municipality=school.municipality, title="Третья", authors="А", description="Б",
        submitted_by=world.regional_staff)
    for juror in nomination.jurors.all():
        Assignment.objects.create(region=world.region, application=application, juror=juror,
                                  how=Assignment.How.MANUAL)
    return application


def test_rank_orders_unscored_last():
    class A:
        def __init__(self, name):
            self.school = type("S", (), {"short_name": name})

    rows = rank([Ranked(A("б"), None, 0, 3), Ranked(A("а"), Fraction(5), 3, 3),
                 Ranked(A("в"), Fraction(9), 3, 3)])
    assert [r.rank_label for r in rows] == ["1", "2", "—"]


# -- results, bank, pages ---------------------------------------------------------------------
def test_publication_puts_winners_in_the_bank_and_on_the_public_page(in_review, world_a,
                                                                     client):
    edition, nomination, apps, jurors = in_review
    for m in jurors:
        _score(m, apps[0], [9] * 5)
        _score(m, apps[1], [6] * 5)
    s.edition_advance(actor=world_a.regional_staff, edition=edition, expected=Stage.REVIEW)
    with pytest.raises(s.ContestError, match="Не присуждено ни одного места"):
        s.edition_advance(actor=world_a.regional_staff, edition=edition, expected=Stage.RESULTS)
    s.application_result_set(actor=world_a.regional_staff, application=apps[0], place=1,
                             in_bank=False)
    public = reverse("contests:winners", args=[world_a.region.code, TODAY.year])
    assert client.get(public, HTTP_HOST="localhost").status_code == 404  # not yet published
    s.edition_advance(actor=world_a.regional_staff, edition=edition, expected=Stage.RESULTS)
    response = client.get(public, HTTP_HOST="localhost")
    assert response.status_code == 200
    assert apps[0].school.short_name in response.content.decode()
    client.force_login(world_a.curator)
    bank = client.get(reverse("contests:bank") + f"?region={world_a.region.code}",
                      HTTP_HOST="localhost").content.decode()
    assert apps[0].title in bank and "I место" in bank
    pdf = client.get(reverse("contests:diploma", args=[apps[0].public_id]),
                     HTTP_HOST="localhost")
    assert pdf.status_code == 404  # the curator does not read applications
    client.force_login(world_a.regional_staff)
    pdf = client.get(reverse("contests:diploma", args=[apps[0].public_id]),
                     HTTP_HOST="localhost")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


@pytest.mark.parametrize("persona", ["regional_staff", "municipal_coordinator", "curator",
                                     "school_coordinator", "methodist"])
def test_pages_of_each_role(in_review, world_a, client, persona):
    edition, nomination, apps, jurors = in_review
    client.force_login(getattr(world_a, persona))
    region = f"?region={world_a.region.code}"
    for url in (reverse("contests:edition_list") + region, edition.get_absolute_url(),
                nomination.get_absolute_url(), reverse("contests:bank") + region):
        assert client.get(url, HTTP_HOST="localhost").status_code == 200, url
    # «Мои оценки заявок» is the jury's page: a methodist's, refused to everyone else
    reviews = client.get(reverse("contests:my_reviews"), HTTP_HOST="localhost")
    assert reviews.status_code == (200 if persona == "methodist" else 403)
    apps_page = client.get(reverse("contests:application_list") + region,
                           HTTP_HOST="localhost")
    expected = {"regional_staff": 200, "municipal_coordinator": 200,
                "school_coordinator": 200}.get(persona, 403)
    assert apps_page.status_code == expected


def test_jurors_and_schools_are_notified(in_review, world_a):
    from core.models import Notification

    edition, nomination, apps, jurors = in_review
    for m in jurors:
        assert Notification.objects.filter(recipient=m.user,
                                           title__contains="началась экспертиза").count() == 1
    for m in jurors:
        _score(m, apps[0], [9] * 5)
        _score(m, apps[1], [6] * 5)
    s.edition_advance(actor=world_a.regional_staff, edition=edition, expected=Stage.REVIEW)
    s.application_result_set(actor=world_a.regional_staff, application=apps[0], place=1,
                             in_bank=True)
    s.edition_advance(actor=world_a.regional_staff, edition=edition, expected=Stage.RESULTS)
    coordinators = {n.recipient.username for n in Notification.objects.filter(
        title__contains="итоги опубликованы")}
    assert coordinators == {f"c_{a.school.login}" for a in apps}


def test_apply_page_refuses_a_wrong_file_and_accepts_a_pdf(world_a, client):
    edition = _open(world_a, _edition(world_a))
    nomination = _first(edition)
    client.force_login(world_a.school_coordinator)
    url = reverse("contests:application_new", args=[edition.public_id])
    assert client.get(url, HTTP_HOST="localhost").status_code == 200
    data = {"school": world_a.school1.public_id, "nomination": nomination.public_id,
            "title": "Практика", "authors": "Иванова", "description": "Описание"}
    png = SimpleUploadedFile("practice.pdf", b"\x89PNG\r\n\x1a\n0000")
    response = client.post(url, {**data, "file": png}, HTTP_HOST="localhost")
    assert response.status_code == 400
    assert "по содержимому это изображение PNG" in response.content.decode()
    assert not Application.objects.exists()
    pdf = SimpleUploadedFile("practice.pdf", pdf_bytes("ok"))
    response = client.post(url, {**data, "file": pdf, "material_title": "Описание"},
                           HTTP_HOST="localhost")
    application = Application.objects.get()
    assert response.status_code == 302 and response["Location"] == application.get_absolute_url()
    assert application.materials.get().versions.get().original_name == "practice.pdf"


def test_a_practice_included_in_a_course_shows_on_the_course_page(in_review, world_a,
                                                                 world_b, client):
    from training.services import course_create

    edition, nomination, apps, jurors = in_review
    for m in jurors:
        _score(m, apps[0], [9] * 5)
        _score(m, apps[1], [6] * 5)
    s.edition_advance(actor=world_a.regional_staff, edition=edition, expected=Stage.REVIEW)
    s.application_result_set(actor=world_a.regional_staff, application=apps[0], place=1,
                             in_bank=False)
    course = course_create(actor=world_a.regional_staff, region=world_a.region, title="Курс",
                           audience="учителя", hours=36, form="distance", provider="ИРО")
    with pytest.raises(s.ContestError, match="из банка"):
        s.practice_courses_set(actor=world_a.regional_staff, application=apps[0],
                               courses=[course])
    s.edition_advance(actor=world_a.regional_staff, edition=edition, expected=Stage.RESULTS)
    foreign = course_create(actor=world_b.regional_staff, region=world_b.region, title="Б",
                            audience="учителя", hours=36, form="distance", provider="ИРО")
    with pytest.raises(s.ContestError, match="другому региону"):
        s.practice_courses_set(actor=world_a.regional_staff, application=apps[0],
                               courses=[foreign])
    s.practice_courses_set(actor=world_a.regional_staff, application=apps[0], courses=[course])
    client.force_login(world_a.school_coordinator)
    page = client.get(course.get_absolute_url(), HTTP_HOST="localhost").content.decode()
    assert "Лучшие практики конкурса" in page and apps[0].title in page
    assert apps[1].school.short_name not in page


def test_chair_sees_corrections_and_staff_export_the_ranking(in_review, world_a, client):
    from io import BytesIO

    from openpyxl import load_workbook

    edition, nomination, apps, jurors = in_review
    for m in jurors:
        _score(m, apps[0], [9] * 5)
        _score(m, apps[1], [6] * 5)
    client.force_login(jurors[0].user)  # the chair
    page = client.get(nomination.get_absolute_url(), HTTP_HOST="localhost").content.decode()
    assert "Исправление оценок" in page and page.count("исправить</a>") == 6
    client.force_login(jurors[1].user)
    page = client.get(nomination.get_absolute_url(), HTTP_HOST="localhost").content.decode()
    assert "Исправление оценок" not in page
    client.force_login(world_a.regional_staff)
    url = reverse("contests:results_export", args=[edition.public_id])
    assert client.get(url, HTTP_HOST="localhost").status_code == 404  # review still open
    s.edition_advance(actor=world_a.regional_staff, edition=edition, expected=Stage.REVIEW)
    response = client.get(url, HTTP_HOST="localhost")
    sheet = load_workbook(BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert [(r[0], r[4], r[5]) for r in rows] == [("1", 9.0, 3), ("2", 6.0, 3)]


def test_criterion_weight_accepts_a_decimal_comma(world_a, client):
    edition = _edition(world_a)
    nomination = _first(edition)
    client.force_login(world_a.regional_staff)
    response = client.post(reverse("contests:criterion_edit", args=[nomination.public_id, 1]),
                           {"title": "Актуальность", "weight": "1,5", "min_score": "0",
                            "max_score": "5"}, HTTP_HOST="localhost")
    assert response.status_code == 302
    criterion = nomination.criteria.get(number=1)
    assert (criterion.title, str(criterion.weight), criterion.max_score) == (
        "Актуальность", "1.50", 5)
