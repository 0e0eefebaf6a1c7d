"""The institute's list of curators (seed 000, «приказ от 09.03.2022 № 235») through the
registry's import machinery: upload → dry run with a preview → all-or-nothing apply.

A row names a curator, its unit and position, how many schools it takes and the
territories (municipalities) it covers. Official lists overlap (Rostov 2022: two
municipalities under two curators, one under none), so the plan is built like this:

1. a municipality listed by one curator gives it all its uncurated participant schools;
2. a municipality listed by several is split among them by what each still has room for
   (the «number of schools» column minus what step 1 gave it), in the file's order;
3. a municipality listed by nobody, schools left over, a curator with fewer schools than
   declared, a declared conflict of interest — warnings in the preview, never guesses: those
   schools stay on the board's «без куратора» list for a manual assignment.

The columns are declared with their parsers (:data:`COLUMNS`); :func:`core.rows.parse_rows`
runs the row loop, and the plan adds what needs the region's curators and municipalities
or the other rows. A list with errors is not split at all, and cannot be imported without
its bad rows (see ``CURATOR_LIST``).
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field

from core.importing import (
    MAX_STORED,
    ErrorLog,
    Importer,
    MunicipalityIndex,
    read_batch,
    register_importer,
    require_mapped,
)
from core.models import User
from core.roles import Role
from core.rows import ParsedRow, parse_rows
from core.tabular import Column, TableError, cell_decimal, cell_text
from core.text import clean_spaces, count_phrase, name_key, plural
from schools.models import ImportBatch, School, SchoolYear

from .models import CuratorAssignment, CuratorOrder

_SPLIT = re.compile(r"[;\n]|,(?![^()]*\))")
UNIT_LIMIT = CuratorAssignment._meta.get_field("unit").max_length


def _parse_territories(value: object) -> list[str]:
    names = [n.strip() for n in _SPLIT.split(cell_text(value)) if n.strip()]
    if not names:
        raise ValueError("не указаны территории")
    return names


def _parse_count(value: object) -> int:
    try:
        number = cell_decimal(value)
    except ValueError:
        number = None
    if number is None or number < 0 or number != number.to_integral_value():
        raise ValueError(f"«{cell_text(value)}» — ожидалось целое число школ")
    return int(number)


def _parse_unit(value: object) -> str:
    unit = clean_spaces(cell_text(value))
    if len(unit) > UNIT_LIMIT:
        size = count_phrase(len(unit), "символ")
        raise ValueError(f"слишком длинное название подразделения ({size}, "
                         f"допустимо не больше {UNIT_LIMIT})")
    return unit


# The curator («Ластовыря Л.Ф.») is the key of a row. The territories are what a row is
# about: with them and without a curator it is a curator's row with the name missing (an
# error), never a heading or a note.
CURATOR = Column("curator", "Куратор (ФИО)",
                 ("куратор", "фио куратора", "фио", "ф и о", "curator", "фамилия и инициалы"),
                 required=True, key=True, missing="не указан куратор")
TERRITORIES = Column("territories", "Закреплённые территории",
                     ("территории", "закрепленные территории", "муниципалитеты",
                      "муниципальные образования", "территории муниципалитеты", "territories",
                      "районы"),
                     required=True, parse=_parse_territories, name=True,
                     missing="не указаны территории")
SCHOOLS = Column("schools", "Количество школ",
                 ("количество школ", "число школ", "школ", "количество оо", "schools",
                  "количество закрепленных школ"), parse=_parse_count)
UNIT = Column("unit", "Подразделение",
              ("подразделение", "структурное подразделение", "кафедра", "центр", "unit",
               "отдел"), parse=_parse_unit)
POSITION = Column("position", "Должность", ("должность", "position", "должность куратора"),
                  parse=lambda value: clean_spaces(cell_text(value)))
COLUMNS = [CURATOR, TERRITORIES, SCHOOLS, UNIT, POSITION]
_INITIALS = re.compile(r"[A-Za-zА-Яа-яЁё]")


def person_key(text: str) -> tuple[str, str]:
    """«Ластовыря Л.Ф.», «Ластовыря Л. Ф.», «Ластовыря Лариса Фёдоровна» → (ластовыря, лф)."""
    parts = [p for p in re.split(r"[\s.]+", name_key(text)) if p]
    if not parts:
        return ("", "")
    return parts[0], "".join(p[0] for p in parts[1:3] if _INITIALS.match(p[0]))


def _user_key(user: User) -> tuple[str, str]:
    return person_key(f"{user.last_name} {user.first_name} {user.middle_name}")


@dataclass
class CuratorRow:
    number: int
    label: str
    curator: User
    unit: str
    position: str
    declared: int | None
    municipality_ids: list[int]
    planned: list[School] = field(default_factory=list)


@dataclass
class CuratorPlan(ErrorLog):
    rows: list[CuratorRow] = field(default_factory=list)
    row_count: int = 0
    already: list[tuple[School, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    left: list[School] = field(default_factory=list)

    @property
    def creates(self) -> list[tuple[CuratorRow, School]]:
        return [(row, school) for row in self.rows for school in row.planned]

    @property
    def counts(self) -> dict:
        return {"rows": self.row_count, "errors": self.error_total, "curators": len(self.rows),
                "new": len(self.creates), "already": len(self.already),
                "left": len(self.left), "warnings": len(self.warnings)}


def plan_curator_import(batch: ImportBatch, content: bytes, progress=None
                        ) -> tuple[CuratorPlan, dict]:
    """Read the list, find its curators and territories in the region and split the
    region's participant schools among them; writes nothing."""
    from .selectors import conflicts_of

    if batch.region_id is None:
        raise TableError("Список кураторов загружается для региона.")
    reading = read_batch(batch, content, COLUMNS)
    require_mapped(reading, COLUMNS)
    plan = CuratorPlan()
    parsed = parse_rows(reading.body.rows, reading.mapping, COLUMNS, plan, progress,
                        len(reading.body.rows))
    plan.row_count = len(parsed)
    curators: dict[tuple[str, str], list[User]] = defaultdict(list)
    for user in User.objects.filter(memberships__role=Role.CURATOR,
                                    memberships__region_id=batch.region_id,
                                    memberships__ended_at__isnull=True).distinct():
        curators[_user_key(user)].append(user)
    index = MunicipalityIndex(batch.region.municipalities.all())
    seen: dict[int, int] = {}
    for parsed_row in parsed:
        row = _curator_row(plan, batch, parsed_row, curators, index)
        if row is None:
            continue
        if row.curator.pk in seen:
            plan.error(row.number, CURATOR.label, f"куратор {row.label} уже указан в строке "
                                                  f"{seen[row.curator.pk]}")
            continue
        seen[row.curator.pk] = row.number
        plan.rows.append(row)
    if plan.error_total:
        # the schools are split by all the rows together: without a row the others would
        # take its territories, so a list with errors is not allocated at all
        return plan, reading.meta
    _allocate(plan, batch)
    for row in plan.rows:
        conflicts = conflicts_of(row.curator, row.planned)
        for school in [s for s in row.planned if s.pk in conflicts]:
            row.planned.remove(school)
            plan.left.append(school)
            plan.warnings.append(f"{row.label} — «{school.short_name}»: конфликт интересов "
                                 f"({'; '.join(conflicts[school.pk])}). Школа не назначена: "
                                 "решите на доске вручную.")
        if row.declared is not None and len(row.planned) != row.declared:
            plan.warnings.append(f"{row.label}: в списке {row.declared} "
                                 f"{plural(row.declared, 'школа', 'школы', 'школ')}, по "
                                 f"территориям получилось {len(row.planned)}.")
    if progress:
        progress(1, 1)
    return plan, reading.meta


def _curator_row(plan: CuratorPlan, batch: ImportBatch, row: ParsedRow, curators: dict,
                 index: MunicipalityIndex) -> CuratorRow | None:
    """The row's curator among the region's curators and its territories among the
    region's municipalities; ``None`` when the row has errors."""
    number, values = row.number, row.values
    before = plan.error_total
    label = values.get("curator", "")
    found = curators.get(person_key(label), []) if label else []
    if label and not found:
        plan.error(number, CURATOR.label,
                   f"«{label}» не найден среди кураторов региона «{batch.region.name}». "
                   "Проверьте фамилию и инициалы или сначала выдайте пользователю роль "
                   "куратора в регионе.")
    elif len(found) > 1:
        plan.error(number, CURATOR.label, f"«{label}»: в регионе несколько кураторов с такими "
                                          "фамилией и инициалами — назначьте вручную.")
    municipality_ids = []
    for name in values.get("territories", []):
        m = index.resolve(batch.region_id, name)
        if m is None:
            plan.error(number, TERRITORIES.label,
                       f"муниципалитет «{name}» не найден в регионе «{batch.region.name}»."
                       + index.suggest(batch.region_id, name))
        elif m.pk not in municipality_ids:
            municipality_ids.append(m.pk)
    if not row.ok or plan.error_total != before:
        return None
    return CuratorRow(number, label, found[0], values.get("unit", ""),
                      values.get("position", ""), values.get("schools"), municipality_ids)


def _allocate(plan: CuratorPlan, batch: ImportBatch) -> None:
    participants = list(School.objects.filter(
        pk__in=SchoolYear.objects.filter(region_id=batch.region_id, year=batch.year,
                                         is_participant=True).values("school_id"))
        .select_related("municipality").order_by("short_name", "login"))
    if not participants:
        raise TableError(f"В реестре нет участников «500+» {batch.year} года в регионе "
                         f"«{batch.region.name}»: сначала загрузите список школ.")
    # a school with any open assignment (lead or co-curator) is left as it is
    active = dict(CuratorAssignment.objects.filter(
        year=batch.year, ended_at__isnull=True, school__in=participants)
        .order_by("is_co_curator").values_list("school_id", "curator__last_name"))
    by_municipality: dict[int, list[School]] = defaultdict(list)
    for school in participants:
        if school.pk in active:
            plan.already.append((school, active[school.pk]))
        else:
            by_municipality[school.municipality_id].append(school)
    claims: dict[int, list[CuratorRow]] = defaultdict(list)
    for row in plan.rows:
        for m in row.municipality_ids:
            claims[m].append(row)
    shared = []
    for m, rows in claims.items():
        if len(rows) == 1:
            rows[0].planned.extend(by_municipality.pop(m, []))
        else:
            shared.append(m)
    for m in shared:
        schools = by_municipality.pop(m, [])
        for row in claims[m]:
            room = (row.declared - len(row.planned)) if row.declared is not None else 0
            take, schools = schools[:max(room, 0)], schools[max(room, 0):]
            row.planned.extend(take)
        if schools:
            plan.left.extend(schools)
            names = ", ".join(r.label for r in claims[m])
            plan.warnings.append(
                f"«{schools[0].municipality.name}» указан у нескольких кураторов ({names}); "
                f"по числу школ в списке не распределено: {len(schools)}.")
    for schools in by_municipality.values():
        plan.left.extend(schools)
        plan.warnings.append(f"«{schools[0].municipality.name}» ({len(schools)} шк.) не указан "
                             "ни у одного куратора.")


def summary_curator_import(plan: CuratorPlan) -> dict:
    return {
        "curators": [{"row": r.number, "label": r.label, "unit": r.unit,
                      "position": r.position, "declared": r.declared,
                      "planned": len(r.planned),
                      "schools": [f"{s.short_name} ({s.municipality.name})"
                                  for s in r.planned[:MAX_STORED]]}
                     for r in plan.rows],
        "warnings": plan.warnings[:MAX_STORED],
        "left": [f"{s.short_name} ({s.municipality.name})" for s in plan.left[:MAX_STORED]],
        "already": [f"{s.short_name} — {last}" for s, last in plan.already[:MAX_STORED]],
    }


def apply_curator_import(plan: CuratorPlan, batch: ImportBatch) -> None:
    """Through the assignment service (grants and one audit entry each), inside the
    caller's transaction."""
    from .services import AssignmentTerms, assign_within, curator_check

    params = batch.params or {}
    order = None
    if params.get("order"):
        order = CuratorOrder.objects.get(public_id=params["order"], region_id=batch.region_id)
    starts_on = (datetime.date.fromisoformat(params["starts_on"])
                 if params.get("starts_on") else None)
    for row, school in plan.creates:
        curator_check(row.curator, batch.region)
        assign_within(batch.applied_by, row.curator, school, AssignmentTerms(
            year=batch.year, order=order, organisation=params.get("organisation", ""),
            unit=row.unit, starts_on=starts_on))


CURATOR_LIST = Importer(
    key="curators", label="Кураторы и закреплённые территории",
    columns=lambda batch: COLUMNS, plan=plan_curator_import, summary=summary_curator_import,
    apply=apply_curator_import, result_template="curators/import/_result.html",
    confirmed=("errors", "new", "left"), kinds=(ImportBatch.Kind.CURATORS,),
    # Not skippable: the schools of a territory are split among all the rows that list it,
    # so leaving a row with errors out would hand its schools to the other curators of the
    # territory — an assignment nobody wrote in the file.
    preview_message=lambda c: (f"Проверка завершена: кураторов {c['curators']}, будет "
                               f"назначено школ {c['new']}, останутся без куратора "
                               f"{c['left']}."),
    applied_message=lambda c: f"Кураторы назначены: школ {c['new']}.",
    confirm_message=lambda c: (f"Будет назначено школ: {c.get('new', 0)}; останутся без "
                               f"куратора: {c.get('left', 0)}."),
)
register_importer(CURATOR_LIST)
