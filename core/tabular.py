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
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from .exceptions import DomainError
from .text import clean_spaces, name_key

HEADER_SCAN_ROWS = 30


class TableError(DomainError):
    """The file as a whole cannot be read; nothing is imported."""


@dataclass(frozen=True)
class Column:
    field: str
    label: str
    synonyms: tuple[str, ...]
    required: bool = False
    #: Words that rule a header out («краткое» is never the full name).
    exclude: tuple[str, ...] = ()


@dataclass
class Table:
    sheet_name: str
    rows: list[list[object]]
    #: Cells holding a formula with no saved value (``A1`` references).
    formula_cells: list[str] = field(default_factory=list)


# -- file type and reading ------------------------------------------------------------------
def sniff(content: bytes, file_name: str) -> str:
    """'xlsx', 'xls' or 'csv' from the bytes; the extension only breaks ties for text."""
    head = content[:8]
    if head.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(io.BytesIO(content)).namelist()
        except zipfile.BadZipFile:
            raise TableError("Файл повреждён: это не книга Excel и не таблица CSV.")
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
    first_filled = None
    for name in candidates:
        try:
            rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except Exception:
            raise TableError(f"Лист «{name}» не удалось прочитать: файл повреждён.")
        if not any(any(_present(c) for c in row) for row in rows):
            continue
        table = Table(name, [list(r) for r in rows])
        if columns is None or sheet is not None:
            return table
        first_filled = first_filled or table
        try:
            find_header(table.rows, columns)
        except TableError:
            continue
        return table
    if first_filled is not None:
        return first_filled
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
        xml = book.read(path)
    except KeyError:
        return []
    if b"<f" not in xml:
        return []
    return [(m.group(1) or m.group(2)).decode() for m in _FORMULA_NO_VALUE.finditer(xml)]


def _attr(tag: str, name: str) -> str | None:
    """An attribute of an XML start tag, in whatever order the attributes come."""
    found = re.search(r'\s' + re.escape(name) + r'="([^"]*)"', tag)
    return found.group(1) if found else None


# -- header detection ---------------------------------------------------------------------
def header_key(value: object) -> str:
    text = name_key(str(value or ""))
    return re.sub(r"[^\w+]+", " ", text).strip()


def find_header(rows: list[list[object]], columns: list[Column], *, year: int | None = None
                ) -> tuple[int, dict[str, int]]:
    """The header row (0-based) and ``field → column index`` found by synonyms.

    The header is the row among the first ``HEADER_SCAN_ROWS`` that matches most required
    columns, then most columns; title rows and merged cells above it are skipped. Raises
    ``TableError`` when no row matches any required column.
    """
    best: tuple = (0, 0, {}, -1)
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        mapping = match_columns([header_key(c) for c in row], columns, year=year)
        required = sum(1 for c in columns if c.required and c.field in mapping)
        if (required, len(mapping)) > best[:2]:
            best = (required, len(mapping), mapping, index)
    if best[0] == 0:
        labels = ", ".join(f"«{c.label}»" for c in columns if c.required)
        raise TableError("Не найдена строка заголовков. В первых "
                         f"{HEADER_SCAN_ROWS} строках нет столбцов {labels}. Проверьте, что "
                         "загружен нужный лист, или переименуйте столбцы.")
    return best[3], best[2]


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


def _score(header: str, column: Column, year: int | None) -> int:
    """How well a header names a column: 100 exact, 60 starts with, 40 contains, 0 none."""
    if not header or any(word in header for word in column.exclude):
        return 0
    score = 0
    for synonym in column.synonyms:
        key = header_key(synonym)
        if header == key:
            score = max(score, 100)
        elif len(key) > 3 and header.startswith(key + " "):
            score = max(score, 60)
        elif len(key) > 3 and f" {key} " in f" {header} ":
            score = max(score, 40)
    if score and year is not None:
        years = {int(m.group(0)) for m in _YEAR.finditer(header)}
        if years and year not in years:
            score -= 30  # «Участник 500+ в 2024 году» is not the 2023 column
        elif year in years:
            score += 5
    return max(score, 0)


def match_columns(headers: list[str], columns: list[Column], *, year: int | None = None
                  ) -> dict[str, int]:
    """Pair fields with headers, best-scoring pairs first; on a tie the leftmost header.

    A header is used once; a field whose best candidate was taken gets its next best.
    """
    pairs = []
    for order, column in enumerate(columns):
        for i, header in enumerate(headers):
            score = _score(header, column, year)
            if score:
                pairs.append((-score, order, i, column.field))
    mapping: dict[str, int] = {}
    taken: set[int] = set()
    for _, _, i, name in sorted(pairs):
        if name not in mapping and i not in taken:
            mapping[name] = i
            taken.add(i)
    return mapping


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


_TRUE = {"1", "да", "+", "x", "х", "v", "true", "истина", "есть", "является"}
_FALSE = {"0", "нет", "-", "—", "false", "ложь", ""}


def cell_flag(value: object) -> bool:
    """Да/нет, +, 1/0, x; raises ``ValueError`` for anything else."""
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if type(value) is str:
        quick = value.strip().lower()
        if quick in _TRUE:
            return True
        if quick in _FALSE:
            return False
    text = name_key(cell_text(value))
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"«{value}» — ожидалось «да» или «нет»")
