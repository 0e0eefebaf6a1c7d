"""The regional methodical pool from Excel (the registry's import machinery: upload → dry
run with a preview → all-or-nothing apply).

A row is one methodist: ФИО, municipality of work, subjects (several in one cell, split by
«;» or «,»), and optionally the place of work (a school login or name from the registry, or
any organisation), position, the date and result of the competence assessment, tutor yes/no.
A person already in the pool (same ФИО and municipality) is updated, not doubled. Subjects
not yet in the portal's list are added, and the preview says which.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.utils import timezone

from core.tabular import Column, TableError, cell_flag, cell_text
from core.text import clean_spaces, name_key
from schools.importer import (
    MAX_STORED,
    ErrorLog,
    Importer,
    MunicipalityIndex,
    mapped_rows,
    register_importer,
)
from schools.models import ImportBatch, School

from .models import Methodist, Subject, subject_key

NAME = Column("full_name", "ФИО", ("фио", "ф.и.о.", "ф и о", "фамилия имя отчество",
                                   "фио методиста", "фио педагога", "методист", "фамилия, имя, "
                                   "отчество", "фио полностью"), required=True)
MUNICIPALITY = Column("municipality", "Муниципалитет", (
    "муниципалитет", "муниципальное образование", "муниципальный район", "мо", "территория",
    "район", "муниципальный район (городской округ)", "муниципальное образование (место "
    "работы)"), required=True, exclude=("населенн",))
SUBJECTS = Column("subjects", "Предмет", ("предмет", "предметы", "предметная область",
                                          "предметная группа", "учебный предмет",
                                          "преподаваемый предмет", "направление",
                                          "предмет (направление)"), required=True)
WORKPLACE = Column("workplace", "Место работы", ("место работы", "оо", "образовательная "
                                                 "организация", "организация", "школа",
                                                 "наименование оо", "логин оо"))
POSITION = Column("position", "Должность", ("должность",))
ASSESSED_ON = Column("assessed_on", "Дата оценки компетенций", (
    "дата оценки", "дата оценки компетенций", "дата диагностики", "дата прохождения оценки",
    "дата тестирования"))
SCORE = Column("score", "Результат оценки, %", ("результат", "результат оценки", "балл",
                                                "процент выполнения", "результат, %",
                                                "результат оценки компетенций"))
TUTOR = Column("tutor", "Тьютор", ("тьютор", "является тьютором", "тьютор да нет"))
COLUMNS = [NAME, MUNICIPALITY, SUBJECTS, WORKPLACE, POSITION, ASSESSED_ON, SCORE, TUTOR]
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


def person_name(plan: ErrorLog, number: int, value: object) -> str:
    """ФИО from a cell, with the row's error when it is missing or too long."""
    full_name = clean_spaces(cell_text(value))
    if not full_name:
        plan.error(number, NAME.label, "не указаны ФИО")
    elif len(full_name) > 255:
        plan.error(number, NAME.label, "слишком длинные ФИО (больше 255 символов)")
    return full_name


def split_subjects(text: str) -> list[str]:
    return [clean_spaces(p).strip(" .") for p in _SPLIT.split(text or "") if p.strip(" .")]


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
    new_subjects: list[str] = field(default_factory=list)

    @property
    def creates(self) -> list[PoolRow]:
        return [r for r in self.rows if r.existing is None]

    @property
    def updates(self) -> list[PoolRow]:
        return [r for r in self.rows if r.existing is not None]

    @property
    def counts(self) -> dict:
        return {"rows": self.row_count, "errors": self.error_total, "new": len(self.creates),
                "updated": len(self.updates), "subjects_new": len(self.new_subjects),
                "tutors": sum(1 for r in self.rows if r.tutor)}


def plan_pool_import(batch: ImportBatch, content: bytes, progress=None
                     ) -> tuple[PoolPlan, dict]:
    if batch.region_id is None:
        raise TableError("Состав РМА загружается для региона.")
    rows, meta = mapped_rows(batch, content, COLUMNS)
    plan = PoolPlan()
    index = MunicipalityIndex(batch.region.municipalities.all())
    schools = SchoolIndex(batch.region_id)
    existing = {(m.name_key, m.municipality_id): m
                for m in Methodist.objects.filter(region_id=batch.region_id)}
    known_subjects = set(Subject.objects.values_list("name_key", flat=True))
    seen: dict[tuple[str, int], int] = {}
    today = timezone.localdate()
    for number, value in rows:
        plan.row_count += 1
        before = plan.error_total
        full_name = person_name(plan, number, value("full_name"))
        place = cell_text(value("municipality"))
        municipality = index.resolve(batch.region_id, place) if place else None
        if not place:
            plan.error(number, MUNICIPALITY.label, "не указан муниципалитет")
        elif municipality is None:
            plan.error(number, MUNICIPALITY.label,
                       f"муниципалитет «{place}» не найден в регионе «{batch.region.name}»."
                       + index.suggest(batch.region_id, place))
        subjects = split_subjects(cell_text(value("subjects")))
        if not subjects:
            plan.error(number, SUBJECTS.label, "не указан предмет")
        elif any(len(s) > 120 for s in subjects):
            plan.error(number, SUBJECTS.label, "слишком длинное название предмета")
        workplace = cell_text(value("workplace"))
        school, why = schools.resolve(workplace) if workplace else (None, "")
        if why:
            plan.error(number, WORKPLACE.label, why)
        if len(workplace) > 500:
            plan.error(number, WORKPLACE.label, "слишком длинное место работы")
        assessed_on = score = tutor = None
        try:
            assessed_on = parse_date(value("assessed_on"))
            if assessed_on and assessed_on > today:
                plan.error(number, ASSESSED_ON.label, "дата оценки ещё не наступила")
        except ValueError as exc:
            plan.error(number, ASSESSED_ON.label, str(exc))
        try:
            score = parse_percent(value("score"))
        except ValueError as exc:
            plan.error(number, SCORE.label, str(exc))
        if "tutor" in meta["mapping"]:
            try:
                tutor = cell_flag(value("tutor"))
            except ValueError as exc:
                plan.error(number, TUTOR.label, str(exc))
        if plan.error_total != before:
            continue
        key = (name_key(full_name), municipality.pk)
        if key in seen:
            plan.error(number, NAME.label, f"{full_name} ({municipality.name}) уже указан(а) "
                                           f"в строке {seen[key]}")
            continue
        seen[key] = number
        known = existing.get(key)
        if tutor is False and known is not None and known.is_tutor and \
                known.routes.filter(status="active").exists():
            plan.error(number, TUTOR.label, f"{full_name} сопровождает незавершённые ИОМ: "
                                            "сначала назначьте этим педагогам другого тьютора")
            continue
        for subject in subjects:
            if subject_key(subject) not in known_subjects and \
                    subject not in plan.new_subjects:
                plan.new_subjects.append(subject)
        plan.rows.append(PoolRow(number, full_name, municipality.pk, subjects, school,
                                 "" if school else workplace,
                                 clean_spaces(cell_text(value("position")))[:255],
                                 assessed_on, score, tutor, existing.get(key)))
    if progress:
        progress(1, 1)
    return plan, meta


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
    preview_message=lambda c: (f"Проверка завершена: новых методистов {c['new']}, "
                               f"обновится {c['updated']}."),
    applied_message=lambda c: (f"Состав РМА загружен: добавлено {c['new']}, обновлено "
                               f"{c['updated']}."),
    confirm_message=lambda c: (f"Будет добавлено методистов: {c.get('new', 0)}, обновлено: "
                               f"{c.get('updated', 0)}."),
)
register_importer(POOL)
