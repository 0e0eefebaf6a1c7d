"""Every write of the management cycle's indicators: one transaction, one audit entry, the
permission asked of ``rules``. An entered value's evidence file is stored before the
transaction and removed again when the write is refused; an earlier value's file stays."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from core import audit
from core.exceptions import DomainError
from core.files import Upload, upload_stored
from core.jobs import Job, job_start
from core.models import Municipality, Region

from . import rules, selectors
from .catalogue import seed_rows
from .computations import COMPUTATIONS
from .models import Indicator, IndicatorValue, Target

INDEX_MAX = Decimal(1000)


class ManagementError(DomainError):
    pass


def _place(indicator: Indicator, municipality: Municipality | None):
    if municipality is not None and municipality.region_id != indicator.region_id:
        raise ManagementError("Муниципалитет другого региона.")
    return municipality or indicator.region


def _check_range(indicator: Indicator, value: Decimal, what: str) -> None:
    if value < 0:
        raise ManagementError(f"{what} не может быть отрицательным.")
    if indicator.is_percent and value > 100:
        raise ManagementError(f"{what} — доля в процентах: от 0 до 100.")
    if not indicator.is_percent and value > INDEX_MAX:
        raise ManagementError(f"{what} индекса не может быть больше {INDEX_MAX}.")


@transaction.atomic
def catalogue_create(*, actor, region: Region, year: int) -> list[Indicator]:
    """The year's catalogue of seed 004 §3 for a region that has none yet."""
    rules.ensure(rules.may_add_catalogue(actor, region))
    if Indicator.objects.filter(region=region, year=year).exists():
        raise ManagementError(f"Показатели {year} г. уже заведены.")
    rows = Indicator.objects.bulk_create(seed_rows(region, year))
    audit.record(actor, "management.catalogue.created", region,
                 {"year": year, "indicators": [i.code for i in rows]})
    return rows


@transaction.atomic
def target_set(*, actor, indicator: Indicator, municipality: Municipality | None,
               value: Decimal) -> Target:
    """The target of ``indicator`` in the region (``municipality`` None) or a municipality;
    a municipal target may be stricter than the region's, never looser."""
    place = _place(indicator, municipality)
    rules.ensure(rules.may_set_target(actor, place))
    _check_range(indicator, value, "Целевое значение")
    regional = selectors.target_of(indicator, None)
    if municipality is not None and regional is not None and not indicator.meets(
            value, regional.value):
        better = "не меньше" if indicator.higher_is_better else "не больше"
        raise ManagementError(f"Цель муниципалитета может быть строже региональной, но не "
                              f"мягче: {better} {regional.value:n}.")
    target = (Target.objects.select_for_update()
              .filter(indicator=indicator, municipality=municipality).first()
              or Target(indicator=indicator, municipality=municipality, value=value))
    before = None if target.pk is None else str(target.value)
    target.value, target.set_by = value, actor
    target.save()
    audit.record(actor, "management.target.set", target,
                 {"indicator": indicator.code, "year": indicator.year,
                  "territory": target.territory, "value": str(value), "before": before})
    return target


def value_enter(*, actor, indicator: Indicator, municipality: Municipality | None,
                value: Decimal, note: str = "", upload: Upload | None = None) -> IndicatorValue:
    """A value the portal does not compute, entered with its evidence file."""
    place = _place(indicator, municipality)
    if indicator.is_computed:
        raise ManagementError("Этот показатель вычисляет портал: его значение не вносится.")
    rules.ensure(rules.may_enter_value(actor, indicator, place))
    _check_range(indicator, value, "Значение")
    if indicator.evidence_required and upload is None:
        raise ManagementError("Приложите файл, подтверждающий значение (справку, протокол, "
                              "выгрузку).")
    if upload is None:
        return _value_commit(actor, indicator, municipality, value, note, None, None)
    with upload_stored(upload, f"management/evidence/{indicator.region_id}/"
                               f"{indicator.public_id}.{upload.extension}") as stored:
        return _value_commit(actor, indicator, municipality, value, note, stored, upload.name)


@transaction.atomic
def _value_commit(actor, indicator, municipality, value, note, stored, name) -> IndicatorValue:
    row = (IndicatorValue.objects.select_for_update()
           .filter(indicator=indicator, municipality=municipality).first()
           or IndicatorValue(indicator=indicator, municipality=municipality))
    before = None if row.value is None else str(row.value)
    row.value, row.basis = value, note.strip()
    row.numerator = row.denominator = None
    row.entered_by, row.entered_at = actor, timezone.now()
    if stored:
        row.evidence.name, row.evidence_name = stored, name
    row.save()
    audit.record(actor, "management.value.entered", row,
                 {"indicator": indicator.code, "year": indicator.year,
                  "territory": row.territory, "value": str(value), "before": before,
                  "file": name or ""})
    return row


# -- computing ---------------------------------------------------------------------------------
def compute_start(*, actor, region: Region, year: int) -> Job:
    rules.ensure(rules.may_compute(actor, region))
    return job_start(actor=actor, kind="management.compute", region=region,
                     params={"year": year})


def values_compute(*, actor, region: Region, year: int,
                   progress: Callable[[int, int], None] | None = None) -> int:
    """Every computed indicator of the region's year, for the region and each municipality
    with programme schools; the values are stored with the moment they were computed.
    ``actor`` None: the nightly task. Returns the number of values written."""
    indicators = [i for i in Indicator.objects.filter(region=region, year=year, source=
                                                      Indicator.Source.COMPUTED)
                  if i.fact in COMPUTATIONS]
    territories = selectors.programme_territories(region, year)
    written, steps = 0, max(1, len(indicators))
    for step, indicator in enumerate(indicators, start=1):
        written += _compute_one(indicator, territories)
        if progress is not None:
            progress(step, steps)
    audit.record(actor, "management.values.computed", region,
                 {"year": year, "values": written})
    return written


@transaction.atomic
def _compute_one(indicator: Indicator, territories: dict) -> int:
    run = COMPUTATIONS[indicator.fact].run
    now = timezone.now()
    for municipality, school_ids in territories.items():
        result = run(school_ids, indicator.year)
        IndicatorValue.objects.update_or_create(
            indicator=indicator, municipality=municipality,
            defaults={"value": result.value, "numerator": result.numerator,
                      "denominator": result.denominator, "school_ids": result.school_ids,
                      "basis": result.basis, "computed_at": now, "entered_by": None,
                      "entered_at": None})
    return len(territories)
