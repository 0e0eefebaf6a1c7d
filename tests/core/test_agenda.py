"""«Что сделать сейчас» on the home page: each role's next actions (issue 23)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.agenda import agenda_for
from roadmaps.models import Document, ReturnReason
from roadmaps.services import document_transition
from tests.roadmaps.conftest import kinds, upload  # noqa: F401  (fixture)


def _titles(user) -> list[str]:
    return [i.title for i in agenda_for(user)]


@pytest.mark.django_db
def test_school_sees_what_to_upload_and_a_returned_document_first(world_a, kinds):  # noqa: F811
    before = _titles(world_a.school_coordinator)
    assert "Загрузить концепцию развития" in before
    document = upload(world_a, kinds, "concept").document
    document_transition(actor=world_a.curator, document=document, action="return",
                        reasons=list(ReturnReason.objects.all()[:1]), comment="Нет целей")
    items = agenda_for(world_a.school_coordinator)
    assert items[0].title == "Доработать и снова отправить концепцию развития"
    assert items[0].urgent and items[0].url == document.get_absolute_url()
    assert "Загрузить концепцию развития" not in [i.title for i in items]
    # the region's staff do not get the school's chores
    assert not any(t.startswith(("Доработать", "Загрузить"))
                   for t in _titles(world_a.regional_staff))


@pytest.mark.django_db
def test_curator_sees_its_queue_oldest_first_and_nobody_elses(world_a, world_b, kinds):  # noqa: F811
    first = upload(world_a, kinds, "concept").document
    second = upload(world_a, kinds, "self_diagnosis").document
    Document.objects.filter(pk=first.pk).update(submitted_at=timezone.now() - timedelta(days=9))
    items = [i for i in agenda_for(world_a.curator)
             if i.title.startswith("Проверить ") and "риск-профиль" not in i.title]
    assert items[0].title == "Проверить концепцию развития"
    assert [i.url for i in items] == [first.get_absolute_url(), second.get_absolute_url()]
    assert items[0].urgent and not items[1].urgent  # a week and more is late
    assert not [i for i in agenda_for(world_b.curator) if i.title.startswith("Проверить ")]
    # the region's staff see the late one, said with its count
    late = [i for i in agenda_for(world_a.regional_staff) if "дольше недели" in i.title]
    assert [i.title for i in late] == ["1 документ ждёт проверки куратором дольше недели"]
    assert late[0].url == reverse("curators:queue")


@pytest.mark.django_db
def test_home_page_lists_the_agenda_and_says_when_nothing_waits(client, world_a, kinds):  # noqa: F811
    client.force_login(world_a.school_coordinator)
    page = client.get("/").content.decode()
    assert "Что сделать сейчас" in page and "Загрузить концепцию развития" in page
    client.force_login(world_a.methodist)
    assert "Сейчас ничего не ждёт вашего действия" in client.get("/").content.decode()


@pytest.mark.django_db
def test_school_is_told_only_its_own_overdue_measures(client, world_a):
    """«Просрочено мероприятий: 50» on a school's home was the region's: the school can't act
    on those. Staff see the region's, by roadmap; the school none of them."""
    from roadmaps.services.plans import roadmap_create
    from tests.roadmaps.test_plans import _measure

    regional = roadmap_create(actor=world_a.regional_staff, level="region",
                              region=world_a.region, title="Региональная карта",
                              start_year=2022, end_year=2022)
    for n in range(3):
        _measure(world_a.regional_staff, regional, activity=f"Совещание {n}")
    staff = [i for i in agenda_for(world_a.regional_staff) if i.url == regional.get_absolute_url()]
    assert [i.title for i in staff] == ["Просрочены 3 мероприятия: Региональная карта"]
    assert not [i for i in agenda_for(world_a.school_coordinator) if "Просроч" in i.title]
    client.force_login(world_a.school_coordinator)
    home = client.get("/").content.decode()
    assert "Просроченных мероприятий нет" in home and "Просрочено мероприятий" not in home


@pytest.mark.django_db
def test_municipality_is_told_of_its_own_roadmaps_not_the_regions_plan(client, world_a):
    """The region's plan is the region's to keep: a municipal coordinator's home listed its 50
    overdue measures. It lists the municipality's roadmap and nothing of the region's."""
    from roadmaps.services.plans import roadmap_create
    from tests.roadmaps.test_plans import _measure

    regional = roadmap_create(actor=world_a.regional_staff, level="region",
                              region=world_a.region, title="Региональная карта",
                              start_year=2022, end_year=2022)
    municipal = roadmap_create(actor=world_a.regional_staff, level="municipality",
                               region=world_a.region, municipality=world_a.municipality,
                               title="Муниципальная карта", start_year=2022, end_year=2022)
    for n in range(2):
        _measure(world_a.regional_staff, regional, activity=f"Совещание {n}")
    _measure(world_a.regional_staff, municipal, activity="Семинар")
    titles = [i.title for i in agenda_for(world_a.municipal_coordinator) if "Просроч" in i.title]
    assert titles == ["Просрочено 1 мероприятие: Муниципальная карта"]
    client.force_login(world_a.municipal_coordinator)
    home = client.get("/").content.decode()
    assert "Региональная карта" not in home.split("Что сделать сейчас")[1].split("</section>")[0]
