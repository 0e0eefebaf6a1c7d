"""Excel sheets of the portal's exports: a bold wrapped header (under an optional title
line), frozen below the header, column widths, an auto-filter, names never read as
formulas, decimals shown with one digit."""

from __future__ import annotations

import io

FORMULA_STARTS = ("=", "+", "-", "@")


def sheet_write(book, title: str, header: list[str], rows: list[list], widths: list[int],
                note: str = ""):
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(title[:31])
    first = 1
    if note:
        sheet.append([note])
        sheet["A1"].font = Font(bold=True)
        first = 2
    sheet.append(header)
    for cell in sheet[first]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append(row)
    for row in sheet.iter_rows(min_row=first + 1):
        for cell in row:
            if isinstance(cell.value, str) and cell.value[:1] in FORMULA_STARTS:
                cell.data_type = "s"  # names are never formulas
            elif isinstance(cell.value, float):
                cell.number_format = "0.0"
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = sheet.cell(row=first + 1, column=1)
    sheet.auto_filter.ref = (f"A{first}:{get_column_letter(len(header))}"
                             f"{max(sheet.max_row, first)}")
    return sheet


def new_book():
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    return book


def book_bytes(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_response(content: bytes, file_name: str):
    from django.http import HttpResponse

    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response
