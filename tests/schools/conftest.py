import io

import pytest
from openpyxl import Workbook

from core.services import municipalities_bulk_create


@pytest.fixture
def rostov_directory(world_a):
    """Official municipality names of region A, as the registry holds them."""
    municipalities_bulk_create(actor=None, region=world_a.region,
                               names=["Пролетарский (с) район", "г. Шахты",
                                      "Матвеево-Курганский район", "Белокалитвинский район"])
    return world_a


def xlsx(rows, *, title_rows=(), merge_title=False, sheet="Лист1", merges=()) -> bytes:
    """A workbook of ``rows`` under ``title_rows``; ``merges`` are ranges such as «A3:A4»."""
    book = Workbook()
    ws = book.active
    ws.title = sheet
    for row in title_rows:
        ws.append(list(row))
    if merge_title and title_rows:
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(rows[0]))
    for row in rows:
        ws.append(list(row))
    for cells in merges:
        ws.merge_cells(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
