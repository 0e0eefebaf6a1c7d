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
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from core.tabular import Column, TableError, cell_text
from core.text import html_to_text
from schools.importer import (
    MAX_STORED,
    ErrorLog,
    Importer,
    MappingIncomplete,
    read_batch_table,
    register_importer,
)
from schools.models import ImportBatch

from .deadlines import parse_deadline
from .models import Roadmap

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
                   "срок выполнения"),
                  required=True)
RESPONSIBLE = Column("responsible", "Ответственные",
                     ("ответственные", "ответственный", "ответственные исполнители",
                      "исполнитель", "исполнители", "responsible", "ответственные лица"))
RESULT = Column("expected_result", "Ожидаемый результат",
                ("ожидаемый результат", "результат", "ожидаемые результаты",
                 "expected_result", "показатель"))
NOTE = Column("done_note", "Отметка о выполнении",
              ("отметка о выполнении", "отметка о выполнение", "выполнение", "done_note",
               "отметка"))
COLUMNS = [SECTION, SECTION_TITLE, NUMBER, ACTIVITY, DEADLINE, RESPONSIBLE, RESULT, NOTE]
_SECTION_NUMBER = re.compile(r"^(раздел\s*)?([0-9]+|[IVXLC]+)\.?$", re.IGNORECASE)
_HEADING = re.compile(r"^\s*([0-9]+|[IVXLC]+)\.\s+(\S.*)$", re.IGNORECASE)


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


@dataclass
class RoadmapPlan(ErrorLog):
    sections: list[PlannedSection] = field(default_factory=list)
    items: list[PlannedItem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    row_count: int = 0
    cleaned_html: int = 0
    #: The roadmap the apply created (shown as a link on the batch page).
    created: Roadmap | None = None

    @property
    def counts(self) -> dict:
        return {"rows": self.row_count, "errors": self.error_total, "new": len(self.items),
                "sections": len(self.sections),
                "unparsed": sum(1 for i in self.items if not i.parsed),
                "html": self.cleaned_html, "warnings": len(self.warnings)}


def _params(batch: ImportBatch) -> dict:
    params = batch.params or {}
    start = int(params.get("start_year") or batch.year)
    end = int(params.get("end_year") or start)
    return {**params, "start_year": start, "end_year": end}


def plan_roadmap_import(batch: ImportBatch, content: bytes, progress=None
                        ) -> tuple[RoadmapPlan, dict]:
    if batch.region_id is None:
        raise TableError("Дорожная карта загружается для региона.")
    params = _params(batch)
    table, header_row, mapping, file_columns = read_batch_table(batch, content, COLUMNS)
    meta = {"sheet_name": table.sheet_name, "header_row": header_row, "mapping": mapping,
            "columns": file_columns}
    for column in (ACTIVITY, DEADLINE):
        if column.field not in mapping:
            raise MappingIncomplete(f"Не найден столбец «{column.label}». Укажите его в "
                                    "сопоставлении столбцов ниже.", meta)
    plan = RoadmapPlan()
    sections: dict[str, int] = {}
    numbers: dict[tuple[int | None, str], int] = {}
    current: int | None = None
    for offset, raw in enumerate(table.rows[header_row + 1:]):
        if not any(cell_text(v) for v in raw):
            continue
        row = header_row + 2 + offset
        plan.row_count += 1

        def cell(name: str, raw=raw) -> str:
            i = mapping.get(name)
            value = cell_text(raw[i]) if i is not None and i < len(raw) else ""
            if "<" in value or "&" in value:
                text = html_to_text(value)
                if text != value:
                    plan.cleaned_html += 1
                return text
            return value

        values = {c.field: cell(c.field) for c in COLUMNS}
        # a section named on the row (the TSV's shape)
        if values["section"] or values["section_title"]:
            key = values["section"] or values["section_title"]
            if key not in sections:
                sections[key] = len(plan.sections)
                plan.sections.append(PlannedSection(values["section"][:16],
                                                    values["section_title"] or key))
            current = sections[key]
        activity, number, deadline = values["activity"], values["number"], values["deadline"]
        rest = values["responsible"] or values["done_note"] or values["expected_result"]
        # a heading row: «1.» + a title, or «1. Title» in one cell; nothing else on the row
        heading = None
        if not deadline and not rest:
            if activity and _SECTION_NUMBER.match(number or "1"):
                heading = (number.rstrip("."), activity)
            elif not activity and (m := _HEADING.match(number)):
                heading = (m.group(1), m.group(2))
        if heading and not (values["section"] or values["section_title"]) and (
                number or not plan.items):
            sections[heading[1]] = len(plan.sections)
            plan.sections.append(PlannedSection(heading[0][:16], heading[1]))
            current = sections[heading[1]]
            continue
        if not number and not deadline and plan.items:
            # a page-break continuation of the measure above
            last = plan.items[-1]
            for name in ("activity", "responsible", "expected_result", "done_note"):
                if values[name]:
                    setattr(last, name, f"{getattr(last, name)} {values[name]}".strip())
            continue
        if not activity:
            plan.error(row, ACTIVITY.label, "нет описания мероприятия")
            continue
        if len(activity) > 4000:
            plan.error(row, ACTIVITY.label, "описание длиннее 4000 знаков")
            continue
        if len(deadline) > 255:
            plan.error(row, DEADLINE.label, "срок длиннее 255 знаков")
            continue
        if not deadline:
            plan.warnings.append(f"Строка {row}: срок не указан — укажите даты вручную.")
        parsed = parse_deadline(deadline, start_year=params["start_year"],
                                end_year=params["end_year"])
        if deadline and not parsed.parsed:
            plan.warnings.append(f"Строка {row}: срок «{deadline}» не распознан — он сохранится "
                                 "текстом, даты нужно будет указать вручную.")
        number = number.rstrip(".")
        key = (current, number)
        if number and key in numbers:
            plan.warnings.append(f"Строка {row}: номер {number} уже был в строке "
                                 f"{numbers[key]} этого раздела.")
        numbers.setdefault(key, row)
        plan.items.append(PlannedItem(
            row=row, section=current, number=number[:16], activity=activity,
            deadline=deadline, responsible=values["responsible"][:2000],
            expected_result=values["expected_result"][:4000],
            done_note=values["done_note"][:4000], parsed=parsed.parsed))
        if progress:
            progress(offset + 1, len(table.rows))
    if not plan.items and not plan.error_total:
        raise TableError("В таблице нет ни одного мероприятия.")
    return plan, meta


def summary_roadmap_import(plan: RoadmapPlan) -> dict:
    return {
        "sections": [{"number": s.number, "title": s.title,
                      "items": sum(1 for i in plan.items if i.section == n)}
                     for n, s in enumerate(plan.sections)],
        "items": [{"row": i.row, "number": i.number, "activity": i.activity[:200],
                   "deadline": i.deadline, "parsed": i.parsed}
                  for i in plan.items[:MAX_STORED]],
        "warnings": plan.warnings[:MAX_STORED],
        "roadmap": str(plan.created.public_id) if plan.created else "",
    }


def apply_roadmap_import(plan: RoadmapPlan, batch: ImportBatch) -> None:
    """Create the roadmap with all its sections and measures (the caller's transaction)."""
    from .services.plans import roadmap_import_apply

    params = _params(batch)
    plan.created = roadmap_import_apply(actor=batch.applied_by, batch=batch, params=params,
                                        plan=plan)


ROADMAP_TABLE = Importer(
    key="roadmap", label="Дорожная карта (мероприятия)",
    columns=lambda batch: COLUMNS, plan=plan_roadmap_import, summary=summary_roadmap_import,
    apply=apply_roadmap_import, result_template="roadmaps/import/_result.html",
    confirmed=("errors", "new", "sections"), kinds=(ImportBatch.Kind.ROADMAP,),
    preview_message=lambda c: (f"Проверка завершена: разделов {c['sections']}, мероприятий "
                               f"{c['new']}, сроков не распознано {c['unparsed']}."),
    applied_message=lambda c: (f"Дорожная карта создана: разделов {c['sections']}, "
                               f"мероприятий {c['new']}."),
    confirm_message=lambda c: (f"Будет создана дорожная карта: разделов {c.get('sections', 0)}, "
                               f"мероприятий {c.get('new', 0)}."),
)
register_importer(ROADMAP_TABLE)
