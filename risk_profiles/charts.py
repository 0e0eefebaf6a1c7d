"""Plotly figures from selector output; the template draws them with our static plotly.js."""

from __future__ import annotations

from .selectors import Distribution

CURRENT_COLOUR = "#1f5fa8"
PREVIOUS_COLOUR = "#9bb7d4"


def distribution_figure(distribution: Distribution) -> dict:
    """Shares of schools that activated each factor, this year beside last year; a factor
    of only one catalogue has a bar in that year only (its hover text says why)."""
    rows = distribution.rows
    codes = [r.code for r in rows]

    def hover(share, count, year, other_missing_text):
        out = []
        for r, s, n in zip(rows, share, count, strict=True):
            if n is None:
                out.append(f"{r.code}. {r.title}<br>{other_missing_text}")
            else:
                out.append(f"{r.code}. {r.title}<br>{year}: {n} шк. ({_pct(s)})")
        return out

    previous_count = [r.previous_count for r in rows]
    previous_share = [r.previous_share for r in rows]
    current_count = [r.count for r in rows]
    current_share = [r.share for r in rows]
    # plain Plotly JSON: the graph objects validate every property and cost ~25 ms a figure
    data = [
        {"type": "bar", "name": str(distribution.previous_year), "x": codes,
         "y": previous_share, "marker": {"color": PREVIOUS_COLOUR}, "hoverinfo": "text",
         "hovertext": hover(previous_share, previous_count, distribution.previous_year,
                            f"не было в каталоге {distribution.previous_year} г.")},
        {"type": "bar", "name": str(distribution.year), "x": codes, "y": current_share,
         "marker": {"color": CURRENT_COLOUR}, "hoverinfo": "text",
         "text": [_pct(s) if s is not None else "" for s in current_share],
         "textposition": "outside",
         "hovertext": hover(current_share, current_count, distribution.year,
                            f"нет в каталоге {distribution.year} г.")},
    ]
    layout = {
        "barmode": "group", "separators": ", ", "height": 380,
        "margin": {"l": 48, "r": 16, "t": 24, "b": 40},
        "font": {"family": "DejaVu Sans, Arial, sans-serif", "size": 13},
        "legend": {"orientation": "h", "y": 1.08, "x": 0},
        "yaxis": {"title": {"text": "% школ с профилем"}, "rangemode": "tozero",
                  "ticksuffix": " %"},
        "xaxis": {"title": {"text": "Фактор риска"}, "type": "category"},
        "plot_bgcolor": "#ffffff", "paper_bgcolor": "#ffffff",
    }
    return {"data": data, "layout": layout}


def _pct(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.1f} %".replace(".", ",")
