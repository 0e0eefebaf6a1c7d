"""Parse the free-text deadline of a roadmap item («срок») into a date range.

Officials write deadlines as free text: a date, a month, a quarter, a span of years, or a
period such as «ежегодно, сентябрь». ``parse_deadline`` turns the text into a ``Deadline``
(the original text is kept unchanged) so that overdue items can be computed. The roadmap's
period (``start_year``..``end_year``, calendar years) supplies the year when the text omits it.

Rules, in order:

1. Normalise: lowercase, «ё» → «е», every dash kind → "-", collapse whitespace (including
   non-breaking spaces), drop «г.», «гг.», «год», «года», «годы» after a number, strip
   trailing dots.
2. Recurring wording («ежегодно», «еженедельно», «постоянно», «регулярно», «по мере
   необходимости», «по графику», «2 раза в месяц», «не реже 1 раза в 3-4 недели» …) sets
   ``recurring`` and is removed, so that its numbers are never read as dates.
3. The rest is scanned, left to right, for values: full dates (dd.mm.yyyy, dd.mm.yy meaning
   20yy, "dd mm yyyy"), day + month name, month names (nominative, genitive, prepositional,
   short forms), quarters («I квартал», «4 кв.»), half-years («II полугодие»), four-digit
   years, «учебный год» (1 Sep .. 31 May), «в течение года» and «весь период».
4. A value without a year takes the year of the next value that has one («январь-февраль
   2021»), otherwise the year of the previous value, moving to the next year when the months
   go backwards («ноябрь-февраль»), otherwise ``start_year``.
5. The range runs from the start of the first value to the end of the last one. After
   «до» / «не позднее» (without «с») it runs from 1 January of
   ``min(start_year, end.year)`` to that end. «Ежегодно» with year-less values and a
   multi-year period extends the end to the same point of ``end_year``.
6. Recurring text with no values covers the whole period, 1 Jan ``start_year`` ..
   31 Dec ``end_year``.
7. Anything else — no values, an invalid date, a year outside 2000..2100, start after end —
   is unparsed: ``start`` and ``end`` are ``None``. The parser never raises.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

MIN_YEAR, MAX_YEAR = 2000, 2100


@dataclass(frozen=True)
class Deadline:
    text: str  # the original text, unchanged
    start: date | None
    end: date | None
    recurring: bool = False

    @property
    def parsed(self) -> bool:
        return self.end is not None


_DASHES = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"})
_YEAR_WORD = re.compile(r"(?<=\d) ?(?:годы|года|год|гг|г)\b\.?")

_MONTH = (
    r"(?:янв(?:ар[ьяе])?|фев(?:рал[ьяе])?|мар(?:т[ае]?)?|апр(?:ел[ьяе])?|ма[йяе]"
    r"|июн[ьяе]?|июл[ьяе]?|авг(?:уст[ае]?)?|сен(?:т(?:ябр[ьяе])?)?|окт(?:ябр[ьяе])?"
    r"|ноя(?:бр[ьяе])?|дек(?:абр[ьяе])?)\b\.?"
)
_MONTH_NO = {"янв": 1, "фев": 2, "мар": 3, "апр": 4, "май": 5, "мая": 5, "мае": 5, "июн": 6,
             "июл": 7, "авг": 8, "сен": 9, "окт": 10, "ноя": 11, "дек": 12}
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_YEAR_TAIL = r"(?: ?\d{4}\b)?"

# Order matters: at each position the first alternative that matches wins.
_KINDS = [
    ("date", r"\b\d{1,2}\.\d{1,2}\.(?:\d{4}|\d{2})\b|\b\d{2} \d{2} \d{4}\b"),
    ("daymonth", rf"\b\d{{1,2}} ?{_MONTH}{_YEAR_TAIL}"),
    ("quarter", rf"\b(?:iv|i{{1,3}}|[1-4])(?:-?й)? ?(?:квартал\w*|кв\b\.?){_YEAR_TAIL}"),
    ("half", rf"\b(?:ii|i|[12])(?:-?е)? ?полугоди\w*{_YEAR_TAIL}"),
    ("month", rf"\b{_MONTH}{_YEAR_TAIL}"),
    ("year", r"\b\d{4}\b"),
    ("school", r"\bучебн\w* год\w*"),
    ("thisyear", r"\bв течени[еи] года\b"),
    ("period", r"\b(?:вес[ьа]|всего) период\w*"),
]
_TOKEN = re.compile("|".join(f"(?P<{kind}>{pattern})" for kind, pattern in _KINDS))

_PERIOD_WORD = r"(?:недел\w*|месяц\w*|квартал\w*|полугоди\w*|год\w*|дн\w*|день)"
_RECURRING = re.compile(
    r"\bеже(?:годн|месячн|недельн|квартальн|дневн)\w*"
    r"|\b(?:постоянн|систематическ|регулярн)\w*"
    r"|\bпо мере необходимости\b|\bпо графику\b"
    r"|(?:\bне (?:реже|чаще) )?(?:\b(?:\d+|один|одного|два|двух|три|трех) )?\bраз[аa]? (?:в )?"
    r"(?:(?:\d+(?: ?- ?\d+)?|одн[уи]|два|две|три|четыре) )?" + _PERIOD_WORD
)
_UNTIL = re.compile(r"\bдо\b|\bне позднее\b")
_FROM = re.compile(r"\bс\b")


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


def _item(kind: str, token: str, start_year: int, end_year: int) -> _Item:
    year = _year_of(token)
    if kind == "date":
        day, month, y = (int(n) for n in re.findall(r"\d+", token))
        one = date(y if y >= 100 else 2000 + y, month, day)  # ValueError when invalid
        return _Item(one.month, one.year, lambda _: (one, one))
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


def _result(text: str, start: date, end: date, recurring: bool, years: list[int]) -> Deadline:
    if min(years) < MIN_YEAR or max(years) > MAX_YEAR or start > end:
        return Deadline(text, None, None, recurring)
    return Deadline(text, start, end, recurring)


def _parse(text: str, start_year: int, end_year: int) -> Deadline:
    norm = _normalise(text)
    recurring = _RECURRING.search(norm) is not None
    annual = "ежегодн" in norm
    norm = _RECURRING.sub(" ; ", norm)
    matches = list(_TOKEN.finditer(norm))
    if not matches:
        if not recurring:
            return Deadline(text, None, None)
        start, end = date(start_year, 1, 1), date(end_year, 12, 31)
        return _result(text, start, end, True, [start_year, end_year])
    items = [_item(m.lastgroup, m.group(), start_year, end_year) for m in matches]
    _resolve_years(items, start_year)
    if any(not MIN_YEAR <= item.year <= MAX_YEAR for item in items):
        return Deadline(text, None, None, recurring)
    ranges = [item.bounds(item.year) for item in items]
    start, end = ranges[0][0], ranges[-1][1]
    prefix = norm[: matches[0].start()]
    if _UNTIL.search(prefix) and not _FROM.search(prefix):
        start = date(min(start_year, end.year), 1, 1)
    if annual and end_year > start_year and not any(item.explicit for item in items):
        end = _shift(end, end_year - start_year)
    years = [d.year for pair in ranges for d in pair] + [start.year, end.year]
    return _result(text, start, end, recurring, years)


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
