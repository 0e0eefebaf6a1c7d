"""The dashboard's figures: count axes with whole ticks, municipalities as the top N and one
«Остальные» bar whose figures are the exact sums of the rest, labels wrapped (never cut),
and no bar of 0 for a figure that does not exist yet."""

from __future__ import annotations

import random

import pytest

from monitoring import charts
from monitoring.selectors import AreaRow, Dashboard, Filters


def _area(i: int, rng: random.Random) -> AreaRow:
    due = rng.randint(0, 30)
    uploaded = rng.randint(0, due)
    approved = rng.randint(0, uploaded)
    submitted = rng.randint(0, uploaded - approved)
    returned = uploaded - approved - submitted
    return AreaRow(key=i, name=f"Муниципальный район номер {i:02d} с длинным названием",
                   schools=rng.randint(1, 5), due=due, uploaded=uploaded, approved=approved,
                   submitted=submitted, returned=returned, measures=rng.randint(0, 9),
                   overdue=0)


def _board(areas: list[AreaRow], **extra) -> Dashboard:
    return Dashboard(filters=Filters(year=2022), personal=True, by="municipality",
                     areas=areas, **extra)


def test_top_with_rest_keeps_the_top_and_sums_the_rest_exactly():
    rng = random.Random(23)
    rows = [(f"М{i:02d}", (rng.randint(0, 50), rng.randint(0, 50), rng.randint(0, 50)))
            for i in range(39)]
    bars = charts.top_with_rest(rows, sort_key=lambda v: (v[0], sum(v)), n=10)
    assert len(bars) == 11
    top = sorted(rows, key=lambda r: (-r[1][0], -sum(r[1]), r[0]))[:10]
    assert [(b.name, b.values) for b in bars[:10]] == top
    rest = bars[-1]
    assert rest.name == "Остальные 29 муниципалитетов" and rest.members == 29
    # each figure of the chart adds up to the table's total: nothing lost, nothing twice
    for i in range(3):
        assert sum(b.values[i] for b in bars) == sum(v[i] for _, v in rows)
    others = {name for name, _ in rows} - {b.name for b in bars[:10]}
    assert rest.values == tuple(sum(v[i] for name, v in rows if name in others)
                                for i in range(3))


@pytest.mark.parametrize(("count", "bars"), [(3, 3), (10, 10), (11, 11), (12, 11)])
def test_top_with_rest_sums_only_two_or_more_rows(count, bars):
    rows = [(f"М{i:02d}", (i,)) for i in range(count)]
    result = charts.top_with_rest(rows, sort_key=lambda v: v, n=10)
    assert len(result) == bars
    assert sum(b.values[0] for b in result) == sum(range(count))
    assert result[-1].name.startswith("Остальные") == (count > 11)


def test_rest_agrees_with_its_number():
    rows = [(f"Р{i:02d}", (1,)) for i in range(12)]
    assert charts.top_with_rest(rows, sort_key=lambda v: v, n=10,
                                noun="регион")[-1].name == "Остальные 2 региона"


@pytest.mark.parametrize(("largest", "dtick"), [(0, 1), (1, 1), (3, 1), (5, 1), (7, 2),
                                                (10, 2), (12, 5), (19, 5)])
def test_count_axis_ticks_are_whole_numbers(largest, dtick):
    axis = charts.count_axis("документов", largest)
    assert axis["tickformat"] == "d" and axis["dtick"] == dtick and axis["tick0"] == 0


def test_count_axis_leaves_large_ranges_to_plotly_with_whole_ticks():
    axis = charts.count_axis("документов", 110)
    assert axis["tickformat"] == "d" and "dtick" not in axis


def test_documents_chart_shows_top_ten_and_the_rest_with_exact_sums():
    rng = random.Random(5)
    areas = [_area(i, rng) for i in range(39)]
    figure = charts.documents_figure(_board(areas))
    traces = {t["name"]: t for t in figure["data"]}
    assert all(t["orientation"] == "h" for t in figure["data"])
    labels = traces["Подтверждено"]["y"]
    assert len(labels) == 11 and labels[-1] == "Остальные 29<br>муниципалитетов"
    expected = {"Подтверждено": sum(a.approved for a in areas),
                "На проверке": sum(a.submitted for a in areas),
                "Возвращено": sum(a.returned for a in areas),
                "Не размещено": sum(max(a.due - a.uploaded, 0) for a in areas)}
    assert {name: sum(t["x"]) for name, t in traces.items()} == expected
    assert figure["layout"]["xaxis"]["tickformat"] == "d"
    assert figure["layout"]["yaxis"]["automargin"] is True


def test_documents_chart_leaves_hidden_rows_to_the_table():
    rng = random.Random(1)
    areas = [_area(i, rng) for i in range(4)]
    areas[0].hide()
    figure = charts.documents_figure(_board(areas))
    assert len(figure["data"][0]["y"]) == 3


def test_long_labels_are_wrapped_never_cut():
    title = "Комплекс мер поддержки ШНОР и ШССУ Ростовской области на 2020–2023 годы"
    board = _board([], plan_overdue=[(title, 50, 50)])
    figure = charts.overdue_figure(board)
    (label,) = figure["data"][0]["y"]
    assert "…" not in label and label.replace("<br>", " ") == title
    assert all(len(line) <= charts.WRAP for line in label.split("<br>"))
    assert figure["layout"]["xaxis"]["tickformat"] == "d"


def test_a_word_longer_than_a_line_is_kept_whole():
    assert charts.wrap("Матвеево-Курганский район") == "Матвеево-Курганский<br>район"


def test_engagement_without_proposals_draws_no_zero_bars():
    from monitoring.engagement import PART
    from monitoring.selectors import EngagementView

    class Component:  # an uncomputed, unconfirmed component
        def __init__(self, code):
            self.code, self.proposed, self.value = code, None, None

    view = EngagementView(score=None, components=[Component(c) for c in PART])
    figure = charts.engagement_figure(_board([], engagement=view))
    traces = {t["name"]: t for t in figure["data"]}
    assert set(traces["Предложено порталом"]["x"]) == {None}
    assert set(traces["Подтверждено"]["x"]) == {None}


# -- a year without data reads «нет данных», never zeros -----------------------------------
def test_dashboard_says_no_data_for_a_year_without_profiles(client, active_a):
    """Region A has 2022 profiles and none of 2021: the risks block, its chart, the PDF's
    table (the same template) and the Excel say «нет данных» for 2021, never 0 / 0,0 %."""
    import io
    import json

    from openpyxl import load_workbook

    from monitoring.reports import dashboard_xlsx
    from monitoring.selectors import dashboard, filters_from

    client.force_login(active_a.regional_staff)
    body = client.get("/monitoring/", {"year": 2022}).content.decode()
    section = body[body.index('id="risks"'):body.index('id="documents"')]
    assert "Нет данных за 2021 год" in section
    assert section.count('data-label="2021">нет данных</td>') == 10  # 2021's ten factors
    assert '<td class="num">0,0</td></tr>' not in section  # the last cell is 2021's share
    assert '<td class="num">0</td><td class="num">0,0</td>' in section  # 2022's real zeros
    script = body.split('id="risks-chart-data"')[1]
    figure = json.loads(script.split(">", 1)[1].split("</script>")[0])
    assert [t["name"] for t in figure["data"]] == ["2022"]
    assert figure["layout"]["annotations"][0]["text"] == "Нет данных за 2021 год."

    user = active_a.regional_staff
    board = dashboard(user, filters_from(user, {"year": "2022"}))
    sheet = load_workbook(io.BytesIO(dashboard_xlsx(board)))["Риски"]
    rows = {row[0]: row for row in sheet.iter_rows(values_only=True)}
    assert rows["R01"][2:] == (1, 100.0, "нет данных", "нет данных")
    assert rows["R11"][4:] == (None, None)  # not in 2021's catalogue: no data to speak of


def test_a_row_owing_no_document_has_no_share_not_zero_percent():
    assert AreaRow(key=1, name="М", schools=2, due=0).approved_percent is None
    assert AreaRow(key=1, name="М", schools=2, due=4, approved=1).approved_percent == 25.0
