"""Plotly figures of the dashboard, from selector output; drawn by our static plotly.js
(``static/js/charts.js``). Each chart has the same figures in a table beside it."""

from __future__ import annotations

import json

import plotly.graph_objects as go

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


def _layout(figure: go.Figure, *, height: int = 360, **extra) -> dict:
    layout = {"height": height, "separators": ", ",
              "margin": {"l": 48, "r": 16, "t": 72, "b": 40}, "font": FONT,
              # the legend above the plot, below the toolbar's row
              "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
              "plot_bgcolor": "#ffffff", "paper_bgcolor": "#ffffff"}
    figure.update_layout(**(layout | extra))
    return json.loads(figure.to_json())


def engagement_figure(board: Dashboard) -> dict | None:
    view = board.engagement
    if view is None or not view.components:
        return None
    parts = [c for c in view.components if PART[c.code].whole]
    labels = [SHORT[c.code] for c in parts]
    figure = go.Figure()
    figure.add_bar(name="Максимум", y=labels, x=[float(PART[c.code].high) for c in parts],
                   orientation="h", marker_color=COLOURS["max"], hoverinfo="x")
    figure.add_bar(name="Предложено порталом", y=labels,
                   x=[float(c.proposed) if c.proposed is not None else 0 for c in parts],
                   orientation="h", marker_color=COLOURS["proposed"])
    figure.add_bar(name="Подтверждено", y=labels,
                   x=[float(c.value) if c.value is not None else 0 for c in parts],
                   orientation="h", marker_color=COLOURS["value"])
    return _layout(figure, height=380, barmode="group",
                   yaxis={"autorange": "reversed", "automargin": True},
                   xaxis={"title": {"text": "баллы"}, "range": [-1, 6.2], "dtick": 1})


def documents_figure(board: Dashboard) -> dict | None:
    if not board.areas:
        return None
    names = [a.name for a in board.areas]
    figure = go.Figure()
    for key, label, values in (
            ("approved", "Подтверждено", [a.approved for a in board.areas]),
            ("submitted", "На проверке", [a.submitted for a in board.areas]),
            ("returned", "Возвращено", [a.returned for a in board.areas]),
            ("missing", "Не размещено",
             [max(a.due - a.uploaded, 0) for a in board.areas])):
        figure.add_bar(name=label, x=names, y=values, marker_color=COLOURS[key])
    return _layout(figure, height=420, barmode="stack",
                   xaxis={"type": "category", "tickangle": -45, "automargin": True},
                   yaxis={"title": {"text": "документов"}, "rangemode": "tozero"})


def overdue_figure(board: Dashboard) -> dict | None:
    rows = ([(a.name, a.measures, a.overdue) for a in board.areas if a.measures]
            + [(title, n, late) for title, n, late in board.plan_overdue if n])
    if not rows:
        return None
    figure = go.Figure()
    names = [name if len(name) <= 40 else name[:38] + "…" for name, _, _ in rows]
    figure.add_bar(name="Мероприятий", x=names, y=[n for _, n, _ in rows],
                   marker_color=COLOURS["max"])
    figure.add_bar(name="Просрочено", x=names, y=[late for _, _, late in rows],
                   marker_color=COLOURS["overdue"])
    return _layout(figure, height=360, barmode="overlay",
                   xaxis={"type": "category", "tickangle": -45, "automargin": True},
                   yaxis={"title": {"text": "мероприятий"}, "rangemode": "tozero"})


def curators_figure(board: Dashboard) -> dict | None:
    rows = [c for c in board.curators if c.schools]
    if not rows:
        return None
    figure = go.Figure()
    names = [c.name for c in rows]
    figure.add_bar(name="Решений по документам", x=names, y=[c.decided for c in rows],
                   marker_color=COLOURS["approved"])
    figure.add_bar(name="Ждут проверки", x=names, y=[c.waiting for c in rows],
                   marker_color=COLOURS["returned"])
    return _layout(figure, height=360, barmode="group",
                   xaxis={"type": "category", "tickangle": -30, "automargin": True},
                   yaxis={"title": {"text": "документов"}, "rangemode": "tozero"})


def federal_figure(board: Dashboard) -> dict | None:
    scores = [s for s in board.engagement_scores if s.is_published]
    if not scores:
        return None
    figure = go.Figure()
    figure.add_bar(name="Итог с учётом доли активировавших",
                   x=[s.region.name for s in scores], y=[float(s.final) for s in scores],
                   marker_color=COLOURS["value"])
    return _layout(figure, height=380,
                   xaxis={"type": "category", "tickangle": -45, "automargin": True},
                   yaxis={"title": {"text": "баллы (максимум 1105)"}, "range": [0, 1105]})
