"""Plotly figures of the dashboard, from selector output; drawn by our static plotly.js
(``static/js/charts.js``). Each chart has the same figures in a table beside it.

The figures are plain Plotly JSON (``{"data": […], "layout": {…}}``) built as dicts: the
Python graph objects validate every property and cost ~25 ms a figure, more than the
dashboard's queries (``make bench``)."""

from __future__ import annotations

from .engagement import PART
from .selectors import Dashboard

#: Short names for the chart's axis (the table beside it has the full ones).
SHORT = {"plan": "План-график", "documents": "Экспертиза документов",
         "curator_work": "Работа кураторов", "one_school": "Куратор одной школы",
         "survey": "Первый опрос", "sharing": "Трансляция опыта"}
FONT = {"family": "DejaVu Sans, Arial, sans-serif", "size": 13}
COLOURS = {"approved": "#1d7a46", "submitted": "#1f5fa8", "returned": "#c2410c",
           "missing": "#c9d3df", "overdue": "#b42318", "max": "#d9e2ec",
           "value": "#1f5fa8", "proposed": "#9bb7d4"}


def _bar(name: str, x: list, y: list, colour: str, **extra) -> dict:
    return {"type": "bar", "name": name, "x": x, "y": y, "marker": {"color": colour}, **extra}


def _figure(traces: list[dict], *, height: int = 360, **extra) -> dict:
    layout = {"height": height, "separators": ", ",
              "margin": {"l": 48, "r": 16, "t": 72, "b": 40}, "font": FONT,
              # the legend above the plot, below the toolbar's row
              "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
              "plot_bgcolor": "#ffffff", "paper_bgcolor": "#ffffff"}
    return {"data": traces, "layout": layout | extra}


def engagement_figure(board: Dashboard) -> dict | None:
    view = board.engagement
    if view is None or not view.components:
        return None
    parts = [c for c in view.components if PART[c.code].whole]
    labels = [SHORT[c.code] for c in parts]
    traces = [
        _bar("Максимум", [float(PART[c.code].high) for c in parts], labels, COLOURS["max"],
             orientation="h", hoverinfo="x"),
        _bar("Предложено порталом",
             [float(c.proposed) if c.proposed is not None else 0 for c in parts], labels,
             COLOURS["proposed"], orientation="h"),
        _bar("Подтверждено", [float(c.value) if c.value is not None else 0 for c in parts],
             labels, COLOURS["value"], orientation="h"),
    ]
    return _figure(traces, height=380, barmode="group",
                   yaxis={"autorange": "reversed", "automargin": True},
                   xaxis={"title": {"text": "баллы"}, "range": [-1, 6.2], "dtick": 1})


def documents_figure(board: Dashboard) -> dict | None:
    areas = [a for a in board.areas if not a.hidden]  # small groups: in the table only
    if not areas:
        return None
    names = [a.name for a in areas]
    traces = [_bar(label, names, values, COLOURS[key]) for key, label, values in (
        ("approved", "Подтверждено", [a.approved for a in areas]),
        ("submitted", "На проверке", [a.submitted for a in areas]),
        ("returned", "Возвращено", [a.returned for a in areas]),
        ("missing", "Не размещено", [max(a.due - a.uploaded, 0) for a in areas]))]
    return _figure(traces, height=420, barmode="stack",
                   xaxis={"type": "category", "tickangle": -45, "automargin": True},
                   yaxis={"title": {"text": "документов"}, "rangemode": "tozero"})


def overdue_figure(board: Dashboard) -> dict | None:
    rows = ([(a.name, a.measures, a.overdue) for a in board.areas if a.measures and not a.hidden]
            + [(title, n, late) for title, n, late in board.plan_overdue if n])
    if not rows:
        return None
    names = [name if len(name) <= 40 else name[:38] + "…" for name, _, _ in rows]
    traces = [_bar("Мероприятий", names, [n for _, n, _ in rows], COLOURS["max"]),
              _bar("Просрочено", names, [late for _, _, late in rows], COLOURS["overdue"])]
    return _figure(traces, height=360, barmode="overlay",
                   xaxis={"type": "category", "tickangle": -45, "automargin": True},
                   yaxis={"title": {"text": "мероприятий"}, "rangemode": "tozero"})


def curators_figure(board: Dashboard) -> dict | None:
    rows = [c for c in board.curators if c.schools]
    if not rows:
        return None
    names = [c.name for c in rows]
    traces = [_bar("Решений по документам", names, [c.decided for c in rows],
                   COLOURS["approved"]),
              _bar("Ждут проверки", names, [c.waiting for c in rows], COLOURS["returned"])]
    return _figure(traces, height=360, barmode="group",
                   xaxis={"type": "category", "tickangle": -30, "automargin": True},
                   yaxis={"title": {"text": "документов"}, "rangemode": "tozero"})


def federal_figure(board: Dashboard) -> dict | None:
    scores = [s for s in board.engagement_scores if s.is_published]
    if not scores:
        return None
    traces = [_bar("Итог с учётом доли активировавших", [s.region.name for s in scores],
                   [float(s.final) for s in scores], COLOURS["value"])]
    return _figure(traces, height=380,
                   xaxis={"type": "category", "tickangle": -45, "automargin": True},
                   yaxis={"title": {"text": "баллы (максимум 1105)"}, "range": [0, 1105]})
