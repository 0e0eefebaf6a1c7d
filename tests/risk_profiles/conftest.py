import pytest

from risk_profiles.services import ItemChange, catalogue_load, profile_create, profile_update


@pytest.fixture
def catalogue(db):
    """ФИОКО's catalogue of 2021 and 2022, loaded from the CSV the app ships."""
    return catalogue_load(actor=None)


@pytest.fixture
def profile_a(world_a, catalogue):
    """A 2022 draft of region A's school 1 (its coordinator and curator exist)."""
    return profile_create(actor=world_a.school_coordinator, school=world_a.school1, year=2022)


def activate(actor, profile, *codes, justification="Выявлено по анкетам ФИОКО",
             level="high"):
    """Activate ``codes`` with what sending needs: a level and a justification each."""
    return profile_update(actor=actor, profile=profile, changes={
        code: ItemChange(activated=True, justification=justification, level=level)
        for code in codes})
