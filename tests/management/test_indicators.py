"""The management cycle's indicators: computed values against hand-computed ones, targets
that cannot be looser than the region's, entered values that need their evidence, and the
pages as regional staff and a municipal coordinator see them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.files import upload_check
from management.models import Indicator, IndicatorValue, Target
from management.services import (
    ManagementError,
    catalogue_create,
    target_set,
    value_enter,
    values_compute,
)
from schools.models import SchoolYear
from tests.files import pdf_bytes

pytestmark = pytest.mark.django_db

#: school → (ИОР 2021, ИОР 2022): school1 rose, school2 fell, school_other (the other
#: municipality) rose; school2's 2021 index is missing in the second case below.
IOR = {"school1": ("0.40", "0.55"), "school2": ("0.60", "0.50"),
       "school_other": ("0.30", "0.45")}


@pytest.fixture
def cycle(world_a):
    for name, (before, now) in IOR.items():
        school = getattr(world_a, name)
        for year, ior in ((2021, before), (2022, now)):
            SchoolYear.objects.update_or_create(
                region=world_a.region, school=school, year=year,
                defaults={"is_shnor": True, "is_participant": True, "ior": Decimal(ior),
                          "isb": Decimal("0.5")})
    indicators = catalogue_create(actor=world_a.regional_staff, region=world_a.region,
                                  year=2022)
    return {i.code: i for i in indicators}


def _value(indicator, municipality=None):
    return IndicatorValue.objects.get(indicator=indicator, municipality=municipality)


def test_the_catalogue_is_seed_004(cycle):
    assert list(cycle) == ["1.1а", "1.1б", "1.2", "1.3а", "1.3б", "1.4а", "1.4б", "1.4в"]
    computed = {code for code, i in cycle.items() if i.is_computed}
    assert computed == {"1.1а", "1.1б", "1.2", "1.4а", "1.4б"}


def test_ior_dynamics_is_the_share_of_schools_whose_index_rose(cycle, world_a):
    written = values_compute(actor=world_a.regional_staff, region=world_a.region, year=2022)
    assert written == 5 * 3  # five computed indicators × (region, two municipalities)
    region = _value(cycle["1.2"])
    # school1 and school_other rose, school2 fell: 2 of 3 → 66.7 %
    assert (region.value, region.numerator, region.denominator) == (Decimal("66.7"), 2, 3)
    assert sorted(region.school_ids) == sorted([world_a.school1.pk, world_a.school_other.pk])
    first = _value(cycle["1.2"], world_a.municipality)
    assert (first.value, first.numerator, first.denominator) == (Decimal("50.0"), 1, 2)
    other = _value(cycle["1.2"], world_a.other_municipality)
    assert other.value == Decimal("100.0")
    mean = _value(cycle["1.1а"])
    assert mean.value == Decimal("0.50")  # (0.55 + 0.50 + 0.45) / 3
    assert region.computed_at is not None


def test_a_school_without_last_years_index_is_not_compared(cycle, world_a):
    SchoolYear.objects.filter(school=world_a.school2, year=2021).update(ior=None)
    values_compute(actor=None, region=world_a.region, year=2022)
    region = _value(cycle["1.2"])
    assert (region.numerator, region.denominator) == (2, 2)


def test_targets_keep_to_the_unit_and_to_the_region(cycle, world_a):
    share = cycle["1.2"]
    with pytest.raises(ManagementError, match="от 0 до 100"):
        target_set(actor=world_a.regional_staff, indicator=share, municipality=None,
                   value=Decimal("120"))
    target_set(actor=world_a.regional_staff, indicator=share, municipality=None,
               value=Decimal("50"))
    with pytest.raises(ManagementError, match="не мягче: не меньше 50"):
        target_set(actor=world_a.municipal_coordinator, indicator=share,
                   municipality=world_a.municipality, value=Decimal("40"))
    assert not Target.objects.filter(municipality=world_a.municipality).exists()
    target_set(actor=world_a.municipal_coordinator, indicator=share,
               municipality=world_a.municipality, value=Decimal("60"))
    with pytest.raises(PermissionDenied):  # the region's own target is regional staff's
        target_set(actor=world_a.municipal_coordinator, indicator=share, municipality=None,
                   value=Decimal("70"))
    with pytest.raises(PermissionDenied):  # another municipality's
        target_set(actor=world_a.municipal_coordinator, indicator=share,
                   municipality=world_a.other_municipality, value=Decimal("70"))
    assert Target.objects.get(municipality=None).value == Decimal("50")


def test_an_entered_value_needs_its_evidence(cycle, world_a):
    diagnosis = cycle["1.3а"]
    with pytest.raises(ManagementError, match="Приложите файл"):
        value_enter(actor=world_a.regional_staff, indicator=diagnosis, municipality=None,
                    value=Decimal("62.5"))
    with pytest.raises(ManagementError, match="вычисляет портал"):
        value_enter(actor=world_a.regional_staff, indicator=cycle["1.2"], municipality=None,
                    value=Decimal("10"))
    assert not IndicatorValue.objects.exists()
    f = SimpleUploadedFile("Справка.pdf", pdf_bytes("справка"))
    row = value_enter(actor=world_a.regional_staff, indicator=diagnosis, municipality=None,
                      value=Decimal("62.5"), note="ИРО", upload=upload_check(f, f.name, f.size))
    assert row.value == Decimal("62.5") and row.evidence_name == "Справка.pdf"


def test_the_pages_as_staff_and_as_a_municipal_coordinator(client, cycle, world_a):
    values_compute(actor=None, region=world_a.region, year=2022)
    target_set(actor=world_a.regional_staff, indicator=cycle["1.2"], municipality=None,
               value=Decimal("60"))
    client.force_login(world_a.regional_staff)
    page = client.get(reverse("management:indicators")).content.decode()
    assert "Доля ШНОР и ШССУ, ежегодно показывающих" in page
    assert "66,7&nbsp;%" in page
    assert "цель достигнута" in page  # 66.7 ≥ 60
    detail = client.get(cycle["1.2"].get_absolute_url()).content.decode()
    assert "Регион в целом" in detail and world_a.other_municipality.name in detail
    assert world_a.school1.short_name in detail  # the schools behind the region's value
    client.force_login(world_a.municipal_coordinator)
    detail = client.get(cycle["1.2"].get_absolute_url()).content.decode()
    assert world_a.municipality.name in detail
    assert world_a.other_municipality.name not in detail
    assert "Регион в целом" not in detail
    # its own municipality's value: 1 of 2, below the region's 60 % target
    assert "1 из 2" in detail and "цель не достигнута" in detail


def test_a_municipal_target_form_answers_in_russian(client, cycle, world_a):
    client.force_login(world_a.municipal_coordinator)
    url = reverse("management:target_set", args=[cycle["1.2"].public_id])
    response = client.post(url, {"territory": world_a.municipality.pk, "value": "много"},
                           follow=True)
    assert "Введите число" in response.content.decode()
    assert not Target.objects.exists()
    response = client.post(url, {"territory": world_a.municipality.pk, "value": "55,5"},
                           follow=True)
    assert Target.objects.get().value == Decimal("55.50")
    assert Indicator.objects.filter(region=world_a.region).count() == 8


def test_a_value_shows_last_years_and_the_change(client, cycle, world_a):
    before = {i.code: i for i in catalogue_create(actor=world_a.regional_staff,
                                                   region=world_a.region, year=2021)}
    values_compute(actor=None, region=world_a.region, year=2021)
    values_compute(actor=None, region=world_a.region, year=2022)
    assert _value(before["1.1а"]).value == Decimal("0.43")  # (0.40 + 0.60 + 0.30) / 3
    client.force_login(world_a.regional_staff)
    page = client.get(reverse("management:indicators") + "?year=2022").content.decode()
    assert "+0,07" in page  # 0.50 against 0.43
    detail = client.get(cycle["1.1а"].get_absolute_url()).content.decode()
    assert "0,43" in detail and "0,50" in detail
    # an indicator without last year's value says so with a dash, not a bare unit
    share = client.get(cycle["1.4б"].get_absolute_url()).content.decode()
    assert "<td class=\"num\">&nbsp;%" not in share and "<td class=\"num\">%" not in share
