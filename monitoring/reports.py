"""Reports of the monitoring dashboard, made in the worker as the user who asked.

The filters travel as the job's parameters and are resolved again with the user's scope
(rights may have changed since); the PDF is the page's own section templates printed by
WeasyPrint, the Excel has the same tables with typed cells.
"""

from __future__ import annotations

from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone

from core.exceptions import DomainError
from core.jobs import JobResult
from core.models import Region, User
from core.pdf import html_to_pdf
from core.suppression import label as board_label
from core.xlsx import book_bytes, new_book, sheet_write

from . import boards
from .engagement import CONTENT_MAX, ORGANISATION_MAX, PART, TOTAL_MAX
from .models import EngagementComponent
from .selectors import Dashboard, filters_from

as_number = EngagementComponent.as_number  # 2.0000 → 2, 0.9500 → 0.95
NO_DATA = "нет данных"


def _board_of(job, progress) -> tuple[User, Dashboard]:
    actor = User.objects.get(pk=job.created_by_id)
    try:
        filters = filters_from(actor, job.params.get("filters") or {})
    except Http404:
        raise DomainError("Данные отчёта недоступны: регион или муниципалитет вне ваших "
                          "прав.") from None
    from .rules import may_view_report

    if not may_view_report(actor, filters.municipality or filters.region):
        raise DomainError("Отчёт недоступен: ваши права на этот регион или муниципалитет "
                          "изменились.")
    progress(1, 4)
    board = boards.board(actor, filters)  # the page's figures, kept or computed now
    progress(2, 4)
    return actor, board


def file_stem(board: Dashboard, prefix: str) -> str:
    f = board.filters
    where = f"region-{f.region.code}" if f.region else "federal"
    if f.municipality:
        where += f"-mun-{f.municipality.pk}"
    return f"{prefix}-{where}-{f.year}-{timezone.localdate():%Y%m%d}"


def print_context(board: Dashboard) -> dict:
    return {"board": board, "pdf": True, "now": timezone.localtime(),
            "maxima": {"content": CONTENT_MAX, "organisation": ORGANISATION_MAX,
                       "total": TOTAL_MAX}}


def run_dashboard_pdf(job, progress) -> JobResult:
    _, board = _board_of(job, progress)
    html = render_to_string("monitoring/pdf/dashboard.html", print_context(board))
    progress(3, 4)
    return JobResult(message=f"PDF отчёта мониторинга готов ({board.filters.describe()}).",
                     file_name=f"{file_stem(board, 'monitoring')}.pdf",
                     content=html_to_pdf(html))


def run_region_report(job, progress) -> JobResult:
    from .selectors import report_schools

    actor, board = _board_of(job, progress)
    if board.filters.region is None:
        raise DomainError("Информационно-аналитический отчёт строится по одному региону: "
                          "выберите регион.")
    # a list of single schools is a record, not an aggregate: not for a federal observer
    schools = report_schools(actor, board.filters) if board.personal else []
    context = print_context(board) | {"schools": schools}
    html = render_to_string("monitoring/pdf/region_report.html", context)
    progress(3, 4)
    return JobResult(message=f"Информационно-аналитический отчёт готов "
                             f"({board.filters.describe()}).",
                     file_name=f"{file_stem(board, 'otchet-500plus')}.pdf",
                     content=html_to_pdf(html))


def run_dashboard_xlsx(job, progress) -> JobResult:
    _, board = _board_of(job, progress)
    content = dashboard_xlsx(board)
    progress(3, 4)
    return JobResult(message=f"Excel отчёта мониторинга готов ({board.filters.describe()}).",
                     file_name=f"{file_stem(board, 'monitoring')}.xlsx", content=content)


def run_recompute(job, progress) -> JobResult:
    from .services import engagement_recompute

    actor = User.objects.get(pk=job.created_by_id)
    year = int(job.params["year"])
    regions = [job.region] if job.region_id else list(Region.objects.order_by("code"))
    for i, region in enumerate(regions):
        engagement_recompute(actor=actor, region=region, year=year)
        progress(i + 1, len(regions))
    where = regions[0].name if len(regions) == 1 else f"регионов: {len(regions)}"
    url = ""
    if len(regions) == 1:
        from .models import EngagementScore

        url = EngagementScore.objects.get(region=regions[0], year=year).get_absolute_url()
    return JobResult(message=f"Предложения мониторинга вовлеченности {year} г. пересчитаны "
                             f"({where}).", url=url)


# -- Excel ------------------------------------------------------------------------------------
def _figures(row, *values) -> list:
    """A row's figures, or «менее 3 школ» in each when the row is hidden (core.suppression)."""
    return [board_label()] * len(values) if getattr(row, "hidden", False) else list(values)


def _or_no_data(value):
    return NO_DATA if value is None else value


def dashboard_xlsx(board: Dashboard) -> bytes:
    """The dashboard as a workbook: one sheet per block, the same figures and footnotes."""
    book = new_book()
    for write in (_summary_sheet, _engagement_sheet, _risks_sheet, _documents_sheet,
                  _curators_sheet, _roadmaps_sheet, _training_sheet):
        write(book, board)
    return book_bytes(book)


def _summary_sheet(book, board: Dashboard) -> None:
    f = board.filters
    t = board.totals
    summary = [["Отбор", f.describe()],
               ["Школ — участниц проекта", *_figures(t, board.schools)],
               ["Документов подтверждено", *_figures(t, t.approved)],
               ["Документов положено", *_figures(t, t.due)],
               ["Мероприятий школьных дорожных карт просрочено", *_figures(t, t.overdue)],
               ["Сформировано", timezone.localtime().strftime("%d.%m.%Y %H:%M")]]
    if board.engagement and board.engagement.score and board.engagement.score.is_published:
        score = board.engagement.score
        summary.append(["Вовлеченность: итог", float(score.total)])
        summary.append(["Вовлеченность: итог с учётом доли активировавших",
                        float(score.final)])
    sheet_write(book, "Сводка", ["Показатель", "Значение"], summary, [48, 60])


def _engagement_sheet(book, board: Dashboard) -> None:
    if board.engagement is not None:
        rows = []
        for c in board.engagement.components:
            rows.append([c.get_code_display(), float(PART[c.code].high),
                         as_number(c.proposed), as_number(c.value), c.reason,
                         c.confirmed_by.short_name if c.confirmed_by and board.personal else "",
                         c.basis])
        sheet_write(book, "Вовлеченность", ["Составляющая", "Максимум", "Предложено порталом",
                                       "Подтверждено", "Обоснование", "Подтвердил",
                                       "Как получено предложение"],
               rows, [44, 10, 14, 14, 36, 22, 80], note=board.ignored.get("engagement", ""))
    elif board.engagement_scores:
        sheet_write(book, "Вовлеченность", ["Код", "Регион", "Итог", "Итог с учётом доли"],
               [[s.region.code, s.region.name, as_number(s.total), as_number(s.final)]
                for s in board.engagement_scores], [8, 36, 12, 18],
               note=board.ignored.get("engagement", ""))


def _risks_sheet(book, board: Dashboard) -> None:
    if board.risks is None:
        return
    r = board.risks

    def year_cells(no_data: bool, in_catalogue: bool, count, share) -> list:
        # a year without a profile in the selection has no data, not zeros
        return [NO_DATA] * 2 if no_data and in_catalogue else [count, share]

    before = ([board_label()] * 2 if r.previous_hidden else None)
    sheet_write(book, "Риски", ["Код", "Фактор риска", f"{r.year}: школ", f"{r.year}: %",
                           f"{r.previous_year}: школ", f"{r.previous_year}: %"],
           [[row.code, row.title,
             *year_cells(r.no_data, row.in_year, row.count, row.share),
             *(before or year_cells(r.previous_no_data, row.in_previous,
                                    row.previous_count, row.previous_share))]
            for row in r.rows],
           [8, 70, 12, 10, 12, 10],
           note=f"Риск-профилей: {r.year} — {board_label() if r.hidden else r.profiles}, "
                f"{r.previous_year} — "
                f"{board_label() if r.previous_hidden else r.previous_profiles}")


def _documents_sheet(book, board: Dashboard) -> None:
    sheet_write(book, "Документы", [board.by_label, "Школ", "Положено", "Размещено", "На проверке",
                               "Подтверждено", "Возвращено", "Подтверждено, %"],
           [[a.name, *_figures(a, a.schools, a.due, a.uploaded, a.submitted, a.approved,
                               a.returned, _or_no_data(a.approved_percent))]
            for a in [*board.areas, board.totals]],
           [40, 8, 11, 11, 12, 13, 12, 15])


def _curators_sheet(book, board: Dashboard) -> None:
    curators = board.curators + [board.curator_totals]
    sheet_write(book, "Кураторы", ["Куратор", "Школ", "Ждут проверки", "Решений", "Возвращено",
                              "Среднее время проверки, дн.", "Записей журнала"],
           [[c.name, *_figures(c, c.schools, c.waiting, c.decided, c.returned, c.hold_days,
                               c.log_entries)] for c in curators], [40, 8, 14, 10, 12, 16, 14],
           note=" ".join([*board.curator_notes, board.ignored.get("curators", "")]).strip())


def _roadmaps_sheet(book, board: Dashboard) -> None:
    sheet_write(book, "Дорожные карты", [board.by_label, "Мероприятий школ", "Просрочено"],
           [[a.name, *_figures(a, a.measures, a.overdue)] for a in [*board.areas, board.totals]]
           + [[f"{title} (региональная/муниципальная)", n, late]
              for title, n, late in board.plan_overdue], [60, 18, 14])


def _training_sheet(book, board: Dashboard) -> None:
    sheet_write(book, "Обучение и РМА", [board.by_label, "Школ", "Педагогов",
                                         "Обучены за 3 года", "Охват, %", "Методистов РМА"],
                [[a.name, *_figures(a, a.schools, a.staff, a.trained, a.trained_percent,
                                    a.methodists)] for a in [*board.areas, board.totals]],
                [40, 8, 11, 16, 10, 15])
