"""The one writer of the portal's Excel files (issue 22, item 4).

Every workbook the portal gives out is built here. Text that a spreadsheet would read as
a formula — starting with ``= + - @`` or with a tab, CR or LF before one — is written as
a text cell with Excel's «quote prefix»: shown as typed, never evaluated, and still text
when someone edits the cell. Other helpers: a bold wrapped header (under an optional
title line), frozen below the header, column widths, an auto-filter, decimals with one
digit; streaming sheets for large exports (audit trail, a federal school list).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable

#: A text cell starting with one of these is never left to be read as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


#: Sheet names may not hold these (Excel refuses the file otherwise).
SHEET_TITLE_FORBIDDEN = re.compile(r"[\\/*?:\[\]]")


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value[:1] in FORMULA_STARTS


def clean_text(value: str) -> str:
    """``value`` without the control characters an .xlsx cannot hold (text pasted from
    other programs brings them; openpyxl would refuse the whole file)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", value)


def text_cell(sheet, value: str):
    """``value`` as a cell of ``sheet`` that holds text only."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def row_append(sheet, row: Iterable) -> None:
    """Append one row to ``sheet`` (an ordinary or a streaming one), neutralising text."""
    values = [clean_text(v) if isinstance(v, str) else v for v in row]
    sheet.append([text_cell(sheet, v) if is_formula_like(v) else v for v in values])


def new_book(*, streaming: bool = False):
    """An empty workbook; ``streaming`` writes rows as they come (constant memory), for
    exports of many thousands of rows."""
    from openpyxl import Workbook

    book = Workbook(write_only=streaming)
    if not streaming:
        book.remove(book.active)
    return book


def sheet_new(book, title: str):
    """A sheet named ``title`` as Excel allows: at most 31 characters, none of ``\\ / * ? :
    [ ]`` (a nomination «Школа / семья» would otherwise break the file)."""
    name = SHEET_TITLE_FORBIDDEN.sub(" ", clean_text(title)).strip()[:31].strip()
    return book.create_sheet(name or "Лист")


def sheet_write(book, title: str, header: list[str], rows: Iterable[list], widths: list[int],
                note: str = ""):
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sheet = sheet_new(book, title)
    first = 1
    if note:
        row_append(sheet, [note])
        sheet["A1"].font = Font(bold=True)
        first = 2
    row_append(sheet, header)
    for cell in sheet[first]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        row_append(sheet, row)
    for row in sheet.iter_rows(min_row=first + 1):
        for cell in row:
            if isinstance(cell.value, float):
                cell.number_format = "0.0"
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = sheet.cell(row=first + 1, column=1)
    sheet.auto_filter.ref = (f"A{first}:{get_column_letter(len(header))}"
                             f"{max(sheet.max_row, first)}")
    return sheet


def book_bytes(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_response(content: bytes, file_name: str):
    from django.http import HttpResponse

    from .files import content_disposition

    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = content_disposition(file_name)
    return response
