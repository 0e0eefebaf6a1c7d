"""Region A of 2022 for network pairs: thresholds ИОР ≥ 0,5 and ИСБ ≥ 0,5; school a1 (ШНОР,
ИОР 0,30, ИСБ 0,38) with a submitted profile activating R01 and R04; three mentor schools
and one that is not a mentor:

* «Резильентная a» — the same municipality, ИОР 0,82, ИСБ 0,41 (resilient);
* «Эффективная a» — the same municipality, ИОР 0,70, ИСБ 0,60 (effective);
* «Соседняя a» — the other municipality, ИОР 0,95, ИСБ 0,70 (effective);
* «Несправляющаяся a» — the same municipality, ИОР 0,30, ИСБ 0,70 (struggling).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.files import upload_check
from tests.factories import SchoolFactory, SchoolYearFactory
from tests.files import pdf_bytes

D = Decimal
YEAR = 2022


@dataclass
class Setting:
    world: object
    school: object
    resilient: object
    effective: object
    neighbour: object
    struggling: object


def pdf_upload(name="Соглашение.pdf"):
    f = SimpleUploadedFile(name, pdf_bytes(name))
    return upload_check(f, f.name, f.size)


def _mentor(municipality, name, ior, isb):
    school = SchoolFactory(municipality=municipality, short_name=name, full_name=f"МБОУ {name}")
    SchoolYearFactory(school=school, year=YEAR, is_shnor=False, is_participant=False,
                      category="", ior=D(ior), isb=D(isb))
    return school


@pytest.fixture
def mentoring(world_a) -> Setting:
    from risk_profiles.services import (
        ItemChange,
        catalogue_load,
        profile_create,
        profile_transition,
        profile_update,
    )
    from schools.models import SchoolYear
    from schools.services import thresholds_set

    w = world_a
    thresholds_set(actor=w.regional_staff, region=w.region, year=YEAR, ior_min=D("0.5"),
                   isb_min=D("0.5"))
    SchoolYear.objects.filter(school=w.school1, year=YEAR).update(ior=D("0.30"),
                                                                  isb=D("0.38"))
    catalogue_load(actor=None)
    profile = profile_create(actor=w.school_coordinator, school=w.school1, year=YEAR)
    change = ItemChange(activated=True, level="high", justification="Выявлено ФИОКО")
    profile_update(actor=w.school_coordinator, profile=profile,
                   changes={"R01": change, "R04": change})
    profile_transition(actor=w.school_coordinator, profile=profile, action="submit")
    return Setting(
        world=w, school=w.school1,
        resilient=_mentor(w.municipality, "Резильентная a", "0.82", "0.41"),
        effective=_mentor(w.municipality, "Эффективная a", "0.70", "0.60"),
        neighbour=_mentor(w.other_municipality, "Соседняя a", "0.95", "0.70"),
        struggling=_mentor(w.municipality, "Несправляющаяся a", "0.30", "0.70"))


def pair_input(s: Setting, mentor=None, **changes):
    from mentoring.services import PairInput

    data = {"school": s.school, "mentor": mentor or s.resilient, "year": YEAR,
            "start_on": datetime.date(2022, 3, 1), "agreement_number": "СП-12",
            "agreement_date": datetime.date(2022, 2, 20), "areas": ("R01",)}
    data.update(changes)
    return PairInput(**data)


def bare_pair(school, mentor, start_on=datetime.date(2022, 1, 10), end_on=None,
              status="active"):
    """A pair row as it stands (for counts and facts), without the services' checks."""
    from mentoring.models import Pair

    return Pair.objects.create(region=school.region, year=YEAR, school=school, mentor=mentor,
                               start_on=start_on, end_on=end_on, status=status,
                               agreement="mentoring/x.pdf", agreement_name="x.pdf",
                               agreement_number="1", agreement_date=start_on, areas=["R01"])
