"""Excel files of training: a run's students, the course table by subject and the
coverage of ШНОР staff (built in the request: a region's tables are small)."""

from __future__ import annotations

from django.utils import timezone

from core.xlsx import book_bytes, new_book, sheet_write

from .selectors import CourseTableRow, Coverage


def run_xlsx(run, enrolments) -> bytes:
    book = new_book()
    rows = [[e.staff.full_name, e.staff.position, e.school.short_name, e.school.login,
             e.school.municipality.name, e.subject.name if e.subject else "",
             e.get_status_display(), e.completed_on, e.get_result_display()
             if e.result else "", e.certificate_number] for e in enrolments]
    sheet = sheet_write(book, "Слушатели", [
        "ФИО", "Должность", "Школа", "Логин ФИС ОКО", "Муниципалитет", "Предмет", "Состояние",
        "Дата завершения", "Итоговая аттестация", "Номер удостоверения"], rows,
        [34, 22, 34, 13, 26, 22, 18, 14, 14, 18],
        note=f"«{run.course.title}», {run.period}")
    for row in sheet.iter_rows(min_row=3, min_col=8, max_col=8):
        row[0].number_format = "DD.MM.YYYY"
    return book_bytes(book)


def course_table_xlsx(course, year, table: list[CourseTableRow], total: CourseTableRow
                      ) -> bytes:
    book = new_book()
    rows = [[r.subject, r.total, r.shnor, r.share] for r in table]
    rows.append([total.subject, total.total, total.shnor, total.share])
    sheet_write(book, "По предметам", ["Предмет", "Обучено педагогов", "Из них из ШНОР",
                                       "Доля из ШНОР, %"], rows, [34, 18, 16, 16],
                note=f"«{course.title}»" + (f", {year} г." if year else ", все потоки"))
    return book_bytes(book)


def coverage_xlsx(data: Coverage, title: str) -> bytes:
    book = new_book()
    header = ["Школ ШНОР", "Педагогов", "Обучены за 3 года", "Охват, %"]
    stamp = f"{title}. Период обучения {data.period}. Сформировано " \
            f"{timezone.localtime():%d.%m.%Y %H:%M}"
    rows = [[r.label, r.schools, r.staff, r.trained, r.share] for r in data.by_municipality]
    if data.total:
        rows.append(["Итого", data.total.schools, data.total.staff, data.total.trained,
                     data.total.share])
    sheet_write(book, "Муниципалитеты", ["Муниципалитет", *header], rows, [36, 12, 12, 18, 10],
                note=stamp)
    rows = [[r.obj.municipality.name, r.label, r.obj.login, r.staff, r.trained, r.share]
            for r in data.by_school]
    sheet_write(book, "Школы", ["Муниципалитет", "Школа", "Логин ФИС ОКО", "Педагогов",
                                "Обучены за 3 года", "Охват, %"], rows,
                [30, 40, 13, 12, 18, 10], note=stamp)
    rows = [[r.label, r.staff, r.trained, r.share] for r in data.by_subject]
    sheet_write(book, "Предметы", ["Предмет", "Педагогов", "Обучены за 3 года", "Охват, %"],
                rows, [34, 12, 18, 10], note=stamp)
    return book_bytes(book)
