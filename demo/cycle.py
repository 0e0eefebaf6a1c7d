"""The management cycle's indicators of the demo region (seed 004 §3) for 2022, through
the real services: the catalogue, regional targets (seed 002's resolution asks to raise the
share of ШНОР in network interaction), the values the portal computes, and one entered value
with its evidence file."""

from __future__ import annotations

import datetime
from decimal import Decimal

from management.models import Indicator
from management.services import (
    RecommendationInput,
    calendar_create,
    catalogue_create,
    event_complete,
    recommendation_acknowledge,
    recommendation_issue,
    recommendation_report,
    target_set,
    value_enter,
    values_compute,
)

YEAR = 2022
#: code → the regional target of 2022
TARGETS = {"1.2": Decimal("50"), "1.3а": Decimal("80"), "1.4а": Decimal("30"),
           "1.4б": Decimal("40"), "1.4в": Decimal("60")}


def load_management(loader, region, staff) -> None:
    if Indicator.objects.filter(region=region, year=YEAR).exists():
        return  # a second run changes nothing
    indicators = {i.code: i for i in catalogue_create(actor=staff, region=region, year=YEAR)}
    for code, value in TARGETS.items():
        target_set(actor=staff, indicator=indicators[code], municipality=None, value=value)
    values_compute(actor=staff, region=region, year=YEAR)
    evidence = loader._docx_upload(
        ["Справка о диагностике профессиональных дефицитов педагогов ШНОР, 2022 г.",
         "Прошли диагностику 62,5 % педагогических работников школ перечня."],
        "Справка-диагностика-2022.docx")
    value_enter(actor=staff, indicator=indicators["1.3а"], municipality=None,
                value=Decimal("62.5"), upload=evidence,
                note="Диагностика профессиональных дефицитов педагогов ШНОР, ГБУ ДПО РО "
                     "РИПК и ППРО, ноябрь 2022 г.")
    for _ in indicators:
        loader.report.count("показателей управленческого цикла")
    load_calendar(loader, region, staff)
    load_recommendations(loader, region, staff, indicators)


#: The events of 2022 done (the day, what was found); «final_support» is left overdue.
DONE = {
    "diagnosis": (datetime.date(2022, 2, 25), "Диагностику прошли 62,5 % педагогов ШНОР; "
                  "выявлены дефициты в методических компетенциях."),
    "risk_profiles": (datetime.date(2022, 3, 30), "Рисковые профили 67 ШНОР составлены и "
                      "подтверждены кураторами."),
    "interim": (datetime.date(2022, 6, 28), "Промежуточный мониторинг программ: 54 школы "
                "выполняют мероприятия в срок, 13 — с отставанием."),
    "final_results": (datetime.date(2022, 12, 27), "Список школ с положительной динамикой "
                      "направлен региональному оператору."),
}


def load_calendar(loader, region, staff) -> None:
    events = {e.code: e for e in calendar_create(actor=staff, region=region, year=YEAR)}
    for code, (day, note) in DONE.items():
        upload = loader._docx_upload([events[code].title, note],
                                     f"Итоги — {events[code].title[:60]}.docx")
        event_complete(actor=staff, event=events[code], done_on=day, note=note, upload=upload)
        loader.report.count("мероприятий календаря мониторинга")


def load_recommendations(loader, region, staff, indicators) -> None:
    """Two recommendations of §7: to the demo school's head (accepted to work on and reported),
    and to the city of Шахты (waiting for its coordinator)."""
    from django.utils import timezone

    from core.models import Municipality, Notification, User
    from management.services import RECOMMENDATION_KIND
    from schools.models import School

    school = School.objects.get(short_name="МБОУ Первомайская СОШ")
    coordinator = User.objects.get(username="pervomayskaya.school")
    today = timezone.localdate()
    to_school = recommendation_issue(actor=staff, region=region, data=RecommendationInput(
        addressee="school", year=today.year, school=school, indicator=indicators["1.4а"],
        risk_code="R06",
        text="Разработать индивидуальные образовательные маршруты для учителей математики "
             "по итогам диагностики профессиональных дефицитов; согласовать их с тьютором "
             "РМА.", due_on=today + datetime.timedelta(days=45)))
    # the coordinator read the recommendation's notification before acting on it
    Notification.objects.filter(recipient=coordinator, kind=RECOMMENDATION_KIND,
                                read_at__isnull=True).update(read_at=timezone.now())
    recommendation_acknowledge(actor=coordinator, recommendation=to_school)
    recommendation_report(
        actor=coordinator, recommendation=to_school,
        text="Маршруты разработаны для трёх учителей математики, согласованы с тьютором.",
        upload=loader._docx_upload(["Приказ об утверждении ИОМ учителей математики"],
                                   "Приказ об ИОМ.docx"))
    recommendation_issue(actor=staff, region=region, data=RecommendationInput(
        addressee="municipality", year=today.year,
        municipality=Municipality.objects.get(region=region, name="г. Шахты"),
        indicator=indicators["1.4б"],
        text="Включить ШНОР города в сетевое взаимодействие со школами с высокими "
             "результатами: заключить договоры о сетевых парах до конца полугодия.",
        due_on=today + datetime.timedelta(days=60)))
    loader.report.count("адресных рекомендаций")
    loader.report.count("адресных рекомендаций")
