"""A year without a risk profile in the selection has no data — not zeros: a reader takes
«0,0 %» for "no school had the risk" (issue 23)."""

from __future__ import annotations

from django.urls import reverse

from risk_profiles.charts import distribution_figure
from risk_profiles.selectors import risk_distribution
from risk_profiles.services import profile_create

from .conftest import activate


def _with_2022_profiles(world_a):
    for school, codes in ((world_a.school1, ("R01", "R11")), (world_a.school2, ("R01",))):
        activate(world_a.regional_staff, profile_create(actor=None, school=school, year=2022),
                 *codes)


def test_a_year_without_profiles_is_flagged_and_has_no_figures(world_a, catalogue):
    _with_2022_profiles(world_a)
    result = risk_distribution(world_a.regional_staff, year=2022, region=world_a.region)
    assert (result.no_data, result.previous_no_data) == (False, True)
    assert result.missing_years == [2021]
    rows = {r.code: r for r in result.rows}
    assert (rows["R01"].count, rows["R01"].share) == (2, 100.0)
    assert (rows["R02"].count, rows["R02"].share) == (0, 0.0)  # a real zero of 2022
    # 2021's factors: no data, not 0 — and still known to be in 2021's catalogue
    assert (rows["R01"].previous_count, rows["R01"].previous_share) == (None, None)
    assert rows["R01"].in_previous and not rows["R01"].only_now
    assert rows["R11"].only_now and rows["R08"].only_before
    assert rows["R01"].delta is None


def test_the_chart_of_a_year_without_profiles_draws_no_zero_bars(world_a, catalogue):
    _with_2022_profiles(world_a)
    figure = distribution_figure(
        risk_distribution(world_a.regional_staff, year=2022, region=world_a.region))
    assert [t["name"] for t in figure["data"]] == ["2022"]
    assert figure["layout"]["annotations"][0]["text"] == "Нет данных за 2021 год."
    assert figure["layout"]["showlegend"] is True


def test_a_year_with_profiles_keeps_both_years(world_a, catalogue):
    _with_2022_profiles(world_a)
    from tests.factories import SchoolYearFactory

    SchoolYearFactory(school=world_a.school1, year=2021)
    activate(world_a.regional_staff,
             profile_create(actor=None, school=world_a.school1, year=2021), "R02")
    result = risk_distribution(world_a.regional_staff, year=2022, region=world_a.region)
    assert result.missing_years == []
    figure = distribution_figure(result)
    assert [t["name"] for t in figure["data"]] == ["2021", "2022"]
    assert "annotations" not in figure["layout"]
    rows = {r.code: r for r in result.rows}
    assert (rows["R01"].previous_count, rows["R01"].previous_share) == (0, 0.0)
    assert (rows["R02"].previous_count, rows["R02"].previous_share) == (1, 100.0)


def test_the_page_says_no_data_for_2021_never_zero_percent(client, world_a, catalogue):
    _with_2022_profiles(world_a)
    client.force_login(world_a.regional_staff)
    body = client.get(reverse("risk_profiles:distribution"), {"year": 2022}).content.decode()
    assert "Нет данных за 2021 год" in body
    # each of the 13 rows: 2021's ten factors «нет данных», the three new ones «не было»
    assert body.count('data-label="2021">нет данных</td>') == 10
    assert body.count("не было в каталоге 2021 г.</td>") == 3


def test_a_year_with_no_profile_at_all_reads_no_data(client, world_a, catalogue):
    """The year before the catalogue's first: 2021 chosen, no 2021 (or 2020) profile."""
    _with_2022_profiles(world_a)
    client.force_login(world_a.regional_staff)
    body = client.get(reverse("risk_profiles:distribution"), {"year": 2021}).content.decode()
    assert "По этим условиям риск-профилей нет ни за 2021, ни за 2020 год." in body
    assert "risk-chart-data" not in body
