"""The school-list importer (ШНОР, ШССУ, «500+», the combined list): the columns declared,
the cross-row checks, the diff against the registry and the bulk apply. Like every app's
``importer.py`` it registers itself with the import machinery (:mod:`core.importing`).

``plan_import`` is pure reading (the dry run): it never writes. ``apply_plan`` writes the
whole batch inside the caller's transaction with bulk operations and one pre-fetch of the
existing keys per table, so a 40,000-row federal list costs a handful of queries.

The school logins of ФИС ОКО (``normalise_login``, ``parse_login``) live here too: the
risk-profile importer reads them.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from django.db.models import Q

from core.db import bulk_insert, fast_uuid4_hex
from core.importing import (
    MAX_STORED,
    ErrorLog,
    Importer,
    MappingIncomplete,
    MunicipalityIndex,
    read_batch,
    register_importer,
    require_mapped,
)
from core.models import Municipality, Region
from core.rows import ParsedRow, iter_parsed
from core.subjects import subject_name
from core.tabular import (
    Column,
    Noted,
    cell_decimal,
    cell_flag,
    cell_inn,
    cell_text,
)
from core.text import count_phrase, municipality_key, name_key, plural

from .models import ImportBatch, School, SchoolYear

# Cyrillic letters that look like Latin ones, as typed into logins on the wrong layout
_LOOKALIKE = str.maketrans("авекмнорстухѕіјһ", "abekmhopctyxsijh")
_LOGIN = re.compile(r"sch\d{6}")
TEXT_LIMITS = {name: School._meta.get_field(name).max_length
               for name in ("full_name", "short_name", "address")}
INDEX_LIMIT = Decimal("99999.999")  # ИОР/ИСБ: 8 digits, 3 after the point


def normalise_login(value: object) -> str:
    """The login as ФИС ОКО writes it: Latin lower case, no spaces (look-alike Cyrillic
    letters and a Cyrillic «О» among the digits read as what they look like)."""
    text = re.sub(r"[\s\u00a0]", "", cell_text(value)).lower().translate(_LOOKALIKE)
    if text.startswith("sch") and not text[3:].isdigit():
        text = "sch" + text[3:].replace("o", "0")
    return text


def parse_login(value: object):
    text = cell_text(value)
    login = normalise_login(value)
    if not _LOGIN.fullmatch(login):
        raise ValueError(f"«{text}» — логин должен иметь вид sch и шесть цифр, например "
                         "sch610123")
    if login != text:
        why = []
        if login != re.sub(r"[\s\u00a0]", "", text).lower():
            why.append("кириллические буквы заменены латинскими")
        if any(c.isspace() for c in text):
            why.append("убраны пробелы")
        if text != text.lower():
            why.append("строчные буквы")
        return Noted(login, f"логин «{text}» прочитан как {login} ({', '.join(why)})")
    return login


def _text_parser(name: str):
    limit = TEXT_LIMITS[name]

    def parse(value: object) -> str:
        text = cell_text(value)
        if len(text) > limit:
            size = count_phrase(len(text), "символ")
            raise ValueError(f"слишком длинное значение ({size}, допустимо не "
                             f"больше {limit})")
        return text
    return parse


def _parse_rural(value: object) -> bool:
    text = cell_text(value).lower()
    if text.startswith(("сел", "село")):
        return True
    if text.startswith("город"):
        return False
    return cell_flag(value)


def _parse_category(value: object) -> str:
    text = cell_text(value).upper()
    if len(text) > 100:
        raise ValueError("слишком длинная категория")
    return text


def _parse_index(value: object) -> Decimal:
    number = cell_decimal(value)
    if number is not None and abs(number) > INDEX_LIMIT:
        raise ValueError(f"{number} — вне допустимого диапазона")
    return number.quantize(Decimal("0.001"))


COLUMNS = [
    Column("login", "Логин ФИС ОКО", (
        "логин", "логин оо", "логин фис око", "логин в фис око", "логин ОО в ФИС ОКО",
        "логин образовательной организации", "login", "код оо", "идентификатор оо",
        "идентификатор фис око", "учетная запись фис око", "код фис око", "логин школы"),
        required=True, parse=parse_login, key=True, missing="не заполнен логин школы"),
    Column("full_name", "Полное наименование", (
        "полное наименование", "наименование оо", "наименование образовательной организации",
        "полное наименование организации", "наименование", "образовательная организация",
        "наименование школы", "оо", "полное", "название школы", "название оо",
        "название образовательной организации", "школа", "организация", "учреждение",
        "наименование учреждения", "общеобразовательная организация",
        "образовательное учреждение", "наименование образовательного учреждения"),
        required=True, exclude=("кратк", "сокращ"), parse=_text_parser("full_name"),
        name=True, missing="не заполнено наименование школы"),
    Column("municipality", "Муниципалитет", (
        "муниципалитет", "муниципальное образование", "муниципальный район",
        "городской округ", "муниципальный округ", "наименование муниципального образования",
        "мо", "ато", "территория", "район", "муниципальный район городской округ",
        "административно-территориальная единица", "город район",
        "муниципальное образование наименование", "название муниципалитета"),
        required=True, exclude=("населенн", "учредител", "код"),
        missing="не заполнен муниципалитет"),
    Column("short_name", "Краткое наименование", (
        "краткое наименование", "сокращенное наименование", "краткое", "сокращенное",
        "краткое название"), parse=_text_parser("short_name")),
    Column("region", "Субъект РФ", ("субъект рф", "субъект", "регион",
                                    "субъект российской федерации")),
    Column("inn", "ИНН", ("инн", "инн оо", "инн организации"), exclude=("учредител",),
           parse=cell_inn, key=True),
    Column("address", "Адрес", ("адрес", "юридический адрес", "фактический адрес",
                                "адрес оо"), parse=_text_parser("address")),
    Column("kind", "Тип ОО", ("тип оо", "тип", "вид оо", "тип организации", "вид организации")),
    Column("is_rural", "Местность", ("местность", "тип местности", "сельская",
                                     "городская сельская", "расположение"), parse=_parse_rural),
    Column("category", "Категория", ("категория", "категория школы", "категория оо",
                                     "группа риска"), exclude=("населенн",),
           parse=_parse_category),
    Column("ior", "ИОР", ("иор", "индекс образовательных результатов"), parse=_parse_index),
    Column("isb", "ИСБ", ("исб", "индекс социального благополучия"), parse=_parse_index),
    Column("is_shnor", "ШНОР", ("шнор", "признак шнор", "школа с низкими результатами",
                                "школа с низкими образовательными результатами"),
           parse=cell_flag),
    Column("is_shssu", "ШССУ", ("шссу", "признак шссу",
                                "школа в сложных социальных условиях"), parse=cell_flag),
    Column("is_participant", "Участник «500+»", ("участник 500+", "500+",
                                                 "участник проекта 500+", "проект 500+"),
           parse=cell_flag),
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

_KIND_WORDS = [
    ("школа-интернат", School.Kind.BOARDING), ("интернат", School.Kind.BOARDING),
    ("лицей", School.Kind.LYCEUM), ("гимназ", School.Kind.GYMNASIUM),
    ("центр образования", School.Kind.CENTRE), ("начальная", School.Kind.NOSH),
    ("нош", School.Kind.NOSH), ("основная", School.Kind.OOSH), ("оош", School.Kind.OOSH),
    ("средняя", School.Kind.SOSH), ("сош", School.Kind.SOSH),
]
# abbreviations of an organisation's legal form: a name made of them is a short name
_SHORT_FORM = re.compile(r"\b(М|Г|Ч|Н)?[БАКО]?[ОН]?У\b|\b[МГ][БАК]?ОУ\b|\b(СОШ|ООШ|НОШ|СШ|ЦО)\b")


@dataclass(slots=True)
class Row:
    number: int  # the row number as Excel shows it (1-based)
    login: str
    region_id: int
    values: dict  # identity fields (only those present in the file)
    year: dict  # year fields present in the file


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
    #: Logins of rows with errors: a list skipping them never clears their flags.
    error_logins: set[str] = field(default_factory=set)
    #: Territories the file names and the portal does not have (offered for creation).
    missing: dict = field(default_factory=lambda: {"regions": [], "municipalities": []})
    kept_full_names: int = 0

    @property
    def counts(self) -> dict:
        return {
            "rows": len(self.rows) + self.error_rows, "valid": len(self.rows),
            "errors": self.error_total, "error_rows": self.error_rows, "new": len(self.new),
            "updated": len(self.updates), "renamed": len(self.renamed),
            "year_new": len(self.year_creates), "year_updated": len(self.year_updates),
            "cleared": len(self.cleared), "gone": len(self.gone),
            "missing_regions": len(self.missing["regions"]),
            "missing_municipalities": len(self.missing["municipalities"]),
        }


@lru_cache(maxsize=4096)
def guess_kind(text: str) -> str:
    key = name_key(text)
    for word, kind in _KIND_WORDS:
        if word in key:
            return kind
    return School.Kind.OTHER


def is_short_form(new: str, old: str) -> bool:
    """``new`` is the short name of the school whose full name is ``old`` («МБОУ СОШ № 5»
    against «Муниципальное бюджетное общеобразовательное учреждение …»)."""
    if not old or len(new) >= len(old) * 0.8:
        return False
    return bool(_SHORT_FORM.search(new)) and not _SHORT_FORM.search(old)


def plan_import(batch: ImportBatch, content: bytes, progress=None) -> tuple[Plan, dict]:
    """Validate every row and compute the diff against the database; writes nothing."""
    reading = read_batch(batch, content, COLUMNS)
    meta = reading.meta
    require_mapped(reading, COLUMNS)
    mapping = reading.mapping
    if batch.kind == ImportBatch.Kind.COMBINED and not any(f in mapping for f in FLAGS):
        raise MappingIncomplete("В сводном списке нужен хотя бы один столбец признаков "
                                "(ШНОР, ШССУ, участник «500+»). Укажите его ниже или выберите "
                                "вид списка с одним признаком.", meta)
    plan = Plan(clear_flag=FLAG_OF_KIND.get(batch.kind))
    body = reading.body.rows
    total = len(body)
    report = (lambda done, _all: progress(done, total * 2)) if progress else None
    checks = _RowChecks.of(batch, plan, body, mapping["login"])
    reading.table.rows = []  # the data rows are in ``body``: each is dropped once parsed
    for row in iter_parsed(body, mapping, COLUMNS, plan, report, total, release=True):
        checks.take(row)
    checks.finish()
    if batch.region_id:
        plan.region_ids = {batch.region_id}
    _check_inns_against_registry(plan)
    _diff(plan, batch)
    return plan, meta


class _RowChecks:
    """The checks of ``plan_import`` across rows and against the territories: the region
    of each login, its municipality, the logins and ИНН met before. A valid row joins the
    plan; the territories the file names and the portal lacks are gathered for the page."""

    def __init__(self, batch: ImportBatch, plan: Plan, regions: dict,
                 index: MunicipalityIndex):
        self.batch, self.plan, self.regions, self.index = batch, plan, regions, index
        self.missing_regions: dict[int, dict] = {}
        self.missing_municipalities: dict[tuple[int, str], dict] = {}
        self.seen_logins: dict[str, int] = {}
        self.seen_inns: dict[str, int] = {}

    @classmethod
    def of(cls, batch: ImportBatch, plan: Plan, body: list, at: int) -> _RowChecks:
        """The checks of a batch whose login column is ``at``: the regions it may load and
        the municipalities of the regions its logins name (one query)."""
        regions = {r.code: r for r in Region.objects.all()}
        if batch.region_id:
            regions = {batch.region.code: batch.region}
        codes = set()
        for _, raw in body:
            login = normalise_login(raw[at]) if at < len(raw) else ""
            if login[3:5].isdigit():
                codes.add(int(login[3:5]))
        index = MunicipalityIndex(Municipality.objects.filter(
            region_id__in=[regions[c].pk for c in codes if c in regions])
            .only("pk", "name", "name_key", "region_id"))
        return cls(batch, plan, regions, index)

    def take(self, row: ParsedRow) -> None:
        plan = self.plan
        number, values = row.number, row.values
        errors_before = plan.error_total
        login = values.get("login", "")
        region = self._region(number, login, values) if login else None
        municipality = None
        name = values.get("municipality", "")
        if name and region is not None:
            municipality = self._municipality(number, region, name)
        self._inn(number, values.get("inn"))
        if not row.ok or plan.error_total != errors_before or region is None:
            plan.error_rows += 1
            if login:
                plan.error_logins.add(login)
            return
        plan.rows.append(Row(number, login, region.pk, _identity(values, municipality),
                             _year_values(values, plan.clear_flag)))
        plan.region_ids.add(region.pk)

    def _region(self, number: int, login: str, values: dict) -> Region | None:
        label = COLUMN_BY_FIELD["login"].label
        code = int(login[3:5])
        region = self.regions.get(code)
        batch = self.batch
        if login in self.seen_logins:
            self.plan.error(number, label,
                            f"логин {login} уже встречался в строке {self.seen_logins[login]}: "
                            "строка повторяет ту же школу")
            values.pop("inn", None)  # the same duplicate is not reported twice
        elif region is None and batch.region_id:
            self.plan.error(number, label,
                            f"код региона в логине ({login[3:5]}) не совпадает с регионом "
                            f"импорта ({batch.region.code:02d} — {batch.region.name})")
        elif region is None:
            _count_missing_region(self.missing_regions, code, number, values, self.plan)
        self.seen_logins.setdefault(login, number)
        return region

    def _municipality(self, number: int, region: Region, name: str) -> Municipality | None:
        municipality = self.index.resolve(region.pk, name)
        if municipality is None:
            closest = self.index.closest(region.pk, name)
            hint = f" Возможно, имелся в виду «{closest.name}»?" if closest else ""
            self.plan.error(number, COLUMN_BY_FIELD["municipality"].label,
                            f"муниципалитет «{name}» не найден в регионе «{region.name}».{hint}")
            entry = self.missing_municipalities.setdefault(
                (region.code, municipality_key(name)), {
                    "region_code": region.code, "region": region.name, "name": name,
                    "schools": 0, "suggestion": closest.name if closest else ""})
            entry["schools"] += 1
        return municipality

    def _inn(self, number: int, inn: str | None) -> None:
        if not inn:
            return
        if inn in self.seen_inns:
            self.plan.error(number, COLUMN_BY_FIELD["inn"].label,
                            f"ИНН {inn} уже встречался в строке {self.seen_inns[inn]}")
        else:
            self.seen_inns[inn] = number

    def finish(self) -> None:
        """One error per region the portal lacks; the territories offered for creation."""
        label = COLUMN_BY_FIELD["login"].label
        missing = sorted(self.missing_regions.items())
        for _code, entry in missing:
            self.plan.error(entry["first_row"], label, _missing_region_message(entry))
        self.plan.missing = {
            "regions": [{k: v for k, v in entry.items() if k != "municipality_names"}
                        for _, entry in missing],
            "municipalities": sorted(self.missing_municipalities.values(),
                                     key=lambda m: (m["region_code"], m["name"]))[:MAX_STORED],
        }


def _identity(values: dict, municipality: Municipality) -> dict:
    """The registry's fields of a school as its valid row gives them."""
    identity = {k: values[k] for k in ("full_name", "short_name", "address", "inn")
                if k in values}
    identity["municipality_id"] = municipality.pk
    if values.get("kind"):
        identity["kind"] = guess_kind(values["kind"])
    if "is_rural" in values:
        identity["is_rural"] = values["is_rural"]
    return identity


def _year_values(values: dict, flag: str | None) -> dict:
    """The year's status fields of a valid row (``flag``: the list's own flag)."""
    year = {k: values[k] for k in ("category", "ior", "isb") if k in values}
    if flag:
        year[flag] = True  # being on the list is the flag; a column may still say «нет»
    for name in FLAGS:
        if name in values:
            year[name] = values[name]
    return year


def _count_missing_region(missing: dict, code: int, number: int, values: dict, plan: Plan
                          ) -> None:
    """A row of a region the portal does not have: counted under one error per region."""
    entry = missing.get(code)
    if entry is None:
        entry = missing[code] = {"code": code, "name": subject_name(code) or "",
                                 "first_row": number, "rows": 0, "municipalities": [],
                                 "municipality_names": {}}
    entry["rows"] += 1
    name = values.get("municipality", "")
    if name:
        key = municipality_key(name)
        names = entry["municipality_names"]
        if key not in names:
            names[key] = len(entry["municipalities"])
            entry["municipalities"].append({"name": name, "schools": 0})
        entry["municipalities"][names[key]]["schools"] += 1


def _missing_region_message(entry: dict) -> str:
    rows = plural(entry["rows"], "строка", "строки", "строк")
    if entry["name"]:
        what = f"регион {entry['code']:02d} — {entry['name']} — не заведён в портале"
        fix = ("; его и его муниципалитеты можно завести кнопкой «Завести недостающие "
               "регионы и муниципалитеты»")
    else:
        what = f"код региона {entry['code']:02d} не является кодом субъекта РФ"
        fix = "; проверьте логины в этих строках"
    return f"{what}: в файле {entry['rows']} {rows} этого региона{fix}"


def _scope_q(plan: Plan, batch: ImportBatch) -> Q:
    """Where «absent from the list» means something: the batch's region, or — for a
    federal list — the regions the file holds (a region it does not mention is untouched)."""
    if batch.region_id:
        return Q(region_id=batch.region_id)
    return Q(region_id__in=plan.region_ids)


def _diff(plan: Plan, batch: ImportBatch) -> None:
    """What the valid rows change in the registry and in the year's statuses, and who
    leaves the list."""
    existing = _registry_rows(plan)
    years = _year_rows(plan, batch)
    listed_ids = set()
    for row in plan.rows:
        current = existing.get(row.login)
        if current is None:
            plan.new.append(row)
            plan.year_creates.append((0, row))
            continue
        listed_ids.add(current["pk"])
        _diff_school(plan, row, current)
        _diff_year(plan, row, current["pk"], years.get(current["pk"]))
    if plan.clear_flag:
        _diff_cleared(plan, years, listed_ids)
    _diff_gone(plan, batch)


def _registry_rows(plan: Plan) -> dict[str, dict]:
    """The registry's schools of the file's logins, by login (one query)."""
    logins = [r.login for r in plan.rows]
    fields = ("pk", "login", *IDENTITY_FIELDS)
    qs = School.objects.filter(region_id__in=plan.region_ids) if len(logins) > 2000 else \
        School.objects.filter(login__in=logins)
    return {values[1]: dict(zip(fields, values, strict=True))
            for values in qs.values_list(*fields)}


def _year_rows(plan: Plan, batch: ImportBatch) -> dict[int, dict]:
    """The batch year's statuses inside the list's scope, by school id (one query)."""
    year_fields = ("pk", "school_id", *YEAR_FIELDS)
    year_qs = SchoolYear.objects.filter(year=batch.year).filter(_scope_q(plan, batch))
    return {values[1]: dict(zip(year_fields, values, strict=True))
            for values in year_qs.values_list(*year_fields)}


def _diff_school(plan: Plan, row: Row, current: dict) -> None:
    new_name = row.values.get("full_name", "")
    if new_name and is_short_form(new_name, current["full_name"]):
        # a list of short names never overwrites the full names of the registry
        row.values["full_name"] = current["full_name"]
        row.values.setdefault("short_name", new_name)
        plan.kept_full_names += 1
        if plan.kept_full_names <= 20:
            plan.note(row.number, COLUMN_BY_FIELD["full_name"].label,
                      f"«{new_name}» — краткое наименование: полное наименование "
                      f"«{current['full_name']}» в реестре сохранено")
    changes = {k: (current[k], v) for k, v in row.values.items() if current[k] != v}
    if changes:
        plan.updates.append((current["pk"], row, changes))
        if "full_name" in changes:
            plan.renamed.append((row.login, current["full_name"], row.values["full_name"]))


def _diff_year(plan: Plan, row: Row, school_id: int, year: dict | None) -> None:
    if year is None:
        plan.year_creates.append((school_id, row))
        return
    year_changes = {k: (year[k], v) for k, v in row.year.items() if year[k] != v}
    if year_changes:
        plan.year_updates.append((year["pk"], school_id, row, year_changes))


def _diff_cleared(plan: Plan, years: dict[int, dict], listed_ids: set[int]) -> None:
    """Schools with the list's flag this year that the list no longer holds lose it."""
    flag = plan.clear_flag
    # a school whose row had errors (and was skipped) is not taken off the list
    held = set(School.objects.filter(login__in=list(plan.error_logins))
               .values_list("pk", flat=True)) if plan.error_logins else set()
    cleared = [(year["pk"], school_id) for school_id, year in years.items()
               if year[flag] and school_id not in listed_ids and school_id not in held]
    logins = dict(School.objects.filter(pk__in=[sid for _, sid in cleared])
                  .values_list("pk", "login")) if cleared else {}
    plan.cleared = [(pk, logins.get(sid, ""), "") for pk, sid in cleared]


def _diff_gone(plan: Plan, batch: ImportBatch) -> None:
    """«выбыли»: on last year's list (this kind's flag; any flag for a combined list)."""
    flag = plan.clear_flag
    listed_logins = {r.login for r in plan.rows} | plan.error_logins
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
        "missing": plan.missing,
        "kept_full_names": plan.kept_full_names,
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


SCHOOL_LISTS = Importer(
    key="schools", label="Списки школ (ШНОР, ШССУ, «500+»)", columns=lambda batch: COLUMNS,
    plan=plan_import, summary=plan_summary, apply=apply_plan,
    result_template="schools/import/_school_list_result.html",
    confirmed=("errors", "new", "updated", "year_new", "year_updated", "cleared"),
    kinds=(ImportBatch.Kind.SHNOR, ImportBatch.Kind.SHSSU, ImportBatch.Kind.PARTICIPANTS,
           ImportBatch.Kind.COMBINED),
    skippable=True,
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
