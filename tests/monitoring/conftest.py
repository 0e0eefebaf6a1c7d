import csv
import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone

from risk_profiles.services import (
    ItemChange,
    catalogue_load,
    profile_create,
    profile_transition,
    profile_update,
)

CSV = settings.DEMO_DATA_DIR / "engagement_monitoring_examples.csv"
COLUMNS = {"plan": "plan_expertise_max6", "documents": "documents_expertise_max5",
           "curator_work": "curator_work_max3", "one_school": "one_school_curators_share_point",
           "survey": "first_survey_incomplete_penalty", "sharing": "experience_sharing_bonus",
           "activation": "activation_share"}


def seed_rows() -> list[dict]:
    with open(CSV, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def values_of(row: dict) -> dict[str, Decimal]:
    return {code: Decimal(row[column]) for code, column in COLUMNS.items()}


@pytest.fixture
def active_a(world_a):
    """Region A in 2022: school 1's profile verified by its curator on 1 April 2022 with
    R01 activated, a curator's log entry about school 1, a plan-schedule stage due
    30 April 2022 («risk profile verified»)."""
    from curators.services import LogInput, worklog_add
    from roadmaps.services.plans import StageInput, stage_save

    catalogue_load(actor=None)
    profile = profile_create(actor=world_a.school_coordinator, school=world_a.school1, year=2022)
    profile_update(actor=world_a.school_coordinator, profile=profile,
                   changes={"R01": ItemChange(activated=True, justification="по анкетам",
                                                 level="high")})
    profile_transition(actor=world_a.school_coordinator, profile=profile, action="submit")
    april = timezone.make_aware(datetime.datetime(2022, 4, 1, 12, 0))
    profile_transition(actor=world_a.curator, profile=profile, action="verify", now=april)
    worklog_add(actor=world_a.curator, region=world_a.region, data=LogInput(
        date=datetime.date(2022, 5, 19), kind="visit", minutes=90, text="Выезд в школу",
        school=world_a.school1))
    stage_save(actor=world_a.regional_staff, region=world_a.region, year=2022, data=StageInput(
        title="Риск-профили подтверждены", due_on=datetime.date(2022, 4, 30),
        rule="risk_profile"))
    return world_a
