"""The indicators of seed 004 §3 (the Frolovo concept, приказ № 464 of 30.12.2021): the
catalogue a region starts a year with. Codes follow the seed's numbering; a letter tells
apart the indicators of one item."""

from __future__ import annotations

from .models import Indicator

U, S, L = Indicator.Unit, Indicator.Source, Indicator.Level

#: (code, title, unit, source, fact)
SEED_004 = (
    ("1.1а", "Индекс образовательных результатов обучающихся (ИОР), средний по ШНОР и ШССУ",
     U.INDEX, S.COMPUTED, "ior_mean"),
    ("1.1б", "Индекс социального благополучия школ (ИСБ), средний по ШНОР и ШССУ",
     U.INDEX, S.COMPUTED, "isb_mean"),
    ("1.2", "Доля ШНОР и ШССУ, ежегодно показывающих положительную динамику индекса "
            "образовательных результатов обучающихся", U.PERCENT, S.COMPUTED, "ior_dynamics"),
    ("1.3а", "Доля педагогических работников ШНОР, прошедших диагностику профессиональных "
             "дефицитов, от общего количества педагогических работников ШНОР",
     U.PERCENT, S.ENTERED, ""),
    ("1.3б", "Доля педагогических работников ШНОР, показавших по результатам диагностики "
             "положительную динамику уровня профессиональных компетенций",
     U.PERCENT, S.ENTERED, ""),
    ("1.4а", "Доля педагогических работников и управленческих кадров, для которых разработаны "
             "индивидуальные образовательные маршруты на основе диагностики профессиональных "
             "дефицитов", U.PERCENT, S.COMPUTED, "route_share"),
    ("1.4б", "Доля школ, вовлечённых в сетевое взаимодействие со школами-кураторами "
             "(система менторства)", U.PERCENT, S.COMPUTED, "paired_share"),
    ("1.4в", "Доля школ, в которых управленческие команды повысили квалификацию по вопросам "
             "эффективности управления качеством образования", U.PERCENT, S.ENTERED, ""),
)


def seed_rows(region, year: int) -> list[Indicator]:
    return [Indicator(region=region, year=year, code=code, title=title, unit=unit,
                      source=source, fact=fact, level=L.MUNICIPALITY,
                      evidence_required=source == S.ENTERED, position=i)
            for i, (code, title, unit, source, fact) in enumerate(SEED_004, start=1)]


#: The monitoring calendar of seed 004 §5 (every year): (code, title, month, use of results
#: from §6). The due date is the month's last day.
CALENDAR = (
    ("diagnosis", "Исследование профессиональных компетенций (предметных и методических) "
                  "педагогических работников", 2,
     "Планирование методической помощи на муниципальном уровне, разработка ИОМ педагогов и "
     "адресных программ повышения квалификации; результаты доводятся до руководителей школ."),
    ("risk_profiles", "Составление рисковых профилей школ с низкими результатами обучения", 3,
     "Планирование методической помощи; актуализация программ развития школ и разработка "
     "программ повышения качества образования."),
    ("interim", "Промежуточный мониторинг программ повышения качества образования в ШНОР и "
                "ШССУ", 6,
     "Корректировка муниципального плана сопровождения ШНОР и ШССУ; результаты доводятся до "
     "руководителей школ."),
    ("final_support", "Итоговый мониторинг эффективности методического сопровождения "
                      "педагогов и управленческих кадров ШНОР и ШССУ", 12,
     "Выявление эффективных практик методической помощи; результаты доводятся до "
     "руководителей школ."),
    ("final_results", "Итоговый мониторинг: динамика образовательных результатов ШНОР и ШССУ",
     12,
     "Список школ с положительной динамикой направляется региональному оператору для "
     "исключения из программы поддержки."),
)


def calendar_rows(region, year: int, owner) -> list:
    import calendar as cal
    import datetime

    from .models import MonitoringEvent

    return [MonitoringEvent(region=region, year=year, code=code, title=title, use=use,
                            owner=owner,
                            due_on=datetime.date(year, month, cal.monthrange(year, month)[1]))
            for code, title, month, use in CALENDAR]
