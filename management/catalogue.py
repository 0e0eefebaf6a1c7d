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
             "(система менторства)", U.PERCENT, S.ENTERED, ""),
    ("1.4в", "Доля школ, в которых управленческие команды повысили квалификацию по вопросам "
             "эффективности управления качеством образования", U.PERCENT, S.ENTERED, ""),
)


def seed_rows(region, year: int) -> list[Indicator]:
    return [Indicator(region=region, year=year, code=code, title=title, unit=unit,
                      source=source, fact=fact, level=L.MUNICIPALITY,
                      evidence_required=source == S.ENTERED, position=i)
            for i, (code, title, unit, source, fact) in enumerate(SEED_004, start=1)]
