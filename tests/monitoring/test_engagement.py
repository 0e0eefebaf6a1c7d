"""Seed 000, table 3: the engagement score, its proposals and the expert's confirmation."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from core.exceptions import DomainError
from core.models import AuditEntry
from monitoring import engagement
from monitoring.models import EngagementComponent, EngagementRules, EngagementScore
from monitoring.proposals import propose
from monitoring.services import (
    component_confirm,
    engagement_recompute,
    proposals_confirm,
    rules_save,
)
from tests.factories import RegionFactory

from .conftest import seed_rows, values_of

ORACLES = {"Пермский край": 1103, "Псковская область": 903, "Ростовская область": 1004,
           "Рязанская область": 1004}
DAY = datetime.date(2022, 6, 1)


def test_the_seed_holds_the_four_regions_of_the_oracle():
    assert {r["region"]: int(r["total_times_activation_share"]) for r in seed_rows()} == ORACLES


@pytest.mark.parametrize("row", seed_rows(), ids=lambda r: r["region"])
def test_table_3_arithmetic_gives_the_seed_totals(row):
    t = engagement.totals(values_of(row))
    assert t.content == Decimal(row["content_total_max11"])
    assert t.organisation == Decimal(row["organisation_total_max5"])
    assert t.total == Decimal(row["total_content_x100_plus_organisation"])
    assert t.final == ORACLES[row["region"]]


def test_the_maximum_is_1105_and_activation_scales_the_total():
    best = {"plan": 6, "documents": 5, "curator_work": 3, "one_school": 1, "survey": 0,
            "sharing": 1, "activation": 1}
    assert engagement.totals(best).total == engagement.TOTAL_MAX == 1105
    half = engagement.totals(best | {"activation": Decimal("0.5"), "survey": -1})
    assert (half.total, half.final) == (1104, Decimal("552.0"))


@pytest.mark.parametrize("row", seed_rows(), ids=lambda r: r["region"])
def test_an_expert_entering_the_seed_components_publishes_the_seed_score(db, row, admin_user):
    region = RegionFactory(code=int(row["region_number"]), name=row["region"])
    score = engagement_recompute(actor=None, region=region, year=2022, day=DAY)
    assert not score.is_published
    for component in score.components.all():
        value = values_of(row)[component.code]
        component_confirm(actor=admin_user, component=component, value=value,
                          reason="" if value == component.proposed else "Таблица 3, ФИОКО")
    score.refresh_from_db()
    assert score.final == ORACLES[row["region"]]
    assert score.total == int(row["total_content_x100_plus_organisation"])
    assert score.published_at is not None


def test_proposals_come_from_the_portals_data(active_a):
    from curators.services import scheme_load, sheet_save

    scheme = scheme_load(actor=None, year=2022)
    criteria = list(scheme.criteria.all())
    # 11 of 14 points on school 1's sheet → 78.6 % of the maximum → 4 points
    points = {c.pk: (c.max_points, "") for c in criteria}
    short = iter(range(3))
    for c in criteria:
        if next(short, None) is not None and c.max_points > c.min_points:
            points[c.pk] = (c.max_points - 1, "")
    sheet = sheet_save(actor=active_a.curator, school=active_a.school1, year=2022,
                       scores=points, publish=True)
    found = propose(active_a.region, 2022, day=DAY).parts
    # one of the three participants met the stage in time: 33.3 % → 1 point (≥ 30 %)
    assert found["plan"].value == 1
    assert "Выполнено в срок 1 из 3" in found["plan"].basis
    percent = round(sheet.total * 100 / scheme.max_points, 1)
    expected = engagement.points_of(EngagementRules(year=2022).documents_scale, percent)
    assert found["documents"].value == expected
    assert found["documents"].details["sheets"] == 1
    # the curator logged work about school 1 only: 1 of 3 → 0 points (< 40 %)
    assert found["curator_work"].value == 0 and found["curator_work"].details["worked"] == 1
    # its only school: 1 of 3 schools has a one-school curator (33 %, not > 90 %)
    assert found["one_school"].value == 0 and found["one_school"].details["single"] == 1
    assert found["activation"].value == Decimal("0.3333")
    assert found["survey"].value is None and found["sharing"].value is None


def test_a_stage_met_after_its_due_date_is_not_on_time(active_a):
    from risk_profiles.models import RiskProfile

    RiskProfile.objects.filter(school=active_a.school1).update(
        reviewed_at=datetime.datetime(2022, 5, 2, 9, 0, tzinfo=datetime.UTC))
    assert propose(active_a.region, 2022, day=DAY).parts["plan"].value == 0


def test_no_stage_due_yet_means_no_proposal_and_says_why(active_a):
    found = propose(active_a.region, 2022, day=datetime.date(2022, 4, 1)).parts["plan"]
    assert found.value is None
    assert "нет этапов со сроком до 01.04.2022" in found.basis


def test_recompute_runs_a_fixed_number_of_queries_whatever_the_schools(
        active_a, django_assert_max_num_queries):
    from tests.factories import SchoolYearFactory

    engagement_recompute(actor=None, region=active_a.region, year=2022, day=DAY)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        engagement_recompute(actor=None, region=active_a.region, year=2022, day=DAY)
    for _ in range(15):
        SchoolYearFactory(school__municipality=active_a.municipality, year=2022)
    with CaptureQueriesContext(connection) as after:
        engagement_recompute(actor=None, region=active_a.region, year=2022, day=DAY)
    assert len(after) == len(before)


@pytest.fixture
def score_a(active_a):
    return engagement_recompute(actor=active_a.regional_staff, region=active_a.region,
                                year=2022, day=DAY)


def test_confirming_a_proposal_needs_no_reason_and_is_audited(score_a, active_a):
    plan = score_a.components.get(code="plan")
    component_confirm(actor=active_a.regional_staff, component=plan, value=plan.proposed)
    plan.refresh_from_db()
    assert plan.value == 1 and not plan.is_override and plan.confirmed_by == active_a.regional_staff
    entry = AuditEntry.objects.filter(action="monitoring.engagement.confirmed").get()
    assert entry.data["value"] == 1 and entry.actor == active_a.regional_staff


def test_an_override_without_a_reason_is_refused_and_changes_nothing(score_a, active_a):
    plan = score_a.components.get(code="plan")
    with pytest.raises(DomainError, match="Укажите обоснование"):
        component_confirm(actor=active_a.regional_staff, component=plan, value=Decimal(6))
    plan.refresh_from_db()
    assert plan.value is None
    component_confirm(actor=active_a.regional_staff, component=plan, value=Decimal(6),
                      reason="Экспертиза ФИОКО: план-график выполнен полностью")
    plan.refresh_from_db()
    assert plan.value == 6 and plan.is_override


def test_a_component_without_proposal_needs_its_source(score_a, active_a):
    survey = score_a.components.get(code="survey")
    with pytest.raises(DomainError, match="укажите источник"):
        component_confirm(actor=active_a.regional_staff, component=survey, value=Decimal(0))


@pytest.mark.parametrize(("code", "value", "message"), [
    ("plan", Decimal(7), "допустимо от 0 до 6, введено 7"),
    ("survey", Decimal(1), "допустимо от −1 до 0".replace("−", "-")),
    ("documents", Decimal("2.5"), "целым числом"),
    ("activation", Decimal("1.2"), "допустимо от 0 до 1"),
])
def test_values_out_of_range_are_refused(score_a, active_a, code, value, message):
    component = score_a.components.get(code=code)
    with pytest.raises(DomainError, match=message):
        component_confirm(actor=active_a.regional_staff, component=component, value=value,
                          reason="проверка")
    component.refresh_from_db()
    assert component.value is None


def test_only_authorised_experts_confirm(score_a, active_a):
    plan = score_a.components.get(code="plan")
    for persona in ("municipal_coordinator", "curator", "school_coordinator", "methodist"):
        with pytest.raises(PermissionDenied):
            component_confirm(actor=getattr(active_a, persona), component=plan, value=plan.proposed)
    assert not EngagementComponent.objects.filter(value__isnull=False).exists()


def test_the_score_is_published_when_every_component_is_confirmed(score_a, active_a):
    staff = active_a.regional_staff
    # all but survey, sharing and documents (no expertise sheet: no proposal)
    assert proposals_confirm(actor=staff, score=score_a) == 4
    score_a.refresh_from_db()
    assert score_a.final is None
    for code in ("survey", "sharing", "documents"):
        component_confirm(actor=staff, component=score_a.components.get(code=code),
                          value=Decimal(0), reason="Опрос охватил всех участников")
    score_a.refresh_from_db()
    values = {c.code: c.value for c in score_a.components.all()}
    assert score_a.total == engagement.totals(values).total
    assert score_a.final == engagement.totals(values).final
    # plan 1 → content 1, organisation 0 → 100; × 0.3333 activated → 33.3
    assert (score_a.total, score_a.final) == (100, Decimal("33.3"))
    with pytest.raises(DomainError, match="Нечего подтверждать"):
        proposals_confirm(actor=staff, score=score_a)


def test_recompute_keeps_confirmed_values_and_flags_a_moved_proposal(score_a, active_a):
    from risk_profiles.models import RiskProfile

    activation = score_a.components.get(code="activation")
    component_confirm(actor=active_a.regional_staff, component=activation,
                      value=activation.proposed)
    RiskProfile.objects.filter(school=active_a.school1).update(status="draft")
    engagement_recompute(actor=None, region=active_a.region, year=2022, day=DAY)
    activation.refresh_from_db()
    assert activation.value == Decimal("0.3333") and activation.proposed == 0
    assert activation.proposal_moved


def test_rules_are_stored_per_year_by_administrators_and_change_proposals(active_a, admin_user):
    with pytest.raises(PermissionDenied):
        rules_save(actor=active_a.regional_staff, year=2022, plan_scale=[[30, 6]],
                   documents_scale=[[90, 5]], curator_scale=[[90, 3]], one_school_threshold=90)
    with pytest.raises(DomainError, match="убывать"):
        rules_save(actor=admin_user, year=2022, plan_scale=[[30, 6], [50, 5]],
                   documents_scale=[[90, 5]], curator_scale=[[90, 3]], one_school_threshold=90)
    with pytest.raises(DomainError, match="от 0 до 6"):
        rules_save(actor=admin_user, year=2022, plan_scale=[[30, 9]],
                   documents_scale=[[90, 5]], curator_scale=[[90, 3]], one_school_threshold=90)
    assert not EngagementRules.objects.exists()
    rules_save(actor=admin_user, year=2022, plan_scale=[[30, 6]], documents_scale=[[90, 5]],
               curator_scale=[[30, 3]], one_school_threshold=30)
    found = propose(active_a.region, 2022, day=DAY).parts
    assert found["plan"].value == 6 and found["curator_work"].value == 3
    assert found["one_school"].value == 1
    assert propose(active_a.region, 2021, day=DAY).parts["curator_work"].value is None


def test_the_nightly_task_recomputes_each_regions_latest_year(active_a, world_b):
    from monitoring.tasks import engagement_recompute_nightly_task

    assert engagement_recompute_nightly_task() == 2
    assert set(EngagementScore.objects.values_list("region__code", "year")) == {(61, 2022),
                                                                                (66, 2022)}
    assert EngagementScore.objects.get(region=active_a.region).computed_at is not None


def test_the_beat_schedule_runs_the_nightly_recompute_and_fails_stale_jobs():
    from config.celery import app

    tasks = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert "monitoring.tasks.engagement_recompute_nightly_task" in tasks
    assert "core.tasks.jobs_fail_stale_task" in tasks


def test_not_a_number_is_refused_in_russian():
    from monitoring.services import parse_value

    for raw in ("NaN", "Infinity", "-inf", "шесть"):
        with pytest.raises(DomainError, match="не число"):
            parse_value(raw)
    assert parse_value("0,95") == Decimal("0.95") and parse_value("−1") == -1


def test_a_scale_giving_fewer_points_for_more_is_refused(admin_user, db):
    with pytest.raises(DomainError, match="не должны расти"):
        rules_save(actor=admin_user, year=2022, plan_scale=[[95, 1], [85, 6]],
                   documents_scale=[[90, 5]], curator_scale=[[90, 3]], one_school_threshold=90)


def test_another_curators_review_is_not_the_schools_curator_working(active_a):
    from curators.models import WorkLogEntry

    WorkLogEntry.objects.update(curator=active_a.regional_staff)  # someone else logged it
    assert propose(active_a.region, 2022, day=DAY).parts["curator_work"].details["worked"] == 0


def test_a_curator_who_also_co_curates_does_not_have_one_school(active_a):
    from core.roles import Role
    from core.services import membership_create
    from curators.services import AssignmentTerms, assignment_create
    from tests.factories import UserFactory

    lead = UserFactory(username="lead_a", last_name="Ведущая")
    membership_create(actor=None, user=lead, role=Role.CURATOR, region=active_a.region)
    assignment_create(actor=None, curator=lead, school=active_a.school2,
                      terms=AssignmentTerms(year=2022))
    assert propose(active_a.region, 2022, day=DAY).parts["one_school"].details["single"] == 2
    assignment_create(actor=None, curator=active_a.curator, school=active_a.school2,
                      terms=AssignmentTerms(year=2022, co_curator=True))
    # school 1's curator now accompanies two schools; school 2's lead still one
    assert propose(active_a.region, 2022, day=DAY).parts["one_school"].details["single"] == 1
