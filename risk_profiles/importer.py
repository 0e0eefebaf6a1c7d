"""ФИОКО's risk-profile table (school × factor) through the registry's import machinery.

The same upload → dry run → mapping → all-or-nothing apply as the school lists
(``core.importing.register_importer``); only the columns, the row rules and the writes
are this app's. A factor cell may hold ФИОКО's number, a level word, a «+» mark of an
activated risk, or a mix («0,62 высокий +»). When the file has any «+», it is taken as the
activation list: a factor of the file without «+» (an empty cell too) is then not activated.
Otherwise empty cells change nothing.

The columns (the login or ИНН, and one per factor of the year) are declared with their
parsers; :func:`core.rows.parse_rows` runs the row loop, and the plan adds only what needs
the registry, the profiles or the other rows. A row with errors can be left out by the
user's choice (``skippable``); a factor column of another year cannot.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db.models import Prefetch

from core.importing import (
    MAX_STORED,
    ErrorLog,
    Importer,
    MappingIncomplete,
    Reading,
    read_batch,
    register_importer,
    require_mapped,
)
from core.rows import ParsedRow, parse_rows
from core.tabular import Column, TableError, cell_inn, cell_text
from core.text import name_key
from schools.importer import normalise_login, parse_login
from schools.models import ImportBatch, School, SchoolYear

from .models import Level, RiskFactor, RiskProfile, RiskProfileItem


def parse_school_key(value: object) -> object:
    """A school's ФИС ОКО login (look-alike Cyrillic letters, spaces and capitals read as
    the login, with a note) or its ИНН in any form; ``ValueError`` for anything else."""
    if re.fullmatch(r"sch\d{6}", normalise_login(value)):
        return parse_login(value)
    try:
        return cell_inn(value)
    except ValueError:
        raise ValueError(f"«{cell_text(value)}» — ожидался логин вида sch610123 или ИНН школы "
                         "из десяти цифр")


# The login (or ИНН) is the key of a row; the school's name, kept only for the reader's
# check, makes a row without the key a school whose key is missing (an error), not a note.
LOGIN = Column("login", "Логин школы (или ИНН)",
               ("логин", "логин оо", "логин фис око", "login", "код оо", "инн", "инн оо"),
               required=True, parse=parse_school_key, key=True,
               missing="не заполнен логин школы (или ИНН)")
NAME = Column("school_name", "Наименование школы (для сверки)",
              ("наименование", "полное наименование", "краткое наименование",
               "образовательная организация", "школа", "название оо"), name=True)
FACTOR_PREFIX = "factor:"
VALUE_LIMIT = Decimal("99999")

_LEVEL_WORDS = [
    ("нет риска", Level.NONE), ("риск отсутствует", Level.NONE), ("отсутствует", Level.NONE),
    ("высок", Level.HIGH), ("средн", Level.MEDIUM), ("низк", Level.LOW),
]
_ACTIVATED_WORDS = ("+", "да", "активирован", "активен")
_NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?")
# a header naming a factor by its code; the Cyrillic «Р» typed for the Latin R is common
_CODE_HEADER = re.compile(r"^\s*[RР]\s?(\d{2})(?!\d)", re.IGNORECASE)


def factor_column(factor: RiskFactor) -> Column:
    code_cyr = "Р" + factor.code[1:]
    return Column(
        FACTOR_PREFIX + factor.code, f"{factor.code}. {factor.title}",
        (factor.code, code_cyr, factor.title, f"{factor.code} {factor.title}",
         f"{code_cyr} {factor.title}", f"{factor.position} {factor.title}",
         f"риск {factor.position}", f"фактор {factor.position}",
         f"фактор риска {factor.position}"),
        parse=parse_cell,
    )


def risk_columns(batch: ImportBatch) -> list[Column]:
    factors = RiskFactor.objects.filter(year=batch.year).order_by("position")
    return [LOGIN, NAME, *(factor_column(f) for f in factors)]


@dataclass(frozen=True)
class Cell:
    value: Decimal | None = None
    level: str = ""
    activated: bool = False

    @property
    def empty(self) -> bool:
        return self.value is None and not self.level and not self.activated


def parse_cell(raw: object) -> Cell:
    """ФИОКО's number, a level word and/or «+»; raises ``ValueError`` in Russian."""
    if raw is None:
        return Cell()
    if isinstance(raw, bool):
        return Cell(activated=raw)
    if isinstance(raw, int | float):
        return Cell(value=_checked(Decimal(str(raw))))
    text = name_key(cell_text(raw))
    if not text or text in ("-", "—", "–", "нет"):
        return Cell()
    activated = False
    for word in _ACTIVATED_WORDS:
        if word == "+" and "+" in text:
            activated, text = True, text.replace("+", " ")
        elif word != "+" and re.search(rf"\b{word}\b", text):
            activated, text = True, re.sub(rf"\b{word}\b", " ", text)
    level = ""
    for word, found in _LEVEL_WORDS:
        if word in text:
            level = found
            text = re.sub(rf"\b{word}\w*", " ", text)
            break
    value = None
    number = _NUMBER.search(text)
    if number:
        try:
            value = _checked(Decimal(number.group(0).replace(",", ".")))
        except InvalidOperation:  # pragma: no cover - the regex admits only numbers
            value = None
        text = text[:number.start()] + " " + text[number.end():]
    leftover = re.sub(r"[\s;:,./()«»\"'–—-]+", "", text)
    if leftover or (value is None and not level and not activated):
        raise ValueError(f"«{cell_text(raw)}» — ожидалось значение ФИОКО (число), уровень "
                         "риска (высокий, средний, низкий, нет риска) и/или «+» для "
                         "активированного риска")
    return Cell(value=value, level=level, activated=activated)


def _checked(value: Decimal) -> Decimal:
    if value < 0:
        raise ValueError(f"{value} — значение фактора не может быть отрицательным")
    if value > VALUE_LIMIT:
        raise ValueError(f"{value} — слишком большое значение фактора")
    return value.quantize(Decimal("0.0001"))


@dataclass
class RiskRow:
    number: int
    school: School
    cells: dict[str, Cell]  # factor code → cell


@dataclass
class RiskPlan(ErrorLog):
    creates: list[RiskRow] = field(default_factory=list)
    updates: list[tuple[RiskProfile, RiskRow, dict]] = field(default_factory=list)
    unchanged: int = 0
    rows: int = 0
    error_rows: int = 0
    marks_activation: bool = False
    factor_codes: list[str] = field(default_factory=list)

    @property
    def counts(self) -> dict:
        return {"rows": self.rows, "errors": self.error_total, "error_rows": self.error_rows,
                "valid": len(self.creates) + len(self.updates) + self.unchanged,
                "new": len(self.creates),
                "updated": len(self.updates), "unchanged": self.unchanged,
                "factors": len(self.factor_codes),
                "activated": sum(1 for r in self.creates for c in r.cells.values()
                                 if c.activated)
                + sum(1 for _, r, _ in self.updates for c in r.cells.values() if c.activated)}


def _changes(item: RiskProfileItem | None, cell: Cell, marks_activation: bool) -> dict:
    """What the cell changes on the item (a new item starts empty)."""
    old_value = item.value if item else None
    old_level = item.level if item else ""
    old_activated = item.activated if item else False
    changes = {}
    if cell.value is not None and cell.value != old_value:
        changes["value"] = (old_value, cell.value)
    if cell.level and cell.level != old_level:
        changes["level"] = (old_level, cell.level)
    if marks_activation and cell.activated != old_activated:
        changes["activated"] = (old_activated, cell.activated)
    return changes


def plan_risk_import(batch: ImportBatch, content: bytes, progress=None
                     ) -> tuple[RiskPlan, dict]:
    """Validate every row against the registry and the year's catalogue; writes nothing."""
    factors = {f.code: f for f in RiskFactor.objects.filter(year=batch.year)}
    if not factors:
        raise TableError(f"Каталог факторов риска на {batch.year} год не загружен: загрузить "
                         "профили можно после того, как администратор заведёт каталог.")
    columns = risk_columns(batch)
    reading = read_batch(batch, content, columns)
    require_mapped(reading, columns)
    mapping = reading.mapping
    factor_fields = [f for f in mapping if f.startswith(FACTOR_PREFIX)]
    if not factor_fields:
        raise MappingIncomplete(f"Не найдено ни одного столбца факторов риска {batch.year} "
                                "года. Укажите столбцы факторов в сопоставлении ниже.",
                                reading.meta)
    plan = RiskPlan(factor_codes=sorted(f.removeprefix(FACTOR_PREFIX) for f in factor_fields))
    _check_foreign_factor_columns(plan, batch, reading, factors)
    parsed = parse_rows(reading.body.rows, mapping, columns, plan, progress,
                        len(reading.body.rows))
    plan.rows = len(parsed)
    # a mapped factor whose cell is empty is a factor without «+» (see the module's note)
    plan.marks_activation = any(value.activated for row in parsed
                                for name, value in row.values.items()
                                if name.startswith(FACTOR_PREFIX))
    schools = _schools_of(batch, [row.values["login"] for row in parsed
                                  if "login" in row.values])
    in_lists = set(SchoolYear.objects.filter(year=batch.year, school__in=schools.values())
                   .values_list("school_id", flat=True))
    profiles = {p.school_id: p for p in RiskProfile.objects.filter(
        year=batch.year, school__in=schools.values()).prefetch_related(
        Prefetch("items", queryset=RiskProfileItem.objects.select_related("factor")))}
    seen: dict[int, int] = {}
    for row in parsed:
        if not _risk_row(plan, batch, row, factor_fields, schools, in_lists, profiles, seen):
            plan.error_rows += 1
    if progress:
        progress(len(parsed), len(parsed))
    return plan, reading.meta


def _risk_row(plan: RiskPlan, batch: ImportBatch, row: ParsedRow, factor_fields: list[str],
              schools: dict[str, School], in_lists: set[int], profiles: dict,
              seen: dict[int, int]) -> bool:
    """The checks of a parsed row that need the registry or the other rows; adds the row to
    the plan and says whether it is valid."""
    number = row.number
    before = plan.error_total
    key = row.values.get("login")
    school = schools.get(key) if key else None
    if key and school is None:
        plan.error(number, LOGIN.label, _not_found(batch, key))
    elif school is not None and school.pk in seen:
        plan.error(number, LOGIN.label, f"школа «{school.short_name}» уже встречалась в "
                                        f"строке {seen[school.pk]}")
    elif school is not None and school.pk not in in_lists:
        plan.error(number, LOGIN.label, f"школа «{school.short_name}» не входит в перечни "
                                        f"{batch.year} года: сначала загрузите список школ")
    if school is not None:
        seen.setdefault(school.pk, number)
    if not row.ok or plan.error_total != before:
        return False
    cells = {name.removeprefix(FACTOR_PREFIX): row.values.get(name, Cell())
             for name in factor_fields}
    risk_row = RiskRow(number, school, cells)
    profile = profiles.get(school.pk)
    if profile is None:
        plan.creates.append(risk_row)
        return True
    if not profile.is_editable:
        plan.error(number, LOGIN.label,
                   f"риск-профиль школы «{school.short_name}» "
                   f"{profile.get_status_display()}: его нельзя изменить загрузкой"
                   + (" — сначала куратор должен его разблокировать"
                      if profile.status == RiskProfile.Status.VERIFIED else
                      " — дождитесь решения куратора"))
        return False
    items = {i.factor.code: i for i in profile.items.all()}
    diff = {code: ch for code, cell in cells.items()
            if (ch := _changes(items.get(code), cell, plan.marks_activation))}
    if diff:
        plan.updates.append((profile, risk_row, diff))
    else:
        plan.unchanged += 1
    return True


def _schools_of(batch: ImportBatch, keys: list[str]) -> dict[str, School]:
    """Schools named in the file by login or by ИНН, inside the batch's region."""
    logins = {k for k in keys if k.startswith("sch")}
    inns = {k for k in keys if k.isdigit()}
    qs = School.objects.select_related("region", "municipality")
    if batch.region_id:
        qs = qs.filter(region_id=batch.region_id)
    found: dict[str, School] = {}
    for school in qs.filter(login__in=logins):
        found[school.login] = school
    for school in qs.filter(inn__in=inns):
        found.setdefault(school.inn, school)
    return found


def _not_found(batch: ImportBatch, key: str) -> str:
    """Why a well-formed login or ИНН names no school of the batch's region."""
    if key.startswith("sch"):
        if batch.region_id and key[3:5] != f"{batch.region.code:02d}":
            return (f"код региона в логине ({key[3:5]}) не совпадает с регионом загрузки "
                    f"({batch.region.code:02d} — {batch.region.name})")
        return (f"школа с логином {key} не найдена в реестре портала: сначала загрузите "
                "список школ")
    return (f"школа с ИНН {key} не найдена в реестре"
            + (f" региона «{batch.region.name}»" if batch.region_id else ""))


def _check_foreign_factor_columns(plan: RiskPlan, batch: ImportBatch, reading: Reading,
                                  factors: dict) -> None:
    """A column headed with a factor code that the year's catalogue does not have is an
    error of the whole file (``row=None``): its data would be silently dropped (2022 has no
    R08–R10 of 2021), and leaving rows out cannot mend it."""
    used = set(reading.mapping.values())
    header = reading.header
    for column in reading.file_columns:
        index = column["index"]
        own = header.titles[index] if index < len(header.titles) else ""
        # the code opens the column's own title, under a group label («Факторы риска»)
        found = _CODE_HEADER.match(own or "") or _CODE_HEADER.match(column["title"] or "")
        if not found or index in used:
            continue
        code = f"R{found.group(1)}"
        if code in factors:
            continue
        years = sorted(set(RiskFactor.objects.filter(code=code).values_list("year", flat=True)))
        when = (f" (он действовал в {', '.join(map(str, years))} г.)" if years else
                " и ни в одном другом году")
        plan.error(None, f"{column['letter']}: {column['title']}",
                   f"фактора {code} нет в каталоге {batch.year} года{when}. Уберите этот "
                   "столбец или проверьте, что выбран верный год загрузки.")


def _show(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "активирован" if value else "не активирован"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f").replace(".", ",")
    return Level(value).label if value in Level.values else str(value)


def summary_risk_import(plan: RiskPlan) -> dict:
    return {
        "marks_activation": plan.marks_activation,
        "factors": plan.factor_codes,
        "new": [{"row": r.number, "login": r.school.login, "name": r.school.short_name,
                 "activated": [c for c, cell in r.cells.items() if cell.activated],
                 "filled": sum(1 for cell in r.cells.values() if not cell.empty)}
                for r in plan.creates[:MAX_STORED]],
        "updated": [{"row": r.number, "login": r.school.login, "name": r.school.short_name,
                     "changes": [{"field": code, "old": _show(old), "new": _show(new)}
                                 for code, changes in sorted(diff.items())
                                 for old, new in changes.values()]}
                    for _, r, diff in plan.updates[:MAX_STORED]],
    }


def apply_risk_import(plan: RiskPlan, batch: ImportBatch) -> None:
    """Write through the profile services (one audit entry per profile), inside the
    caller's transaction and region lock."""
    from .services import ItemChange, profile_create, profile_update

    actor = batch.applied_by

    def item_changes(row: RiskRow) -> dict[str, ItemChange]:
        changes = {}
        for code, cell in row.cells.items():
            change = ItemChange(value=cell.value, level=cell.level or None)
            if plan.marks_activation:
                change.activated = cell.activated
            changes[code] = change
        return changes

    for row in plan.creates:
        profile = profile_create(actor=actor, school=row.school, year=batch.year, batch=batch)
        profile_update(actor=actor, profile=profile, changes=item_changes(row), batch=batch)
    for profile, row, _ in plan.updates:
        profile_update(actor=actor, profile=profile, changes=item_changes(row), batch=batch)


RISK_PROFILES = Importer(
    key="risk_profiles", label="Риск-профили школ (ФИОКО)", columns=risk_columns,
    plan=plan_risk_import, summary=summary_risk_import, apply=apply_risk_import,
    result_template="risk_profiles/import/_result.html",
    confirmed=("errors", "new", "updated"),
    kinds=(ImportBatch.Kind.RISK_PROFILES,),
    # A row with errors is left out of the creates and updates, and the apply writes only
    # those: a school absent from the file keeps its profile as it is, so without its bad
    # rows the table leaves those schools' profiles untouched. A factor column the year does
    # not have is an error of the whole file, which skipping rows cannot get past.
    skippable=True,
    preview_message=lambda c: (f"Проверка завершена: новых риск-профилей {c['new']}, "
                               f"изменённых {c['updated']}, без изменений {c['unchanged']}."),
    applied_message=lambda c: (f"Риск-профили загружены: новых {c['new']}, изменено "
                               f"{c['updated']}."),
    confirm_message=lambda c: (f"Новых риск-профилей: {c.get('new', 0)}, изменённых: "
                               f"{c.get('updated', 0)}."),
)
register_importer(RISK_PROFILES)
