"""Import of the official school lists: read → map columns → validate rows → plan → apply.

``plan_import`` is pure reading (the dry run): it never writes. ``apply_plan`` writes the
whole batch inside the caller's transaction with bulk operations and one pre-fetch of the
existing keys per table, so a 40,000-row federal list costs a handful of queries.
"""

from __future__ import annotations

import difflib
import os
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from django.db.models import Q

from core.db import bulk_insert, fast_uuid4_hex
from core.models import Municipality, Region
from core.tabular import (
    Column,
    TableError,
    cell_decimal,
    cell_flag,
    cell_text,
    column_letter,
    find_header,
    guess_header_row,
    read_table,
)
from core.text import municipality_core, municipality_key, name_key

from .models import ImportBatch, School, SchoolYear

COLUMNS = [
    Column("login", "Логин ФИС ОКО", ("логин", "логин оо", "логин фис око", "логин в фис око",
                                       "логин ОО в ФИС ОКО", "логин образовательной организации",
                                       "login", "код оо"), required=True),
    Column("full_name", "Полное наименование", (
        "полное наименование", "полное наименование оо", "наименование оо",
        "наименование образовательной организации", "полное наименование организации",
        "наименование", "образовательная организация", "наименование школы", "оо",
        "наименование оо полное", "полное"),
        required=True, exclude=("кратк", "сокращ")),
    Column("municipality", "Муниципалитет", (
        "муниципалитет", "муниципальное образование", "муниципальный район",
        "муниципальный район городской округ", "муниципальный район (городской округ)",
        "мо", "мр го", "ато", "территория", "район"), required=True,
        exclude=("населенн", "учредител")),
    Column("short_name", "Краткое наименование", ("краткое наименование",
                                                   "сокращенное наименование",
                                                   "краткое наименование оо",
                                                   "наименование оо краткое", "краткое",
                                                   "сокращенное")),
    Column("region", "Субъект РФ", ("субъект рф", "субъект", "регион", "субъект российской "
                                                                    "федерации")),
    Column("inn", "ИНН", ("инн", "инн оо", "инн организации"), exclude=("учредител",)),
    Column("address", "Адрес", ("адрес", "юридический адрес", "фактический адрес",
                                "адрес оо")),
    Column("kind", "Тип ОО", ("тип оо", "тип", "вид оо", "тип организации")),
    Column("is_rural", "Местность", ("местность", "тип местности", "сельская",
                                     "городская сельская", "расположение")),
    Column("category", "Категория", ("категория", "категория школы", "категория оо",
                                     "группа риска"), exclude=("населенн",)),
    Column("ior", "ИОР", ("иор", "индекс образовательных результатов")),
    Column("isb", "ИСБ", ("исб", "индекс социального благополучия")),
    Column("is_shnor", "ШНОР", ("шнор", "признак шнор", "школа с низкими результатами")),
    Column("is_shssu", "ШССУ", ("шссу", "признак шссу")),
    Column("is_participant", "Участник «500+»", ("участник 500+", "500+", "участник проекта 500+",
                                                 "проект 500+")),
]
COLUMN_BY_FIELD = {c.field: c for c in COLUMNS}
FLAG_OF_KIND = {ImportBatch.Kind.SHNOR: "is_shnor", ImportBatch.Kind.SHSSU: "is_shssu",
                ImportBatch.Kind.PARTICIPANTS: "is_participant"}
FLAGS = ("is_shnor", "is_shssu", "is_participant")
IDENTITY_FIELDS = ("full_name", "short_name", "inn", "address", "kind", "is_rural",
                   "municipality_id")
YEAR_FIELDS = ("is_shnor", "is_shssu", "is_participant", "category", "ior", "isb")
FIELD_LABELS = {"full_name": "полное наименование", "short_name": "краткое наименование",
                "inn": "ИНН", "address": "адрес", "kind": "тип", "is_rural": "местность",
                "municipality_id": "муниципалитет", "is_shnor": "ШНОР", "is_shssu": "ШССУ",
                "is_participant": "участник «500+»", "category": "категория", "ior": "ИОР",
                "isb": "ИСБ"}
TEXT_LIMITS = {name: School._meta.get_field(name).max_length
               for name in ("full_name", "short_name", "address")}
INDEX_LIMIT = Decimal("99999.999")  # ИОР/ИСБ: 8 digits, 3 after the point
MAX_STORED = 300  # rows of each diff category and errors kept on the batch for the page

_KIND_WORDS = [
    ("школа-интернат", School.Kind.BOARDING), ("интернат", School.Kind.BOARDING),
    ("лицей", School.Kind.LYCEUM), ("гимназ", School.Kind.GYMNASIUM),
    ("центр образования", School.Kind.CENTRE), ("начальная", School.Kind.NOSH),
    ("нош", School.Kind.NOSH), ("основная", School.Kind.OOSH), ("оош", School.Kind.OOSH),
    ("средняя", School.Kind.SOSH), ("сош", School.Kind.SOSH),
]


class MappingIncomplete(TableError):
    """The header was found, but a required column was not: the user maps it by hand."""

    def __init__(self, message: str, meta: dict):
        super().__init__(message)
        self.meta = meta


@dataclass
class Row:
    number: int  # the row number as Excel shows it (1-based)
    login: str
    region_id: int
    values: dict  # identity fields (only those present in the file)
    year: dict  # year fields present in the file


@dataclass
class ErrorLog:
    """Row errors of a dry run: all are counted, the first ``MAX_STORED`` are kept."""

    errors: list[dict] = field(default_factory=list)
    error_total: int = 0

    def error(self, row: int, column: str, message: str) -> None:
        self.error_total += 1
        if len(self.errors) < MAX_STORED:
            self.errors.append({"row": row, "column": column, "message": message})


@dataclass
class Plan(ErrorLog):
    rows: list[Row] = field(default_factory=list)
    new: list[Row] = field(default_factory=list)
    updates: list[tuple[int, Row, dict]] = field(default_factory=list)  # school_id, row, changes
    year_creates: list[tuple[int, Row]] = field(default_factory=list)
    year_updates: list[tuple[int, int, Row, dict]] = field(default_factory=list)
    cleared: list[tuple[int, str, str]] = field(default_factory=list)  # sy id, login, name
    gone: list[tuple[str, str]] = field(default_factory=list)
    renamed: list[tuple[str, str, str]] = field(default_factory=list)
    region_ids: set[int] = field(default_factory=set)
    clear_flag: str | None = None
    error_rows: int = 0

    @property
    def counts(self) -> dict:
        return {
            "rows": len(self.rows) + self.error_rows, "valid": len(self.rows),
            "errors": self.error_total, "new": len(self.new), "updated": len(self.updates),
            "renamed": len(self.renamed), "year_new": len(self.year_creates),
            "year_updated": len(self.year_updates), "cleared": len(self.cleared),
            "gone": len(self.gone),
        }


@lru_cache(maxsize=4096)
def guess_kind(text: str) -> str:
    key = name_key(text)
    for word, kind in _KIND_WORDS:
        if word in key:
            return kind
    return School.Kind.OTHER


def normalise_login(value: object) -> str:
    return cell_text(value).replace(" ", "").lower()


class MunicipalityIndex:
    """Resolves the spellings of municipality names within a region (core.text)."""

    def __init__(self, municipalities):
        self.by_key: dict[tuple[int, str], Municipality] = {}
        self.by_core: dict[tuple[int, str], list[Municipality]] = defaultdict(list)
        self._resolved: dict[tuple[int, str], Municipality | None] = {}
        for m in municipalities:
            self.by_key[(m.region_id, m.name_key)] = m
            self.by_core[(m.region_id, municipality_core(m.name_key))].append(m)

    def resolve(self, region_id: int, name: str) -> Municipality | None:
        cached = self._resolved.get((region_id, name), self)
        if cached is not self:
            return cached
        found = self._resolve(region_id, name)
        self._resolved[(region_id, name)] = found
        return found

    def _resolve(self, region_id: int, name: str) -> Municipality | None:
        key = municipality_key(name)
        found = self.by_key.get((region_id, key))
        if found is None:
            candidates = self.by_core.get((region_id, municipality_core(key)), [])
            if len(candidates) == 1 and (key.startswith("*:") or
                                         candidates[0].name_key.startswith("*:")):
                found = candidates[0]
        return found

    def suggest(self, region_id: int, name: str) -> str:
        """The closest official name: the name parts compared without «район»/«город»,
        a shared beginning counting as much as overall likeness («Шахтинский» → «Шахты»)."""
        wanted = municipality_core(municipality_key(name))
        best, best_score = None, 0.0
        for candidates in (v for (rid, _), v in self.by_core.items() if rid == region_id):
            for m in candidates:
                core = municipality_core(m.name_key)
                prefix = len(os.path.commonprefix([wanted, core]))
                score = (difflib.SequenceMatcher(None, wanted, core).ratio()
                         + prefix / max(1, min(len(wanted), len(core)))) / 2
                if score > best_score:
                    best, best_score = m, score
        return f" Возможно, имелся в виду «{best.name}»?" if best and best_score >= 0.5 else ""


def read_batch_table(batch: ImportBatch, content: bytes, columns: list[Column] | None = None):
    """The batch's table and its mapping (the stored one, or found from the header);
    ``columns`` are the importer's fields (the school list's by default)."""
    columns = COLUMNS if columns is None else columns
    table = read_table(content, batch.file_name, batch.sheet_name or None, columns)
    if table.formula_cells:
        cells = ", ".join(table.formula_cells[:5])
        more = f" и ещё {len(table.formula_cells) - 5}" if len(table.formula_cells) > 5 else ""
        raise TableError(f"В ячейках {cells}{more} формулы без сохранённых значений. Откройте "
                         "файл в Excel, дождитесь пересчёта, сохраните и загрузите снова "
                         "(или вставьте значения вместо формул).")
    try:
        header_row, auto_mapping = find_header(table.rows, columns, year=batch.year)
    except TableError:
        # no column recognised: offer the likeliest header row for mapping by hand
        header_row, auto_mapping = guess_header_row(table.rows), {}
    if batch.header_row is not None and batch.mapping:
        header_row, mapping = batch.header_row, {k: int(v) for k, v in batch.mapping.items()}
    else:
        mapping = auto_mapping
    header = table.rows[header_row] if header_row < len(table.rows) else []
    file_columns = [{"index": i, "letter": column_letter(i), "title": cell_text(v)}
                    for i, v in enumerate(header)]
    return table, header_row, mapping, file_columns


def mapped_rows(batch: ImportBatch, content: bytes, columns: list[Column]
                ) -> tuple[list[tuple[int, Callable]], dict]:
    """The batch's non-empty body rows as ``(row number as Excel shows it, value(field))``
    and the meta the batch stores; ``MappingIncomplete`` when a required column is not
    mapped (the user maps it by hand on the batch page)."""
    table, header_row, mapping, file_columns = read_batch_table(batch, content, columns)
    meta = {"sheet_name": table.sheet_name, "header_row": header_row, "mapping": mapping,
            "columns": file_columns}
    missing = [c.label for c in columns if c.required and c.field not in mapping]
    if missing:
        raise MappingIncomplete("Не найдены обязательные столбцы: " + ", ".join(missing) +
                                ". Укажите их в сопоставлении столбцов ниже.", meta)
    rows = []
    for offset, raw in enumerate(table.rows[header_row + 1:]):
        if not any(cell_text(v) for v in raw):
            continue  # an empty line between blocks

        def value(name: str, raw=raw):
            i = mapping.get(name)
            return raw[i] if i is not None and i < len(raw) else None

        rows.append((header_row + 2 + offset, value))
    return rows, meta


def plan_import(batch: ImportBatch, content: bytes, progress=None) -> tuple[Plan, dict]:
    """Validate every row and compute the diff against the database; writes nothing."""
    table, header_row, mapping, columns = read_batch_table(batch, content)
    meta = {"sheet_name": table.sheet_name, "header_row": header_row, "mapping": mapping,
            "columns": columns}
    missing = [COLUMN_BY_FIELD[f].label for f in ("login", "full_name", "municipality")
               if f not in mapping]
    if missing:
        raise MappingIncomplete("Не найдены обязательные столбцы: " + ", ".join(missing) +
                                ". Укажите их в сопоставлении столбцов ниже.", meta)
    if batch.kind == ImportBatch.Kind.COMBINED and not any(f in mapping for f in FLAGS):
        raise MappingIncomplete("В сводном списке нужен хотя бы один столбец признаков "
                                "(ШНОР, ШССУ, участник «500+»). Укажите его ниже или выберите "
                                "вид списка с одним признаком.", meta)
    plan = Plan()
    flag = FLAG_OF_KIND.get(batch.kind)
    plan.clear_flag = flag

    regions = {r.code: r for r in Region.objects.all()}
    if batch.region_id:
        regions = {batch.region.code: batch.region}
    body = table.rows[header_row + 1:]
    seen_logins: dict[str, int] = {}
    seen_inns: dict[str, int] = {}
    parsed: list[tuple[int, dict]] = []
    total = len(body)
    for offset, raw in enumerate(body):
        number = header_row + 2 + offset
        if progress and offset % 2000 == 0:
            progress(offset, total * 2)
        cells = {f: (raw[i] if i < len(raw) else None) for f, i in mapping.items()}
        if not any(cell_text(v) for v in cells.values()):
            continue  # an empty line between blocks
        parsed.append((number, cells))

    logins = [normalise_login(cells.get("login")) for _, cells in parsed]
    code_of = {login: login[3:5] for login in logins if len(login) == 9}
    region_ids_in_file = {regions[int(c)].pk for c in code_of.values()
                          if c.isdigit() and int(c) in regions}
    index = MunicipalityIndex(Municipality.objects.filter(region_id__in=region_ids_in_file)
                              .only("pk", "name", "name_key", "region_id"))

    label = COLUMN_BY_FIELD
    for (number, cells), login in zip(parsed, logins, strict=True):
        row_errors_before = plan.error_total
        if not login:
            plan.error(number, label["login"].label, "не заполнен логин школы")
        elif not (len(login) == 9 and login.startswith("sch") and login[3:].isdigit()):
            plan.error(number, label["login"].label,
                       f"«{cell_text(cells.get('login'))}» — логин должен иметь вид sch и шесть "
                       "цифр, например sch610123")
        region = None
        if login and plan.error_total == row_errors_before:
            code = int(login[3:5])
            region = regions.get(code)
            if region is None and batch.region_id:
                plan.error(number, label["login"].label,
                           f"код региона в логине ({login[3:5]}) не совпадает с регионом "
                           f"импорта ({batch.region.code:02d} — {batch.region.name})")
            elif region is None:
                plan.error(number, label["login"].label,
                           f"регион с кодом {login[3:5]} не заведён в портале")
            elif login in seen_logins:
                plan.error(number, label["login"].label,
                           f"логин {login} уже встречался в строке {seen_logins[login]}")
            else:
                seen_logins[login] = number
        full_name = cell_text(cells.get("full_name"))
        if not full_name:
            plan.error(number, label["full_name"].label, "не заполнено наименование школы")
        municipality_name = cell_text(cells.get("municipality"))
        municipality = None
        if not municipality_name:
            plan.error(number, label["municipality"].label, "не заполнен муниципалитет")
        elif region is not None:
            municipality = index.resolve(region.pk, municipality_name)
            if municipality is None:
                plan.error(number, label["municipality"].label,
                           f"муниципалитет «{municipality_name}» не найден в регионе "
                           f"«{region.name}».{index.suggest(region.pk, municipality_name)}")
        values = {"full_name": full_name}
        if municipality is not None:
            values["municipality_id"] = municipality.pk
        # an empty cell is "no data", never "erase what the registry has"
        for name in ("short_name", "address"):
            if name in cells and cell_text(cells[name]):
                values[name] = cell_text(cells[name])
        for name, limit in TEXT_LIMITS.items():
            if len(values.get(name, "")) > limit:
                plan.error(number, label[name].label,
                           f"слишком длинное значение ({len(values[name])} символов, "
                           f"допустимо не больше {limit})")
        if "inn" in cells and cell_text(cells["inn"]):
            inn = cell_text(cells["inn"]).replace(" ", "")
            if inn.isdigit() and len(inn) == 9:
                inn = "0" + inn  # a number column dropped the leading zero
            if not (inn.isdigit() and len(inn) in (10, 12)):
                plan.error(number, label["inn"].label, f"«{inn}» — ИНН состоит из 10 или 12 цифр")
            elif inn in seen_inns:
                plan.error(number, label["inn"].label,
                           f"ИНН {inn} уже встречался в строке {seen_inns[inn]}")
            else:
                seen_inns[inn] = number
                values["inn"] = inn
        kind_text = cell_text(cells.get("kind")) if "kind" in cells else ""
        if kind_text:
            values["kind"] = guess_kind(kind_text)
        if "is_rural" in cells and cell_text(cells["is_rural"]):
            text = cell_text(cells["is_rural"]).lower()
            if text.startswith(("сел", "село")):
                values["is_rural"] = True
            elif text.startswith("город"):
                values["is_rural"] = False
            else:
                try:
                    values["is_rural"] = cell_flag(cells["is_rural"])
                except ValueError as exc:
                    plan.error(number, label["is_rural"].label, str(exc))
        year: dict = {}
        if flag:
            year[flag] = True  # being on the list is the flag; a column may still say «нет»
        for name in FLAGS:
            if name in cells:
                try:
                    year[name] = cell_flag(cells[name])
                except ValueError as exc:
                    plan.error(number, label[name].label, str(exc))
        if "category" in cells:
            year["category"] = cell_text(cells["category"]).upper()
            if len(year["category"]) > 100:
                plan.error(number, label["category"].label, "слишком длинная категория")
        for name in ("ior", "isb"):
            if name in cells:
                try:
                    value = cell_decimal(cells[name])
                except ValueError as exc:
                    plan.error(number, label[name].label, str(exc))
                    continue
                if value is not None and abs(value) > INDEX_LIMIT:
                    plan.error(number, label[name].label, f"{value} — вне допустимого диапазона")
                elif value is not None:
                    year[name] = value.quantize(Decimal("0.001"))
        if plan.error_total != row_errors_before:
            plan.error_rows += 1
            continue
        plan.rows.append(Row(number, login, region.pk, values, year))
        plan.region_ids.add(region.pk)

    if batch.region_id:
        plan.region_ids = {batch.region_id}
    _check_inns_against_registry(plan)
    _diff(plan, batch)
    return plan, meta


def _scope_q(plan: Plan, batch: ImportBatch) -> Q:
    """Where «absent from the list» means something: the batch's region, or — for a
    federal list — the regions the file holds (a region it does not mention is untouched)."""
    if batch.region_id:
        return Q(region_id=batch.region_id)
    return Q(region_id__in=plan.region_ids)


def _diff(plan: Plan, batch: ImportBatch) -> None:
    logins = [r.login for r in plan.rows]
    existing = {}
    fields = ("pk", "login", *IDENTITY_FIELDS)
    qs = School.objects.filter(region_id__in=plan.region_ids) if len(logins) > 2000 else \
        School.objects.filter(login__in=logins)
    for values in qs.values_list(*fields):
        existing[values[1]] = dict(zip(fields, values, strict=True))
    years = {}
    year_fields = ("pk", "school_id", *YEAR_FIELDS)
    year_qs = SchoolYear.objects.filter(year=batch.year).filter(_scope_q(plan, batch))
    for values in year_qs.values_list(*year_fields):
        years[values[1]] = dict(zip(year_fields, values, strict=True))

    listed_ids = set()
    for row in plan.rows:
        current = existing.get(row.login)
        if current is None:
            plan.new.append(row)
            plan.year_creates.append((0, row))
            continue
        school_id = current["pk"]
        listed_ids.add(school_id)
        changes = {k: (current[k], v) for k, v in row.values.items() if current[k] != v}
        if changes:
            plan.updates.append((school_id, row, changes))
            if "full_name" in changes:
                plan.renamed.append((row.login, current["full_name"], row.values["full_name"]))
        year = years.get(school_id)
        if year is None:
            plan.year_creates.append((school_id, row))
        else:
            year_changes = {k: (year[k], v) for k, v in row.year.items() if year[k] != v}
            if year_changes:
                plan.year_updates.append((year["pk"], school_id, row, year_changes))

    flag = plan.clear_flag
    if flag:
        cleared = [(year["pk"], school_id) for school_id, year in years.items()
                   if year[flag] and school_id not in listed_ids]
        logins = dict(School.objects.filter(pk__in=[sid for _, sid in cleared])
                      .values_list("pk", "login")) if cleared else {}
        plan.cleared = [(pk, logins.get(sid, ""), "") for pk, sid in cleared]
    # «выбыли»: on last year's list (this kind's flag; any flag for a combined list)
    listed_logins = {r.login for r in plan.rows}
    on_list = Q(**{flag: True}) if flag else Q(is_shnor=True) | Q(is_shssu=True) | Q(
        is_participant=True)
    previous = (SchoolYear.objects.filter(on_list, year=batch.year - 1)
                .filter(_scope_q(plan, batch))
                .values_list("school__login", "school__short_name"))
    plan.gone = [(login, name) for login, name in previous if login not in listed_logins]


def _check_inns_against_registry(plan: Plan) -> None:
    """An ИНН already held by another school in the registry is a row error."""
    inns = {r.values["inn"]: r for r in plan.rows if r.values.get("inn")}
    if not inns:
        return
    holders = (School.objects.filter(inn__in=list(inns)) if len(inns) <= 2000
               else School.objects.exclude(inn="")).values_list("inn", "login")
    bad = set()
    for inn, login in holders:
        row = inns.get(inn)
        if row is not None and login != row.login:
            plan.error(row.number, COLUMN_BY_FIELD["inn"].label,
                       f"ИНН {inn} в реестре принадлежит другой школе ({login})")
            bad.add(row.number)
    if bad:
        plan.rows = [r for r in plan.rows if r.number not in bad]
        plan.error_rows += len(bad)


def plan_summary(plan: Plan) -> dict:
    """What the batch page shows: totals and the first rows of each category."""
    def label_changes(changes: dict) -> list[dict]:
        out = []
        for name, (old, new) in changes.items():
            out.append({"field": FIELD_LABELS.get(name, name), "old": _show(name, old),
                        "new": _show(name, new)})
        return out

    municipality_ids = {v for _, _, ch in plan.updates for k, pair in ch.items()
                        if k == "municipality_id" for v in pair}
    names = dict(Municipality.objects.filter(pk__in=municipality_ids).values_list("pk", "name"))

    def _show(name, value):
        if name == "municipality_id":
            return names.get(value, "—")
        if isinstance(value, bool):
            return "да" if value else "нет"
        if value is None or value == "":
            return "—"
        return str(value)

    return {
        "new": [{"row": r.number, "login": r.login, "name": r.values["full_name"]}
                for r in plan.new[:MAX_STORED]],
        "updated": [{"row": r.number, "login": r.login, "name": r.values["full_name"],
                     "changes": label_changes(ch)} for _, r, ch in plan.updates[:MAX_STORED]],
        "year_updated": [{"row": r.number, "login": r.login, "name": r.values["full_name"],
                          "changes": label_changes(ch)}
                         for _, _, r, ch in plan.year_updates[:MAX_STORED]],
        "renamed": [{"login": login, "old": old, "new": new}
                    for login, old, new in plan.renamed[:MAX_STORED]],
        "gone": [{"login": login, "name": name} for login, name in plan.gone[:MAX_STORED]],
        "cleared": [{"login": login} for _, login, _ in plan.cleared[:MAX_STORED]],
    }


def new_uuids(count: int) -> list:
    """Public ids for new rows: hex text for COPY (PostgreSQL), UUID objects elsewhere."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return fast_uuid4_hex(count)
    return [uuid.uuid4() for _ in range(count)]


SCHOOL_INSERT = ("public_id", "region_id", "municipality_id", "login", "inn", "full_name",
                 "short_name", "address", "kind", "is_rural", "is_demo")
YEAR_INSERT = ("public_id", "region_id", "school_id", "year", "is_shnor", "is_shssu",
               "is_participant", "category", "ior", "isb", "batch_id")


def apply_plan(plan: Plan, batch: ImportBatch) -> None:
    """Write the plan. Must run inside the caller's transaction (all-or-nothing)."""
    new_rows = []
    ids = iter(new_uuids(len(plan.new)))
    for r in plan.new:
        v = r.values
        new_rows.append((next(ids), r.region_id, v["municipality_id"], r.login,
                         v.get("inn", ""), v["full_name"], v.get("short_name") or v["full_name"],
                         v.get("address", ""),
                         v.get("kind") or guess_kind(v["full_name"]), v.get("is_rural", False),
                         False))
    bulk_insert(School, list(SCHOOL_INSERT), new_rows)
    school_id_of = {}
    if plan.new:
        new_logins = {r.login for r in plan.new}
        school_id_of = {login: pk for login, pk in School.objects.filter(
            region_id__in={r.region_id for r in plan.new}).values_list("login", "pk")
            if login in new_logins}
    if plan.updates:
        changed = sorted({k for _, _, ch in plan.updates for k in ch})
        current = School.objects.in_bulk([school_id for school_id, _, _ in plan.updates])
        objs = []
        for school_id, _, changes in plan.updates:
            obj = current[school_id]
            for name, (_, new) in changes.items():
                setattr(obj, name, new)
            objs.append(obj)
        School.objects.bulk_update(objs, changed, batch_size=2000)
    year_rows = []
    ids = iter(new_uuids(len(plan.year_creates)))
    for school_id, row in plan.year_creates:
        y = row.year
        year_rows.append((next(ids), row.region_id, school_id or school_id_of[row.login],
                          batch.year, y.get("is_shnor", False), y.get("is_shssu", False),
                          y.get("is_participant", False), y.get("category", ""), y.get("ior"),
                          y.get("isb"), batch.pk))
    bulk_insert(SchoolYear, list(YEAR_INSERT), year_rows)
    if plan.year_updates:
        changed = sorted({k for *_, ch in plan.year_updates for k in ch} | {"batch"})
        objs = []
        current = {pk: obj for pk, obj in SchoolYear.objects.in_bulk(
            [pk for pk, *_ in plan.year_updates]).items()}
        for pk, _, row, _ in plan.year_updates:
            obj = current[pk]
            for name, value in row.year.items():
                setattr(obj, name, value)
            obj.batch = batch
            objs.append(obj)
        SchoolYear.objects.bulk_update(objs, changed, batch_size=2000)
    if plan.cleared:
        SchoolYear.objects.filter(pk__in=[pk for pk, _, _ in plan.cleared]).update(
            **{plan.clear_flag: False, "batch": batch})


# -- the registry of importers ---------------------------------------------------------------
@dataclass(frozen=True)
class Importer:
    """One kind of official table the batch machinery can load (upload, dry run with a
    preview, column mapping, all-or-nothing apply, history). Other apps register theirs
    (risk profiles, the methodical pool, enrolments) and reuse the pages, jobs and checks.

    ``columns(batch)`` lists the fields a file may hold (they may depend on the batch's
    year, as the risk factors do); ``plan(batch, content, progress)`` returns
    ``(plan, meta)`` and writes nothing; the plan has ``counts``, ``errors``,
    ``error_total``; ``summary(plan)`` is the diff shown on the batch page by
    ``result_template``; ``apply(plan, batch)`` writes inside the caller's transaction.
    ``confirmed`` names the counts that must not change between the preview the user
    confirmed and the apply. The three ``*_message(counts)`` are the Russian sentences of
    the finished dry run, the finished apply and the confirmation before applying.
    """

    key: str
    label: str
    columns: Callable[[ImportBatch], list[Column]]
    plan: Callable
    summary: Callable
    apply: Callable
    result_template: str
    confirmed: tuple[str, ...]
    kinds: tuple[str, ...]
    preview_message: Callable[[dict], str]
    applied_message: Callable[[dict], str]
    confirm_message: Callable[[dict], str]

    def required(self, batch: ImportBatch) -> list[Column]:
        return [c for c in self.columns(batch) if c.required]


_IMPORTERS: dict[str, Importer] = {}


def register_importer(importer: Importer) -> None:
    _IMPORTERS[importer.key] = importer


def importer_for(batch: ImportBatch) -> Importer:
    return _IMPORTERS[batch.target]


def importer_for_kind(kind: str) -> Importer:
    """The importer that reads files of ``kind`` (each kind belongs to one importer)."""
    for importer in _IMPORTERS.values():
        if kind in importer.kinds:
            return importer
    raise KeyError(kind)


SCHOOL_LISTS = Importer(
    key="schools", label="Списки школ (ШНОР, ШССУ, «500+»)", columns=lambda batch: COLUMNS,
    plan=plan_import, summary=plan_summary, apply=apply_plan,
    result_template="schools/import/_school_list_result.html",
    confirmed=("errors", "new", "updated", "year_new", "year_updated", "cleared"),
    kinds=(ImportBatch.Kind.SHNOR, ImportBatch.Kind.SHSSU, ImportBatch.Kind.PARTICIPANTS,
           ImportBatch.Kind.COMBINED),
    preview_message=lambda c: (f"Проверка завершена: новых школ {c['new']}, изменённых "
                               f"{c['updated']}, выбыли {c['gone']}."),
    applied_message=lambda c: (f"Список применён: новых школ {c['new']}, изменено "
                               f"{c['updated']}, статусов за год добавлено {c['year_new']}, "
                               f"изменено {c['year_updated']}."),
    confirm_message=lambda c: (f"Новых школ: {c.get('new', 0)}, изменений сведений: "
                               f"{c.get('updated', 0)}, выбыли из перечня прошлого года: "
                               f"{c.get('gone', 0)}."),
)
register_importer(SCHOOL_LISTS)
