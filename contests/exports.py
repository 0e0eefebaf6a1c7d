"""Excel of the contest: the ranking of every nomination of an edition."""

from __future__ import annotations

from core.xlsx import book_bytes, new_book, sheet_write


def ranking_xlsx(edition, rankings) -> bytes:
    """``rankings``: [(nomination, [Ranked, …]), …]."""
    book = new_book()
    for nomination, rows in rankings:
        sheet_write(book, f"{nomination.number}. {nomination.title}"[:31],
                    ["Позиция", "Практика", "Школа", "Муниципалитет", "Балл", "Оценок",
                     "Назначено", "Место", "Банк практик"],
                    [[r.rank_label, r.application.title, r.application.school.short_name,
                      r.application.municipality.name,
                      round(float(r.score), 2) if r.score is not None else None, r.reviews,
                      r.assigned, r.application.get_place_display() or "",
                      "да" if r.application.in_bank else ""] for r in rows],
                    [10, 48, 30, 26, 8, 8, 10, 10, 12],
                    note=f"{edition}. {nomination.number}. {nomination.title}")
    return book_bytes(book)
