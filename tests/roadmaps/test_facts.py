"""One rule of the documents a school owes: the checklist, the fact roadmaps publishes and
the monitoring dashboard count the same due and approved documents."""

from __future__ import annotations

import pytest

from monitoring.selectors import Filters, dashboard
from risk_profiles.services import ItemChange, profile_update
from roadmaps.facts import documents_due
from roadmaps.models import DocumentKind
from roadmaps.selectors import school_checklist
from roadmaps.services import Slot, document_transition, document_upload
from schools.models import SchoolYear
from tests.roadmaps.conftest import checked, pdf_bytes, risk, risky_a  # noqa: F401  (fixture)
from tests.ui.conftest import _media_root, demo, demo_media  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture
def owed_a(risky_a, kinds, world_a):  # noqa: F811
    """School 1 of region A (R01 and R02 activated, R02 then deactivated) with a required
    «many» kind: concept approved, the R01 programme approved, the R02 programme approved
    but stale, two approved reports of the «many» kind; school 2 has nothing."""
    reports = DocumentKind.objects.create(year=2022, code="school_report", mode="many",
                                          required=True, title="Отчёт школы", position=90)
    kinds = {**kinds, reports.code: reports}

    def approved(code, risk_code=None, title=""):
        version = document_upload(
            actor=world_a.school_coordinator, school=world_a.school1, year=2022,
            upload=checked(pdf_bytes(f"{code} {risk_code} {title}")), submit=True,
            slot=Slot(kind=kinds[code], risk=risk(risk_code) if risk_code else None,
                      title=title))
        document_transition(actor=world_a.curator, document=version.document,
                            action="approve")

    approved("concept")
    approved("risk_program", "R01")
    approved("risk_program", "R02")
    approved("school_report", title="Отчёт за первое полугодие")
    approved("school_report", title="Отчёт за второе полугодие")
    profile_update(actor=world_a.school_coordinator, profile=risky_a,
                   changes={"R02": ItemChange(activated=False)})
    return world_a


def _area(user, world, year=2022):
    board = dashboard(user, Filters(year=year, region=world.region))
    return next(a for a in board.areas if a.key == world.municipality.pk)


def test_the_checklist_the_fact_and_the_dashboard_agree(owed_a, admin_user):
    school1 = school_checklist(admin_user, owed_a.school1, 2022)
    school2 = school_checklist(admin_user, owed_a.school2, 2022)
    fact = documents_due([owed_a.school1.pk, owed_a.school2.pk], 2022)
    # 3 single kinds + the R01 programme (R02 no longer activated) + the «many» kind once
    assert school1.total == fact[owed_a.school1.pk].due == 5
    assert school2.total == fact[owed_a.school2.pk].due == 4  # no activated risk
    # the concept, the R01 programme, the «many» kind once (two approved reports)
    assert school1.approved == fact[owed_a.school1.pk].approved == 3
    assert school2.approved == fact[owed_a.school2.pk].approved == 0
    area = _area(admin_user, owed_a)
    assert area.schools == 2
    assert area.due == school1.total + school2.total == 9
    assert area.approved == school1.approved + school2.approved == 3


def test_the_fact_by_area_sums_the_schools(owed_a):
    ids = [owed_a.school1.pk, owed_a.school2.pk, owed_a.school_other.pk]
    by_area = documents_due(ids, 2022, by="municipality_id")
    assert by_area[owed_a.municipality.pk].due == 9
    assert by_area[owed_a.other_municipality.pk].due == 4
    assert documents_due(ids, 2022, by="region_id")[owed_a.region.pk].due == 13


# Last in the module: the demo's rows stay loaded until the module ends.
def test_the_demo_agrees(demo, admin_user):  # noqa: F811
    checked_areas = 0
    participants = SchoolYear.objects.filter(is_participant=True).select_related(
        "school", "school__municipality", "region")
    for year in sorted(set(participants.values_list("year", flat=True))):
        schools = [sy.school for sy in participants.filter(year=year)]
        fact = documents_due([s.pk for s in schools], year)
        for region in {s.region for s in schools}:
            board = dashboard(admin_user, Filters(year=year, region=region))
            for area in board.areas:
                mine = [s for s in schools if s.municipality_id == area.key]
                lists = [school_checklist(admin_user, s, year) for s in mine]
                for school, checklist in zip(mine, lists, strict=True):
                    assert checklist.total == fact[school.pk].due, school
                    assert checklist.approved == fact[school.pk].approved, school
                assert area.due == sum(c.total for c in lists), area.name
                assert area.approved == sum(c.approved for c in lists), area.name
                checked_areas += 1
    assert checked_areas


def test_the_plan_schedule_and_the_engagement_proposal_agree_on_the_demo(demo, admin_user):  # noqa: F811
    """The plan-schedule page (a cell per school and stage) and the engagement proposal
    (one aggregate per stage, roadmaps.facts.schools_meeting) count the same schools as
    having met each stage in time."""
    from django.utils import timezone

    from monitoring.proposals import _end_of
    from roadmaps.facts import schools_meeting
    from roadmaps.selectors.plans import schedule_progress

    day = timezone.localdate()
    checked_stages = 0
    for year in sorted(set(SchoolYear.objects.values_list("year", flat=True))):
        for region_id in set(SchoolYear.objects.filter(year=year, is_participant=True)
                             .values_list("region_id", flat=True)):
            schedule = schedule_progress(admin_user, year, region_ids=[region_id], day=day)
            participants = SchoolYear.objects.filter(year=year, region_id=region_id,
                                                     is_participant=True).values("school_id")
            for totals in schedule.totals:
                stage = totals.stage
                if stage.region_id != region_id or stage.due_on > day:
                    continue
                assert totals.on_time == schools_meeting(
                    stage, year, participants, _end_of(stage.due_on)), stage.title
                checked_stages += 1
    assert checked_stages, "the demo has plan-schedule stages due by today"
