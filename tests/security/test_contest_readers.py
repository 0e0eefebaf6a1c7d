"""Who reads a contest application (issue 22, item 6).

Readers of an application: regional staff of its region, its school's coordinator, the
municipal coordinator of its municipality, the jurors assigned to it, and the administrator.
Nobody else — in particular not the curator of the school, and not the federal observer
(aggregates only). The rule is written once (``contests.rules.Readers``) and every page,
list and file of applications and reviews goes through it: each persona is checked on the
application's page, the lists, the material's file and the jurors' reviews after
publication.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from contests import services as s
from contests.models import Application, Edition, Review
from contests.rules import may_read_all_reviews, may_read_application
from contests.selectors import applications_for, visible_reviews
from core.files import upload_check
from core.roles import Role
from core.services import membership_create
from methodists.models import Methodist
from tests.factories import MunicipalityFactory, UserFactory
from tests.files import pdf_bytes

Stage = Edition.Stage

#: persona → whether it reads the application of school 1
READS = {
    "admin": True,
    "regional_staff": True,
    "municipal_coordinator": True,
    "school_coordinator": True,
    "assigned_juror": True,
    "juror_of_another_application": False,
    "curator_of_the_school": False,
    "federal_observer": False,
    "coordinator_of_a_neighbour_school": False,
    "staff_of_another_region": False,
}


@dataclass
class Contest:
    edition: Edition
    mine: Application  # school 1's: every persona of READS is about this one
    other: Application  # the other municipality's, the one that wins
    jurors: list[Methodist]
    version: object  # the file of ``mine``


def _pdf(text: str):
    body = pdf_bytes(text)
    return upload_check(SimpleUploadedFile("p.pdf", body), "p.pdf", len(body))


def _coordinator(school, username: str):
    user = UserFactory(username=username)
    membership_create(actor=None, user=user, role=Role.SCHOOL_COORDINATOR, school=school)
    return user


def _apply(edition, school, actor, title: str) -> Application:
    return s.application_create(
        actor=actor, edition=edition, nomination=edition.nominations.get(number=1),
        school=school, data=s.ApplicationData(title=title, authors="Иванова И. И.",
                                              description="Описание практики"),
        files=[("Описание практики", _pdf(title))])


def build_contest(w, upto: str) -> Contest:
    """Two applications of the first nomination; jurors 0 and 1 score school 1's, jurors 1
    and 2 the other one; moved on to ``upto`` (the other application wins the I place, so
    school 1's is neither on the public page nor in the bank)."""
    today = timezone.localdate()
    edition = s.edition_create(
        actor=w.regional_staff, region=w.region, year=2026, load_nominations=True,
        applications_open=today - datetime.timedelta(days=5),
        applications_close=today + datetime.timedelta(days=5),
        review_close=today + datetime.timedelta(days=20),
        results_on=today + datetime.timedelta(days=25),
        publication_on=today + datetime.timedelta(days=30), jurors_per_application=2)
    edition = s.edition_advance(actor=w.regional_staff, edition=edition, expected=Stage.DRAFT)
    mine = _apply(edition, w.school1, w.school_coordinator, "Практика школы А1")
    other = _apply(edition, w.school_other, _coordinator(w.school_other, "coord_a3"),
                   "Практика школы А3")
    far = MunicipalityFactory(region=w.region, name="Район a-жюри")
    nomination = edition.nominations.get(number=1)
    jurors, seats = [], []
    for i in range(3):
        user = UserFactory(username=f"juror{i}")
        membership_create(actor=None, user=user, role=Role.METHODIST, region=w.region)
        methodist = Methodist.objects.create(region=w.region, municipality=far,
                                             full_name=f"Экспертова{i} Анна Ивановна",
                                             user=user)
        seats.append(s.juror_add(actor=w.regional_staff, nomination=nomination,
                                 methodist=methodist))
        jurors.append(methodist)
    for application, pair in ((mine, seats[:2]), (other, seats[1:])):
        for seat in pair:
            s.assignment_create(actor=w.regional_staff, application=application, juror=seat)
    version = mine.materials.get().versions.get()
    contest = Contest(edition, mine, other, jurors, version)
    order = [Stage.APPLICATIONS, Stage.REVIEW, Stage.RESULTS, Stage.PUBLISHED]
    if order.index(upto) >= 1:
        s.edition_advance(actor=w.regional_staff, edition=edition, expected=Stage.APPLICATIONS)
    if order.index(upto) >= 2:
        for application in (mine, other):
            for assignment in application.assignments.select_related("juror__methodist"):
                methodist = assignment.juror.methodist
                s.review_save(actor=methodist.user, assignment=assignment, submit=True,
                              comment=f"Отзыв {methodist.full_name} о «{application.title}»",
                              values={c.pk: (7, "") for c in nomination.criteria.all()})
        s.edition_advance(actor=w.regional_staff, edition=edition, expected=Stage.REVIEW)
        s.application_result_set(actor=w.regional_staff, application=other, place=1,
                                 in_bank=False)
    if order.index(upto) >= 3:
        s.edition_advance(actor=w.regional_staff, edition=edition, expected=Stage.RESULTS)
    for application in (mine, other):
        application.refresh_from_db()
    return contest


@pytest.fixture
def personas(world_a, world_b, admin_user, federal_observer):
    def build(contest: Contest) -> dict:
        return {
            "admin": admin_user,
            "regional_staff": world_a.regional_staff,
            "municipal_coordinator": world_a.municipal_coordinator,
            "school_coordinator": world_a.school_coordinator,
            "assigned_juror": contest.jurors[0].user,
            "juror_of_another_application": contest.jurors[2].user,
            "curator_of_the_school": world_a.curator,
            "federal_observer": federal_observer,
            "coordinator_of_a_neighbour_school": _coordinator(world_a.school2, "coord_a2"),
            "staff_of_another_region": world_b.regional_staff,
        }
    return build


@pytest.fixture
def published(world_a):
    return build_contest(world_a, Stage.PUBLISHED)


def test_the_curator_is_granted_the_school(world_a):
    """The premise of the curator's cases: its school rights do cover school 1."""
    from core.scope import scope_of

    assert world_a.school1.pk in scope_of(world_a.curator).school_ids


# -- the rule and the filter -------------------------------------------------------------------
@pytest.mark.parametrize("persona", list(READS))
def test_the_rule_and_the_filter_give_one_answer(published, personas, persona):
    user = personas(published)[persona]
    assert may_read_application(user, published.mine) is READS[persona]
    assert applications_for(user).filter(pk=published.mine.pk).exists() is READS[persona]


# -- one application: its page and its file -----------------------------------------------------
@pytest.mark.parametrize("persona", list(READS))
def test_the_application_page(published, personas, persona, client):
    client.force_login(personas(published)[persona])
    response = client.get(published.mine.get_absolute_url())
    assert response.status_code == (200 if READS[persona] else 404)
    if not READS[persona]:
        assert published.mine.title not in response.content.decode()


@pytest.mark.parametrize("persona", list(READS))
def test_the_material_file(published, personas, persona, client):
    client.force_login(personas(published)[persona])
    response = client.get(reverse("contests:version_download", args=[
        published.version.public_id]))
    assert response.status_code == (200 if READS[persona] else 404)


@pytest.mark.parametrize("persona", list(READS))
def test_the_diploma_of_the_winner_follows_the_same_rule(published, personas, persona,
                                                         client):
    """The other application: its school's coordinator is not a persona here, so only the
    region-wide readers and its jurors open its diploma."""
    user = personas(published)[persona]
    client.force_login(user)
    response = client.get(reverse("contests:diploma", args=[published.other.public_id]))
    reads = may_read_application(user, published.other)
    assert reads is (persona in ("admin", "regional_staff", "juror_of_another_application"))
    assert response.status_code == (200 if reads else 404)


# -- lists -------------------------------------------------------------------------------------
def _lists(w, contest: Contest) -> list[str]:
    region = f"?region={w.region.code}"
    return [reverse("contests:application_list") + region + "&year=2026",
            reverse("contests:my_reviews"), contest.edition.get_absolute_url(),
            contest.mine.nomination.get_absolute_url(), reverse("contests:bank") + region,
            w.school1.get_absolute_url(), reverse("core:home")]


@pytest.mark.parametrize("persona", list(READS))
def test_lists_show_the_application_to_its_readers_only(published, personas, persona,
                                                        world_a, client):
    client.force_login(personas(published)[persona])
    shown = []
    for url in _lists(world_a, published):
        response = client.get(url)
        if response.status_code == 200 and published.mine.title in response.content.decode():
            shown.append(url)
    assert bool(shown) is READS[persona], shown


@pytest.mark.parametrize("persona", ["regional_staff", "municipal_coordinator",
                                     "school_coordinator"])
def test_the_list_of_applications_holds_it_for_readers_who_keep_lists(published, personas,
                                                                      persona, world_a,
                                                                      client):
    client.force_login(personas(published)[persona])
    page = client.get(_lists(world_a, published)[0])
    assert page.status_code == 200 and published.mine.title in page.content.decode()


def test_the_curator_of_the_school_reads_nothing_of_its_application(published, world_a,
                                                                    client):
    client.force_login(world_a.curator)
    mine = published.mine
    assert client.get(mine.get_absolute_url()).status_code == 404
    assert client.get(_lists(world_a, published)[0]).status_code == 403
    assert not applications_for(world_a.curator).exists()
    for url in (reverse("contests:edition_list") + f"?region={world_a.region.code}",
                published.edition.get_absolute_url(), mine.nomination.get_absolute_url(),
                world_a.school1.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 200, url
        assert mine.title not in response.content.decode(), url
    assignment = mine.assignments.first()
    assert client.get(reverse("contests:review", args=[assignment.public_id])).status_code \
        == 404
    assert visible_reviews(world_a.curator, mine) == []


# -- reviews -----------------------------------------------------------------------------------
def _review_texts(contest: Contest) -> list[str]:
    return list(Review.objects.filter(assignment__application=contest.mine)
                .values_list("comment", flat=True))


@pytest.mark.parametrize("persona", list(READS))
def test_reviews_after_publication_go_to_the_readers(published, personas, persona, client):
    user = personas(published)[persona]
    reviews = visible_reviews(user, published.mine)
    assert len(reviews) == (2 if READS[persona] else 0)
    assert may_read_all_reviews(user, published.mine) is READS[persona]
    client.force_login(user)
    response = client.get(published.mine.get_absolute_url())
    texts = _review_texts(published)
    assert len(texts) == 2
    page = response.content.decode()
    for text in texts:
        assert (text in page) is READS[persona]


#: persona → reviews of school 1's application it reads while the results are being summed
#: up (review closed, not published): staff and the jurors all, the applicant side none yet
BEFORE_PUBLICATION = {"admin": 2, "regional_staff": 2, "assigned_juror": 2,
                      "municipal_coordinator": 0, "school_coordinator": 0}


@pytest.mark.parametrize("persona", list(READS))
def test_reviews_before_publication(world_a, personas, persona):
    contest = build_contest(world_a, Stage.RESULTS)
    user = personas(contest)[persona]
    assert len(visible_reviews(user, contest.mine)) == BEFORE_PUBLICATION.get(persona, 0)


def test_a_juror_reads_only_its_own_review_while_the_review_is_open(world_a, personas):
    contest = build_contest(world_a, Stage.REVIEW)
    first, second = contest.jurors[:2]
    assignment = contest.mine.assignments.get(juror__methodist=first)
    s.review_save(actor=first.user, assignment=assignment, submit=True, comment="Первый",
                  values={c.pk: (5, "") for c in contest.mine.nomination.criteria.all()})
    assert [r.comment for r in visible_reviews(first.user, contest.mine)] == ["Первый"]
    assert visible_reviews(second.user, contest.mine) == []
    assert visible_reviews(world_a.regional_staff, contest.mine) == []
    assert visible_reviews(world_a.school_coordinator, contest.mine) == []
    assert visible_reviews(world_a.curator, contest.mine) == []


def test_the_ranking_after_publication_lists_only_what_the_user_reads(published, world_a,
                                                                      client):
    url = published.mine.nomination.get_absolute_url()
    client.force_login(world_a.regional_staff)
    page = client.get(url).content.decode()
    assert published.mine.title in page and published.other.title in page
    client.force_login(world_a.school_coordinator)
    page = client.get(url).content.decode()
    assert 'id="ranking"' in page
    assert published.mine.title in page and published.other.title not in page
