"""``format=csv`` and ``format=xlsx`` on list endpoints: the page of results as a table,
nested fields flattened (``school.login``), lists joined with «; ». Text that a spreadsheet
would take for a formula is written as text (the pages' formula-safe writer)."""

from __future__ import annotations

import csv
import io

from rest_framework.renderers import BaseRenderer

from core.xlsx import FORMULA_STARTS, book_bytes, new_book, sheet_write


def _flat(row: dict, prefix: str = "") -> dict:
    out = {}
    for key, value in row.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flat(value, f"{name}."))
        elif isinstance(value, list):
            out[name] = "; ".join(str(v.get("number", v)) if isinstance(v, dict) else str(v)
                                  for v in value)
        else:
            out[name] = value
    return out


def _table(data) -> tuple[list[str], list[list]]:
    rows = data.get("results", []) if isinstance(data, dict) else data
    if not isinstance(rows, list):
        rows = [data]
    flat = [_flat(r) for r in rows if isinstance(r, dict)]
    header = list(dict.fromkeys(k for r in flat for k in r))
    return header, [[r.get(k) for k in header] for r in flat]


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        header, rows = _table(data)
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";")
        writer.writerow(header)
        for row in rows:
            writer.writerow(["'" + v if isinstance(v, str) and v[:1] in FORMULA_STARTS else
                             ("" if v is None else v) for v in row])
        return ("\ufeff" + out.getvalue()).encode("utf-8")  # Excel reads UTF-8 with a BOM


class XLSXRenderer(BaseRenderer):
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        header, rows = _table(data)
        book = new_book()
        sheet_write(book, "Данные", header or ["пусто"], rows, [18] * max(1, len(header)))
        return book_bytes(book)
