"""Reading official tables (.xlsx, .xls, .csv) the way users actually send them.

Shared by every import of the portal (school lists, risk profiles, РМА, enrolments):
the file type is told by its bytes, the header row is found under title rows by column
synonyms, cells are normalised (non-breaking spaces, numbers stored as text, decimal
commas), and every problem becomes a :class:`TableError` with a Russian message.
Large workbooks are read with python-calamine (Rust), several times faster than openpyxl.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from .exceptions import DomainError
from .text import clean_spaces, count_phrase, name_key, plural

HEADER_SCAN_ROWS = 30


class TableError(DomainError):
    """The file as a whole cannot be read; nothing is imported."""


@dataclass(frozen=True)
class Column:
    """One field an importer reads: its Russian label, the wordings of its header (matched
    by the words' normal forms, :mod:`core.headers`), and how a cell becomes a value.

    ``parse(cell) -> value`` raises ``ValueError`` with the Russian reason (one row error);
    it may return :class:`Noted` to add a note to the preview. ``key`` columns identify a
    row (a login, an ИНН, a full name of a person): a row without any key value that looks
    like a total, a note or a repeated header is skipped, never an error. A ``name`` value
    makes a keyless row a real row with an error («it is a real school»).
    """

    field: str
    label: str
    words: tuple[str, ...]
    required: bool = False
    #: Stems that rule a header out («кратк»: the short name is never the full name).
    exclude: tuple[str, ...] = ()
    parse: Callable[[object], object] | None = None
    key: bool = False
    name: bool = False
    #: The row error when a required cell is empty («не заполнен логин школы»).
    missing: str = ""

    @property
    def synonyms(self) -> tuple[str, ...]:
        return self.words


@dataclass(frozen=True)
class Noted:
    """A parsed value with a note for the preview («логин набран кириллицей …»)."""

    value: object
    note: str


@dataclass
class Table:
    sheet_name: str
    rows: list[list[object]]
    #: Cells holding a formula with no saved value (``A1`` references).
    formula_cells: list[str] = field(default_factory=list)
    #: Merged ranges as ``((first row, first col), (last row, last col))``, 0-based.
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    #: Sheets passed over, with the reason («Титул: нет строки заголовков»).
    passed_over: list[str] = field(default_factory=list)
    #: What the batch machinery learnt reading it (``core.importing.Reading.meta``).
    meta: dict = field(default_factory=dict)


# -- file type and reading ------------------------------------------------------------------
def sniff(content: bytes, file_name: str) -> str:
    """'xlsx', 'xls' or 'csv' from the bytes; the extension only breaks ties for text."""
    head = content[:8]
    if head.startswith(b"PK\x03\x04"):
        from .archives import open_archive_checked

        # sizes, ratios and entries are checked before anything is inflated
        with open_archive_checked(content, error=TableError) as archive:
            names = archive.names
        if "xl/workbook.xml" in names:
            return "xlsx"
        raise TableError("Это архив, но не книга Excel (.xlsx). Сохраните список в формате "
                         "Excel или CSV.")
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        if "EncryptedPackage".encode("utf-16-le") in content[:1_000_000]:
            raise TableError("Книга защищена паролем. Снимите защиту в Excel («Файл → "
                             "Сведения → Защитить книгу») и загрузите файл снова.")
        return "xls"
    if head.startswith(b"%PDF"):
        raise TableError("Это PDF-документ. Загрузите список в формате Excel (.xlsx, .xls) "
                         "или CSV.")
    if b"\x00" in content[:4096]:
        raise TableError("Файл не похож ни на книгу Excel, ни на таблицу CSV.")
    if not file_name.lower().endswith((".csv", ".txt")) and not _looks_like_csv(content):
        raise TableError("Файл не похож ни на книгу Excel, ни на таблицу CSV.")
    return "csv"


def _looks_like_csv(content: bytes) -> bool:
    sample = _decode(content[:4096])
    return any(sep in sample for sep in (";", ",", "\t"))


def _delimiter(text: str) -> str:
    """The separator used on most lines (title lines above the header have none)."""
    lines = [line for line in text.splitlines()[:200] if line.strip()]
    counts = {sep: sum(1 for line in lines if sep in line) for sep in (";", "\t", ",")}
    return max(counts, key=lambda sep: (counts[sep], sep == ";"))


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TableError("Не удалось определить кодировку CSV: сохраните файл в UTF-8.")


def read_table(content: bytes, file_name: str, sheet: str | None = None,
               columns: list[Column] | None = None) -> Table:
    """The sheet ``sheet``, or the first visible one whose header holds ``columns`` (the
    first visible non-empty one when none does), as rows of Python values."""
    kind = sniff(content, file_name)
    if kind == "csv":
        text = _decode(content)
        rows = [list(r) for r in csv.reader(io.StringIO(text), delimiter=_delimiter(text))]
        table = Table("CSV", rows)
    else:
        table = _read_workbook(content, sheet, columns)
        if kind == "xlsx":
            table.formula_cells = _formulas_without_values(content, table.sheet_name)
    if not any(any(_present(c) for c in row) for row in table.rows):
        raise TableError(f"Лист «{table.sheet_name}» пуст: в нём нет ни одной заполненной "
                         "строки.")
    return table


def _read_workbook(content: bytes, sheet: str | None, columns: list[Column] | None) -> Table:
    from python_calamine import CalamineWorkbook, PasswordError

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    except PasswordError:
        raise TableError("Книга защищена паролем. Снимите защиту и загрузите файл снова.")
    except Exception:
        raise TableError("Файл повреждён или не является книгой Excel: его не удалось "
                         "открыть. Откройте его в Excel, сохраните заново и повторите.")
    names = book.sheet_names
    if sheet is not None and sheet not in names:
        raise TableError(f"В книге нет листа «{sheet}». Листы: {', '.join(names)}.")
    if sheet is None:
        # hidden and «very hidden» sheets (directories, lookups) are not the list
        hidden = {m.name for m in book.sheets_metadata if "hidden" in str(m.visible).lower()}
        candidates = [n for n in names if n not in hidden] or names
    else:
        candidates = [sheet]
    best: tuple | None = None  # (score, order, table)
    passed_over = []
    for order, name in enumerate(candidates):
        try:
            data = book.get_sheet_by_name(name)
            merged = list(getattr(data, "merged_cell_ranges", None) or [])
            rows = data.to_python(skip_empty_area=False)
            del data  # the sheet's own copy of the cells: freed before the rows are read
        except Exception:
            raise TableError(f"Лист «{name}» не удалось прочитать: файл повреждён.")
        if not any(any(_present(c) for c in row) for row in rows):
            passed_over.append(f"«{name}»: пустой лист")
            continue
        table = Table(name, rows if rows and isinstance(rows[0], list) else
                      [list(r) for r in rows], merged=merged)
        if columns is None or sheet is not None or len(candidates) == 1:
            table.passed_over = passed_over
            return table
        # the sheet whose header names most required columns, then most columns (a title
        # sheet, a sheet of notes or a directory come second)
        found = header_quality(table, columns)
        if best is None or (found, -order) > (best[0], -best[1]):
            if best is not None:
                passed_over.append(f"«{best[2].sheet_name}»: заголовок таблицы не найден")
            best = (found, order, table)
        else:
            passed_over.append(f"«{name}»: заголовок таблицы не найден")
    if best is not None:
        best[2].passed_over = passed_over
        return best[2]
    return Table(sheet or (candidates[0] if candidates else "—"), [])


_FORMULA_NO_VALUE = re.compile(
    rb'<c r="([A-Z]+[0-9]+)"[^>]*>\s*<f[^>]*>[^<]*</f>\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>'
    rb'|<c r="([A-Z]+[0-9]+)"[^>]*>\s*<f[^>]*/>\s*</c>'
)


def _formulas_without_values(content: bytes, sheet_name: str) -> list[str]:
    """Cells whose formula was never calculated (no cached value): their value is unknown.

    Scans the sheet's XML for ``<f>`` without ``<v>`` — no full parse needed.
    """
    try:
        book = zipfile.ZipFile(io.BytesIO(content))
        workbook = book.read("xl/workbook.xml").decode("utf-8", "replace")
        rels = book.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    except (KeyError, zipfile.BadZipFile):
        return []
    rel_id = None
    for tag in re.findall(r"<sheet\b[^>]*>", workbook):
        if _attr(tag, "name") == sheet_name:
            rel_id = _attr(tag, "r:id")
    target = None
    for tag in re.findall(r"<Relationship\b[^>]*>", rels):
        if rel_id and _attr(tag, "Id") == rel_id:
            target = _attr(tag, "Target")
    if not target:
        return []
    path = target.lstrip("/")
    path = path if path.startswith("xl/") else f"xl/{path}"
    try:
        stream = book.open(path)
    except KeyError:
        return []
    # streamed in chunks (a sheet's XML may be tens of megabytes): only a chunk that holds
    # a formula is searched, with the tail of the previous chunk so no cell is cut in two
    found: list[str] = []
    tail = b""
    with stream:
        while len(found) < 1000:
            chunk = stream.read(1 << 20)
            if not chunk:
                break
            window = tail + chunk
            cut = window.rfind(b"</c>") + 4 if b"</c>" in window else 0
            if b"<f" in window[:cut]:
                found += [(m.group(1) or m.group(2)).decode()
                          for m in _FORMULA_NO_VALUE.finditer(window[:cut])]
            tail = window[cut:][-65536:]
    return found


def _attr(tag: str, name: str) -> str | None:
    """An attribute of an XML start tag, in whatever order the attributes come."""
    found = re.search(r'\s' + re.escape(name) + r'="([^"]*)"', tag)
    return found.group(1) if found else None


# -- header detection ---------------------------------------------------------------------
def header_key(value: object) -> str:
    text = name_key(str(value or ""))
    return re.sub(r"[^\w+]+", " ", text).strip()


@dataclass(frozen=True)
class Header:
    """The header of a table: its rows (1–3, the lowest holds the field names, the upper
    ones group labels) and, per column, the column's own title and its group label."""

    first: int  # the first header row (0-based)
    row: int  # the lowest header row: the data start below it
    titles: list[str]  # per column: its own title (a vertically merged title included)
    groups: list[str]  # per column: the labels of the groups above it
    #: The header's rows as written (a page break repeats them in the body).
    lines: tuple[tuple[str, ...], ...] = ()

    def text(self, index: int) -> str:
        """The whole title of a column as the user reads it («Признаки: ШНОР»)."""
        own = self.titles[index] if index < len(self.titles) else ""
        group = self.groups[index] if index < len(self.groups) else ""
        return f"{group}: {own}" if group and own and group != own else (own or group)

    @property
    def signature(self) -> str:
        """What stays the same from one year's file to the next: the normalised titles."""
        import hashlib

        parts = [f"{header_key(g)}|{header_key(t)}" for g, t in zip(self.groups, self.titles,
                                                                    strict=True)]
        while parts and parts[-1] == "|":
            parts.pop()
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def _texts(row: list[object]) -> list[str]:
    return [cell_text(c) for c in row]


def _is_group_row(texts: list[str]) -> bool:
    """A row above the field names that labels groups of columns: two or more titles (a
    title of the whole table is one merged cell) and no number-only data."""
    filled = [t for t in texts if t]
    return len(filled) >= 2 and not any(_is_number(t) for t in filled)


def _is_number(text: str) -> bool:
    return bool(re.fullmatch(r"[-+]?\d+([.,]\d+)?", text))


def _merged_right(merged, row: int) -> dict[int, int]:
    """Columns of ``row`` covered by a horizontally merged cell → the cell's first column."""
    out = {}
    for (r1, c1), (r2, c2) in merged:
        if r1 <= row <= r2 and c2 > c1:
            for c in range(c1 + 1, c2 + 1):
                out[c] = c1
    return out


def header_at(table: Table, row: int) -> Header:
    """The header whose field names are in ``row``, with up to two group rows above."""
    rows = table.rows
    width = max((len(r) for r in rows[max(0, row - 2): row + 1]), default=0)
    lowest = _texts(rows[row]) + [""] * (width - len(rows[row]))
    first = row
    uppers: list[list[str]] = []
    for above in (row - 1, row - 2):
        if above < 0:
            break
        texts = _texts(rows[above]) + [""] * (width - len(rows[above]))
        if not _is_group_row(texts):
            break
        uppers.insert(0, texts)
        first = above
    titles = list(lowest)
    groups = [""] * width
    for offset, texts in enumerate(uppers):
        index = first + offset
        spans = _merged_right(table.merged, index)
        filled = list(texts)
        if not spans:
            # no merge information (CSV, .xls): a label carries right over empty cells
            # that have a title below them, up to the next label
            carry = ""
            for c in range(width):
                if filled[c]:
                    carry = filled[c]
                elif carry and lowest[c]:
                    filled[c] = carry
                else:
                    carry = ""
        else:
            for c, start in spans.items():
                if c < width and not filled[c]:
                    filled[c] = texts[start]
        for c in range(width):
            label = filled[c]
            if not label:
                continue
            if not titles[c] and not any(filled[c] == filled[k] for k in range(width)
                                         if k != c and lowest[k] and filled[k]):
                titles[c] = label  # a title merged down over the header rows
            elif label != titles[c]:
                groups[c] = f"{groups[c]} {label}".strip()
    return Header(first=first, row=row, titles=titles, groups=groups,
                  lines=tuple(tuple(t) for t in [*uppers, lowest]))


def header_quality(table: Table, columns: list[Column], *, year: int | None = None
                   ) -> tuple[int, int]:
    """(required columns found, columns found) of the best header of the table."""
    try:
        header, mapping = find_header_block(table, columns, year=year)
    except TableError:
        return (0, 0)
    return (sum(1 for c in columns if c.required and c.field in mapping), len(mapping))


def find_header_block(table: Table, columns: list[Column], *, year: int | None = None
                      ) -> tuple[Header, dict[str, int]]:
    """The header and ``field → column index`` found by the fields' wordings.

    The header is the row among the first ``HEADER_SCAN_ROWS`` that (with the group rows
    above it) names most required columns, then most columns; title rows above are
    skipped. Raises ``TableError`` when no row names any required column.
    """
    best: tuple = (0, 0, 0, None, {})
    for index in range(min(HEADER_SCAN_ROWS, len(table.rows))):
        if not any(_present(c) for c in table.rows[index]):
            continue
        header = header_at(table, index)
        mapping, total = match_header(header, columns, year=year)
        required = sum(1 for c in columns if c.required and c.field in mapping)
        if (required, len(mapping), total) > best[:3]:
            best = (required, len(mapping), total, header, mapping)
    if best[0] == 0:
        labels = ", ".join(f"«{c.label}»" for c in columns if c.required)
        raise TableError("Не найдена строка заголовков. В первых "
                         f"{count_phrase(HEADER_SCAN_ROWS, 'строка', case='loct')} нет "
                         f"столбцов {labels}. Проверьте, что "
                         "загружен нужный лист, или переименуйте столбцы.")
    return best[3], best[4]


def guess_header_row(rows: list[list[object]]) -> int:
    """When no header is recognised: the first of the top rows with the most text cells,
    so the user can map the columns by hand."""
    best, best_count = 0, -1
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        count = sum(1 for c in row if isinstance(c, str) and c.strip())
        if count > best_count:
            best, best_count = index, count
    return best


_YEAR = re.compile(r"\b(19|20)\d\d\b")


def _score(title: str, group: str, column: Column, year: int | None) -> int:
    """How well a column's title (and the group label above it) names a field: 0–100.

    A wording of the field must be among the words of the title and the group together,
    and not among the group's words alone (the group «Образовательная организация» over
    «Логин» does not make the login a name).
    """
    from .headers import header_words, score

    whole = f"{group} {title}".strip()
    if not whole:
        return 0
    if group:
        group_words = header_words(group)
        words = tuple(w for w in column.words if not header_words(w) <= group_words)
    else:
        words = column.words
    result = score(whole, words, column.exclude)
    if result and year is not None:
        years = {int(m.group(0)) for m in _YEAR.finditer(whole)}
        if years and year not in years:
            result -= 30  # «Участник 500+ в 2024 году» is not the 2023 column
        elif year in years:
            result += 5
    return max(result, 0)


def match_header(header: Header, columns: list[Column], *, year: int | None = None
                 ) -> tuple[dict[str, int], int]:
    """Pair fields with the header's columns, best-scoring pairs first (on a tie the
    leftmost column); a column is used once. Returns the mapping and its total score."""
    pairs = []
    for order, column in enumerate(columns):
        for i, title in enumerate(header.titles):
            value = _score(title, header.groups[i], column, year)
            if value:
                pairs.append((-value, order, i, column.field))
    mapping: dict[str, int] = {}
    taken: set[int] = set()
    total = 0
    for value, _, i, name in sorted(pairs):
        if name not in mapping and i not in taken:
            mapping[name] = i
            taken.add(i)
            total -= value
    return mapping, total


def match_columns(headers: list[str], columns: list[Column], *, year: int | None = None
                  ) -> dict[str, int]:
    """Pair fields with one-row headers (see :func:`match_header`)."""
    header = Header(first=0, row=0, titles=list(headers), groups=[""] * len(headers))
    return match_header(header, columns, year=year)[0]


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


# -- cell values ------------------------------------------------------------------------------
def _present(value: object) -> bool:
    return value is not None and (not isinstance(value, str) or value.strip() != "")


def cell_text(value: object) -> str:
    """Text of a cell: numbers stored as numbers lose their «.0», spaces are tidied."""
    if value is None:
        return ""
    if type(value) is str:
        # the common case, without a regex: already tidy text
        if "\u00a0" not in value and "  " not in value and "\n" not in value and "\t" not in value:
            return value.strip()
        return clean_spaces(value)
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%d.%m.%Y")
    return clean_spaces(str(value))


def cell_decimal(value: object) -> Decimal | None:
    """A number from «0,53», «0.53», 0.53; ``None`` for an empty cell.

    Raises ``ValueError`` (with a Russian message) for text or a date in a number column.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError("ожидалось число, а не да/нет")
    if isinstance(value, datetime.date | datetime.time):
        raise ValueError("ожидалось число, а в ячейке дата (проверьте формат ячейки)")
    if isinstance(value, int | float):
        return Decimal(str(value))
    text = clean_spaces(str(value)).replace(" ", "").replace(",", ".")
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValueError(f"«{value}» — не число")


_TRUE = {"1", "да", "+", "x", "х", "v", "true", "истина", "есть", "является", "yes", "✓", "✔",
         "☑", "☒", "✅", "1.0"}
_FALSE = {"0", "нет", "-", "—", "–", "false", "ложь", "no", "", "0.0", "не является"}


def cell_flag(value: object) -> bool:
    """Да/нет, +, ✓, V, 1/0, x, ИСТИНА/ЛОЖЬ; raises ``ValueError`` for anything else."""
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if type(value) is str:
        quick = value.strip().lower()
        if quick in _TRUE:
            return True
        if quick in _FALSE:
            return False
    text = name_key(cell_text(value)).strip(" .")
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"«{value}» — ожидалось «да» или «нет»")


def cell_inn(value: object) -> str:
    """An organisation's ИНН as its 10 digits, however the cell holds it: a number
    (6100000001, 6100000001.0 — a number column also drops a leading zero), text with a
    leading apostrophe, spaces or «.0». Raises ``ValueError`` for anything else."""
    shown = cell_text(value)
    numeric = isinstance(value, int | float) and not isinstance(value, bool)
    if numeric:
        if isinstance(value, float) and not value.is_integer():
            raise ValueError(f"«{shown}» — ИНН состоит из 10 цифр")
        text = str(int(value))
    else:
        text = clean_spaces(str(value)).strip().lstrip("'`’\"").rstrip("\"")
        text = re.sub(r"[\s\u00a0-]", "", text)
        if re.fullmatch(r"\d+[.,]0+", text):
            text, numeric = re.split(r"[.,]", text)[0], True
    if numeric and text.isdigit() and len(text) == 9:
        text = "0" + text
    if not text.isdigit():
        raise ValueError(f"«{shown}» — ИНН состоит только из цифр (10 цифр у организации)")
    if len(text) != 10:
        raise ValueError(f"«{shown}» — ИНН организации состоит из 10 цифр, а здесь "
                         f"{len(text)} {plural(len(text), 'цифра', 'цифры', 'цифр')}")
    return text
