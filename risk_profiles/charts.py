"""Plotly figures from selector output; the template draws them with our static plotly.js."""

from __future__ import annotations

from .selectors import Distribution

CURRENT_COLOUR = "#1f5fa8"
PREVIOUS_COLOUR = "#9bb7d4"


def distribution_figure(distribution: Distribution) -> dict:
    """Shares of schools that activated each factor, this year beside last year; a factor
    of only one catalogue has a bar in that year only (its hover text says why). A year
    without a profile in the selection has no bars and a note «Нет данных за … год» —
    zeros would read as "no school had the risk"."""
    rows = distribution.rows
    codes = [r.code for r in rows]

    def trace(year: int, colour: str, counts, shares, in_catalogue, absent: str, **extra):
        hover = [f"{r.code}. {r.title}<br>{year}: {n} шк. ({_pct(s)})" if present
                 else f"{r.code}. {r.title}<br>{absent}"
                 for r, n, s, present in zip(rows, counts, shares, in_catalogue, strict=True)]
        return {"type": "bar", "name": str(year), "x": codes, "y": shares,
                "marker": {"color": colour}, "hoverinfo": "text", "hovertext": hover, **extra}

    # plain Plotly JSON: the graph objects validate every property and cost ~25 ms a figure
    data = []
    if not distribution.previous_no_data:
        data.append(trace(distribution.previous_year, PREVIOUS_COLOUR,
                          [r.previous_count for r in rows], [r.previous_share for r in rows],
                          [r.in_previous for r in rows],
                          f"не было в каталоге {distribution.previous_year} г."))
    if not distribution.no_data:
        shares = [r.share for r in rows]
        data.append(trace(distribution.year, CURRENT_COLOUR, [r.count for r in rows], shares,
                          [r.in_year for r in rows], f"нет в каталоге {distribution.year} г.",
                          text=[_pct(s) if s is not None else "" for s in shares],
                          textposition="outside", cliponaxis=False))
    layout = {
        "barmode": "group", "separators": ", ", "height": 380, "showlegend": True,
        # a share that does not fit above its bar is left to the hover text and the table
        "uniformtext": {"minsize": 10, "mode": "hide"},
        "margin": {"l": 48, "r": 16, "t": 48, "b": 40},
        "font": {"family": "DejaVu Sans, Arial, sans-serif", "size": 13},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        "yaxis": {"title": {"text": "% школ с профилем"}, "rangemode": "tozero",
                  "ticksuffix": " %", "automargin": True},
        "xaxis": {"title": {"text": "Фактор риска"}, "type": "category", "automargin": True},
        "plot_bgcolor": "#ffffff", "paper_bgcolor": "#ffffff",
    }
    missing = distribution.missing_years
    if missing:
        layout["annotations"] = [{
            "text": " ".join(f"Нет данных за {y} год." for y in missing),
            "xref": "paper", "yref": "paper", "x": 1, "y": 1.02, "xanchor": "right",
            "yanchor": "bottom", "showarrow": False, "font": {"color": "#5b6675"}}]
    return {"data": data, "layout": layout}


def _pct(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.1f} %".replace(".", ",")
