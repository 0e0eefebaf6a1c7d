"""Realistic official lists for tests, demos and the benchmark (``make_synthetic_list``).

A workbook looks like what ФИОКО and regional ministries send: title rows above the header
(merged across the table in the small variant), column names that vary, municipalities
spelled three ways, logins in capitals or with spaces, ИНН stored as a number, indices
with decimal commas, a blank line in the middle. The federal size is 89 regions,
~2,500 municipalities and 40,000 schools.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass

from openpyxl import Workbook

FEDERAL = {"regions": 89, "municipalities": 2500, "schools": 40000}

HEADER = ["№ п/п", "Субъект Российской Федерации", "Муниципальное образование",
          "Логин ОО в ФИС ОКО", "ИНН", "Наименование образовательной организации",
          "Краткое наименование", "Адрес", "Тип ОО", "Местность", "Категория", "ИОР", "ИСБ",
          "ШНОР", "ШССУ", "Участник 500+"]
CATEGORIES = ["СИЛЬНО НЕУСПЕВАЮЩАЯ", "УМЕРЕННО НЕУСПЕВАЮЩАЯ", "СЛАБО НЕУСПЕВАЮЩАЯ"]
STEMS = ["Бел", "Берёз", "Верхн", "Дуб", "Зелен", "Камен", "Красн", "Лесн", "Ново", "Озёрн",
         "Песчан", "Полев", "Речн", "Светл", "Сосн", "Степн", "Тих", "Черн", "Ясн", "Луг"]
KINDS = [("СОШ", "Средняя общеобразовательная школа"),
         ("ООШ", "Основная общеобразовательная школа"),
         ("лицей", "Лицей"), ("гимназия", "Гимназия")]


@dataclass
class Region:
    code: int
    name: str
    municipalities: list[str]


def reference(regions: int, municipalities: int, *, first_code: int = 1) -> list[Region]:
    """Regions with their official municipality names (cities as «г. X», districts as
    «X район»); municipalities are spread evenly."""
    out = []
    per_region, extra = divmod(municipalities, regions)
    for index in range(regions):
        code = first_code + index
        count = per_region + (1 if index < extra else 0)
        names = []
        for m in range(count):
            stem = STEMS[m % len(STEMS)]
            suffix = "" if m < len(STEMS) else f"-{m // len(STEMS) + 1}"
            if m % 5 == 4:
                names.append(f"г. {stem}огорск{suffix}")
            else:
                names.append(f"{stem}овский{suffix} район")
        out.append(Region(code, f"Субъект РФ № {code:02d}", names))
    return out


def _spelling(name: str, rnd: random.Random) -> str:
    """One of the ways a list spells the municipality."""
    if name.startswith("г. "):
        city = name[3:]
        return rnd.choice([name, f"{city} г.", f"город {city}", f"г.{city}", f"ГО г. {city}"])
    district = name[: -len(" район")]
    return rnd.choice([name, f"{district} (с) район", f"{district}\u00a0район",
                       f"{district}  р-н", f"{district} район".replace("ё", "е").upper()])


def workbook(regions: list[Region], schools: int, *, year: int = 2023, quirks: bool = True,
             seed: int = 1, errors: int = 0) -> bytes:
    """An .xlsx list of ``schools`` schools over ``regions``. ``errors`` rows are broken on
    purpose (a bad login, an unknown municipality, a duplicate)."""
    rnd = random.Random(seed)
    small = schools <= 2000
    book = Workbook(write_only=not small)
    sheet = book.active if small else book.create_sheet("Перечень")
    if small:
        sheet.title = "Перечень"
    title = f"Перечень школ с низкими образовательными результатами, {year} год"
    sheet.append([title])
    sheet.append([f"по состоянию на 01.09.{year}"])
    sheet.append([])
    if small:
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
        sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(HEADER))
    sheet.append(HEADER)
    per_region, extra = divmod(schools, len(regions))
    number = 0
    for r_index, region in enumerate(regions):
        count = per_region + (1 if r_index < extra else 0)
        for s in range(count):
            number += 1
            municipality = region.municipalities[s % len(region.municipalities)]
            login = f"sch{region.code:02d}{s + 1:04d}"
            short_kind, long_kind = KINDS[s % len(KINDS)]
            full = f"Муниципальное бюджетное общеобразовательное учреждение «{long_kind} № {s + 1}»"
            short = f"МБОУ {short_kind} № {s + 1}"
            inn = int(f"{region.code:02d}{rnd.randrange(10**7, 10**8)}")
            ior = round(rnd.uniform(0.2, 0.9), 3)
            isb = round(rnd.uniform(0.2, 0.9), 3)
            if quirks:
                if s % 7 == 3:
                    login = login.upper()
                if s % 11 == 5:
                    login = f"{login[:5]} {login[5:]} "
                municipality = _spelling(municipality, rnd)
                ior_cell = str(ior).replace(".", ",") if s % 3 == 0 else ior
            else:
                ior_cell = ior
            row = [number, region.name, municipality, login, inn, full, short,
                   f"{municipality}, ул. Школьная, д. {s % 40 + 1}", short_kind,
                   "сельская" if "район" in municipality else "городская",
                   CATEGORIES[s % len(CATEGORIES)], ior_cell, isb, "да",
                   "да" if s % 4 == 0 else "нет", "да" if s % 2 == 0 else "нет"]
            sheet.append(row)
            if quirks and small and number == max(2, schools // 2):
                sheet.append([None] * len(HEADER))  # a blank line between blocks
    first = regions[0]
    for e in range(errors):
        kind = e % 3
        login = {0: "школа-1", 1: f"sch{first.code:02d}9{e:03d}",
                 2: f"sch{first.code:02d}0001"}[kind]
        municipality = "Несуществующий район" if kind == 1 else first.municipalities[0]
        sheet.append([number + e + 1, first.name, municipality, login, None,
                      f"Школа с ошибкой {e}", "", "", "СОШ", "", "", 0.5, 0.5, "да", "нет",
                      "нет"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
