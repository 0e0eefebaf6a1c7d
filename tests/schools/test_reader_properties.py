"""Property test of the table reader: workbooks that mix the layout quirks of official files
at random (title rows and a title sheet, one- or two-row headers, the row of column numbers,
merged municipality cells, subtotals, a header repeated on a new page, empty rows, notes and
signatures) always give the same data rows as the plain table."""

import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from core.rows import body_rows
from core.tabular import cell_text, find_header_block, read_table
from schools.importer import COLUMNS

DISTRICTS = ["Азовский район", "г. Шахты", "Пролетарский (с) район", "Белокалитвинский район"]
LOW = ["Логин ОО", "ИНН", "Наименование ОО (полное)", "ШНОР"]


@st.composite
def layouts(draw):
    groups = draw(st.lists(st.integers(min_value=1, max_value=4), min_size=1, max_size=4))
    total = sum(groups)
    return {
        "groups": groups,
        "title_rows": draw(st.integers(min_value=0, max_value=3)),
        "title_sheet": draw(st.booleans()),
        "two_rows": draw(st.booleans()),
        "numbers": draw(st.booleans()),
        "merged": draw(st.booleans()),
        "subtotals": draw(st.booleans()),
        "repeat_at": draw(st.one_of(st.none(), st.integers(min_value=1, max_value=total))),
        "blank_at": draw(st.one_of(st.none(), st.integers(min_value=1, max_value=total))),
        "notes": draw(st.booleans()),
        "total": draw(st.booleans()),
    }


def build(layout) -> tuple[bytes, list[tuple[str, str]]]:
    book = Workbook()
    if layout["title_sheet"]:
        book.active.title = "Титул"
        book.active.append(["Перечень школ с низкими образовательными результатами"])
        ws = book.create_sheet("Список")
    else:
        ws = book.active
    for i in range(layout["title_rows"]):
        ws.append([f"Заголовок документа, строка {i + 1}"])

    def header():
        if layout["two_rows"]:
            ws.append(["Муниципальное образование", "Образовательная организация", None, None,
                       "Признак"])
            ws.append([None, *LOW])
            top = ws._current_row - 1
            ws.merge_cells(start_row=top, start_column=1, end_row=top + 1, end_column=1)
            ws.merge_cells(start_row=top, start_column=2, end_row=top, end_column=4)
        else:
            ws.append(["Муниципалитет", *LOW])

    header()
    if layout["numbers"]:
        ws.append([1, 2, 3, 4, 5])
    expected, n = [], 0
    for g, size in enumerate(layout["groups"]):
        district = DISTRICTS[g % len(DISTRICTS)]
        first = ws._current_row + 1
        for k in range(size):
            n += 1
            if layout["repeat_at"] == n:
                if layout["merged"] and ws._current_row > first:
                    ws.merge_cells(start_row=first, start_column=1, end_row=ws._current_row,
                                   end_column=1)
                header()
                first = ws._current_row + 1
            if layout["blank_at"] == n:
                if layout["merged"] and ws._current_row > first:
                    ws.merge_cells(start_row=first, start_column=1, end_row=ws._current_row,
                                   end_column=1)
                ws.append([])
                first = ws._current_row + 1
            login = f"sch61{n:04d}"
            show = not layout["merged"] or ws._current_row + 1 == first
            ws.append([district if show else None, login, 6100000000 + n,
                       f"МБОУ СОШ № {k + 1} ({district})", "да"])
            expected.append((login, district))
        if layout["merged"] and ws._current_row > first:
            ws.merge_cells(start_row=first, start_column=1, end_row=ws._current_row, end_column=1)
        if layout["subtotals"]:
            ws.append([f"Итого по району: {size}", None, None, None, size])
    if layout["total"]:
        ws.append([None, None, None, f"Всего: {n} организаций", n])
    if layout["notes"]:
        ws.append(["Примечание: по данным ФИОКО."])
        ws.append(["Руководитель ____________ /Петров П.П./"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue(), expected


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(layouts())
def test_every_mix_of_quirks_gives_the_rows_of_the_plain_table(layout):
    content, expected = build(layout)
    table = read_table(content, "list.xlsx", None, COLUMNS)
    header, mapping = find_header_block(table, COLUMNS)
    assert {"login", "full_name", "municipality", "inn", "is_shnor"} <= set(mapping)
    body = body_rows(table, header, mapping, COLUMNS)
    found = [(cell_text(raw[mapping["login"]]), cell_text(raw[mapping["municipality"]]))
             for _, raw in body.rows]
    assert found == expected
