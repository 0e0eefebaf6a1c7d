"""The management cycle beyond the indicators: the analysis of an indicator (values by
territory and year, gaps ranked, conclusions, exports), recommendations turned into measures,
management decisions and their effect, the yearly report approved with a protocol, and the
exit list of seed 004 §6."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from core.files import upload_check
from core.jobs import job_run
from core.models import AuditEntry, Notification
from management import selectors
from management.models import CycleReport, Decision, ExitProposal, Recommendation
from management.services import (
    DecisionInput,
    ManagementError,
    RecommendationInput,
    catalogue_create,
    conclusion_write,
    decision_record,
    exit_list_build,
    exit_review,
    recommendation_acknowledge,
    recommendation_issue,
    recommendation_to_measure,
    report_approve,
    report_start,
    target_set,
    values_compute,
)
from risk_profiles.services import profile_create, profile_transition
from schools.models import SchoolYear
from tests.files import pdf_bytes
from tests.risk_profiles.conftest import activate, catalogue  # noqa: F401

pytestmark = pytest.mark.django_db

#: ИОР 2021 → 2022: school1 0.40 → 0.55, school2 0.60 → 0.50, school_other 0.30 → 0.45.
IOR = {"school1": ("0.40", "0.55"), "school2": ("0.60", "0.50"),
       "school_other": ("0.30", "0.45")}


def _pdf(name="Приказ.pdf"):
    f = SimpleUploadedFile(name, pdf_bytes(name))
    return upload_check(f, f.name, f.size)


@pytest.fixture
def years(world_a):
    """The 2021 and 2022 catalogues with computed values (ИОР of :data:`IOR`)."""
    for name, (before, now) in IOR.items():
        for year, ior in ((2021, before), (2022, now)):
            SchoolYear.objects.update_or_create(
                region=world_a.region, school=getattr(world_a, name), year=year,
                defaults={"is_shnor": True, "is_participant": True, "ior": Decimal(ior),
                          "isb": Decimal("0.5")})
    out = {}
    for year in (2021, 2022):
        out[year] = {i.code: i for i in catalogue_create(actor=world_a.regional_staff,
                                                         region=world_a.region, year=year)}
        values_compute(actor=None, region=world_a.region, year=year)
    return out


# -- analysis -----------------------------------------------------------------------------------
def test_analysis_puts_years_side_by_side_and_ranks_the_gaps(world_a, years):
    ior = years[2022]["1.1а"]
    staff = world_a.regional_staff
    target_set(actor=staff, indicator=ior, municipality=None, value=Decimal("0.50"))
    target_set(actor=staff, indicator=ior, municipality=world_a.municipality,
               value=Decimal("0.60"))
    target_set(actor=staff, indicator=ior, municipality=world_a.other_municipality,
               value=Decimal("0.55"))
    year_list, rows = selectors.analysis_rows(staff, ior)
    assert year_list == [2021, 2022]
    by_name = {r.name: r for r in rows}
    # municipality 1: (0.40 + 0.60) / 2 = 0.50 in 2021, (0.55 + 0.50) / 2 = 0.53 (0.525) in 2022
    first = by_name[world_a.municipality.name]
    assert [c.value for c in first.cells] == [Decimal("0.50"), Decimal("0.53")]
    assert first.cells[1].goal == Decimal("0.60") and first.cells[1].met is False
    assert by_name["Регион в целом"].cells[1].met is True  # 0.50 against 0.50
    gaps = selectors.gaps_ranked(ior, rows)
    # other: 0.55 − 0.45 = 0.10 before municipality 1: 0.60 − 0.53 = 0.07
    assert [(g.row.name, g.gap) for g in gaps] == [
        (world_a.other_municipality.name, Decimal("0.10")),
        (world_a.municipality.name, Decimal("0.07"))]


def test_a_municipal_coordinator_analyses_its_own_municipality(client, world_a, years):
    client.force_login(world_a.municipal_coordinator)
    page = client.get(reverse("management:analysis", args=[years[2022]["1.2"].public_id]))
    text = page.content.decode()
    assert page.status_code == 200
    assert world_a.municipality.name in text
    assert world_a.other_municipality.name not in text and "Регион в целом" not in text
    assert "Сохранить выводы" not in text  # the region's analysts write them


def test_conclusions_are_versions_and_exports_carry_them(client, world_a, years):
    indicator = years[2022]["1.2"]
    with pytest.raises(ManagementError, match="Напишите выводы"):
        conclusion_write(actor=world_a.regional_staff, indicator=indicator, text="  ")
    with pytest.raises(PermissionDenied):
        conclusion_write(actor=world_a.municipal_coordinator, indicator=indicator,
                         text="Выводы")
    conclusion_write(actor=world_a.regional_staff, indicator=indicator,
                     text="Динамика положительная в 2 из 3 школ.")
    conclusion_write(actor=world_a.regional_staff, indicator=indicator,
                     text="Школа 2 снизила ИОР: нужна адресная помощь.")
    assert list(selectors.conclusions_of(indicator).values_list("text", flat=True)) == [
        "Школа 2 снизила ИОР: нужна адресная помощь.", "Динамика положительная в 2 из 3 школ."]
    client.force_login(world_a.regional_staff)
    xlsx = client.get(reverse("management:analysis_export", args=[indicator.public_id, "xlsx"]))
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["Значения", "Отставание от цели", "Выводы"]
    cells = [c.value for row in book["Значения"].iter_rows() for c in row]
    assert "Регион в целом" in cells and 66.7 in cells  # 2 of 3 rose in 2022
    assert "Школа 2 снизила ИОР: нужна адресная помощь." in [
        c.value for row in book["Выводы"].iter_rows() for c in row]
    pdf = client.get(reverse("management:analysis_export", args=[indicator.public_id, "pdf"]))
    assert pdf.content.startswith(b"%PDF")
    assert client.get(reverse("management:analysis_export",
                              args=[indicator.public_id, "doc"])).status_code == 404


# -- recommendations become measures -------------------------------------------------------------
def test_the_school_puts_a_recommendation_into_its_roadmap_once(client, world_a, catalogue):  # noqa: F811
    profile = profile_create(actor=world_a.school_coordinator, school=world_a.school1,
                             year=2022)
    activate(world_a.school_coordinator, profile, "R04")
    r = recommendation_issue(actor=world_a.municipal_coordinator, region=world_a.region,
                             data=RecommendationInput(
                                 addressee="school", year=2022, school=world_a.school1,
                                 text="Организовать наставничество для молодых педагогов",
                                 risk_code="R04",
                                 due_on=timezone.localdate() + datetime.timedelta(days=20)))
    # the programme year of the demo catalogue (2022): its due date set back by hand
    Recommendation.objects.filter(pk=r.pk).update(due_on=datetime.date(2022, 12, 20))
    r.refresh_from_db()
    with pytest.raises(PermissionDenied):
        recommendation_to_measure(actor=world_a.curator, recommendation=r)
    item = recommendation_to_measure(actor=world_a.school_coordinator, recommendation=r)
    assert item.roadmap.school == world_a.school1 and item.roadmap.start_year == 2022
    assert item.risk_factor.code == "R04" and item.due_end == r.due_on
    assert "наставничество" in item.activity
    with pytest.raises(ManagementError, match="уже внесена"):
        recommendation_to_measure(actor=world_a.school_coordinator, recommendation=r)
    client.force_login(world_a.school_coordinator)
    page = client.get(r.get_absolute_url()).content.decode()
    assert "В дорожной карте" in page and "Внести в дорожную карту" not in page


# -- decisions and their effect ----------------------------------------------------------------
def _decision(world, **kw) -> DecisionInput:
    values = {"kind": "activating", "title": "О повышении доли школ с ростом ИОР",
              "document_type": "order", "number": "464", "signed_on": datetime.date(2021, 12, 30),
              "author": "Начальник отдела образования", "year": 2021,
              "municipality": world.municipality, "indicator_codes": ("1.2",)} | kw
    return DecisionInput(**values)


@pytest.mark.parametrize("change, message", [
    ({"number": " "}, "номер документа"),
    ({"signed_on": None}, "дату документа"),
    ({"signed_on": datetime.date.today() + datetime.timedelta(days=3)}, "в будущем"),
    ({"kind": "punishing"}, "вид управленческого решения"),
    ({"indicator_codes": ("9.9",)}, "Показателей 9.9 нет"),
])
def test_a_decision_missing_its_document_details_writes_nothing(world_a, years, change,
                                                                message):
    with pytest.raises(ManagementError, match=message):
        decision_record(actor=world_a.municipal_coordinator, region=world_a.region,
                        data=_decision(world_a, **change), upload=_pdf())
    assert not Decision.objects.exists()


def test_a_decision_stays_within_its_level(world_a, years):
    with pytest.raises(PermissionDenied):  # a municipal coordinator: not the region's level
        decision_record(actor=world_a.municipal_coordinator, region=world_a.region,
                        data=_decision(world_a, municipality=None), upload=_pdf())
    with pytest.raises(ManagementError, match="вне уровня"):
        decision_record(actor=world_a.municipal_coordinator, region=world_a.region,
                        data=_decision(world_a, schools=(world_a.school_other,)),
                        upload=_pdf())
    with pytest.raises(ManagementError, match="Приложите файл"):
        decision_record(actor=world_a.municipal_coordinator, region=world_a.region,
                        data=_decision(world_a), upload=None)
    assert not Decision.objects.exists()


def test_the_effect_is_read_in_the_years_after_the_decision(world_a, years):
    decision = decision_record(actor=world_a.municipal_coordinator, region=world_a.region,
                               data=_decision(world_a, schools=(world_a.school2,)),
                               upload=_pdf())
    assert AuditEntry.objects.filter(action="management.decision.recorded").count() == 1
    # 1.2 in municipality 1 in 2022: school1 rose, school2 fell → 50 %; no target yet
    effect = selectors.decision_effect(decision)
    assert [(e.code, e.verdict) for e in effect] == [("1.2", "нет данных")]
    assert [c.value for c in effect[0].cells] == [None, Decimal("50.0")]
    target_set(actor=world_a.regional_staff, indicator=years[2022]["1.2"], municipality=None,
               value=Decimal("60"))
    assert selectors.decision_effect(decision)[0].verdict == "цель не достигнута"
    target_set(actor=world_a.regional_staff, indicator=years[2022]["1.2"], municipality=None,
               value=Decimal("50"))
    assert selectors.decision_effect(decision)[0].verdict == "цель достигнута"


# -- the yearly report ---------------------------------------------------------------------------
def test_the_yearly_report_is_rendered_by_a_job_and_approved_once(client, world_a, years):
    r = recommendation_issue(actor=world_a.municipal_coordinator, region=world_a.region,
                             data=RecommendationInput(
                                 addressee="school", year=2022, school=world_a.school1,
                                 text="Разработать программу повышения качества",
                                 due_on=timezone.localdate() + datetime.timedelta(days=5)))
    recommendation_acknowledge(actor=world_a.school_coordinator, recommendation=r)
    decision_record(actor=world_a.municipal_coordinator, region=world_a.region,
                    data=_decision(world_a, year=2022, signed_on=datetime.date(2022, 3, 1),
                                   recommendations=(r,)), upload=_pdf())
    with pytest.raises(PermissionDenied):
        report_start(actor=world_a.municipal_coordinator, region=world_a.region,
                     municipality=None, year=2022)
    job = report_start(actor=world_a.municipal_coordinator, region=world_a.region,
                       municipality=world_a.municipality, year=2022)
    job_run(job.pk)
    job.refresh_from_db()
    assert job.is_succeeded, job.message
    report = CycleReport.objects.get()
    assert report.municipality == world_a.municipality and report.file.read(4) == b"%PDF"
    with pytest.raises(ManagementError, match="номер протокола"):
        report_approve(actor=world_a.municipal_coordinator, report=report,
                       protocol_number="", protocol_on=timezone.localdate())
    report_approve(actor=world_a.municipal_coordinator, report=report, protocol_number="7",
                   protocol_on=timezone.localdate())
    second = report_start(actor=world_a.municipal_coordinator, region=world_a.region,
                          municipality=world_a.municipality, year=2022)
    job_run(second.pk)
    newer = CycleReport.objects.exclude(pk=report.pk).get()
    with pytest.raises(ManagementError, match="уже утверждён протоколом № 7"):
        report_approve(actor=world_a.municipal_coordinator, report=newer,
                       protocol_number="8", protocol_on=timezone.localdate())
    client.force_login(world_a.municipal_coordinator)
    page = client.get(reverse("management:reports") + "?year=2022").content.decode()
    assert "утверждён" in page and "протоколом № 7" in page


def test_the_report_says_what_the_cycle_did(world_a, years):
    from management.reports import cycle_context

    issued = recommendation_issue(actor=world_a.regional_staff, region=world_a.region,
                                  data=RecommendationInput(
                                      addressee="municipality", year=2022,
                                      municipality=world_a.other_municipality,
                                      text="Провести семинар",
                                      due_on=timezone.localdate() + datetime.timedelta(days=1)))
    Recommendation.objects.filter(pk=issued.pk).update(due_on=datetime.date(2022, 6, 1))
    context = cycle_context(world_a.regional_staff, world_a.region, None, 2022)
    assert [i.code for i, _, _ in context["indicators"]][:3] == ["1.1а", "1.1б", "1.2"]
    s = context["recommendations"]
    assert (s.issued, s.accepted, s.overdue) == (1, 0, 1)


# -- the exit list ---------------------------------------------------------------------------
RISING = [(2020, 1), (2021, 2), (2022, 3)]


@pytest.mark.parametrize("series, risks, expected", [
    ({2020: 1, 2021: 2, 2022: 3}, {2021: 3, 2022: 1}, (RISING, 3, 1)),
    ({2020: 1, 2021: 2, 2022: 2}, {2021: 3, 2022: 1}, None),  # no rise in 2022
    ({2021: 2, 2022: 3}, {2021: 3, 2022: 1}, None),  # 2020 missing
    ({2020: 1, 2021: 2, 2022: 3}, {2021: 2, 2022: 2}, None),  # risks not fewer
    ({2020: 1, 2021: 2, 2022: 3}, {2022: 0}, None),  # nothing to compare the risks with
    ({2020: 1, 2021: 2, 2022: 3}, {2020: 4, 2022: 2}, (RISING, 4, 2)),
])
def test_the_exit_rule(series, risks, expected):
    assert selectors.exit_rule(series, risks, 2022, 2) == expected


@given(st.lists(st.integers(min_value=1, max_value=99), min_size=3, max_size=3),
       st.integers(min_value=0, max_value=10), st.integers(min_value=0, max_value=10))
def test_the_exit_rule_needs_every_year_to_rise_and_risks_to_fall(values, before, now):
    series = dict(zip((2020, 2021, 2022), values, strict=True))
    hit = selectors.exit_rule(series, {2021: before, 2022: now}, 2022, 2)
    rising = values[0] < values[1] < values[2]
    assert (hit is not None) == (rising and now < before)


def _profile(world, school, year, *codes):
    profile = profile_create(actor=world.school_coordinator if school == world.school1
                             else world.regional_staff, school=school, year=year)
    if codes:
        activate(world.regional_staff, profile, *codes)
    return profile_transition(actor=world.regional_staff, profile=profile, action="submit")


def test_the_exit_list_is_built_reviewed_with_a_decision_and_exported(client, world_a, years,
                                                                      catalogue):  # noqa: F811
    SchoolYear.objects.create(region=world_a.region, school=world_a.school1, year=2020,
                              is_participant=True, ior=Decimal("0.30"))
    SchoolYear.objects.create(region=world_a.region, school=world_a.school_other, year=2020,
                              is_participant=True, ior=Decimal("0.35"))  # falls in 2021
    _profile(world_a, world_a.school1, 2021, "R01", "R02", "R03")
    _profile(world_a, world_a.school1, 2022, "R01")
    staff = world_a.regional_staff
    with pytest.raises(PermissionDenied):
        exit_list_build(actor=world_a.municipal_coordinator, region=world_a.region, year=2022)
    assert exit_list_build(actor=staff, region=world_a.region, year=2022) == 1
    assert exit_list_build(actor=staff, region=world_a.region, year=2022) == 0
    proposal = ExitProposal.objects.get()
    assert proposal.school == world_a.school1 and (proposal.risks_before,
                                                   proposal.risks_now) == (3, 1)
    assert "2020 — 0,3, 2021 — 0,4, 2022 — 0,55" in proposal.basis
    with pytest.raises(ManagementError, match="Выберите управленческое решение"):
        exit_review(actor=staff, proposals=[proposal], approve=True)
    with pytest.raises(ManagementError, match="почему школы остаются"):
        exit_review(actor=staff, proposals=[proposal], approve=False)
    decision = decision_record(actor=staff, region=world_a.region, upload=_pdf(),
                               data=_decision(world_a, municipality=None, year=2022,
                                              kind="controlling", number="12-р",
                                              signed_on=datetime.date(2022, 12, 28),
                                              schools=(world_a.school1,)))
    assert exit_review(actor=staff, proposals=[proposal], approve=True, decision=decision) == 1
    told = set(Notification.objects.filter(kind="management.exit")
               .values_list("recipient__username", flat=True))
    assert told == {world_a.school_coordinator.username,
                    world_a.municipal_coordinator.username}
    with pytest.raises(ManagementError, match="уже рассмотрена"):
        exit_review(actor=staff, proposals=[proposal], approve=False, comment="Передумали")
    client.force_login(staff)
    xlsx = client.get(reverse("management:exit_export") + "?year=2022")
    from openpyxl import load_workbook

    cells = [c.value for row in load_workbook(io.BytesIO(xlsx.content)).active.iter_rows()
             for c in row]
    assert world_a.school1.full_name in cells and "исключение утверждено" in cells
    school_page = client.get(world_a.school1.get_absolute_url()).content.decode()
    assert "Исключение из программы" in school_page and "12-р" in school_page
