"""The regional methodical pool from Excel (the registry's import machinery: upload → dry
run with a preview → all-or-nothing apply).

A row is one methodist: ФИО, municipality of work, subjects (several in one cell, split by
«;» or «,»), and optionally the place of work (a school login or name from the registry, or
any organisation), position, the date and result of the competence assessment, tutor yes/no.
A person already in the pool (same ФИО and municipality) is updated, not doubled, and an
empty cell keeps what the pool says. Subjects not yet in the portal's list are added, and
the preview says which.

The columns are declared with their parsers (:data:`COLUMNS`); :func:`core.rows.parse_rows`
runs the row loop, and the plan adds only what needs the database or the other rows: the
municipality and the school of work in the registry, the same person twice, a tutor of open
ИОМ taken off. A row with errors can be left out by the user's choice (``skippable``).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.utils import timezone

from core.importing import (
    MAX_STORED,
    ErrorLog,
    Importer,
    MunicipalityIndex,
    read_batch,
    register_importer,
    require_mapped,
)
from core.rows import ParsedRow, parse_rows
from core.tabular import Column, Noted, TableError, cell_flag, cell_text
from core.text import clean_spaces, name_key, said_of
from schools.models import ImportBatch, School

from .models import Methodist, Subject, subject_key

_SPLIT = re.compile(r"[;,\n/]+")
_DATE = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{2}|\d{4})$")


def parse_date(value: object) -> datetime.date | None:
    """A date from a date cell or «05.04.2022»; ``ValueError`` in Russian otherwise."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = cell_text(value)
    iso = re.match(r"^(\d{4})-(\d{2})-(\d{2})", text)
    found = _DATE.match(text)
    try:
        if iso:
            return datetime.date(int(iso[1]), int(iso[2]), int(iso[3]))
        if found:
            year = int(found[3]) + (2000 if len(found[3]) == 2 else 0)
            return datetime.date(year, int(found[2]), int(found[1]))
    except ValueError:
        pass
    raise ValueError(f"«{text}» — ожидалась дата в виде ДД.ММ.ГГГГ")


def parse_percent(value: object) -> int | None:
    text = cell_text(value).replace("%", "").replace(",", ".").strip()
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        raise ValueError(f"«{cell_text(value)}» — ожидался процент от 0 до 100")
    if 0 < number <= 1 and "." in text:
        number *= 100  # 0.85 from a percent-formatted cell
    if not 0 <= number <= 100:
        raise ValueError(f"«{cell_text(value)}» — ожидался процент от 0 до 100")
    return round(number)


def parse_person_name(value: object) -> str:
    """ФИО as the registry keeps it (spaces tidied); ``ValueError`` when too long."""
    full_name = clean_spaces(cell_text(value))
    if len(full_name) > 255:
        raise ValueError("слишком длинные ФИО (больше 255 символов)")
    return full_name


def parse_position(value: object) -> str | Noted:
    position = clean_spaces(cell_text(value))
    if len(position) > 255:
        return Noted(position[:255], f"должность длиннее 255 символов ({len(position)}): "
                                     "сохранены первые 255")
    return position


def split_subjects(text: str) -> list[str]:
    return [clean_spaces(p).strip(" .") for p in _SPLIT.split(text or "") if p.strip(" .")]


def _parse_subjects(value: object) -> list[str]:
    subjects = split_subjects(cell_text(value))
    if not subjects:
        raise ValueError("не указан предмет")
    if any(len(s) > 120 for s in subjects):
        raise ValueError("слишком длинное название предмета")
    return subjects


def _parse_workplace(value: object) -> str:
    text = cell_text(value)
    if len(text) > 500:
        raise ValueError("слишком длинное место работы")
    return text


def _parse_assessed_on(value: object) -> datetime.date | None:
    day = parse_date(value)
    if day and day > timezone.localdate():
        raise ValueError("дата оценки ещё не наступила")
    return day


# A methodist is named by its ФИО: that is the key. A row without one that carries anything
# else is a methodist whose name is missing (an error); a lone value is a heading above a
# group of rows («Математика», «Азовский район»), passed over with the reason.
NAME = Column("full_name", "ФИО", ("фио", "ф и о", "фамилия имя отчество", "фио методиста",
                                   "фио педагога", "методист", "фио полностью"),
              required=True, parse=parse_person_name, key=True, missing="не указаны ФИО")
MUNICIPALITY = Column("municipality", "Муниципалитет", (
    "муниципалитет", "муниципальное образование", "муниципальный район", "территория",
    "район", "городской округ", "муниципальное образование место работы"),
    required=True, exclude=("населенн",), missing="не указан муниципалитет")
SUBJECTS = Column("subjects", "Предмет", ("предмет", "предметы", "предметная область",
                                          "предметная группа", "учебный предмет",
                                          "преподаваемый предмет", "направление"),
                  required=True, parse=_parse_subjects, missing="не указан предмет")
WORKPLACE = Column("workplace", "Место работы", ("место работы", "образовательная организация",
                                                 "организация", "школа", "наименование оо",
                                                 "логин оо"), parse=_parse_workplace)
POSITION = Column("position", "Должность", ("должность",), parse=parse_position)
ASSESSED_ON = Column("assessed_on", "Дата оценки компетенций", (
    "дата оценки", "дата диагностики", "дата прохождения оценки", "дата тестирования"),
    parse=_parse_assessed_on)
SCORE = Column("score", "Результат оценки, %", ("результат", "результат оценки", "балл",
                                                "процент выполнения"), parse=parse_percent)
TUTOR = Column("tutor", "Тьютор", ("тьютор", "является тьютором"), parse=cell_flag)
COLUMNS = [NAME, MUNICIPALITY, SUBJECTS, WORKPLACE, POSITION, ASSESSED_ON, SCORE, TUTOR]


class SchoolIndex:
    """Schools of a region by login and by short or full name (ambiguous names refused)."""

    def __init__(self, region_id: int):
        self.by_login: dict[str, School] = {}
        self.by_name: dict[str, list[School]] = {}
        for school in School.objects.filter(region_id=region_id).select_related(
                "municipality"):
            self.by_login[school.login] = school
            for name in {name_key(school.short_name), name_key(school.full_name)}:
                self.by_name.setdefault(name, []).append(school)

    def resolve(self, text: str) -> tuple[School | None, str]:
        """The school, or ``None`` and why («» when the text names no registry school)."""
        login = text.replace(" ", "").lower()
        if re.fullmatch(r"sch\d{6}", login):
            school = self.by_login.get(login)
            return (school, "") if school else (None, f"логин {login} не найден в реестре "
                                                      "школ региона")
        found = self.by_name.get(name_key(text), [])
        if len(found) > 1:
            return None, (f"«{text}»: в реестре несколько школ с таким названием — укажите "
                          "логин ФИС ОКО")
        return (found[0] if found else None), ""


@dataclass
class PoolRow:
    number: int
    full_name: str
    municipality_id: int
    subjects: list[str]
    school: School | None
    workplace: str
    position: str
    assessed_on: datetime.date | None
    score: int | None
    tutor: bool | None
    existing: Methodist | None = None


@dataclass
class PoolPlan(ErrorLog):
    rows: list[PoolRow] = field(default_factory=list)
    row_count: int = 0
    error_rows: int = 0
    new_subjects: list[str] = field(default_factory=list)

    @property
    def creates(self) -> list[PoolRow]:
        return [r for r in self.rows if r.existing is None]

    @property
    def updates(self) -> list[PoolRow]:
        return [r for r in self.rows if r.existing is not None]

    @property
    def counts(self) -> dict:
        return {"rows": self.row_count, "valid": len(self.rows), "error_rows": self.error_rows,
                "errors": self.error_total, "new": len(self.creates),
                "updated": len(self.updates), "subjects_new": len(self.new_subjects),
                "tutors": sum(1 for r in self.rows if r.tutor)}


def plan_pool_import(batch: ImportBatch, content: bytes, progress=None
                     ) -> tuple[PoolPlan, dict]:
    """Read the pool's list and check it against the region's municipalities, schools and
    methodists; writes nothing."""
    if batch.region_id is None:
        raise TableError("Состав РМА загружается для региона.")
    reading = read_batch(batch, content, COLUMNS)
    require_mapped(reading, COLUMNS)
    plan = PoolPlan()
    parsed = parse_rows(reading.body.rows, reading.mapping, COLUMNS, plan, progress,
                        len(reading.body.rows))
    plan.row_count = len(parsed)
    index = MunicipalityIndex(batch.region.municipalities.all())
    schools = SchoolIndex(batch.region_id) if "workplace" in reading.mapping else None
    existing = {(m.name_key, m.municipality_id): m
                for m in Methodist.objects.filter(region_id=batch.region_id)}
    known_subjects = set(Subject.objects.values_list("name_key", flat=True))
    seen: dict[tuple[str, int], int] = {}
    for row in parsed:
        if not _pool_row(plan, batch, row, index, schools, existing, known_subjects, seen):
            plan.error_rows += 1
    if progress:
        progress(1, 1)
    return plan, reading.meta


def _pool_row(plan: PoolPlan, batch: ImportBatch, row: ParsedRow, index: MunicipalityIndex,
              schools: SchoolIndex | None, existing: dict, known_subjects: set[str],
              seen: dict) -> bool:
    """The checks of a parsed row that need the database or the other rows; adds the row
    to the plan and says whether it is valid."""
    number, values = row.number, row.values
    before = plan.error_total
    place = values.get("municipality", "")
    municipality = index.resolve(batch.region_id, place) if place else None
    if place and municipality is None:
        plan.error(number, MUNICIPALITY.label,
                   f"муниципалитет «{place}» не найден в регионе «{batch.region.name}»."
                   + index.suggest(batch.region_id, place))
    workplace = values.get("workplace", "")
    school, why = schools.resolve(workplace) if workplace and schools else (None, "")
    if why:
        plan.error(number, WORKPLACE.label, why)
    if not row.ok or plan.error_total != before:
        return False
    full_name = values["full_name"]
    key = (name_key(full_name), municipality.pk)
    if key in seen:
        plan.error(number, NAME.label, f"{full_name} ({municipality.name}) "
                                       f"{said_of(full_name, 'уже указан')} в строке {seen[key]}")
        return False
    seen[key] = number
    known = existing.get(key)
    tutor = values.get("tutor")  # an empty cell keeps what the pool says
    from .services import tutor_held

    held = tutor_held(known) if tutor is False and known is not None else None
    if held:
        plan.error(number, TUTOR.label, f"{full_name} сопровождает {held[0]}: "
                                        "сначала назначьте этим педагогам другого тьютора")
        return False
    subjects = values["subjects"]
    for subject in subjects:
        if subject_key(subject) not in known_subjects and subject not in plan.new_subjects:
            plan.new_subjects.append(subject)
    plan.rows.append(PoolRow(number, full_name, municipality.pk, subjects, school,
                             "" if school else workplace, values.get("position", ""),
                             values.get("assessed_on"), values.get("score"), tutor, known))
    return True


def summary_pool_import(plan: PoolPlan) -> dict:
    return {
        "new": [f"{r.full_name} — {', '.join(r.subjects)}" for r in plan.creates[:MAX_STORED]],
        "updated": [r.full_name for r in plan.updates[:MAX_STORED]],
        "subjects_new": plan.new_subjects[:MAX_STORED],
    }


def apply_pool_import(plan: PoolPlan, batch: ImportBatch) -> None:
    """Inside the caller's transaction; the batch's apply is the audit entry."""
    from .services import subjects_resolve

    all_names = sorted({s for r in plan.rows for s in r.subjects})
    subjects, _ = subjects_resolve(all_names, create=True)
    by_key = {s.name_key: s for s in subjects}
    for row in plan.rows:
        methodist = row.existing or Methodist(region_id=batch.region_id)
        methodist.full_name = row.full_name
        methodist.municipality_id = row.municipality_id
        if row.school is not None or row.workplace:  # an empty cell keeps what is known
            methodist.school = row.school
            methodist.workplace = row.workplace
        if row.position:
            methodist.position = row.position
        if row.assessed_on:
            methodist.assessed_on = row.assessed_on
        if row.score is not None:
            methodist.assessment_score = row.score
        if row.tutor is not None:
            methodist.is_tutor = row.tutor
        if row.existing is None:
            methodist.status = Methodist.Status.ACTIVE
        methodist.save()
        methodist.subjects.set([by_key[subject_key(s)] for s in row.subjects])


POOL = Importer(
    key="methodists", label="Региональный методический актив",
    columns=lambda batch: COLUMNS, plan=plan_pool_import, summary=summary_pool_import,
    apply=apply_pool_import, result_template="methodists/import/_result.html",
    confirmed=("errors", "new", "updated"), kinds=(ImportBatch.Kind.METHODISTS,),
    # A row with errors is left out of ``plan.rows``, and the apply only adds or updates the
    # methodists of ``plan.rows``: nobody is removed or changed for being absent from the
    # file, so without its bad rows the list leaves those people as the pool has them.
    skippable=True,
    preview_message=lambda c: (f"Проверка завершена: новых методистов {c['new']}, "
                               f"обновится {c['updated']}."),
    applied_message=lambda c: (f"Состав РМА загружен: добавлено {c['new']}, обновлено "
                               f"{c['updated']}."),
    confirm_message=lambda c: (f"Будет добавлено методистов: {c.get('new', 0)}, обновлено: "
                               f"{c.get('updated', 0)}."),
)
register_importer(POOL)
