"""The body of an official table: which rows are data, and one loop that turns a data row
into values through the importer's declared columns.

Rows that are not data are recognised and listed with the reason, never reported as errors:
totals and subtotals («Итого», «Всего по субъекту», «Итого по району: 12»), the header
repeated on every printed page, the row of column numbers under the header («1 2 3 …»),
notes and signature lines under the table («Примечание: …», «Исполнитель: ____ / Иванова
И.И. /»), and empty rows. A row that carries a key or a name of the thing imported is data
even when it is incomplete: it gets its errors. A value written once in a vertically merged
cell fills every row of its group.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from .tabular import Column, Header, Noted, Table, cell_text

#: Rows of each list (errors, notes, skipped rows) kept on a batch for its page.
MAX_STORED = 300

_TOTAL = re.compile(r"^(итого|итог|всего|в\s+том\s+числе|в\s+т\.\s*ч\.|общий\s+итог|"
                    r"общее\s+количество|сумма)(\b|[:.\s]|$)", re.IGNORECASE)
_NOTE = re.compile(r"^(примечани[ея]|прим\.|сноска|справочно|исполнитель|исп\.|подпись|"
                   r"руководитель|директор|начальник|министр|заместитель|составил|"
                   r"ответственный|главный специалист|ведущий специалист|специалист|"
                   r"согласовано|утверждаю|дата составления|тел\.?|телефон|e-?mail)",
                   re.IGNORECASE)
_SIGNATURE = re.compile(r"_{3,}|/\s*[А-ЯЁ][а-яё-]+\s+[А-ЯЁ]\.\s*[А-ЯЁ]\.?\s*/|"
                        r"/\s*[А-ЯЁ]\.\s*[А-ЯЁ]\.\s*[А-ЯЁ][а-яё-]+\s*/|^м\.\s?п\.?$",
                        re.IGNORECASE)


@dataclass
class ErrorLog:
    """Row errors and notes of a dry run: all are counted, the first ``MAX_STORED`` kept.

    An error with ``row=None`` concerns the whole file: skipping the rows with errors
    cannot get past it.
    """

    errors: list[dict] = field(default_factory=list)
    error_total: int = 0
    notes: list[dict] = field(default_factory=list)
    note_total: int = 0
    file_errors: int = 0

    def error(self, row: int | None, column: str, message: str) -> None:
        self.error_total += 1
        if row is None:
            self.file_errors += 1
        if len(self.errors) < MAX_STORED:
            self.errors.append({"row": row, "column": column, "message": message})

    def note(self, row: int, column: str, message: str) -> None:
        self.note_total += 1
        if len(self.notes) < MAX_STORED:
            self.notes.append({"row": row, "column": column, "message": message})


# -- which rows are data -------------------------------------------------------------------------
def fill_merged_down(table: Table, header_row: int) -> None:
    """A value written once in a vertically merged cell of the body fills every row of the
    merged range (in the range's first column)."""
    rows = table.rows
    for (r1, c1), (r2, _c2) in table.merged:
        if r1 <= header_row or r2 <= r1 or r1 >= len(rows):
            continue
        top = rows[r1][c1] if c1 < len(rows[r1]) else None
        if top is None or cell_text(top) == "":
            continue
        for r in range(r1 + 1, min(r2, len(rows) - 1) + 1):
            row = rows[r]
            if len(row) <= c1:
                row.extend([None] * (c1 + 1 - len(row)))
            if cell_text(row[c1]) == "":
                row[c1] = top


def _column_numbers(filled: list[str]) -> bool:
    """«1 2 3 4 …» (or «1. 2. 3.»): the numbers of the columns printed under the header."""
    if len(filled) < 3:
        return False
    numbers = []
    for text in filled:
        match = re.fullmatch(r"(\d{1,2})\.?", text)
        if not match:
            return False
        numbers.append(int(match.group(1)))
    return all(b == a + 1 for a, b in zip(numbers, numbers[1:], strict=False))


def _fold(text: str) -> str:
    return " ".join(text.lower().replace("ё", "е").split())


class RowSorter:
    """Tells data rows from the rows that are not data, for one header and mapping. A row
    whose key cell holds a value that is neither a total nor the key's own title is data
    at once (the common case, cheap); only the others are looked at closely."""

    def __init__(self, header: Header, mapping: dict[str, int], columns: list[Column]):
        self.keys = [mapping[c.field] for c in columns if c.key and c.field in mapping]
        self.names = [mapping[c.field] for c in columns if c.name and c.field in mapping]
        self.has_keys = any(c.key for c in columns)
        self.lines = [[(i, _fold(t)) for i, t in enumerate(line) if t]
                      for line in (*header.lines, tuple(header.titles))]
        self.titles = {i: _fold(header.titles[i]) if i < len(header.titles) else ""
                       for i in self.keys}
        #: Every text of the header: a key cell holding one is a repeated header.
        self.header_texts = {title for line in self.lines for _, title in line}

    def _key_values(self, texts: list[str]) -> list[str]:
        return [texts[i] for i in self.keys
                if i < len(texts) and texts[i] and not _TOTAL.match(texts[i])
                and _fold(texts[i]) != self.titles[i]]

    def is_plain_data(self, raw: list[object]) -> bool:
        for i in self.keys:
            value = raw[i] if i < len(raw) else None
            if value is None or value == "":
                continue
            text = value.strip() if type(value) is str else cell_text(value)
            # not a column number («3»), a total or a title of the header
            if len(text) > 2 and not _TOTAL.match(text) and \
                    _fold(text) not in self.header_texts:
                return True
        return False

    def reason(self, texts: list[str]) -> str | None:
        """Why a (non-empty) body row is not data, or ``None`` when it is data."""
        filled = [t for t in texts if t]
        if _column_numbers(filled):
            return "строка с номерами столбцов"
        for line in self.lines:
            same = sum(1 for i, title in line if i < len(texts) and _fold(texts[i]) == title)
            if line and same >= max(2, (len(line) + 1) // 2):
                return "повтор строки заголовков (начало новой страницы)"
        key_values = self._key_values(texts)
        if not key_values and any(_TOTAL.match(t) for t in filled):
            return "итоговая строка"
        whole = " ".join(filled)
        if not key_values and len(filled) <= 3 and (
                filled[0].startswith("*") or _SIGNATURE.search(whole) or
                any(_NOTE.match(t) and re.match(r"^[^:]{1,40}:", t) for t in filled)):
            return "примечание или подпись под таблицей"
        names = [texts[i] for i in self.names if i < len(texts) and texts[i]]
        if self.has_keys and not key_values and not names and len(filled) == 1:
            return "пояснение или заголовок группы: в строке нет данных"
        return None


@dataclass
class Body:
    """Data rows as ``(row number as Excel shows it, cells)`` and the rows passed over."""

    rows: list[tuple[int, list[object]]]
    skipped: list[dict]

    @property
    def skipped_total(self) -> int:
        return sum(s.get("to", s["row"]) - s["row"] + 1 for s in self.skipped)


def body_rows(table: Table, header: Header, mapping: dict[str, int],
              columns: list[Column]) -> Body:
    """Sort the rows under the header into data rows and skipped rows (with reasons)."""
    fill_merged_down(table, header.row)
    sorter = RowSorter(header, mapping, columns)
    data, skipped = [], []
    empty_from = None
    rows = table.rows
    for index in range(header.row + 1, len(rows)):
        number = index + 1
        if sorter.is_plain_data(rows[index]):
            if empty_from is not None:
                skipped.append(_empty(empty_from, number - 1))
                empty_from = None
            data.append((number, rows[index]))
            continue
        texts = [cell_text(c) for c in rows[index]]
        if not any(texts):
            empty_from = empty_from or number
            continue
        if empty_from is not None:
            skipped.append(_empty(empty_from, number - 1))
            empty_from = None
        reason = sorter.reason(texts)
        if reason:
            skipped.append({"row": number, "reason": reason,
                            "text": " · ".join(t for t in texts if t)[:120]})
        else:
            data.append((number, rows[index]))
    if empty_from is not None and data:
        skipped.append(_empty(empty_from, len(rows)))
    return Body(data, skipped)


def _empty(first: int, last: int) -> dict:
    if first == last:
        return {"row": first, "reason": "пустая строка", "text": ""}
    return {"row": first, "to": last, "reason": "пустые строки", "text": ""}


# -- one loop for every importer -----------------------------------------------------------------
@dataclass(slots=True)
class ParsedRow:
    """A data row through the declared columns: values of the filled cells that parsed
    (an empty cell is absent: it never clears what the portal has), whether any cell of
    the row failed, and (when asked for) the raw cells by field."""

    number: int
    values: dict
    cells: dict | None = None
    ok: bool = True


def iter_parsed(rows: list[tuple[int, list[object]]], mapping: dict[str, int],
                columns: list[Column], log: ErrorLog,
                progress: Callable[[int, int], None] | None = None, total: int = 0, *,
                keep_cells: bool = False, release: bool = False) -> Iterator[ParsedRow]:
    """Each row's declared columns parsed: one error per failing cell, one per empty
    required cell; notes from :class:`Noted` values go to the log. ``release`` drops each
    raw row from ``rows`` once it is parsed, so a big file is never held twice."""
    mapped = [(c, mapping[c.field]) for c in columns if c.field in mapping]
    total = total or len(rows)
    for count in range(len(rows)):
        number, raw = rows[count]
        if release:
            rows[count] = None
        if progress and count % 2000 == 0:
            progress(count, total)
        values, ok = {}, True
        cells = {} if keep_cells else None
        width = len(raw)
        for column, i in mapped:
            cell = raw[i] if i < width else None
            if keep_cells:
                cells[column.field] = cell
            if cell is None or cell == "" or (type(cell) is str and not cell.strip()):
                if column.required:
                    log.error(number, column.label, column.missing or
                              f"не заполнен столбец «{column.label}»")
                    ok = False
                continue
            if column.parse is None:
                values[column.field] = cell_text(cell)
                continue
            try:
                value = column.parse(cell)
            except ValueError as exc:
                log.error(number, column.label, str(exc))
                ok = False
                continue
            if type(value) is Noted:
                log.note(number, column.label, value.note)
                value = value.value
            values[column.field] = value
        yield ParsedRow(number, values, cells, ok)


def parse_rows(rows: Iterable[tuple[int, list[object]]], mapping: dict[str, int],
               columns: list[Column], log: ErrorLog,
               progress: Callable[[int, int], None] | None = None,
               total: int = 0) -> list[ParsedRow]:
    """All data rows parsed at once, with their raw cells (see :func:`iter_parsed`)."""
    return list(iter_parsed(list(rows), mapping, columns, log, progress, total,
                            keep_cells=True))
