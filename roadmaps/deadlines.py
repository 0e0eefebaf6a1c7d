"""Parse the free-text deadline of a roadmap item («срок») into a date range.

Officials write deadlines as free text: a date, a month, a quarter, a span of years, or a
period such as «ежегодно, сентябрь». ``parse_deadline`` turns the text into a ``Deadline``
(the original text is kept unchanged) so that overdue items can be computed. The roadmap's
period (``start_year``..``end_year``, calendar years) supplies the year when the text omits it.

Rules, in order:

1. Normalise: lowercase, «ё» → «е», every dash kind → "-", collapse whitespace (including
   non-breaking spaces), drop «г.», «гг.», «год», «года», «годы» after a year or a date,
   strip trailing dots.
2. Recurring wording («ежегодно», «еженедельно», «постоянно», «регулярно», «по мере
   необходимости», «по графику», «2 раза в месяц», «не реже 1 раза в 3-4 недели», «каждые
   две недели», «дважды в месяц» …) sets ``recurring`` and is removed, so that its numbers
   are never read as dates. When it names a rhythm, ``every`` holds it (:class:`Every`:
   «один раз в две недели» is once every 2 weeks, «2 раза в год» twice a year).
3. Wording whose end the text does not state («после 01.03.2021», «не ранее …», «по
   окончании …», «за 10 дней до …») is unparsed: a guessed date would be counted as
   recognised and could be wrong.
4. The rest is scanned, left to right, for values: full dates (dd.mm.yyyy, dd.mm.yy meaning
   20yy, "dd mm yyyy"), day spans («11 – 13.05.2022», «11-13 мая»), day + month (numeric
   «16.08» or named), month names (nominative, genitive, prepositional, short forms),
   quarters («I квартал», «4 кв.»), half-years («II полугодие»), school years («2021/2022
   учебный год»), four-digit years, «учебный год» (1 Sep .. 31 May), «в течение года» and
   «весь период». A quarter or half-year next to a school year is not read (unparsed):
   «I полугодие 2021-2022 уч. года» is not the calendar half-year.
5. A value without a year takes the year of the next value that has one («январь-февраль
   2021»), otherwise the year of the previous value, moving to the next year when the months
   go backwards («ноябрь-февраль»), otherwise ``start_year``.
6. Values joined by a dash, «по» or «до» make one period; values separated by «,», «;» or
   «и» are separate periods («июнь, сентябрь 2021» is June and September, not the summer).
   ``start``/``end`` span all periods (the first day of the first, the last of the last);
   ``periods`` lists them (touching ones merged).
7. After «до» / «не позднее» (without «с») the first period runs from 1 January of
   ``min(start_year, end.year)``. «с …» with a single value and no end runs to the end of
   the roadmap's period. «Ежегодно» with year-less values and a multi-year period repeats
   them every year up to ``end_year``; «…, далее — ежегодно» repeats from the written year.
8. Recurring text with no values covers the whole period, 1 Jan ``start_year`` ..
   31 Dec ``end_year``.
9. Anything else — no values, an invalid date, a year outside 2000..2100, start after end —
   is unparsed: ``start`` and ``end`` are ``None``. The parser never raises.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from core.text import plural

MIN_YEAR, MAX_YEAR = 2000, 2100

Period = tuple[date, date]

#: unit → (nominative/accusative singular after «в», genitive singular, genitive plural)
_UNIT_FORMS = {
    "day": ("день", "дня", "дней"),
    "week": ("неделю", "недели", "недель"),
    "month": ("месяц", "месяца", "месяцев"),
    "quarter": ("квартал", "квартала", "кварталов"),
    "halfyear": ("полугодие", "полугодия", "полугодий"),
    "year": ("год", "года", "лет"),
}
_EVERY_ONE = {"day": "ежедневно", "week": "еженедельно", "month": "ежемесячно",
              "quarter": "ежеквартально", "halfyear": "раз в полугодие", "year": "ежегодно"}


@dataclass(frozen=True)
class Every:
    """A rhythm: ``times`` times in ``count`` ``unit``s («2 раза в месяц» = 2, 1, month;
    «один раз в две недели» = 1, 2, week)."""

    times: int
    count: int
    unit: str  # a key of _UNIT_FORMS

    @property
    def code(self) -> str:
        """Compact stored form, ``times/count/unit`` («1/2/week»)."""
        return f"{self.times}/{self.count}/{self.unit}"

    @classmethod
    def from_code(cls, code: str) -> Every | None:
        try:
            times, count, unit = code.split("/")
            every = cls(int(times), int(count), unit)
        except (ValueError, AttributeError):
            return None
        return every if unit in _UNIT_FORMS and every.times > 0 and every.count > 0 else None

    @property
    def label(self) -> str:
        """«еженедельно», «раз в 2 недели», «2 раза в год», «5 раз в 3 месяца»."""
        if self.times == 1 and self.count == 1:
            return _EVERY_ONE[self.unit]
        one, few, many = _UNIT_FORMS[self.unit]
        span = one if self.count == 1 else f"{self.count} {plural(self.count, one, few, many)}"
        if self.times == 1:
            return f"раз в {span}"
        return f"{self.times} {plural(self.times, 'раз', 'раза', 'раз')} в {span}"


@dataclass(frozen=True)
class Deadline:
    text: str  # the original text, unchanged
    start: date | None
    end: date | None
    recurring: bool = False
    # Details derived from ``text`` (which takes part in equality, so they need not):
    #: the separate periods, in order, spanning ``start``..``end`` (one when continuous)
    periods: tuple[Period, ...] = field(default=(), compare=False)
    #: the rhythm of a recurring measure, when the text names one
    every: Every | None = field(default=None, compare=False)

    @property
    def parsed(self) -> bool:
        return self.end is not None

    @property
    def reading(self) -> str:
        """How the text was understood, in Russian: «01.06.2021–30.06.2021; 01.09.2021–
        30.09.2021, раз в 2 недели»; «не распознан» when it was not."""
        if not self.parsed:
            return "не распознан"
        periods = self.periods or ((self.start, self.end),)
        shown = [f"{a:%d.%m.%Y}" if a == b else f"{a:%d.%m.%Y}–{b:%d.%m.%Y}"
                 for a, b in periods[:6]]
        text = "; ".join(shown)
        if len(periods) > 6:
            rest = len(periods) - 6
            text += f" и ещё {rest} {plural(rest, 'период', 'периода', 'периодов')}"
        if self.every is not None:
            text += f", {self.every.label}"
        elif self.recurring:
            text += ", периодически"
        return text


_DASHES = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"})
# «г.» after a year or a date only: «раз в 2 года» keeps its unit
_YEAR_WORD = re.compile(r"(?:(?<=\d{4})|(?<=\.\d\d)) ?(?:годы|года|год|гг|г)\b\.?")

_MONTH = (
    r"(?:янв(?:ар[ьяе])?|фев(?:рал[ьяе])?|мар(?:т[ае]?)?|апр(?:ел[ьяе])?|ма[йяе]"
    r"|июн[ьяе]?|июл[ьяе]?|авг(?:уст[ае]?)?|сен(?:т(?:ябр[ьяе])?)?|окт(?:ябр[ьяе])?"
    r"|ноя(?:бр[ьяе])?|дек(?:абр[ьяе])?)\b\.?"
)
_MONTH_NO = {"янв": 1, "фев": 2, "мар": 3, "апр": 4, "май": 5, "мая": 5, "мае": 5, "июн": 6,
             "июл": 7, "авг": 8, "сен": 9, "окт": 10, "ноя": 11, "дек": 12}
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_YEAR_TAIL = r"(?: ?\d{4}\b)?"
_SCHOOL_WORDS = r"уч(?:ебн\w*|\.)? ?год\w*"

# Order matters: at each position the first alternative that matches wins.
_KINDS = [
    ("dayspan", rf"\b\d{{1,2}} ?- ?\d{{1,2}}\.\d{{1,2}}(?:\.(?:\d{{4}}|\d{{2}}))?\b(?!\.\d)"
                rf"|\b\d{{1,2}} ?- ?\d{{1,2}} ?{_MONTH}{_YEAR_TAIL}"),
    ("date", r"\b\d{1,2}\.\d{1,2}\.(?:\d{4}|\d{2})\b|\b\d{2} \d{2} \d{4}\b"),
    ("daymonth", rf"\b\d{{1,2}} ?{_MONTH}{_YEAR_TAIL}|(?<![\d.])\d{{1,2}}\.\d{{1,2}}\b(?!\.\d)"),
    ("quarter", rf"\b(?:iv|i{{1,3}}|[1-4])(?:-?й)? ?(?:квартал\w*|кв\b\.?){_YEAR_TAIL}"),
    ("half", rf"\b(?:ii|i|[12])(?:-?е)? ?полугоди\w*{_YEAR_TAIL}"),
    ("month", rf"\b{_MONTH}{_YEAR_TAIL}"),
    ("schoolyear", rf"\b\d{{4}} ?[/-] ?(?:\d{{4}}|\d{{2}})\b ?{_SCHOOL_WORDS}"
                   r"|\b\d{4} ?/ ?(?:\d{4}|\d{2})\b"),
    ("year", r"\b\d{4}\b"),
    ("school", rf"\b{_SCHOOL_WORDS}"),
    ("thisyear", r"\bв течени[еи] года\b"),
    ("period", r"\b(?:вес[ьа]|всего) период\w*"),
]
_TOKEN = re.compile("|".join(f"(?P<{kind}>{pattern})" for kind, pattern in _KINDS))

_NUMBER_WORDS = {"один": 1, "одного": 1, "одну": 1, "одна": 1, "два": 2, "две": 2, "двух": 2,
                 "три": 3, "трех": 3, "четыре": 4, "четырех": 4, "пять": 5, "пяти": 5,
                 "шесть": 6, "шести": 6}
_NUM = r"(?:\d+|" + "|".join(_NUMBER_WORDS) + r")"
_UNIT = (r"(?P<unit>недел\w*|месяц\w*|квартал\w*|полугоди\w*|год\w*|лет\b|дн\w*|день)")
_PERIOD_WORD = r"(?:недел\w*|месяц\w*|квартал\w*|полугоди\w*|год\w*|лет\b|дн\w*|день)"
_EVERY_PATTERNS = [
    re.compile(r"\bеже(?P<each>годн|месячн|недельн|квартальн|дневн|полугодн)\w*"),
    re.compile(rf"\bкажд\w* (?:(?P<count>{_NUM}) )?{_UNIT}"),
    re.compile(rf"(?:\bне (?:реже|чаще) )?(?:\b(?:(?P<low>\d+) ?- ?)?(?P<times>{_NUM}) )?"
               rf"\bраз[аa]? (?:в )?"
               rf"(?:(?P<count>\d+(?: ?- ?(?P<upto>\d+))?|{_NUM}) )?{_UNIT}"),
    re.compile(rf"\b(?P<twice>дважды|трижды) (?:в )?(?:(?P<count>{_NUM}) )?{_UNIT}"),
]
_EACH_UNIT = {"годн": "year", "месячн": "month", "недельн": "week", "квартальн": "quarter",
              "дневн": "day", "полугодн": "halfyear"}
_RECURRING = re.compile(
    r"\bеже(?:годн|месячн|недельн|квартальн|дневн|полугодн)\w*"
    r"|\b(?:постоянн|систематическ|регулярн)\w*"
    r"|\bпо мере необходимости\b|\bпо графику\b"
    rf"|\bкажд\w* (?:{_NUM} )?{_PERIOD_WORD}"
    rf"|\b(?:дважды|трижды) (?:в )?(?:{_NUM} )?{_PERIOD_WORD}"
    r"|(?:\bне (?:реже|чаще) )?(?:\b(?:\d+|" + "|".join(_NUMBER_WORDS) + r") )?\bраз[аa]? "
    r"(?:в )?(?:(?:\d+(?: ?- ?\d+)?|" + "|".join(_NUMBER_WORDS) + r") )?" + _PERIOD_WORD
)
# An end the text does not give: «после …», «не ранее …», «по окончании …», «за 10 дней до …»
_VAGUE = re.compile(r"\bпосле\b|\bне ранее\b|\bпо (?:окончани|завершени)\w*"
                    r"|\bза \d+ ?(?:дн|недел|месяц|час)\w*")
_UNTIL = re.compile(r"\bдо\b|\bне позднее\b")
_FROM = re.compile(r"\bс\b")
_END_WORD = re.compile(r"\bдо\b|\bпо\b|\bне позднее\b")
_THEN = re.compile(r"\bдалее\b|\bв дальнейшем\b|\bи далее\b")
# what separates two periods (a dash, «по», «до» join values into one period)
_LIST_GAP = re.compile(r"[,;]|\bи\b")


def _unit_of(word: str) -> str:
    for prefix, unit in (("недел", "week"), ("месяц", "month"), ("квартал", "quarter"),
                         ("полугоди", "halfyear"), ("год", "year"), ("лет", "year"),
                         ("дн", "day"), ("день", "day")):
        if word.startswith(prefix):
            return unit
    raise ValueError(word)


def _number(word: str | None) -> int:
    if not word:
        return 1
    return int(word) if word.isdigit() else _NUMBER_WORDS[word]


def _every(norm: str) -> Every | None:
    """The first rhythm named in the (normalised) text; the longest interval of a span
    («не реже 1 раза в 3-4 недели» — at least once every 4 weeks)."""
    found = []
    for pattern in _EVERY_PATTERNS:
        match = pattern.search(norm)
        if match is not None:
            found.append(match)
    if not found:
        return None
    match = min(found, key=lambda m: m.start())
    groups = match.groupdict()
    if groups.get("each"):
        return Every(1, 1, _EACH_UNIT[groups["each"]])
    unit = _unit_of(groups["unit"])
    count = groups.get("count")
    if groups.get("upto"):
        count = groups["upto"]
    elif count and "-" in count:
        count = count.split("-")[-1].strip()
    # «1-2 раза в месяц»: at least once
    times = {"дважды": 2, "трижды": 3}.get(groups.get("twice") or "") or _number(
        groups.get("low") or groups.get("times"))
    count_n = _number(count)
    if not (0 < times <= 1000 and 0 < count_n <= 1000):
        return None
    return Every(times, count_n, unit)


@dataclass
class _Item:
    """One value found in the text; ``bounds(year)`` gives its first and last day."""

    month: int  # the month it starts in, to order year-less values
    year: int | None
    bounds: Callable[[int], tuple[date, date]]
    explicit: bool = True  # the text gave the year


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _months(first: int, last: int) -> Callable[[int], tuple[date, date]]:
    return lambda y: (date(y, first, 1), _month_end(y, last))


def _year_of(token: str) -> int | None:
    found = re.search(r"\d{4}", token)
    return int(found.group()) if found else None


def _days(first: int, last: int, month: int) -> Callable[[int], tuple[date, date]]:
    return lambda y: (date(y, month, first), date(y, month, last))


def _dayspan_item(token: str, year: int | None) -> _Item:
    """«5-10 марта», «5-10.03.2024»: days of one month."""
    numbers = [int(n) for n in re.findall(r"\d+", token)]
    first, last = numbers[0], numbers[1]
    if len(numbers) > 2 and "." in token:
        month = numbers[2]
        if len(numbers) > 3:
            year = numbers[3] if numbers[3] >= 100 else 2000 + numbers[3]
    else:
        month = _MONTH_NO[re.search(r"[а-я]+", token).group()[:3]]
    if first > last:
        raise ValueError(token)
    date(year or 2000, month, last)  # validate now: 30-31 февраля is invalid in any year
    date(year or 2000, month, first)
    return _Item(month, year, _days(first, last, month), explicit=year is not None)


def _schoolyear_item(token: str) -> _Item:
    """«2023/2024 учебный год», «2023-24»: September to May."""
    first, second = (int(n) for n in re.findall(r"\d{4}|(?<=[/-])\s?\d{2}\b", token)[:2])
    if second < 100:
        second += first // 100 * 100
    if second <= first:
        raise ValueError(token)
    return _Item(9, first, lambda _: (date(first, 9, 1), date(second, 5, 31)))


def _item(kind: str, token: str, start_year: int, end_year: int) -> _Item:
    year = _year_of(token)
    if kind == "date":
        day, month, y = (int(n) for n in re.findall(r"\d+", token))
        one = date(y if y >= 100 else 2000 + y, month, day)  # ValueError when invalid
        return _Item(one.month, one.year, lambda _: (one, one))
    if kind == "dayspan":
        return _dayspan_item(token, year)
    if kind == "schoolyear":
        return _schoolyear_item(token)
    if kind == "year":
        return _Item(1, year, _months(1, 12))
    if kind == "period":
        whole = (date(start_year, 1, 1), date(end_year, 12, 31))
        return _Item(1, start_year, lambda _: whole)
    if kind == "school":
        return _Item(9, None, lambda y: (date(y, 9, 1), date(y + 1, 5, 31)), explicit=False)
    if kind == "thisyear":
        return _Item(1, None, _months(1, 12), explicit=False)
    if kind in ("quarter", "half"):
        lead = re.match(r"iv|i+|\d", token).group()
        n = _ROMAN.get(lead) or int(lead)
        size = 3 if kind == "quarter" else 6
        bounds = _months(size * (n - 1) + 1, size * n)
        return _Item(size * (n - 1) + 1, year, bounds, explicit=year is not None)
    if kind == "daymonth" and re.fullmatch(r"\d{1,2}\.\d{1,2}", token):
        day, month = (int(n) for n in token.split("."))
        date(2000, month, day)  # 2000 is a leap year: only impossible days fail here
        return _Item(month, None, lambda y: (date(y, month, day),) * 2, explicit=False)
    word = re.search(r"[а-я]+", token).group()
    month = _MONTH_NO[word[:3]]
    if kind == "daymonth":
        day = int(re.match(r"\d+", token).group())
        date(year or 2000, month, day)  # validate now: 31 февраля is invalid in any year
        return _Item(month, year, lambda y: (date(y, month, day),) * 2, year is not None)
    return _Item(month, year, _months(month, month), explicit=year is not None)


def _resolve_years(items: list[_Item], start_year: int) -> None:
    for i, item in enumerate(items):
        if item.year is not None:
            continue
        later = next((x for x in items[i + 1:] if x.year is not None), None)
        if later is not None:  # «январь-февраль 2021»: the written year applies backwards
            item.year = later.year - (item.month > later.month)
        elif i > 0:  # «ноябрь-февраль»: a month earlier than the previous one is next year
            prev = items[i - 1]
            item.year = prev.year + (item.month < prev.month)
        else:
            item.year = start_year


def _shift(day: date, years: int) -> date:
    year = day.year + years
    return date(year, day.month, min(day.day, calendar.monthrange(year, day.month)[1]))


def _normalise(text: str) -> str:
    text = re.sub(r"\s+", " ", text.lower().replace("ё", "е").translate(_DASHES))
    return _YEAR_WORD.sub("", text).strip().rstrip(". ")


def _merged(periods: list[Period]) -> tuple[Period, ...]:
    out: list[Period] = []
    for start, end in sorted(periods):
        if out and start <= out[-1][1] + timedelta(days=1):
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return tuple(out)


def _unparsed(text: str, recurring: bool = False, every: Every | None = None) -> Deadline:
    return Deadline(text, None, None, recurring, every=every)


def _result(text: str, periods: list[Period], recurring: bool, every: Every | None,
            years: list[int]) -> Deadline:
    if min(years) < MIN_YEAR or max(years) > MAX_YEAR:
        return _unparsed(text, recurring, every)
    if any(start > end for start, end in periods):
        return _unparsed(text, recurring, every)
    merged = _merged(periods)
    return Deadline(text, merged[0][0], merged[-1][1], recurring, merged, every)


def _parse(text: str, start_year: int, end_year: int) -> Deadline:
    norm = _normalise(text)
    recurring = _RECURRING.search(norm) is not None
    every = _every(norm) if recurring else None
    annual = "ежегодн" in norm
    then_annual = annual and _THEN.search(norm) is not None
    norm = _RECURRING.sub(" ; ", norm)
    if _VAGUE.search(norm):
        return _unparsed(text, recurring, every)
    matches = list(_TOKEN.finditer(norm))
    if not matches:
        if not recurring:
            return _unparsed(text)
        whole = (date(start_year, 1, 1), date(end_year, 12, 31))
        return _result(text, [whole], True, every, [start_year, end_year])
    kinds = {m.lastgroup for m in matches}
    if kinds & {"schoolyear", "school"} and kinds & {"quarter", "half"}:
        return _unparsed(text, recurring, every)  # a quarter of a school year: not read
    items = [_item(m.lastgroup, m.group(), start_year, end_year) for m in matches]
    _resolve_years(items, start_year)
    if any(not MIN_YEAR <= item.year <= MAX_YEAR for item in items):
        return _unparsed(text, recurring, every)
    ranges = [item.bounds(item.year) for item in items]
    # values joined by a dash (or «по», «до») are one period; «,», «;», «и» start another
    groups: list[list[int]] = [[0]]
    for i in range(1, len(matches)):
        gap = norm[matches[i - 1].end():matches[i].start()]
        if _LIST_GAP.search(gap):
            groups.append([i])
        else:
            groups[-1].append(i)
    periods = [(ranges[g[0]][0], ranges[g[-1]][1]) for g in groups]
    prefix = norm[: matches[0].start()]
    if _UNTIL.search(prefix) and not _FROM.search(prefix):
        first_end = periods[0][1]
        periods[0] = (date(min(start_year, first_end.year), 1, 1), first_end)
    elif (_FROM.search(prefix) and len(matches) == 1
          and not _END_WORD.search(norm[matches[0].end():])):
        # «с 01.09.2021»: from that day to the end of the roadmap's period
        periods[0] = (periods[0][0], max(periods[0][1], date(end_year, 12, 31)))
    repeat_from = None
    if annual and end_year > start_year and not any(item.explicit for item in items):
        repeat_from = start_year
    elif then_annual:
        repeat_from = min(p[0].year for p in periods)
    if repeat_from is not None and end_year > repeat_from:
        periods = [(_shift(a, n), _shift(b, n)) for n in range(end_year - repeat_from + 1)
                   for a, b in periods]
    years = [d.year for pair in ranges for d in pair] + [d.year for p in periods for d in p]
    return _result(text, periods, recurring, every, years)


def parse_deadline(text: str, *, start_year: int, end_year: int | None = None) -> Deadline:
    """Parse ``text`` within the roadmap period ``start_year``..``end_year``.

    ``end_year`` defaults to ``start_year``. Never raises: text that cannot be read, an
    invalid date or an unusable period gives an unparsed ``Deadline`` (start=end=None).
    """
    original = text if isinstance(text, str) else ("" if text is None else str(text))
    try:
        return _parse(original, start_year, start_year if end_year is None else end_year)
    except (ValueError, TypeError, OverflowError, AttributeError, KeyError):
        return Deadline(original, None, None)


def stored_periods(deadline: Deadline) -> list[list[str]]:
    """``RoadmapItem.due_periods``: the periods as ISO dates when there are several (a
    single period is ``due_start``..``due_end`` itself, stored as an empty list)."""
    if len(deadline.periods) < 2:
        return []
    return [[a.isoformat(), b.isoformat()] for a, b in deadline.periods]


def stored_fields(deadline: Deadline) -> dict:
    """The fields of a measure (``RoadmapItem``) a parsed deadline sets — one place, so that
    every writer stores the parse the same way."""
    return {"due_start": deadline.start, "due_end": deadline.end,
            "recurring": deadline.recurring, "due_periods": stored_periods(deadline),
            "recurrence": deadline.every.code if deadline.every else ""}


def stored_deadline(*, start: date | None, end: date | None, recurring: bool,
                    periods: list, recurrence: str) -> Deadline:
    """A measure's stored deadline as a ``Deadline`` (its ``reading`` for the pages); the
    inverse of :func:`stored_fields`."""
    spans = tuple((date.fromisoformat(a), date.fromisoformat(b)) for a, b in periods or [])
    return Deadline("", start, end, recurring, spans, Every.from_code(recurrence or ""))


def dates_in(text: str) -> list[date]:
    """The full dates written in ``text`` (a completion note: «Проведено 12.03.2021»,
    «12.03.21», «12 марта 2021 г.»), in order; impossible dates are skipped."""
    found = []
    for match in _TOKEN.finditer(_normalise(text or "")):
        kind = match.lastgroup
        if kind not in ("date", "daymonth", "dayspan"):
            continue
        try:
            item = _item(kind, match.group(), MIN_YEAR, MIN_YEAR)
            if item.year is not None and item.explicit:
                found.append(item.bounds(item.year)[1])
        except (ValueError, KeyError, AttributeError, TypeError, OverflowError):
            continue
    return [d for d in found if MIN_YEAR <= d.year <= MAX_YEAR]
