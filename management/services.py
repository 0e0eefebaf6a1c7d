"""Every write of the management cycle's indicators: one transaction, one audit entry, the
permission asked of ``rules``. An entered value's evidence file is stored before the
transaction and removed again when the write is refused; an earlier value's file stays."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from core import audit
from core.exceptions import DomainError
from core.files import Upload, upload_stored
from core.jobs import Job, job_start
from core.models import Municipality, Region

from . import rules, selectors
from .catalogue import calendar_rows, seed_rows
from .computations import COMPUTATIONS
from .models import Indicator, IndicatorValue, MonitoringEvent, Recommendation, Target

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


# -- the monitoring calendar ---------------------------------------------------------------------
REMIND_DAYS = 7
REMINDER_KIND = "management.calendar.reminder"


@transaction.atomic
def calendar_create(*, actor, region: Region, year: int) -> list[MonitoringEvent]:
    """The year's calendar of seed 004 §5 for a region that has none; ``actor`` owns it."""
    rules.ensure(rules.may_add_catalogue(actor, region))
    if MonitoringEvent.objects.filter(region=region, year=year).exists():
        raise ManagementError(f"Календарь мониторинга {year} г. уже составлен.")
    rows = MonitoringEvent.objects.bulk_create(calendar_rows(region, year, actor))
    audit.record(actor, "management.calendar.created", region,
                 {"year": year, "events": [e.code for e in rows]})
    return rows


def event_complete(*, actor, event: MonitoringEvent, done_on, note: str = "",
                   upload: Upload | None = None) -> MonitoringEvent:
    """The event is done: the day, what it found and its document (required)."""
    rules.ensure(rules.may_add_catalogue(actor, event.region))
    if event.is_done:
        raise ManagementError("Мероприятие уже отмечено проведённым.")
    if upload is None:
        raise ManagementError("Приложите итоговый документ мероприятия (справку, приказ, "
                              "аналитический отчёт).")
    if done_on > timezone.localdate():
        raise ManagementError("Дата проведения не может быть в будущем.")
    with upload_stored(upload, f"management/calendar/{event.region_id}/{event.public_id}."
                               f"{upload.extension}") as stored:
        return _event_commit(actor, event, done_on, note, stored, upload.name)


@transaction.atomic
def _event_commit(actor, event, done_on, note, stored, name) -> MonitoringEvent:
    event = MonitoringEvent.objects.select_for_update().get(pk=event.pk)
    if event.is_done:
        raise ManagementError("Мероприятие уже отмечено проведённым.")
    event.done_on, event.done_by, event.note = done_on, actor, note.strip()
    event.result.name, event.result_name = stored, name
    event.save()
    audit.record(actor, "management.calendar.done", event,
                 {"event": event.code, "year": event.year, "done_on": done_on.isoformat(),
                  "file": name})
    return event


def _claim(event: MonitoringEvent, flag: str) -> bool:
    """Mark the reminder of ``flag`` sent; False when another run already did."""
    return MonitoringEvent.objects.filter(pk=event.pk, **{flag: False}).update(
        **{flag: True}) == 1


def calendar_remind(*, day=None) -> int:
    """Tell each owner about its events due within a week and, once, about those overdue.
    However often it runs, each reminder goes once. Returns the reminders sent."""
    from core.notifications import notify

    day = day or timezone.localdate()
    open_events = (MonitoringEvent.objects.filter(done_on__isnull=True, owner__isnull=False)
                   .select_related("owner", "region"))
    sent = 0
    soon = open_events.filter(reminded_soon=False, due_on__gte=day,
                              due_on__lte=day + datetime.timedelta(days=REMIND_DAYS))
    for event in soon:
        if _claim(event, "reminded_soon"):
            notify([event.owner], kind=REMINDER_KIND, region=event.region,
                   title=f"Срок мероприятия мониторинга — {event.due_on:%d.%m.%Y}",
                   body=event.title, url=event.get_absolute_url())
            sent += 1
    for event in open_events.filter(reminded_overdue=False, due_on__lt=day):
        if _claim(event, "reminded_overdue"):
            notify([event.owner], kind=REMINDER_KIND, region=event.region,
                   title=f"Мероприятие мониторинга просрочено (срок {event.due_on:%d.%m.%Y})",
                   body=event.title, url=event.get_absolute_url())
            sent += 1
    return sent


# -- targeted recommendations -------------------------------------------------------------------
RECOMMENDATION_KIND = "management.recommendation"


def _addressees(recommendation):
    from django.conf import settings

    from core.models import RoleMembership
    from core.permissions import users_granted
    from core.roles import Role

    if recommendation.school_id:
        return list(users_granted(settings.PORTAL_SCHOOL_COORDINATOR_PERM,
                                  recommendation.school))
    return [m.user for m in RoleMembership.objects.filter(
        role=Role.MUNICIPAL_COORDINATOR, municipality_id=recommendation.municipality_id,
        ended_at__isnull=True).select_related("user")]


@dataclass(frozen=True)
class RecommendationInput:
    addressee: str
    year: int
    text: str
    due_on: datetime.date
    municipality: Municipality | None = None
    school: object = None
    helped_school: object = None
    indicator: Indicator | None = None
    risk_code: str = ""


def _recommendation_of(data: RecommendationInput, region: Region) -> Recommendation:
    kinds = Recommendation.Addressee
    if not data.text.strip():
        raise ManagementError("Напишите текст рекомендации.")
    if data.due_on < timezone.localdate():
        raise ManagementError("Срок исполнения не может быть в прошлом.")
    if data.addressee in (kinds.SCHOOL, kinds.CURATOR_SCHOOL) and data.school is None:
        raise ManagementError("Выберите школу, которой адресована рекомендация.")
    if data.addressee == kinds.CURATOR_SCHOOL and data.helped_school is None:
        raise ManagementError("Выберите школу, которой школа-куратор окажет помощь.")
    if data.addressee == kinds.MUNICIPALITY and data.municipality is None:
        raise ManagementError("Выберите муниципалитет, которому адресована рекомендация.")
    school = data.school if data.addressee != kinds.MUNICIPALITY else None
    municipality = school.municipality if school is not None else data.municipality
    if municipality.region_id != region.pk or (
            data.helped_school is not None and data.helped_school.region_id != region.pk):
        raise ManagementError("Адресат рекомендации — в другом регионе.")
    return Recommendation(
        region=region, municipality=municipality, school=school,
        helped_school=data.helped_school if data.addressee == kinds.CURATOR_SCHOOL else None,
        addressee=data.addressee, year=data.year, text=data.text.strip(),
        indicator=data.indicator, risk_code=data.risk_code.strip()[:8], due_on=data.due_on)


@transaction.atomic
def recommendation_issue(*, actor, region: Region, data: RecommendationInput
                         ) -> Recommendation:
    """A recommendation to a school's head, a curator school or a municipality; its
    addressees are told."""
    from core.notifications import notify

    recommendation = _recommendation_of(data, region)
    rules.ensure(rules.may_issue(actor, recommendation))
    recommendation.created_by = actor
    recommendation.save()
    audit.record(actor, "management.recommendation.issued", recommendation,
                 {"addressee": recommendation.addressed_to, "due_on": data.due_on.isoformat(),
                  "indicator": data.indicator.code if data.indicator else ""})
    notify(_addressees(recommendation), kind=RECOMMENDATION_KIND, region=region,
           exclude=actor, title=f"Адресная рекомендация: срок {data.due_on:%d.%m.%Y}",
           body=recommendation.text[:500], url=recommendation.get_absolute_url())
    return recommendation


def _locked(recommendation: Recommendation, action: str, actor) -> Recommendation:
    row = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    if action not in rules.recommendation_actions(actor, row):
        if not (rules.is_addressee(actor, row) or rules.may_issue(actor, row)):
            rules.ensure(False)
        raise ManagementError(f"Рекомендация уже в состоянии «{row.get_status_display()}».")
    return row


@transaction.atomic
def recommendation_acknowledge(*, actor, recommendation: Recommendation) -> Recommendation:
    row = _locked(recommendation, "acknowledge", actor)
    row.status, row.acknowledged_at = Recommendation.Status.ACKNOWLEDGED, timezone.now()
    row.save(update_fields=["status", "acknowledged_at"])
    audit.record(actor, "management.recommendation.acknowledged", row, {})
    return row


def recommendation_report(*, actor, recommendation: Recommendation, text: str,
                          upload: Upload | None) -> Recommendation:
    """The addressee says what was done, with a file that shows it."""
    if not text.strip():
        raise ManagementError("Опишите, что сделано по рекомендации.")
    if upload is None:
        raise ManagementError("Приложите файл, подтверждающий исполнение (приказ, протокол, "
                              "справку).")
    if "report" not in rules.recommendation_actions(actor, recommendation):
        _locked_check(actor, recommendation)
    with upload_stored(upload, f"management/recommendations/{recommendation.region_id}/"
                               f"{recommendation.public_id}.{upload.extension}") as stored:
        return _report_commit(actor, recommendation, text, stored, upload.name)


def _locked_check(actor, recommendation) -> None:
    with transaction.atomic():
        _locked(recommendation, "report", actor)


@transaction.atomic
def _report_commit(actor, recommendation, text, stored, name) -> Recommendation:
    from core.notifications import notify

    row = _locked(recommendation, "report", actor)
    row.status, row.report = Recommendation.Status.REPORTED, text.strip()
    row.report_file.name, row.report_name = stored, name
    row.reported_at, row.reported_by, row.comment = timezone.now(), actor, ""
    row.save()
    audit.record(actor, "management.recommendation.reported", row, {"file": name})
    if row.created_by_id:
        notify([row.created_by], kind=RECOMMENDATION_KIND, region=row.region, exclude=actor,
               title=f"Отчёт об исполнении рекомендации: {row.addressed_to}",
               body=row.report[:500], url=row.get_absolute_url())
    return row


@transaction.atomic
def recommendation_decide(*, actor, recommendation: Recommendation, accept: bool,
                          comment: str = "") -> Recommendation:
    """The issuer's side accepts the report (the recommendation is done) or returns it with
    what is missing (the addressee reports again)."""
    from core.notifications import notify

    row = _locked(recommendation, "accept" if accept else "return", actor)
    if not accept and not comment.strip():
        raise ManagementError("Напишите, чего не хватает в отчёте.")
    row.status = (Recommendation.Status.ACCEPTED if accept
                  else Recommendation.Status.ACKNOWLEDGED)
    row.comment = comment.strip()
    row.save(update_fields=["status", "comment"])
    audit.record(actor, "management.recommendation.accepted" if accept
                 else "management.recommendation.returned", row, {"comment": row.comment})
    title = ("Рекомендация исполнена: отчёт принят" if accept
             else "Отчёт по рекомендации возвращён на доработку")
    notify(_addressees(row), kind=RECOMMENDATION_KIND, region=row.region, exclude=actor,
           title=title, body=row.comment or row.text[:500], url=row.get_absolute_url())
    return row
