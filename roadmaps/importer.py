"""A roadmap from a table (seed 003's regional roadmap, seed 001's municipal one) through the
registry's machinery: upload → dry run with a preview → all-or-nothing apply.

Shapes met in real files, all read:

* a section column (number and/or title) on every row — the TSV of seed 003;
* section headings as rows of their own («1. Организационно-управленческая деятельность»
  with no deadline, responsible or note);
* page-break continuations: a row with no number and no deadline continues the measure
  above (its text is appended, seed 001's items 7, 34, 40, 45);
* cells holding the source's HTML (``<p>``, ``<ul><li>``): reduced to plain text, never
  kept as markup.

A deadline the parser cannot read is kept as text and listed in the preview as a warning:
the measure is flagged «срок не распознан» until someone enters its dates.

**Completion column** («Отметка о выполнении», «Выполнено», «Проведено», «Статус
выполнения» …): a filled cell is the completion mark of a past measure — an explicit word or
sign («Выполнено», «Проведено 12.03.2021», «да», «+», «✓»), a bare date, or a report of what
was done (seed 001: «Проведены индивидуальные встречи …») marks it done, on the date the
cell gives (else on the deadline's last day when that has passed, else today); a cell that
says otherwise («не выполнено», «перенесено», «в работе», «нет») leaves it open. The text is
always kept as the note (:func:`read_completion`).

**Re-import.** A roadmap of the same level, territory and period as an existing one is
never created twice: the dry run finds the existing roadmap, matches measures by section and
number and by their normalised text and shows what an update would do — new, changed and
unchanged measures, and the portal's measures absent from the file (kept, never deleted).
Updating is the default; ``batch.params["existing"] == "create"`` (the user asked for a new
roadmap while one exists) is refused with a message. An update never takes a completion
mark or an evidence file away, and never restores a measure removed in the portal.
"""

from __future__ import annotations

import datetime
import re
import uuid
from dataclasses import dataclass, field

from django.utils import timezone

from core.importing import (
    MAX_STORED,
    ErrorLog,
    Importer,
    MappingIncomplete,
    read_batch_table,
    register_importer,
)
from core.tabular import Column, TableError, cell_text
from core.text import html_to_text, name_key, plural
from schools.models import ImportBatch

from .deadlines import Deadline, dates_in, parse_deadline, stored_deadline, stored_fields
from .models import Document, Roadmap, RoadmapItem, RoadmapSection

SECTION = Column("section", "Номер раздела",
                 ("раздел", "номер раздела", "№ раздела", "section", "раздел №"))
SECTION_TITLE = Column("section_title", "Название раздела",
                       ("название раздела", "наименование раздела", "section_title",
                        "section title", "раздел (название)"))
NUMBER = Column("number", "№ мероприятия",
                ("№", "№ п/п", "№ п.п", "№ п.п.", "номер", "number", "n", "№ мероприятия",
                 "пункт"))
ACTIVITY = Column("activity", "Мероприятие",
                  ("мероприятие", "мероприятия", "наименование мероприятия",
                   "содержание мероприятия", "описание действий", "activity",
                   "содержание деятельности", "действия", "наименование мероприятий"),
                  required=True)
DEADLINE = Column("deadline", "Срок",
                  ("срок", "сроки", "срок исполнения", "сроки исполнения", "сроки реализации",
                   "срок реализации", "deadline", "дата", "сроки проведения",
                   "срок выполнения", "период выполнения", "период проведения",
                   "срок проведения", "сроки выполнения"),
                  required=True)
RESPONSIBLE = Column("responsible", "Ответственные",
                     ("ответственные", "ответственный", "ответственные исполнители",
                      "исполнитель", "исполнители", "responsible", "ответственные лица"))
RESULT = Column("expected_result", "Ожидаемый результат",
                ("ожидаемый результат", "результат", "ожидаемые результаты",
                 "expected_result", "показатель"))
NOTE = Column("done_note", "Отметка о выполнении",
              ("отметка о выполнении", "отметка о выполнение", "выполнение", "done_note",
               "отметка", "отметка об исполнении", "отметка о проведении",
               "отметка о выполнении мероприятия", "выполнено", "исполнено", "проведено",
               "прошло", "состоялось", "исполнение", "статус", "статус выполнения",
               "статус исполнения", "информация о выполнении", "информация об исполнении",
               "сведения о выполнении", "сведения об исполнении", "отчет о выполнении",
               "результат выполнения", "результат исполнения", "факт выполнения",
               "фактическое выполнение", "фактическое исполнение", "что проведено",
               "что сделано", "дата выполнения", "дата исполнения"))
COLUMNS = [SECTION, SECTION_TITLE, NUMBER, ACTIVITY, DEADLINE, RESPONSIBLE, RESULT, NOTE]
_SECTION_NUMBER = re.compile(r"^(раздел\s*)?([0-9]+|[IVXLC]+)\.?$", re.IGNORECASE)
_HEADING = re.compile(r"^\s*([0-9]+|[IVXLC]+)\.\s+(\S.*)$", re.IGNORECASE)
LEVEL_LABEL = {Roadmap.Level.REGION: "региональная", Roadmap.Level.MUNICIPALITY: "муниципальная"}


# -- the completion column ----------------------------------------------------------------------
# A cell that says the measure is not (yet, or not fully) done, at its start («в работе»
# further on is «приняли участие в работе групп»). Checked before the marks: «выполняется»
# starts like «выполнено».
_OPEN_START = re.compile(
    r"^(?:(?:нет|не)\b|0\s*%|в\s+работе\b|в\s+процессе\b|на\s+исполнении\b"
    r"|(?:выполняется|проводится|ведется|исполняется|реализуется|готовится)\b"
    r"|перенес|перенос|отмен|отлож|приостановл|запланир|планиру|будет\b|будут\b|частичн"
    r"|ожида)")
# ... and anywhere in a report that does not start with a mark
_OPEN_ANYWHERE = re.compile(
    r"\bне\s+(?:выполн|провед|исполн|состоял|реализ|заверш|прошл|сделан|начат|организ"
    r"|осуществл)|\bперенесен|\bотменен|\bчастично\b")
# An explicit completion word or sign at the start of the cell.
_MARK = re.compile(
    r"^(?:выполн|провед|прошл|прошел|исполн|состоял|реализован|заверш|сделан|осуществлен"
    r"|да\b|есть\b|имеется\b|x\b|х\b|v\b|\+|✓|✔|☑|✅)")
_DATE_ONLY = re.compile(r"^[\d.\s/-]+(?:г\.?|года?)?$")
_EMPTY_MARKS = {"-", "—", "–", "0", "?"}


@dataclass(frozen=True)
class Completion:
    """What a completion cell says: ``done``, the ``dates`` it writes, the text as the note,
    and how it was read — ``mark`` (a word or sign), ``date`` (a bare date), ``report``
    (a report of what was done), ``open`` (it says not done) or ``""`` (empty)."""

    done: bool
    note: str
    how: str
    dates: tuple[datetime.date, ...] = ()


def read_completion(text: str) -> Completion:
    note = (text or "").strip()
    key = name_key(note)
    if not key or key in _EMPTY_MARKS:
        return Completion(False, "", "")
    dates = tuple(dates_in(note))
    if _OPEN_START.match(key):
        return Completion(False, note, "open", dates)
    if _MARK.match(key):
        return Completion(True, note, "mark", dates)
    if _OPEN_ANYWHERE.search(key):
        return Completion(False, note, "open", dates)
    if dates and _DATE_ONLY.match(key):
        return Completion(True, note, "date", dates)
    if re.search(r"[а-яa-z]", key):
        return Completion(True, note, "report", dates)
    return Completion(False, note, "open", dates)


def completion_date(completion: Completion, deadline: Deadline, *, start_year: int,
                    today: datetime.date) -> datetime.date:
    """The day a done measure was done: the last date the cell writes that is neither in
    the future nor before the roadmap's period (less a year, as ``item_complete``
    allows); else the deadline's last day once it has passed; else today."""
    fits = [d for d in completion.dates if start_year - 1 <= d.year and d <= today]
    if fits:
        return fits[-1]
    if deadline.end is not None and deadline.end <= today:
        return deadline.end
    return today


HOW_LABEL = {"mark": "отметка в файле", "date": "дата в файле", "report": "отчёт в файле"}


# -- the plan -----------------------------------------------------------------------------------
@dataclass
class PlannedSection:
    number: str
    title: str


@dataclass
class PlannedItem:
    row: int
    section: int | None
    number: str
    activity: str
    deadline: str
    responsible: str = ""
    expected_result: str = ""
    done_note: str = ""
    parsed: bool = True
    #: read from the completion column
    done_on: datetime.date | None = None
    done_how: str = ""
    parse: Deadline | None = None

    @property
    def done(self) -> bool:
        return self.done_on is not None


@dataclass
class Change:
    """A measure of the existing roadmap the file changes: ``fields`` are the rows shown
    (label, before, after), ``updates`` the model fields to write."""

    planned: int  # index into plan.items
    item: RoadmapItem
    fields: list[tuple[str, str, str]] = field(default_factory=list)
    updates: dict = field(default_factory=dict)
    complete: bool = False  # the file marks it done: done_on / done_note / done_by


@dataclass
class RoadmapDiff:
    """What updating ``roadmap`` from the plan does (computed by :func:`roadmap_diff`)."""

    roadmap: Roadmap
    #: per planned section: the existing section it is, or ``None`` (a new one)
    sections: list[RoadmapSection | None] = field(default_factory=list)
    renamed: list[tuple[RoadmapSection, str]] = field(default_factory=list)
    new: list[int] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    unchanged: list[tuple[int, RoadmapItem]] = field(default_factory=list)
    #: the existing roadmap's measures the file does not have: kept as they are
    absent: list[RoadmapItem] = field(default_factory=list)
    #: file measures that are measures removed in the portal: not brought back
    removed: list[tuple[int, RoadmapItem]] = field(default_factory=list)
    #: the portal's completion mark kept while the file says something else
    kept_marks: list[tuple[int, RoadmapItem]] = field(default_factory=list)
    #: done in the file, but the measure needs an evidence file first
    needs_evidence: list[tuple[int, RoadmapItem]] = field(default_factory=list)
    #: confirmed by the curator: never changed by a file
    frozen: list[tuple[int, RoadmapItem]] = field(default_factory=list)

    @property
    def done(self) -> int:
        return sum(1 for c in self.changed if c.complete)


@dataclass
class RoadmapPlan(ErrorLog):
    sections: list[PlannedSection] = field(default_factory=list)
    items: list[PlannedItem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    row_count: int = 0
    cleaned_html: int = 0
    #: The roadmap the apply created or updated (shown as a link on the batch page).
    created: Roadmap | None = None
    #: The existing roadmap of the same level, territory and period (updated, not copied).
    target: Roadmap | None = None
    others: list[Roadmap] = field(default_factory=list)
    diff: RoadmapDiff | None = None
    #: Why the apply is refused (a second copy asked for), shown on the batch page.
    blocked: str = ""
    title: str = ""

    @property
    def counts(self) -> dict:
        diff = self.diff
        new = len(diff.new) if diff else len(self.items)
        done = (sum(1 for i in diff.new if self.items[i].done) + diff.done if diff
                else sum(1 for i in self.items if i.done))
        return {"rows": self.row_count, "errors": self.error_total, "new": new,
                "sections": len(self.sections),
                "unparsed": sum(1 for i in self.items if not i.parsed),
                "parsed": sum(1 for i in self.items if i.parsed),
                "html": self.cleaned_html, "warnings": len(self.warnings),
                "existing": 1 if self.target is not None else 0,
                "changed": len(diff.changed) if diff else 0,
                "unchanged": len(diff.unchanged) if diff else 0,
                "absent": len(diff.absent) if diff else 0,
                "not_restored": len(diff.removed) if diff else 0,
                "new_sections": (sum(1 for s in diff.sections if s is None) if diff
                                 else len(self.sections)),
                "done": done,
                "open_notes": sum(1 for i in self.items if i.done_note and not i.done)}


def _params(batch: ImportBatch) -> dict:
    params = batch.params or {}
    start = int(params.get("start_year") or batch.year)
    end = int(params.get("end_year") or start)
    return {**params, "start_year": start, "end_year": end}


def existing_roadmaps(batch: ImportBatch, params: dict) -> list[Roadmap]:
    """The roadmaps of the batch's region with the same level, territory and period, the
    oldest first (the one an import updates)."""
    level = params.get("level") or Roadmap.Level.REGION
    qs = Roadmap.objects.filter(region_id=batch.region_id, level=level,
                                start_year=params["start_year"], end_year=params["end_year"])
    if level == Roadmap.Level.MUNICIPALITY:
        qs = qs.filter(municipality__public_id=params.get("municipality") or None)
    else:
        qs = qs.filter(municipality__isnull=True)
    return list(qs.select_related("municipality").order_by("created_at", "pk"))


def _place_error(plan: RoadmapPlan, message: str) -> None:
    plan.error(None, "Дорожная карта", message)  # the whole file, not a row


def _check_place(plan: RoadmapPlan, batch: ImportBatch, params: dict) -> bool:
    level = params.get("level") or Roadmap.Level.REGION
    if level not in LEVEL_LABEL:
        _place_error(plan, "Из файла загружаются только региональные и муниципальные "
                           "дорожные карты.")
        return False
    if level == Roadmap.Level.MUNICIPALITY:
        try:
            public_id = uuid.UUID(str(params.get("municipality") or ""))
        except ValueError:
            public_id = None
        if public_id is None or not batch.region.municipalities.filter(
                public_id=public_id).exists():
            _place_error(plan, "Муниципалитет дорожной карты не найден в регионе.")
            return False
    return True


def _find_target(plan: RoadmapPlan, batch: ImportBatch, params: dict) -> None:
    matches = existing_roadmaps(batch, params)
    if not matches:
        return
    chosen = params.get("roadmap")
    if chosen:
        target = next((r for r in matches if str(r.public_id) == str(chosen)), None)
        if target is None:
            _place_error(plan, "Выбранная для обновления дорожная карта не совпадает с "
                               "уровнем, территорией и периодом загрузки.")
            return
    else:
        target = matches[0]
    plan.target = target
    plan.others = [r for r in matches if r.pk != target.pk]
    if plan.others:
        plan.warnings.append(
            f"Дорожных карт этого уровня, территории и периода несколько ({len(matches)}): "
            f"обновляется «{target.title}», созданная {target.created_at:%d.%m.%Y}; "
            "остальные не меняются.")
    if params.get("existing") == "create":
        plan.blocked = (
            f"Дорожная карта «{target.title}» ({LEVEL_LABEL[target.level]}, "
            f"{_territory(target)}, {target.period}) уже есть в портале. Вторая копия не "
            "создаётся: загрузите файл снова, выбрав «Обновить существующую дорожную "
            "карту», — мероприятия будут сопоставлены, отметки о выполнении сохранятся.")
        _place_error(plan, plan.blocked)


def _territory(roadmap: Roadmap) -> str:
    return roadmap.municipality.name if roadmap.municipality_id else roadmap.region.name


def _require_columns(mapping: dict, meta: dict) -> None:
    for column in (ACTIVITY, DEADLINE):
        if column.field not in mapping:
            raise MappingIncomplete(f"Не найден столбец «{column.label}». Укажите его в "
                                    "сопоставлении столбцов ниже.", meta)


def _row_values(plan: RoadmapPlan, raw, mapping: dict) -> dict[str, str]:
    """The row's cells by field; a cell holding HTML is reduced to plain text (and counted)."""
    values: dict[str, str] = {}
    for column in COLUMNS:
        i = mapping.get(column.field)
        value = cell_text(raw[i]) if i is not None and i < len(raw) else ""
        if "<" in value or "&" in value:
            text = html_to_text(value)
            if text != value:
                plan.cleaned_html += 1
            value = text
        values[column.field] = value
    return values


def _heading_of(values: dict[str, str]) -> tuple[str, str] | None:
    """A heading row: «1.» + a title, or «1. Title» in one cell; nothing else on the row.
    Returns (number, title)."""
    activity, number = values["activity"], values["number"]
    rest = values["responsible"] or values["done_note"] or values["expected_result"]
    if values["deadline"] or rest:
        return None
    if activity and _SECTION_NUMBER.match(number or "1"):
        return (number.rstrip("."), activity)
    if not activity and (m := _HEADING.match(number)):
        return (m.group(1), m.group(2))
    return None


@dataclass
class _PlanReader:
    """What travels from row to row while a table is read into ``plan``: the sections met
    (by key), the numbers met (per section, with their row) and the current section."""

    plan: RoadmapPlan
    start_year: int
    end_year: int
    sections: dict[str, int] = field(default_factory=dict)
    numbers: dict[tuple[int | None, str], int] = field(default_factory=dict)
    current: int | None = None

    def read_row(self, row: int, values: dict[str, str]) -> bool:
        """Read one non-empty row; True when it adds a measure."""
        self._section_column(values)
        if self._heading_row(values) or self._continuation(values):
            return False
        if not self._valid(row, values):
            return False
        self._add_item(row, values)
        return True

    def _section_column(self, values: dict[str, str]) -> None:
        """A section named on the row (the TSV's shape)."""
        key = values["section"] or values["section_title"]
        if not key:
            return
        if key not in self.sections:
            self.sections[key] = len(self.plan.sections)
            self.plan.sections.append(PlannedSection(values["section"][:16],
                                                     values["section_title"] or key))
        self.current = self.sections[key]

    def _heading_row(self, values: dict[str, str]) -> bool:
        heading = _heading_of(values)
        if heading is None or values["section"] or values["section_title"]:
            return False
        if not (values["number"] or not self.plan.items):
            return False
        number, title = heading
        self.sections[title] = len(self.plan.sections)
        self.plan.sections.append(PlannedSection(number[:16], title))
        self.current = self.sections[title]
        return True

    def _continuation(self, values: dict[str, str]) -> bool:
        """A page-break continuation of the measure above: appended to it."""
        if values["number"] or values["deadline"] or not self.plan.items:
            return False
        last = self.plan.items[-1]
        for name in ("activity", "responsible", "expected_result", "done_note"):
            if values[name]:
                setattr(last, name, f"{getattr(last, name)} {values[name]}".strip())
        return True

    def _valid(self, row: int, values: dict[str, str]) -> bool:
        activity, deadline = values["activity"], values["deadline"]
        if not activity:
            self.plan.error(row, ACTIVITY.label, "нет описания мероприятия")
        elif len(activity) > 4000:
            self.plan.error(row, ACTIVITY.label, "описание длиннее 4000 знаков")
        elif len(deadline) > 255:
            self.plan.error(row, DEADLINE.label, "срок длиннее 255 знаков")
        else:
            return True
        return False

    def _add_item(self, row: int, values: dict[str, str]) -> None:
        plan, deadline = self.plan, values["deadline"]
        if not deadline:
            plan.warnings.append(f"Строка {row}: срок не указан — укажите даты вручную.")
        parsed = parse_deadline(deadline, start_year=self.start_year, end_year=self.end_year)
        if deadline and not parsed.parsed:
            plan.warnings.append(f"Строка {row}: срок «{deadline}» не распознан — он сохранится "
                                 "текстом, даты нужно будет указать вручную.")
        number = values["number"].rstrip(".")
        key = (self.current, number)
        if number and key in self.numbers:
            plan.warnings.append(f"Строка {row}: номер {number} уже был в строке "
                                 f"{self.numbers[key]} этого раздела.")
        self.numbers.setdefault(key, row)
        plan.items.append(PlannedItem(
            row=row, section=self.current, number=number[:16], activity=values["activity"],
            deadline=deadline, responsible=values["responsible"][:2000],
            expected_result=values["expected_result"][:4000],
            done_note=values["done_note"][:4000], parsed=parsed.parsed, parse=parsed))


def _read_completions(plan: RoadmapPlan, start_year: int, today: datetime.date) -> None:
    """The completion marks, read once the continuation rows have joined their measure."""
    for item in plan.items:
        completion = read_completion(item.done_note)
        item.done_note = completion.note[:4000]
        if completion.done:
            item.done_how = completion.how
            item.done_on = completion_date(completion, item.parse, start_year=start_year,
                                           today=today)


def plan_roadmap_import(batch: ImportBatch, content: bytes, progress=None
                        ) -> tuple[RoadmapPlan, dict]:
    if batch.region_id is None:
        raise TableError("Дорожная карта загружается для региона.")
    params = _params(batch)
    table, header_row, mapping, file_columns = read_batch_table(batch, content, COLUMNS)
    meta = getattr(table, "meta", None) or {
        "sheet_name": table.sheet_name, "header_row": header_row, "mapping": mapping,
        "columns": file_columns}
    _require_columns(mapping, meta)
    plan = RoadmapPlan(title=params.get("title", ""))
    today = timezone.localdate()
    reader = _PlanReader(plan, start_year=params["start_year"], end_year=params["end_year"])
    for offset, raw in enumerate(table.rows[header_row + 1:]):
        if not any(cell_text(v) for v in raw):
            continue
        plan.row_count += 1
        values = _row_values(plan, raw, mapping)
        if reader.read_row(header_row + 2 + offset, values) and progress:
            progress(offset + 1, len(table.rows))
    if not plan.items and not plan.error_total:
        raise TableError("В таблице нет ни одного мероприятия.")
    _read_completions(plan, params["start_year"], today)
    if _check_place(plan, batch, params):
        _find_target(plan, batch, params)
    if plan.target is not None:
        plan.diff = roadmap_diff(plan, plan.target, today=today)
    return plan, meta


# -- matching a file against an existing roadmap -----------------------------------------------
def _norm(text: str) -> str:
    """Measures are the same when their text differs only in case, «ё», spacing, quotes
    and punctuation."""
    return re.sub(r"[^\w]+", " ", name_key(text or "")).strip()


def _norm_number(number: str) -> str:
    return re.sub(r"\s+", "", (number or "").strip().rstrip(".")).lower()


def _section_label(section: RoadmapSection | PlannedSection | None) -> str:
    if section is None:
        return "без раздела"
    return f"{section.number}. {section.title}" if section.number else section.title


def _reading_of(item: RoadmapItem) -> str:
    if item.due_end is None:
        return "не распознан"
    return stored_deadline(start=item.due_start, end=item.due_end, recurring=item.recurring,
                           periods=item.due_periods, recurrence=item.recurrence).reading


def _match_sections(plan: RoadmapPlan, existing: list[RoadmapSection]
                    ) -> list[RoadmapSection | None]:
    by_number: dict[str, list[RoadmapSection]] = {}
    by_title: dict[str, list[RoadmapSection]] = {}
    for section in existing:
        if section.number:
            by_number.setdefault(_norm_number(section.number), []).append(section)
        by_title.setdefault(_norm(section.title), []).append(section)
    out: list[RoadmapSection | None] = []
    used: set[int] = set()
    for planned in plan.sections:
        found = None
        candidates = by_number.get(_norm_number(planned.number), []) if planned.number else []
        if len(candidates) == 1 and candidates[0].pk not in used:
            found = candidates[0]
        else:
            candidates = [s for s in by_title.get(_norm(planned.title), []) if s.pk not in used]
            found = candidates[0] if candidates else None
        if found is not None:
            used.add(found.pk)
        out.append(found)
    return out


@dataclass
class _Matching:
    """Planned measures (by index into ``plan.items``) matched to the roadmap's active
    measures, each of which is taken at most once."""

    plan: RoadmapPlan
    diff: RoadmapDiff
    active: list[RoadmapItem]
    matched: dict[int, RoadmapItem] = field(default_factory=dict)
    taken: set[int] = field(default_factory=set)

    def section_key(self, planned: PlannedItem):
        if not self.plan.sections:
            return None
        if planned.section is None:
            return ("none",)
        target = self.diff.sections[planned.section]
        return target.pk if target is not None else ("new", planned.section)

    def item_key(self, item: RoadmapItem):
        return None if not self.plan.sections else (item.section_id or ("none",))

    def take(self, index: int, item: RoadmapItem) -> None:
        self.matched[index] = item
        self.taken.add(item.pk)

    def by_text(self) -> None:
        """The same normalised text; among several, the one in the same section and number."""
        by_text: dict[str, list[RoadmapItem]] = {}
        for item in self.active:
            by_text.setdefault(_norm(item.activity), []).append(item)
        for index, planned in enumerate(self.plan.items):
            candidates = [i for i in by_text.get(_norm(planned.activity), [])
                          if i.pk not in self.taken]
            if not candidates:
                continue
            same_place = [i for i in candidates if self.item_key(i) == self.section_key(planned)
                          and _norm_number(i.number) == _norm_number(planned.number)]
            self.take(index, (same_place or candidates)[0])

    def by_number(self) -> None:
        """Section + number, unique on both sides."""
        keys: dict[tuple, list[int]] = {}
        for index, planned in enumerate(self.plan.items):
            if index not in self.matched and planned.number:
                keys.setdefault((self.section_key(planned), _norm_number(planned.number)),
                                []).append(index)
        rest: dict[tuple, list[RoadmapItem]] = {}
        for item in self.active:
            if item.pk not in self.taken and item.number:
                rest.setdefault((self.item_key(item), _norm_number(item.number)),
                                []).append(item)
        for key, indexes in keys.items():
            if len(indexes) == 1 and len(rest.get(key, [])) == 1:
                self.take(indexes[0], rest[key][0])


def _find_renamed(plan: RoadmapPlan, diff: RoadmapDiff) -> None:
    for planned, section in zip(plan.sections, diff.sections, strict=True):
        if section is not None and _norm(section.title) != _norm(planned.title):
            diff.renamed.append((section, planned.title[:2000]))


def _sort_planned(diff: RoadmapDiff, plan: RoadmapPlan, matched: dict[int, RoadmapItem],
                  gone: list[RoadmapItem], today: datetime.date) -> None:
    """Each planned measure: compared with its match, a measure removed in the portal
    (not brought back) or a new one."""
    removed_by_text: dict[str, RoadmapItem] = {}
    for item in gone:
        removed_by_text.setdefault(_norm(item.activity), item)
    for index, planned in enumerate(plan.items):
        if index in matched:
            _compare(diff, plan, index, matched[index], today)
        elif (gone_item := removed_by_text.get(_norm(planned.activity))) is not None:
            diff.removed.append((index, gone_item))
        else:
            diff.new.append(index)


def roadmap_diff(plan: RoadmapPlan, roadmap: Roadmap, *, items: list[RoadmapItem] | None = None,
                 sections: list[RoadmapSection] | None = None,
                 today: datetime.date | None = None) -> RoadmapDiff:
    """Match the plan's measures to the roadmap's: first by normalised text (the same
    measure moved or renumbered), then by section and number when both sides have exactly
    one (the same measure reworded). Measures removed in the portal are matched by text only,
    so that a file does not bring them back. Pure but for loading ``items`` / ``sections``
    when not given (the service passes rows it has locked)."""
    today = today or timezone.localdate()
    if sections is None:
        sections = list(roadmap.sections.order_by("position", "pk"))
    if items is None:
        items = list(roadmap.items.select_related("section", "evidence")
                     .order_by("position", "pk"))
    diff = RoadmapDiff(roadmap=roadmap, sections=_match_sections(plan, sections))
    _find_renamed(plan, diff)
    active = [i for i in items if i.removed_at is None]
    gone = [i for i in items if i.removed_at is not None]
    matching = _Matching(plan, diff, active)
    matching.by_text()
    matching.by_number()
    _sort_planned(diff, plan, matching.matched, gone, today)
    diff.absent = [i for i in active if i.pk not in matching.taken]
    return diff


def _confirmed(item: RoadmapItem) -> bool:
    return bool(item.done_on and item.evidence_id
                and item.evidence.status == Document.Status.APPROVED)


def _differs(change: Change, label: str, name: str, before, after, shown_before=None,
             shown_after=None) -> None:
    change.updates[name] = after
    change.fields.append((label, str(shown_before if shown_before is not None else before),
                          str(shown_after if shown_after is not None else after)))


def _compare_identity(change: Change, planned: PlannedItem, item: RoadmapItem) -> None:
    """The measure's text and number."""
    if _norm(planned.activity) != _norm(item.activity):
        _differs(change, "Мероприятие", "activity", item.activity[:300], planned.activity,
                 shown_after=planned.activity[:300])
    if planned.number != item.number and _norm_number(planned.number) != _norm_number(
            item.number):
        _differs(change, "№", "number", item.number or "—", planned.number,
                 shown_after=planned.number or "—")


def _compare_section(change: Change, diff: RoadmapDiff, plan: RoadmapPlan,
                     planned: PlannedItem, item: RoadmapItem) -> None:
    if planned.section is None:
        return
    section = diff.sections[planned.section]
    if section is None or section.pk != item.section_id:
        change.updates["section"] = section if section is not None else planned.section
        change.fields.append(("Раздел", _section_label(item.section),
                              _section_label(section or plan.sections[planned.section])))


def _compare_deadline(change: Change, diff: RoadmapDiff, planned: PlannedItem,
                      item: RoadmapItem) -> None:
    parsed = planned.parse or parse_deadline(planned.deadline,
                                             start_year=diff.roadmap.start_year,
                                             end_year=diff.roadmap.end_year)
    if planned.deadline and planned.deadline.strip() != item.deadline_text.strip():
        change.updates["deadline_text"] = planned.deadline
        change.fields.append(("Срок", item.deadline_text or "—", planned.deadline))
        if parsed.parsed or not item.due_manual:
            change.updates.update(stored_fields(parsed))
            change.updates["due_manual"] = False
    elif planned.deadline and not item.due_manual:
        # the same text read better than when it was stored («июнь, сентябрь» as two months)
        fields = stored_fields(parsed)
        stored = {name: getattr(item, name) for name in fields}
        if stored != fields:
            change.updates.update(fields)
            change.fields.append(("Даты срока", _reading_of(item), parsed.reading))


def _compare_details(change: Change, planned: PlannedItem, item: RoadmapItem) -> None:
    """Responsible and expected result."""
    for label, name in (("Ответственные", "responsible"),
                        ("Ожидаемый результат", "expected_result")):
        value = getattr(planned, name)
        # an empty cell says nothing: what the portal holds stays
        if value and value.strip() != (getattr(item, name) or "").strip():
            _differs(change, label, name, (getattr(item, name) or "—")[:300], value,
                     shown_after=value[:300])


def _compare_completion(change: Change, diff: RoadmapDiff, index: int, planned: PlannedItem,
                        item: RoadmapItem) -> None:
    if item.done_on is not None:
        # the portal's mark (and evidence) stays, whatever the file says
        if planned.done_note and planned.done_note.strip() != item.done_note.strip():
            diff.kept_marks.append((index, item))
    elif planned.done:
        if item.evidence_required and not (item.evidence_id and item.evidence.version_count):
            diff.needs_evidence.append((index, item))
            if planned.done_note.strip() != item.done_note.strip():
                _differs(change, "Отметка о выполнении", "done_note", item.done_note or "—",
                         planned.done_note, shown_after=planned.done_note[:300])
        else:
            change.complete = True
            change.updates.update({"done_on": planned.done_on, "done_note": planned.done_note})
            change.fields.append(("Выполнено", "нет", f"да, {planned.done_on:%d.%m.%Y}"))
    elif planned.done_note and planned.done_note.strip() != item.done_note.strip():
        _differs(change, "Отметка о выполнении", "done_note", (item.done_note or "—")[:300],
                 planned.done_note, shown_after=planned.done_note[:300])


def _compare(diff: RoadmapDiff, plan: RoadmapPlan, index: int, item: RoadmapItem,
             today: datetime.date) -> None:
    planned = plan.items[index]
    change = Change(planned=index, item=item)
    _compare_identity(change, planned, item)
    _compare_section(change, diff, plan, planned, item)
    _compare_deadline(change, diff, planned, item)
    _compare_details(change, planned, item)
    _compare_completion(change, diff, index, planned, item)
    if change.updates and _confirmed(item):
        diff.frozen.append((index, item))
        diff.unchanged.append((index, item))
    elif change.updates:
        diff.changed.append(change)
    else:
        diff.unchanged.append((index, item))


# -- the batch page -----------------------------------------------------------------------------
def _item_statuses(diff: RoadmapDiff | None) -> dict[int, str]:
    """Per planned measure: "new", "changed", "same" or "removed" (not brought back)."""
    status: dict[int, str] = {}
    if diff is not None:
        status.update({i: "new" for i in diff.new})
        status.update({c.planned: "changed" for c in diff.changed})
        status.update({i: "same" for i, _ in diff.unchanged})
        status.update({i: "removed" for i, _ in diff.removed})
    return status


def _status_row(status: str) -> dict:
    """``status`` and its flags, for templates that must not compare it to literals."""
    return {"status": status, "is_changed": status == "changed", "is_same": status == "same",
            "is_removed": status == "removed", "is_new": status == "new"}


def _summary_items(plan: RoadmapPlan) -> list[dict]:
    status = _item_statuses(plan.diff)
    return [{"row": i.row, "number": i.number, "activity": i.activity[:200],
             "deadline": i.deadline, "parsed": i.parsed,
             "reading": i.parse.reading if i.parse else "",
             **_status_row(status.get(n, "new")),
             "done_on": i.done_on.strftime("%d.%m.%Y") if i.done_on else "",
             "done_how": HOW_LABEL.get(i.done_how, "")}
            for n, i in enumerate(plan.items[:MAX_STORED])]


def _summary_existing(plan: RoadmapPlan, target: Roadmap) -> dict:
    return {
        "existing": {
            "public_id": str(target.public_id), "title": target.title,
            "level": LEVEL_LABEL.get(target.level, target.level),
            "territory": _territory(target), "period": target.period,
            "created_at": target.created_at.strftime("%d.%m.%Y"),
            "title_differs": bool(plan.title.strip()) and plan.title.strip() != target.title,
        },
        "others": [{"public_id": str(r.public_id), "title": r.title,
                    "created_at": r.created_at.strftime("%d.%m.%Y")}
                   for r in plan.others],
    }


def _summary_diff(plan: RoadmapPlan, diff: RoadmapDiff) -> dict:
    def row(index: int, item: RoadmapItem, **extra) -> dict:
        planned = plan.items[index]
        return {"row": planned.row, "number": planned.number or item.number,
                "activity": planned.activity[:200], "item": str(item.public_id), **extra}

    return {
        "changed": [
            row(c.planned, c.item, fields=[{"label": label, "before": before, "after": after}
                                           for label, before, after in c.fields])
            for c in diff.changed[:MAX_STORED]],
        "absent": [{"number": i.number, "activity": i.activity[:200],
                    "item": str(i.public_id),
                    "done": i.done_on.strftime("%d.%m.%Y") if i.done_on else ""}
                   for i in diff.absent[:MAX_STORED]],
        "not_restored": [row(n, i) for n, i in diff.removed[:MAX_STORED]],
        "kept_marks": [row(n, i, done_on=i.done_on.strftime("%d.%m.%Y"),
                           note=i.done_note[:200])
                       for n, i in diff.kept_marks[:MAX_STORED]],
        "needs_evidence": [row(n, i) for n, i in diff.needs_evidence[:MAX_STORED]],
        "frozen": [row(n, i) for n, i in diff.frozen[:MAX_STORED]],
        "renamed": [{"before": _section_label(s), "after": title}
                    for s, title in diff.renamed],
    }


def summary_roadmap_import(plan: RoadmapPlan) -> dict:
    diff = plan.diff
    target = plan.target
    roadmap = plan.created or target
    summary = {
        "sections": [{"number": s.number, "title": s.title,
                      "items": sum(1 for i in plan.items if i.section == n),
                      "new": diff is not None and diff.sections[n] is None}
                     for n, s in enumerate(plan.sections)],
        "items": _summary_items(plan),
        "unparsed": [{"row": i.row, "number": i.number, "activity": i.activity[:120],
                      "deadline": i.deadline or "—"}
                     for i in plan.items if not i.parsed][:MAX_STORED],
        "warnings": plan.warnings[:MAX_STORED],
        "roadmap": str(roadmap.public_id) if roadmap and (plan.created or not plan.blocked)
        else "",
        "blocked": plan.blocked,
        "existing": None,
    }
    if target is not None:
        summary.update(_summary_existing(plan, target))
    if diff is not None:
        summary.update(_summary_diff(plan, diff))
    return summary


def apply_roadmap_import(plan: RoadmapPlan, batch: ImportBatch) -> None:
    """Create the roadmap with all its sections and measures, or update the existing one of
    the same level, territory and period (the caller's transaction)."""
    from .services.plans import RoadmapError, roadmap_import_apply, roadmap_import_update

    if plan.blocked:  # the dry run refused it; the machinery never applies errors, but
        raise RoadmapError(plan.blocked)  # a second copy must not slip through regardless
    params = _params(batch)
    if plan.target is not None:
        plan.created = roadmap_import_update(actor=batch.applied_by, batch=batch,
                                             roadmap=plan.target, plan=plan)
    else:
        plan.created = roadmap_import_apply(actor=batch.applied_by, batch=batch,
                                            params=params, plan=plan)


# -- messages (numbers agree with their nouns) ---------------------------------------------------
def _n(count: int, one: str, few: str, many: str) -> str:
    return f"{count} {plural(count, one, few, many)}"


def _measures(count: int) -> str:
    return _n(count, "мероприятие", "мероприятия", "мероприятий")


def _preview_message(c: dict) -> str:
    unparsed = c.get("unparsed", 0)
    tail = (f"; {_n(unparsed, 'срок', 'срока', 'сроков')} "
            f"{plural(unparsed, 'не распознан', 'не распознаны', 'не распознано')} — даты "
            "нужно будет указать вручную" if unparsed else "; все сроки распознаны")
    if c.get("existing"):
        return (f"Проверка завершена: такая дорожная карта уже есть, она будет обновлена — "
                f"новых мероприятий: {c.get('new', 0)}, изменённых: {c.get('changed', 0)}, "
                f"без изменений: {c.get('unchanged', 0)}, нет в файле (сохранятся): "
                f"{c.get('absent', 0)}{tail}.")
    return (f"Проверка завершена: {_n(c.get('sections', 0), 'раздел', 'раздела', 'разделов')}, "
            f"{_measures(c.get('new', 0))}, выполнено по отметкам файла: {c.get('done', 0)}"
            f"{tail}.")


def _applied_message(c: dict) -> str:
    if c.get("existing"):
        return (f"Дорожная карта обновлена: новых мероприятий: {c.get('new', 0)}, изменено: "
                f"{c.get('changed', 0)}, без изменений: {c.get('unchanged', 0)}; "
                f"нет в файле и сохранено: {c.get('absent', 0)}.")
    return (f"Дорожная карта создана: {_n(c.get('sections', 0), 'раздел', 'раздела', 'разделов')}"
            f", {_measures(c.get('new', 0))}, выполнено: {c.get('done', 0)}.")


def _confirm_message(c: dict) -> str:
    if c.get("existing"):
        return (f"Будет обновлена существующая дорожная карта: новых мероприятий: "
                f"{c.get('new', 0)}, изменённых: {c.get('changed', 0)}; мероприятия, которых "
                f"нет в файле ({c.get('absent', 0)}), сохранятся, отметки о выполнении "
                "не снимаются.")
    return (f"Будет создана дорожная карта: "
            f"{_n(c.get('sections', 0), 'раздел', 'раздела', 'разделов')}, "
            f"{_measures(c.get('new', 0))}.")


ROADMAP_TABLE = Importer(
    key="roadmap", label="Дорожная карта (мероприятия)",
    columns=lambda batch: COLUMNS, plan=plan_roadmap_import, summary=summary_roadmap_import,
    apply=apply_roadmap_import, result_template="roadmaps/import/_result.html",
    confirmed=("errors", "new", "sections", "existing", "changed", "absent", "done"),
    kinds=(ImportBatch.Kind.ROADMAP,),
    preview_message=_preview_message, applied_message=_applied_message,
    confirm_message=_confirm_message,
)
register_importer(ROADMAP_TABLE)
