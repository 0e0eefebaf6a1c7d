"""A roadmap as Excel (typed cells: dates are dates) and as PDF (the page's print template
rendered by WeasyPrint in the worker). Both show the same columns and computed states."""

from __future__ import annotations

from django.http import Http404
from django.template.loader import render_to_string

from core.exceptions import DomainError
from core.jobs import JobResult
from core.models import User
from core.pdf import html_to_pdf
from core.text import transliterate
from core.xlsx import book_bytes, new_book, row_append, sheet_new

from .models import Roadmap
from .selectors.plans import items_of, progress_of, roadmap_get, today

HEADER = ["Раздел", "№", "Мероприятие", "Срок (как в документе)", "Начало", "Окончание",
          "Ответственные", "Ожидаемый результат", "Риск", "Этап план-графика", "Выполнено",
          "Отметка о выполнении", "Состояние"]
WIDTHS = [28, 7, 60, 22, 12, 12, 30, 30, 10, 24, 12, 40, 26]


def file_stem(roadmap: Roadmap) -> str:
    words = transliterate(roadmap.title)
    stem = "".join(ch if ch.isalnum() else "-" for ch in words).strip("-")
    while "--" in stem:
        stem = stem.replace("--", "-")
    return f"dorozhnaya-karta-{stem[:60] or roadmap.public_id}"


def state_text(item) -> str:
    text = item.state.label
    if item.state.late:
        text += " (с опозданием)"
    elif item.state.overdue and item.state.code != "overdue":
        text += "; срок прошёл"
    return text


def roadmap_xlsx(roadmap: Roadmap) -> bytes:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    items = items_of(roadmap)
    progress = progress_of([roadmap])[roadmap.pk]
    book = new_book()
    sheet = sheet_new(book, "Дорожная карта")
    row_append(sheet, [f"{roadmap.title} ({roadmap.get_level_display()}, {roadmap.period})"])
    sheet["A1"].font = Font(bold=True, size=12)
    row_append(sheet, [f"Мероприятий: {progress.total}; выполнено: {progress.completed} "
                  f"({progress.percent}%); просрочено: {progress.overdue}; без даты: "
                  f"{progress.no_date}. Состояние на {today():%d.%m.%Y}."])
    row_append(sheet, HEADER)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for item in items:
        row_append(sheet, [
            str(item.section) if item.section_id else "", item.number, item.activity,
            item.deadline_text, item.due_start, item.due_end, item.responsible,
            item.expected_result, item.risk_factor.code if item.risk_factor_id else "",
            item.stage.title if item.stage_id else "", item.done_on, item.done_note,
            state_text(item)])
    for row in sheet.iter_rows(min_row=4):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for index in (4, 5, 10):  # Начало, Окончание, Выполнено
            row[index].number_format = "DD.MM.YYYY"
    for i, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A4"
    sheet.auto_filter.ref = f"A3:{get_column_letter(len(HEADER))}{max(sheet.max_row, 3)}"
    return book_bytes(book)


def roadmap_print_context(roadmap: Roadmap) -> dict:
    from .selectors.plans import sections_of

    items = items_of(roadmap)
    return {"roadmap": roadmap, "items": items, "sections": list(sections_of(roadmap)),
            "progress": progress_of([roadmap])[roadmap.pk], "today": today()}


def run_roadmap_pdf(job, progress) -> JobResult:
    actor = User.objects.get(pk=job.created_by_id)
    try:
        roadmap = roadmap_get(actor, job.params["roadmap"])
    except Http404:
        raise DomainError("Дорожная карта недоступна: она удалена или ваши права изменились.")
    progress(1, 3)
    html = render_to_string("roadmaps/plans/pdf.html", roadmap_print_context(roadmap))
    progress(2, 3)
    pdf = html_to_pdf(html)
    return JobResult(message=f"PDF дорожной карты «{roadmap.title}» готов.",
                     file_name=f"{file_stem(roadmap)}.pdf", content=pdf)
