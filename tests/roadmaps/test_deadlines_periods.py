"""roadmaps.deadlines: several periods in one deadline, the rhythm of recurring measures,
wording that must not be counted as recognised, and the dates of a completion note.

A table of the wordings met in the seeds (001's municipal roadmap and its completion
notes, 003's regional roadmap, 000's «Период выполнения», 004's monitoring plan) and
property-based tests (hypothesis) of the rules behind them. Pure functions, no database."""

from __future__ import annotations

import calendar
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roadmaps.deadlines import (
    Every,
    dates_in,
    parse_deadline,
    stored_deadline,
    stored_fields,
    stored_periods,
)

D = date
W = Every  # (times, count, unit)

NOMINATIVE = ["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август",
              "сентябрь", "октябрь", "ноябрь", "декабрь"]
GENITIVE = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
            "сентября", "октября", "ноября", "декабря"]


def month(year: int, m: int) -> tuple[date, date]:
    return D(year, m, 1), D(year, m, calendar.monthrange(year, m)[1])


# (text, start_year, end_year, periods, every): the wordings of the seeds and their kin
WORDINGS = [
    # seed 001, «Сроки» (2021)
    ("январь 2021", 2021, 2021, [month(2021, 1)], None),
    ("февраль 2021г.", 2021, 2021, [month(2021, 2)], None),
    ("январь-февраль 2021г.", 2021, 2021, [(D(2021, 1, 1), D(2021, 2, 28))], None),
    ("март -апрель 2021г.", 2021, 2021, [(D(2021, 3, 1), D(2021, 4, 30))], None),
    ("10.03.2021- 15.03.2021", 2021, 2021, [(D(2021, 3, 10), D(2021, 3, 15))], None),
    ("с 22.03.2021 по 22 04 2021", 2021, 2021, [(D(2021, 3, 22), D(2021, 4, 22))], None),
    ("до 06.03.2021г.", 2021, 2021, [(D(2021, 1, 1), D(2021, 3, 6))], None),
    ("с 20.03.2021г. - по 30.03.2021г.", 2021, 2021, [(D(2021, 3, 20), D(2021, 3, 30))],
     None),
    ("01.04.2021г. - 12.04.2021г.", 2021, 2021, [(D(2021, 4, 1), D(2021, 4, 12))], None),
    ("29.03.2021г.", 2021, 2021, [(D(2021, 3, 29), D(2021, 3, 29))], None),
    ("1 марта 2021г.", 2021, 2021, [(D(2021, 3, 1), D(2021, 3, 1))], None),
    ("до 26.03.2021г.", 2021, 2021, [(D(2021, 1, 1), D(2021, 3, 26))], None),
    ("февраль-апрель", 2021, 2021, [(D(2021, 2, 1), D(2021, 4, 30))], None),
    ("август–сентябрь", 2021, 2021, [(D(2021, 8, 1), D(2021, 9, 30))], None),
    # two periods, not June–September
    ("июнь, сентябрь 2021", 2021, 2021, [month(2021, 6), month(2021, 9)], None),
    ("апрель - июнь. 2 раза месяц", 2021, 2021, [(D(2021, 4, 1), D(2021, 6, 30))],
     W(2, 1, "month")),
    ("еженедельно и по мере необходимости", 2021, 2021,
     [(D(2021, 1, 1), D(2021, 12, 31))], W(1, 1, "week")),
    ("еженедельно", 2021, 2021, [(D(2021, 1, 1), D(2021, 12, 31))], W(1, 1, "week")),
    ("Заседание муниципальной координационной группы проходит один раз в две недели",
     2021, 2021, [(D(2021, 1, 1), D(2021, 12, 31))], W(1, 2, "week")),
    ("не реже 1 раза в неделю на стадии формирования дорожных карт; не реже 1 раза в 3-4 "
     "недели на стадии реализации дорожных карт.", 2021, 2021,
     [(D(2021, 1, 1), D(2021, 12, 31))], W(1, 1, "week")),
    ("не реже 1 раза в 3-4 недели", 2021, 2021, [(D(2021, 1, 1), D(2021, 12, 31))],
     W(1, 4, "week")),
    # seed 001, dates in the completion notes
    ("с 16.08 по 03.09.2021 года", 2021, 2021, [(D(2021, 8, 16), D(2021, 9, 3))], None),
    ("в срок до 15.08.21", 2021, 2021, [(D(2021, 1, 1), D(2021, 8, 15))], None),
    # seed 003 (2020–2023)
    ("2020- 2023", 2020, 2023, [(D(2020, 1, 1), D(2023, 12, 31))], None),
    ("2021-2022", 2020, 2023, [(D(2021, 1, 1), D(2022, 12, 31))], None),
    ("ежегодно", 2020, 2023, [(D(2020, 1, 1), D(2023, 12, 31))], W(1, 1, "year")),
    ("Ежегодно по графику", 2020, 2023, [(D(2020, 1, 1), D(2023, 12, 31))],
     W(1, 1, "year")),
    ("Ежегодно (в рамках реализации Госзадания)", 2020, 2023,
     [(D(2020, 1, 1), D(2023, 12, 31))], W(1, 1, "year")),
    # seed 000, «Период выполнения»
    ("06.05.2022", 2022, 2022, [(D(2022, 5, 6), D(2022, 5, 6))], None),
    ("11 – 13.05.2022", 2022, 2022, [(D(2022, 5, 11), D(2022, 5, 13))], None),
    ("16 – 20.05.2022", 2022, 2022, [(D(2022, 5, 16), D(2022, 5, 20))], None),
    ("с 11.01.2022 до 01.08.2022", 2022, 2022, [(D(2022, 1, 11), D(2022, 8, 1))], None),
    # seed 004, «Сроки реализации» (2021–2023): the month, then every year
    ("февраль 2022, далее - ежегодно", 2021, 2023, [month(2022, 2), month(2023, 2)],
     W(1, 1, "year")),
    ("декабрь 2021, далее - ежегодно", 2021, 2023,
     [month(2021, 12), month(2022, 12), month(2023, 12)], W(1, 1, "year")),
    ("июнь 2022, далее - ежегодно", 2021, 2022, [month(2022, 6)], W(1, 1, "year")),
    # every year in September of a multi-year roadmap: four periods, not one long one
    ("ежегодно, сентябрь", 2020, 2023, [month(y, 9) for y in range(2020, 2024)],
     W(1, 1, "year")),
    # the rhythms asked for, as people write them
    ("ежемесячно", 2022, 2022, [(D(2022, 1, 1), D(2022, 12, 31))], W(1, 1, "month")),
    ("ежеквартально", 2022, 2022, [(D(2022, 1, 1), D(2022, 12, 31))], W(1, 1, "quarter")),
    ("2 раза в год", 2022, 2022, [(D(2022, 1, 1), D(2022, 12, 31))], W(2, 1, "year")),
    ("1 раз в квартал", 2022, 2022, [(D(2022, 1, 1), D(2022, 12, 31))], W(1, 1, "quarter")),
    ("каждые две недели", 2022, 2022, [(D(2022, 1, 1), D(2022, 12, 31))], W(1, 2, "week")),
    ("дважды в месяц", 2022, 2022, [(D(2022, 1, 1), D(2022, 12, 31))], W(2, 1, "month")),
    ("1-2 раза в месяц", 2022, 2022, [(D(2022, 1, 1), D(2022, 12, 31))], W(1, 1, "month")),
    ("раз в 2 года", 2020, 2023, [(D(2020, 1, 1), D(2023, 12, 31))], W(1, 2, "year")),
    ("ежемесячно до 5 числа", 2022, 2022, [(D(2022, 1, 1), D(2022, 12, 31))],
     W(1, 1, "month")),
    ("постоянно", 2022, 2022, [(D(2022, 1, 1), D(2022, 12, 31))], None),
    # lists and ranges together
    ("март-апрель, сентябрь-октябрь 2022", 2022, 2022,
     [(D(2022, 3, 1), D(2022, 4, 30)), (D(2022, 9, 1), D(2022, 10, 31))], None),
    ("июнь и сентябрь 2022", 2022, 2022, [month(2022, 6), month(2022, 9)], None),
    ("январь, март, май 2021", 2021, 2021, [month(2021, 1), month(2021, 3), month(2021, 5)],
     None),
    # neighbouring periods are one
    ("июнь, июль 2022", 2022, 2022, [(D(2022, 6, 1), D(2022, 7, 31))], None),
    # school years
    ("2021/2022 учебный год", 2021, 2022, [(D(2021, 9, 1), D(2022, 5, 31))], None),
    ("в течение 2021-2022 учебного года", 2021, 2022, [(D(2021, 9, 1), D(2022, 5, 31))],
     None),
    ("11-13 мая 2022 г.", 2022, 2022, [(D(2022, 5, 11), D(2022, 5, 13))], None),
    # «с …» without an end: to the end of the roadmap's period
    ("с 01.09.2021", 2021, 2022, [(D(2021, 9, 1), D(2022, 12, 31))], None),
]


@pytest.mark.parametrize(("text", "start_year", "end_year", "periods", "every"), WORDINGS)
def test_wordings_of_the_seeds(text, start_year, end_year, periods, every):
    got = parse_deadline(text, start_year=start_year, end_year=end_year)
    assert got.parsed
    assert list(got.periods) == periods
    assert (got.start, got.end) == (periods[0][0], periods[-1][1])
    assert got.every == every
    assert got.recurring == (every is not None or text == "постоянно")


def test_the_table_holds_enough_real_wordings():
    assert len(WORDINGS) >= 30


@pytest.mark.parametrize("text", [
    "после 01.03.2021",                     # no end
    "не ранее 15.09.2021",
    "по окончании I четверти",
    "по завершении ВПР 2021",
    "за 10 дней до начала учебного года",
    "I полугодие 2021-2022 уч. года",       # a school half-year, not January–June
    "II полугодие учебного года",
    "в течение 10 дней после ВПР",
    "по согласованию",
    "по мере поступления",
])
def test_wording_that_is_not_understood_is_never_counted_as_recognised(text):
    got = parse_deadline(text, start_year=2021, end_year=2022)
    assert not got.parsed and (got.start, got.end, got.periods) == (None, None, ())
    assert got.reading == "не распознан"


def test_reading_shows_each_period_and_the_rhythm():
    got = parse_deadline("июнь, сентябрь 2021", start_year=2021)
    assert got.reading == "01.06.2021–30.06.2021; 01.09.2021–30.09.2021"
    got = parse_deadline("один раз в две недели", start_year=2021)
    assert got.reading == "01.01.2021–31.12.2021, раз в 2 недели"
    assert parse_deadline("29.03.2021", start_year=2021).reading == "29.03.2021"
    assert parse_deadline("постоянно", start_year=2021).reading.endswith(", периодически")
    many = parse_deadline("ежегодно, сентябрь", start_year=2020, end_year=2029)
    assert many.reading.endswith("01.09.2025–30.09.2025 и ещё 4 периода, ежегодно")


def test_stored_periods_keep_several_and_drop_a_single_one():
    assert stored_periods(parse_deadline("июнь, сентябрь 2021", start_year=2021)) == [
        ["2021-06-01", "2021-06-30"], ["2021-09-01", "2021-09-30"]]
    assert stored_periods(parse_deadline("июнь 2021", start_year=2021)) == []
    assert stored_periods(parse_deadline("по согласованию", start_year=2021)) == []


@pytest.mark.parametrize("text", ["июнь, сентябрь 2021", "один раз в две недели", "март 2021",
                                  "ежегодно, сентябрь", "по согласованию"])
def test_stored_fields_read_back_as_the_same_reading(text):
    parsed = parse_deadline(text, start_year=2021, end_year=2023)
    fields = stored_fields(parsed)
    back = stored_deadline(start=fields["due_start"], end=fields["due_end"],
                           recurring=fields["recurring"], periods=fields["due_periods"],
                           recurrence=fields["recurrence"])
    assert back.reading == parsed.reading and back.every == parsed.every


@pytest.mark.parametrize(("every", "label"), [
    (W(1, 1, "week"), "еженедельно"),
    (W(1, 1, "month"), "ежемесячно"),
    (W(1, 1, "quarter"), "ежеквартально"),
    (W(1, 1, "year"), "ежегодно"),
    (W(1, 1, "halfyear"), "раз в полугодие"),
    (W(1, 2, "week"), "раз в 2 недели"),
    (W(1, 5, "week"), "раз в 5 недель"),
    (W(1, 21, "week"), "раз в 21 неделю"),
    (W(1, 2, "year"), "раз в 2 года"),
    (W(1, 5, "year"), "раз в 5 лет"),
    (W(2, 1, "year"), "2 раза в год"),
    (W(5, 1, "month"), "5 раз в месяц"),
    (W(11, 1, "month"), "11 раз в месяц"),
    (W(22, 1, "month"), "22 раза в месяц"),
    (W(3, 2, "month"), "3 раза в 2 месяца"),
    (W(2, 12, "day"), "2 раза в 12 дней"),
])
def test_rhythm_labels_agree_with_their_numbers(every, label):
    assert every.label == label
    assert Every.from_code(every.code) == every


@pytest.mark.parametrize("code", ["", "1/2", "0/1/week", "1/0/week", "1/1/fortnight", "a/b/c"])
def test_a_broken_stored_rhythm_reads_as_none(code):
    assert Every.from_code(code) is None


@pytest.mark.parametrize(("note", "dates"), [
    ("Проведено 12.03.2021", [D(2021, 3, 12)]),
    ("выполнено 12.03.21", [D(2021, 3, 12)]),
    ("Совещание проведено 12 марта 2021 г.", [D(2021, 3, 12)]),
    ("проходят обучение с 16.08 по 03.09.2021 года", [D(2021, 9, 3)]),
    ("Приказ от 01.02.2021 № 45, отчёт 30.03.2021", [D(2021, 2, 1), D(2021, 3, 30)]),
    ("31.02.2021, затем 01.03.2021", [D(2021, 3, 1)]),  # an impossible date is skipped
    ("Выполнено", []),
    ("в марте", []),  # a month is not a day
    ("", []),
])
def test_dates_of_a_completion_note(note, dates):
    assert dates_in(note) == dates


# -- properties (no example database: nothing is written into the checkout) ----------------------
days = st.dates(min_value=D(2000, 1, 1), max_value=D(2099, 12, 31))
years = st.integers(min_value=2000, max_value=2099)
months = st.integers(min_value=1, max_value=12)


@settings(max_examples=300, deadline=None, database=None)
@given(days)
def test_any_written_date_is_that_day(day):
    for text in (f"{day:%d.%m.%Y}", f"{day:%d.%m.%Y}г.", f"{day.day} {GENITIVE[day.month - 1]} "
                 f"{day.year} г."):
        got = parse_deadline(text, start_year=day.year)
        assert (got.start, got.end, got.periods) == (day, day, ((day, day),)), text
        assert dates_in(f"Проведено {text}") == [day]
    short = parse_deadline(f"{day:%d.%m.%y}", start_year=day.year)
    assert (short.start, short.end) == (day, day)


@settings(max_examples=200, deadline=None, database=None)
@given(years, months, months)
def test_a_dash_joins_months_into_one_period(year, first, last):
    first, last = min(first, last), max(first, last)
    got = parse_deadline(f"{NOMINATIVE[first - 1]} - {NOMINATIVE[last - 1]} {year}",
                         start_year=year)
    assert got.periods == ((month(year, first)[0], month(year, last)[1]),)


@settings(max_examples=200, deadline=None, database=None)
@given(years, months, months, st.sampled_from([", ", "; ", " и "]))
def test_a_list_of_months_is_that_many_periods(year, first, second, separator):
    if second < first + 2:  # touching months merge into one period
        return
    got = parse_deadline(f"{NOMINATIVE[first - 1]}{separator}{NOMINATIVE[second - 1]} {year}",
                         start_year=year)
    assert got.periods == (month(year, first), month(year, second))
    assert (got.start, got.end) == (month(year, first)[0], month(year, second)[1])


@settings(max_examples=200, deadline=None, database=None)
@given(days, st.integers(min_value=0, max_value=27))
def test_a_span_of_days_in_one_month(day, length):
    last = min(day.day + length, calendar.monthrange(day.year, day.month)[1])
    got = parse_deadline(f"{day.day} – {last}.{day.month:02d}.{day.year}", start_year=day.year)
    assert got.periods == ((day, day.replace(day=last)),)


@settings(max_examples=300, deadline=None, database=None)
@given(st.integers(min_value=1, max_value=30), st.integers(min_value=1, max_value=30),
       st.sampled_from(["day", "week", "month", "quarter", "halfyear", "year"]),
       st.integers(min_value=2000, max_value=2095), st.integers(min_value=0, max_value=5))
def test_every_rhythm_label_reads_back_as_that_rhythm(times, count, unit, start, length):
    every = Every(times, count, unit)
    got = parse_deadline(every.label, start_year=start, end_year=start + length)
    assert got.every == every and got.recurring
    assert (got.start, got.end) == (D(start, 1, 1), D(start + length, 12, 31))


# Fragments people put into the «Срок» column, shuffled into arbitrary sequences.
FRAGMENTS = st.sampled_from([
    "январь", "мая", "сентябрь", "дек.", "2021", "2022 г.", "2020-2023", "01.03.2021",
    "15.05.21", "16.08", "11 – 13.05.2022", "I квартал", "2 полугодие", "учебный год",
    "2021/2022", "ежегодно", "еженедельно", "2 раза в год", "раз в две недели", "до", "с",
    "по", "после", "и", ",", ";", "-", "далее", "в течение года", "весь период", "31.02.2021",
    "1999", "по согласованию", "не реже", "3-4", "недели", "(", ")", "г.", "№ 5",
])


@settings(max_examples=500, deadline=None, database=None)
@given(st.lists(FRAGMENTS, max_size=8), st.integers(min_value=2000, max_value=2100),
       st.integers(min_value=0, max_value=10))
def test_invariants_of_any_deadline(parts, start, length):
    text = " ".join(parts)
    got = parse_deadline(text, start_year=start, end_year=start + length)
    assert got.text == text
    if not got.parsed:
        assert (got.start, got.end, got.periods) == (None, None, ())
        return
    periods = got.periods
    assert periods and (got.start, got.end) == (periods[0][0], periods[-1][1])
    for (a, b), following in zip(periods, [*periods[1:], None], strict=True):
        assert a <= b
        if following is not None:
            assert (following[0] - b).days > 1  # separate, not touching
    assert 2000 <= got.start.year and got.end.year <= 2100
    if got.every is not None:
        assert got.recurring
    # case and spacing never change what is read
    again = parse_deadline(f"  {text.upper()}  ".replace(" ", "  "), start_year=start,
                           end_year=start + length)
    assert (again.start, again.end, again.periods, again.every) == (
        got.start, got.end, got.periods, got.every)
