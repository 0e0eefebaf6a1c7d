"""The management cycle's indicators of the demo region (seed 004 §3) for 2022, through
the real services: the catalogue, regional targets (seed 002's resolution asks to raise the
share of ШНОР in network interaction), the values the portal computes, and one entered value
with its evidence file."""

from __future__ import annotations

import datetime
from decimal import Decimal

from management.models import Indicator
from management.services import (
    calendar_create,
    catalogue_create,
    event_complete,
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
