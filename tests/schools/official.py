"""Official ШНОР lists in the shape regions really send them, built from the seed's Rostov
2022 districts (60 schools in 39 municipalities): title rows, a two-row header with group
labels, the row of column numbers, the municipality written once in a vertically merged
cell, a subtotal under every municipality, the header repeated on a new printed page, the
total «Итого: 60 организаций», a note and a signature line."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook

DISTRICTS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / \
    "rostov_2022_districts.csv"


@dataclass(frozen=True)
class OfficialSchool:
    login: str
    inn: str
    name: str
    municipality: str


def rostov_schools() -> list[OfficialSchool]:
    """The 60 schools of seed 000's 2022 list: each district's count from the seed's
    table, logins and ИНН made up in the region's ranges."""
    with DISTRICTS.open(encoding="utf-8") as fh:
        districts = [(r["municipality"], int(r["shnor_in_500plus_2022"]))
                     for r in csv.DictReader(fh)]
    schools, n = [], 0
    for municipality, count in districts:
        for k in range(count):
            n += 1
            schools.append(OfficialSchool(
                login=f"sch61{n:04d}", inn=f"61{n:08d}",
                name=(f"Муниципальное бюджетное общеобразовательное учреждение «Средняя "
                      f"общеобразовательная школа № {k + 1}» ({municipality})"),
                municipality=municipality))
    return schools


def municipalities() -> list[str]:
    return list(dict.fromkeys(s.municipality for s in rostov_schools()))


HEAD_TOP = ["№ п/п", "Наименование муниципального образования", "Образовательная организация",
            None, None, "Признаки", None]
HEAD_LOW = [None, None, "Идентификатор ОО (логин ФИС ОКО)", "ИНН ОО",
            "Наименование ОО (полное)", "ШНОР", "ШССУ"]


def official_workbook(schools: list[OfficialSchool] | None = None, *, subtotals=True,
                      repeat_header_at: int | None = 30, merged=True, notes=True,
                      title_sheet=True) -> bytes:
    """The workbook; row numbers of the data are what the import must report."""
    schools = rostov_schools() if schools is None else schools
    book = Workbook()
    if title_sheet:
        title = book.active
        title.title = "Титул"
        title.append(["Министерство общего и профессионального образования Ростовской "
                      "области"])
        title.append(["Перечень школ с низкими образовательными результатами"])
        ws = book.create_sheet("Перечень ШНОР")
    else:
        ws = book.active
        ws.title = "Перечень ШНОР"
    ws.append(["Приложение № 1 к приказу от 09.03.2022 № 235"])
    ws.append(["Перечень ШНОР Ростовской области, 2022 год"])
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=7)
    ws.append(HEAD_TOP)
    ws.append(HEAD_LOW)
    top = ws.max_row - 1
    ws.merge_cells(start_row=top, start_column=1, end_row=top + 1, end_column=1)
    ws.merge_cells(start_row=top, start_column=2, end_row=top + 1, end_column=2)
    ws.merge_cells(start_row=top, start_column=3, end_row=top, end_column=5)
    ws.merge_cells(start_row=top, start_column=6, end_row=top, end_column=7)
    ws.append([1, 2, 3, 4, 5, 6, 7])
    number = 0
    groups: dict[str, list[OfficialSchool]] = {}
    for school in schools:
        groups.setdefault(school.municipality, []).append(school)
    for municipality, members in groups.items():
        first, position = ws.max_row + 1, 0
        for school in members:
            number += 1
            if repeat_header_at and number == repeat_header_at:
                if merged and ws.max_row > first:
                    ws.merge_cells(start_row=first, start_column=2, end_row=ws.max_row,
                                   end_column=2)
                ws.append(HEAD_TOP)
                ws.append(HEAD_LOW)
                first, position = ws.max_row + 1, 0
            ws.append([number, municipality if (position == 0 or not merged) else None,
                       school.login, int(school.inn), school.name, "да", None])
            position += 1
        if merged and ws.max_row > first:
            ws.merge_cells(start_row=first, start_column=2, end_row=ws.max_row, end_column=2)
        if subtotals:
            ws.append([None, f"Итого по району: {len(members)}", None, None, None,
                       len(members), None])
    ws.append([None, f"Итого: {len(schools)} организаций", None, None, None, len(schools),
               None])
    if notes:
        ws.append([])
        ws.append(["Примечание: перечень сформирован по данным ФИОКО на 01.03.2022."])
        ws.append(["Исполнитель: ____________ / Иванова И.И. /"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
