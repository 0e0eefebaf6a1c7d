"""Plotly figures of the dashboard, from selector output; drawn by our static plotly.js
(``static/js/charts.js``). Each chart has the same figures in a table beside it.

The figures are plain Plotly JSON (``{"data": […], "layout": {…}}``) built as dicts: the
Python graph objects validate every property and cost ~25 ms a figure, more than the
dashboard's queries (``make bench``)."""

from __future__ import annotations

from dataclasses import dataclass

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


#: Bars of a municipality chart before the rest is summed into one «Остальные …» bar.
TOP = 10
#: Characters of a category label per line; longer names wrap (never cut).
WRAP = 18


@dataclass(frozen=True)
class Bar:
    """One bar of a chart: a row of the table, or the sum of the rows past the top."""

    name: str
    values: tuple[int, ...]
    members: int = 1  # table rows summed in the bar

    @property
    def total(self) -> int:
        return sum(self.values)


def top_with_rest(rows: list[tuple[str, tuple[int, ...]]], *, sort_key, n: int = TOP,
                  noun: str = "муниципалитет") -> list[Bar]:
    """The ``n`` rows first by ``sort_key`` (largest first), then one bar summing every
    other row figure by figure, named «Остальные 29 муниципалитетов»; a single row left over
    keeps its own bar (a «rest» of one says nothing)."""
    from core.text import count_phrase

    ranked = sorted(rows, key=lambda row: (*(-k for k in sort_key(row[1])), row[0]))
    if len(ranked) <= n + 1:
        return [Bar(name, tuple(values)) for name, values in ranked]
    rest = ranked[n:]
    summed = tuple(sum(column) for column in zip(*(values for _, values in rest), strict=True))
    return [*(Bar(name, tuple(values)) for name, values in ranked[:n]),
            Bar(f"Остальные {count_phrase(len(rest), noun)}", summed, members=len(rest))]


def wrap(text: str, width: int = WRAP) -> str:
    """A long category label broken into lines at spaces (Plotly's ``<br>``), never cut."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def count_axis(title: str, largest: float | None) -> dict:
    """An axis of counts: whole-number ticks only (no 0,2 / 0,4 of a count), from 0.

    Below 20 the step is fixed (1, 2 or 5: Plotly would pick 0,5 for a short range); from
    20 on Plotly's own choice is a whole step ≥ 2 and thins the ticks on a narrow phone."""
    top = largest or 0
    axis = {"title": {"text": title}, "tickformat": "d", "tick0": 0, "rangemode": "tozero",
            "automargin": True}
    if top < 20:
        axis["dtick"] = 1 if top <= 5 else 2 if top <= 10 else 5
    if top == 0:
        axis["range"] = [0, 1]
    return axis


def _bar(name: str, x: list, y: list, colour: str, **extra) -> dict:
    return {"type": "bar", "name": name, "x": x, "y": y, "marker": {"color": colour}, **extra}


def _hbar(name: str, labels: list[str], values: list, colour: str, **extra) -> dict:
    """A horizontal bar trace: the category labels sit on the left, wrapped, never slanted."""
    return _bar(name, values, labels, colour, orientation="h", **extra)


def _figure(traces: list[dict], *, height: int = 360, **extra) -> dict:
    layout = {"height": height, "separators": ", ",
              # the legend above the plot pushes the top margin as it needs (autoexpand)
              "margin": {"l": 8, "r": 16, "t": 40, "b": 40}, "font": FONT,
              "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
              "plot_bgcolor": "#ffffff", "paper_bgcolor": "#ffffff"}
    return {"data": traces, "layout": layout | extra}


def _rows_height(names: list[str], *, traces: int = 1) -> int:
    """Room for every (wrapped) label of a horizontal chart: lines × line height, plus a
    gap per bar and the legend and axis; grouped traces need a little more per bar."""
    lines = sum(name.count("<br>") + 1 for name in names)
    return max(220, 130 + 17 * lines + (10 + 8 * traces) * len(names))


def _category_axis() -> dict:
    return {"type": "category", "autorange": "reversed", "automargin": True}


def engagement_figure(board: Dashboard) -> dict | None:
    view = board.engagement
    if view is None or not view.components:
        return None
    parts = [c for c in view.components if PART[c.code].whole]
    labels = [SHORT[c.code] for c in parts]
    # a figure not proposed or not confirmed yet has no bar (null), never a bar of 0
    traces = [
        _hbar("Максимум", labels, [float(PART[c.code].high) for c in parts], COLOURS["max"],
              hoverinfo="x"),
        _hbar("Предложено порталом", labels,
              [float(c.proposed) if c.proposed is not None else None for c in parts],
              COLOURS["proposed"]),
        _hbar("Подтверждено", labels,
              [float(c.value) if c.value is not None else None for c in parts],
              COLOURS["value"]),
    ]
    return _figure(traces, height=380, barmode="group", yaxis=_category_axis(),
                   xaxis={"title": {"text": "баллы"}, "range": [-1, 6.2], "dtick": 1,
                          "automargin": True})


def documents_figure(board: Dashboard) -> dict | None:
    areas = [a for a in board.areas if not a.hidden]  # small groups: in the table only
    if not areas:
        return None
    keys = ("approved", "submitted", "returned", "missing")
    labels = {"approved": "Подтверждено", "submitted": "На проверке",
              "returned": "Возвращено", "missing": "Не размещено"}
    rows = [(a.name, (a.approved, a.submitted, a.returned, max(a.due - a.uploaded, 0)))
            for a in areas]
    # the most documents placed first, then the most owed: where the work is going on
    bars = top_with_rest(rows, sort_key=lambda v: (v[0] + v[1] + v[2], sum(v)),
                         noun="муниципалитет" if board.by == "municipality" else "регион")
    names = [wrap(b.name) for b in bars]
    traces = [_hbar(labels[key], names, [b.values[i] for b in bars], COLOURS[key])
              for i, key in enumerate(keys)]
    figure = _figure(traces, height=_rows_height(names), barmode="stack",
                     yaxis=_category_axis(),
                     xaxis=count_axis("документов", max(b.total for b in bars)))
    figure["layout"]["legend"]["traceorder"] = "normal"  # as the bar reads, left to right
    return figure


def overdue_figure(board: Dashboard) -> dict | None:
    areas = [(a.name + " (школы)", (a.measures, a.overdue))
             for a in board.areas if a.measures and not a.hidden]
    bars = top_with_rest(areas, sort_key=lambda v: (v[1], v[0]),
                         noun="муниципалитет" if board.by == "municipality" else "регион")
    bars += [Bar(title, (n, late)) for title, n, late in board.plan_overdue if n]
    if not bars:
        return None
    names = [wrap(b.name) for b in bars]
    traces = [_hbar("Мероприятий", names, [b.values[0] for b in bars], COLOURS["max"]),
              _hbar("Просрочено", names, [b.values[1] for b in bars], COLOURS["overdue"])]
    return _figure(traces, height=_rows_height(names), barmode="overlay",
                   yaxis=_category_axis(),
                   xaxis=count_axis("мероприятий", max(b.values[0] for b in bars)))


def curators_figure(board: Dashboard) -> dict | None:
    rows = [c for c in board.curators if c.schools]
    if not rows:
        return None
    names = [wrap(c.name) for c in rows]
    traces = [_hbar("Решений по документам", names, [c.decided for c in rows],
                    COLOURS["approved"]),
              _hbar("Ждут проверки", names, [c.waiting for c in rows], COLOURS["returned"])]
    return _figure(traces, height=_rows_height(names, traces=2), barmode="group",
                   yaxis=_category_axis(),
                   xaxis=count_axis("документов",
                                    max(max(c.decided, c.waiting) for c in rows)))


def federal_figure(board: Dashboard) -> dict | None:
    scores = sorted((s for s in board.engagement_scores if s.is_published),
                    key=lambda s: -s.final)
    if not scores:
        return None
    names = [wrap(s.region.name) for s in scores]
    traces = [_hbar("Итог с учётом доли активировавших", names,
                    [float(s.final) for s in scores], COLOURS["value"])]
    return _figure(traces, height=_rows_height(names), yaxis=_category_axis(),
                   xaxis={"title": {"text": "баллы (максимум 1105)"}, "range": [0, 1105],
                          "automargin": True})
