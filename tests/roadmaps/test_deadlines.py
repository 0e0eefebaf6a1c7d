"""roadmaps.deadlines: free-text deadlines of roadmap items parsed into date ranges.

Pure functions, no database. The phrasings come from the source documents: seed 001 (the
municipal roadmap of Каменск-Уральский, 2021) and seed 003 (the Rostov regional roadmap,
2020–2023)."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from roadmaps.deadlines import Deadline, parse_deadline

D = date

# seed 003, roadmap period 2020..2023: (text, start, end, recurring)
SEED_003 = [
    ("2021", D(2021, 1, 1), D(2021, 12, 31), False),
    ("2021-2023", D(2021, 1, 1), D(2023, 12, 31), False),
    ("2020-2023", D(2020, 1, 1), D(2023, 12, 31), False),
    ("2020- 2023", D(2020, 1, 1), D(2023, 12, 31), False),
    ("2023", D(2023, 1, 1), D(2023, 12, 31), False),
    ("2020-2021", D(2020, 1, 1), D(2021, 12, 31), False),
    ("ежегодно", D(2020, 1, 1), D(2023, 12, 31), True),
    ("Ежегодно (в рамках реализации Госзадания)", D(2020, 1, 1), D(2023, 12, 31), True),
    ("ежегодно по графику", D(2020, 1, 1), D(2023, 12, 31), True),
    ("Ежегодно по графику", D(2020, 1, 1), D(2023, 12, 31), True),
    ("2020", D(2020, 1, 1), D(2020, 12, 31), False),
    ("2021-2022", D(2021, 1, 1), D(2022, 12, 31), False),
]

# seed 001, roadmap period 2021: (text, start, end, recurring)
SEED_001 = [
    ("январь 2021", D(2021, 1, 1), D(2021, 1, 31), False),
    ("февраль 2021г.", D(2021, 2, 1), D(2021, 2, 28), False),
    ("январь-февраль 2021г.", D(2021, 1, 1), D(2021, 2, 28), False),
    ("март 2021г.", D(2021, 3, 1), D(2021, 3, 31), False),
    ("март -апрель 2021г.", D(2021, 3, 1), D(2021, 4, 30), False),
    ("10.03.2021- 15.03.2021", D(2021, 3, 10), D(2021, 3, 15), False),
    ("с 22.03.2021 по 22 04 2021", D(2021, 3, 22), D(2021, 4, 22), False),
    ("до 06.03.2021г.", D(2021, 1, 1), D(2021, 3, 6), False),
    ("с 20.03.2021г. - по 30.03.2021г.", D(2021, 3, 20), D(2021, 3, 30), False),
    ("01.04.2021г. - 12.04.2021г.", D(2021, 4, 1), D(2021, 4, 12), False),
    ("апрель 2021", D(2021, 4, 1), D(2021, 4, 30), False),
    ("29.03.2021г.", D(2021, 3, 29), D(2021, 3, 29), False),
    ("1 марта 2021г.", D(2021, 3, 1), D(2021, 3, 1), False),
    ("22 марта 2021г.", D(2021, 3, 22), D(2021, 3, 22), False),
    ("07.04.2021г.", D(2021, 4, 7), D(2021, 4, 7), False),
    ("10.03.2021г. - 30.04.2021г.", D(2021, 3, 10), D(2021, 4, 30), False),
    ("февраль-апрель", D(2021, 2, 1), D(2021, 4, 30), False),
    ("март-апрель", D(2021, 3, 1), D(2021, 4, 30), False),
    ("апрель-май", D(2021, 4, 1), D(2021, 5, 31), False),
    ("апрель - июнь. 2 раза месяц", D(2021, 4, 1), D(2021, 6, 30), True),
    ("июнь, сентябрь 2021", D(2021, 6, 1), D(2021, 9, 30), False),
    ("июнь 2021", D(2021, 6, 1), D(2021, 6, 30), False),
    ("еженедельно и по мере необходимости", D(2021, 1, 1), D(2021, 12, 31), True),
    ("еженедельно", D(2021, 1, 1), D(2021, 12, 31), True),
    ("август–сентябрь", D(2021, 8, 1), D(2021, 9, 30), False),
    ("июль-август", D(2021, 7, 1), D(2021, 8, 31), False),
    ("июнь", D(2021, 6, 1), D(2021, 6, 30), False),
    ("Заседание муниципальной координационной группы проходит один раз в две недели",
     D(2021, 1, 1), D(2021, 12, 31), True),
    ("не реже 1 раза в неделю на стадии формирования дорожных карт; не реже 1 раза в 3-4 "
     "недели на стадии реализации дорожных карт.", D(2021, 1, 1), D(2021, 12, 31), True),
    ("в срок до 15.08.21", D(2021, 1, 1), D(2021, 8, 15), False),
]


def check(text, start_year, end_year, start, end, recurring):
    got = parse_deadline(text, start_year=start_year, end_year=end_year)
    assert got == Deadline(text, start, end, recurring)
    assert got.parsed is True


@pytest.mark.parametrize(("text", "start", "end", "recurring"), SEED_003)
def test_seed_003_regional_roadmap(text, start, end, recurring):
    check(text, 2020, 2023, start, end, recurring)


@pytest.mark.parametrize(("text", "start", "end", "recurring"), SEED_001)
def test_seed_001_municipal_roadmap(text, start, end, recurring):
    check(text, 2021, None, start, end, recurring)


@pytest.mark.parametrize(("text", "start", "end", "recurring"), [
    # «ежегодно» + a month over a multi-year period: that month in the first .. last year
    ("ежегодно, сентябрь", D(2020, 9, 1), D(2023, 9, 30), True),
    ("Ежегодно в декабре", D(2020, 12, 1), D(2023, 12, 31), True),
    ("ежегодно, II квартал", D(2020, 4, 1), D(2023, 6, 30), True),
    # an explicit year is not stretched
    ("ежегодно, сентябрь 2021", D(2021, 9, 1), D(2021, 9, 30), True),
    ("ежеквартально", D(2020, 1, 1), D(2023, 12, 31), True),
    ("постоянно", D(2020, 1, 1), D(2023, 12, 31), True),
    ("систематически", D(2020, 1, 1), D(2023, 12, 31), True),
    ("регулярно", D(2020, 1, 1), D(2023, 12, 31), True),
    ("2 раза в год", D(2020, 1, 1), D(2023, 12, 31), True),
    ("1 раз в квартал", D(2020, 1, 1), D(2023, 12, 31), True),
    ("с 2021 по 2023", D(2021, 1, 1), D(2023, 12, 31), False),
    ("2021–2023 гг.", D(2021, 1, 1), D(2023, 12, 31), False),
    ("2020-2023 годы", D(2020, 1, 1), D(2023, 12, 31), False),
    ("2020 — 2023 год", D(2020, 1, 1), D(2023, 12, 31), False),
    ("в течение всего периода", D(2020, 1, 1), D(2023, 12, 31), False),
    ("весь период", D(2020, 1, 1), D(2023, 12, 31), False),
    ("в течение года", D(2020, 1, 1), D(2020, 12, 31), False),
    ("в течение учебного года", D(2020, 9, 1), D(2021, 5, 31), False),
    ("учебный год", D(2020, 9, 1), D(2021, 5, 31), False),
])
def test_periods_and_recurring_over_2020_2023(text, start, end, recurring):
    check(text, 2020, 2023, start, end, recurring)


@pytest.mark.parametrize(("text", "start", "end"), [
    # quarters
    ("I квартал 2022", D(2022, 1, 1), D(2022, 3, 31)),
    ("1 квартал 2022", D(2022, 1, 1), D(2022, 3, 31)),
    ("IV кв. 2021", D(2021, 10, 1), D(2021, 12, 31)),
    ("III квартал", D(2021, 7, 1), D(2021, 9, 30)),
    ("2 квартал", D(2021, 4, 1), D(2021, 6, 30)),
    # half-years
    ("1 полугодие 2022", D(2022, 1, 1), D(2022, 6, 30)),
    ("II полугодие", D(2021, 7, 1), D(2021, 12, 31)),
    ("2 полугодие 2021 года", D(2021, 7, 1), D(2021, 12, 31)),
    # month ranges crossing the year
    ("ноябрь-февраль", D(2021, 11, 1), D(2022, 2, 28)),
    ("ноябрь 2021 - февраль 2022", D(2021, 11, 1), D(2022, 2, 28)),
    ("ноябрь-февраль 2022", D(2021, 11, 1), D(2022, 2, 28)),
    # month spellings and short forms
    ("ЯНВАРЬ", D(2021, 1, 1), D(2021, 1, 31)),
    ("в мае", D(2021, 5, 1), D(2021, 5, 31)),
    ("май 2022", D(2022, 5, 1), D(2022, 5, 31)),
    ("сент. 2021", D(2021, 9, 1), D(2021, 9, 30)),
    ("окт.-дек. 2021", D(2021, 10, 1), D(2021, 12, 31)),
    ("фев 2024", D(2024, 2, 1), D(2024, 2, 29)),
    ("январь, март, май 2021", D(2021, 1, 1), D(2021, 5, 31)),
    # «до» / «не позднее» deadlines
    ("до 1 октября", D(2021, 1, 1), D(2021, 10, 1)),
    ("не позднее 01.09.2022", D(2021, 1, 1), D(2022, 9, 1)),
    ("до 15.12.2020", D(2020, 1, 1), D(2020, 12, 15)),
    ("до 01.01.2001", D(2001, 1, 1), D(2001, 1, 1)),  # an earlier year moves the start
    ("в срок до 1 марта 2022 г.", D(2021, 1, 1), D(2022, 3, 1)),
    # but «с … до …» is a range
    ("с 01.03.2021 до 15.03.2021", D(2021, 3, 1), D(2021, 3, 15)),
    # normalisation: ё, non-breaking space, dashes, trailing dots
    ("март\u00a02021\u00a0г.", D(2021, 3, 1), D(2021, 3, 31)),
    ("01.04.2021\u201215.04.2021.", D(2021, 4, 1), D(2021, 4, 15)),
    ("сентябрь  −  октябрь 2021...", D(2021, 9, 1), D(2021, 10, 31)),
    ("15.05.21", D(2021, 5, 15), D(2021, 5, 15)),
])
def test_more_forms_in_2021(text, start, end):
    check(text, 2021, None, start, end, False)


@pytest.mark.parametrize("text", [
    "",
    "   ",
    "по согласованию",
    "после получения результатов ВПР",
    "в сроки, установленные ФИОКО",
    "—",
    "-",
    "по мере",
])
def test_unparsed_text(text):
    got = parse_deadline(text, start_year=2021)
    assert got == Deadline(text, None, None, False)
    assert got.parsed is False


@pytest.mark.parametrize("text", [
    "31.02.2021",
    "15.13.2021",
    "00.03.2021",
    "30 февраля 2021",
    "29 февраля",  # 2021 is not a leap year
    "с 10.03.2021 по 32.03.2021",
    "1999",
    "2101",
    "январь 1999",
    "0000",
    "2023-2021",  # start after end
    "30.04.2021 - 01.04.2021",
    "до 01.01.1999",
])
def test_invalid_dates_and_years_are_unparsed(text):
    assert parse_deadline(text, start_year=2021) == Deadline(text, None, None, False)


def test_invalid_date_in_recurring_text_keeps_the_flag_but_no_range():
    text = "ежегодно до 31.02.2021"
    got = parse_deadline(text, start_year=2021)
    assert (got.start, got.end, got.parsed) == (None, None, False)


def test_leap_day_is_valid_in_a_leap_year():
    assert parse_deadline("29 февраля", start_year=2024) == Deadline(
        "29 февраля", D(2024, 2, 29), D(2024, 2, 29))


def test_text_is_kept_unchanged():
    text = "  Март -Апрель 2021г.\u00a0 "
    got = parse_deadline(text, start_year=2021)
    assert got.text == text
    assert (got.start, got.end) == (D(2021, 3, 1), D(2021, 4, 30))


def test_end_year_defaults_to_start_year():
    assert parse_deadline("ежегодно", start_year=2022) == Deadline(
        "ежегодно", D(2022, 1, 1), D(2022, 12, 31), True)


def test_deadline_is_frozen_and_parsed_follows_end():
    got = parse_deadline("2021", start_year=2021)
    with pytest.raises(dataclasses.FrozenInstanceError):
        got.end = None
    assert Deadline("x", None, D(2021, 1, 1)).parsed is True
    assert Deadline("x", D(2021, 1, 1), None).parsed is False


def test_non_string_input_does_not_raise():
    assert parse_deadline(None, start_year=2021) == Deadline("", None, None)


@pytest.mark.parametrize(("start_year", "end_year"), [(0, None), (2021, 10**9), (-5, 3)])
def test_unusable_period_does_not_raise(start_year, end_year):
    got = parse_deadline("ежегодно, сентябрь", start_year=start_year, end_year=end_year)
    assert (got.start, got.end) == (None, None)


# (odd text, whether it parses)
ODD = [
    ("12345", False),
    ("0000", False),
    ("9999", False),
    ("!!!", False),
    ("...", False),
    ("-----", False),
    (";;;,,,", False),
    ("()[]{}", False),
    ("1", False),
    ("12", False),
    ("1.2.3", False),
    ("99.99.9999", False),
    ("12.12.12.12.2021", True),
    ("2021-", True),
    ("-2021", True),
    ("2021 2022 2023 2024", True),
    ("до", False),
    ("с по", False),
    ("раз в", False),
    ("IV", False),
    ("квартал", False),
    ("5 квартал 2021", True),  # «5» is not a quarter; the year still reads
    ("мар", True),
    ("марафон", False),
    ("Развитие образования", False),
    ("\u00a0\t\n", False),
    ("ёЁё", False),
    ("2021" * 1000, False),
    ("январь " * 5000, True),
    ("x" * 100_000, False),
    ("с 01.01.2021 " + "по " * 10_000, True),
]


@pytest.mark.parametrize(("text", "parsed"), ODD)
def test_odd_text_never_raises(text, parsed):
    got = parse_deadline(text, start_year=2021, end_year=2023)
    assert got.text == text
    assert got.parsed is parsed
    assert (got.start is None) == (got.end is None)
    if got.parsed:
        assert got.start <= got.end
        assert 2000 <= got.start.year and got.end.year <= 2100
