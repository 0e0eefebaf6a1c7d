"""Excel files of the methodical pool: the filtered list, the subject table and the
coverage of ШНОР by municipality (small: built in the request)."""

from __future__ import annotations

from django.utils import timezone

from core.xlsx import book_bytes, new_book, sheet_write

from .selectors import PoolCoverage, SubjectRow


def pool_xlsx(methodists, title: str) -> bytes:
    book = new_book()
    rows = [[m.full_name, m.municipality.name, m.workplace_label, m.position,
             "; ".join(s.name for s in m.subjects.all()),
             m.assessed_on, m.assessment_score, "да" if m.is_tutor else "нет",
             m.get_status_display()] for m in methodists]
    sheet = sheet_write(book, "РМА", ["ФИО", "Муниципалитет", "Место работы", "Должность",
                                      "Предметы", "Дата оценки компетенций",
                                      "Результат оценки, %", "Тьютор", "Статус"],
                        rows, [34, 28, 36, 24, 36, 14, 12, 9, 20], note=title)
    for row in sheet.iter_rows(min_row=3, min_col=6, max_col=6):
        row[0].number_format = "DD.MM.YYYY"
    return book_bytes(book)


def subjects_xlsx(rows: list[SubjectRow], total: int, tutors: int, title: str) -> bytes:
    book = new_book()
    data = [[r.subject, r.methodists, r.tutors] for r in rows]
    data.append(["Всего методистов (каждый один раз)", total, tutors])
    sheet_write(book, "По предметам", ["Предмет", "Методистов", "Из них тьюторов"], data,
                [44, 14, 16], note=title)
    return book_bytes(book)


def coverage_xlsx(coverage: PoolCoverage, title: str) -> bytes:
    book = new_book()
    data = [[r.municipality.name, r.shnor, r.methodists, r.tutors,
             "нет методистов" if r.uncovered else ""] for r in coverage.rows]
    data.append(["Итого в муниципалитетах с ШНОР", coverage.shnor,
                 coverage.in_shnor_municipalities, sum(r.tutors for r in coverage.rows), ""])
    data.append(["Методисты в других муниципалитетах", None, coverage.elsewhere, None, ""])
    data.append(["Всего методистов РМА", None, coverage.total, None, ""])
    sheet_write(book, "Охват ШНОР",
                ["Муниципалитет", f"ШНОР в {coverage.year} г.", "Методистов РМА",
                 "Из них тьюторов", "Внимание"], data, [40, 14, 16, 16, 18],
                note=f"{title}. Сформировано {timezone.localtime():%d.%m.%Y %H:%M}")
    return book_bytes(book)

