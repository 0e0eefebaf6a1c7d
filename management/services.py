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
        floor = selectors.figure_text(indicator, regional.value)
        raise ManagementError(f"Цель муниципалитета может быть строже региональной, но не "
                              f"мягче: {better} {floor}.")
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


def _school_coordinators(school) -> list:
    from django.conf import settings

    from core.permissions import users_granted

    return list(users_granted(settings.PORTAL_SCHOOL_COORDINATOR_PERM, school))


def _municipal_coordinators(municipality_id: int) -> list:
    from core.models import RoleMembership
    from core.roles import Role

    return [m.user for m in RoleMembership.objects.filter(
        role=Role.MUNICIPAL_COORDINATOR, municipality_id=municipality_id,
        ended_at__isnull=True).select_related("user")]


def _addressees(recommendation):
    if recommendation.school_id:
        return _school_coordinators(recommendation.school)
    return _municipal_coordinators(recommendation.municipality_id)


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


# -- a recommendation becomes a measure of the school's roadmap ---------------------------------
@transaction.atomic
def recommendation_to_measure(*, actor, recommendation: Recommendation):
    """The school addressed puts the recommendation into its roadmap of the recommendation's
    year (started when it has none): the measure's text is the recommendation, its deadline
    the due date, its risk the recommendation's when that risk is activated."""
    from roadmaps.selectors import activated_risks
    from roadmaps.selectors.plans import school_roadmap
    from roadmaps.services.plans import ItemInput, item_add, school_roadmap_start

    row = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    if not rules.may_make_measure(actor, row):
        if not rules.is_addressee(actor, row):
            rules.ensure(False)
        raise ManagementError("Рекомендацию нельзя внести в дорожную карту: она уже внесена, "
                              "исполнена или адресована не школе.")
    school = row.school
    roadmap = (school_roadmap(actor, school, row.year)
               or school_roadmap_start(actor=actor, school=school, year=row.year))
    risk = next((r for r in activated_risks(school, row.year) if r.code == row.risk_code),
                None)
    start = min(max(row.created_at.date(), datetime.date(row.year - 1, 1, 1)), row.due_on)
    item = item_add(actor=actor, roadmap=roadmap, data=ItemInput(
        activity=f"По адресной рекомендации: {row.text}"[:2000], due_start=start,
        due_end=row.due_on, deadline_text=f"до {row.due_on:%d.%m.%Y}",
        expected_result="Отчёт об исполнении рекомендации", risk_factor=risk))
    row.measure = item
    row.save(update_fields=["measure"])
    audit.record(actor, "management.recommendation.measure", row,
                 {"roadmap": roadmap.title, "measure": item.pk})
    return item


# -- analysis -----------------------------------------------------------------------------------
CONCLUSION_MAX = 8000


@transaction.atomic
def conclusion_write(*, actor, indicator: Indicator, text: str):
    """The analyst's conclusions on ``indicator`` (a new version; earlier ones stay)."""
    from .models import Conclusion

    rules.ensure(rules.may_conclude(actor, indicator))
    text = (text or "").strip()
    if not text:
        raise ManagementError("Напишите выводы анализа.")
    if len(text) > CONCLUSION_MAX:
        raise ManagementError(f"Выводы длиннее {CONCLUSION_MAX} знаков.")
    row = Conclusion.objects.create(indicator=indicator, text=text, written_by=actor)
    audit.record(actor, "management.conclusion.written", indicator,
                 {"indicator": indicator.code, "year": indicator.year, "length": len(text)})
    return row


# -- management decisions -----------------------------------------------------------------------
@dataclass(frozen=True)
class DecisionInput:
    kind: str
    title: str
    document_type: str
    number: str
    signed_on: datetime.date | None
    author: str
    year: int
    municipality: Municipality | None = None
    indicator_codes: tuple[str, ...] = ()
    schools: tuple = ()
    recommendations: tuple = ()


def _decision_check(region: Region, data: DecisionInput) -> None:
    from .models import Decision

    if data.kind not in Decision.Kind.values:
        raise ManagementError("Выберите вид управленческого решения.")
    if data.document_type not in Decision.DocumentType.values:
        raise ManagementError("Выберите документ: приказ, распоряжение или протокол.")
    for value, message in ((data.title, "Опишите содержание решения."),
                           (data.number, "Укажите номер документа."),
                           (data.author, "Укажите, кем принято решение (должность, ФИО).")):
        if not (value or "").strip():
            raise ManagementError(message)
    if data.signed_on is None:
        raise ManagementError("Укажите дату документа.")
    if data.signed_on > timezone.localdate():
        raise ManagementError("Дата документа не может быть в будущем.")
    if data.municipality is not None and data.municipality.region_id != region.pk:
        raise ManagementError("Муниципалитет другого региона.")
    known = set(Indicator.objects.filter(region=region, year=data.year)
                .values_list("code", flat=True))
    if unknown := [c for c in data.indicator_codes if c not in known]:
        raise ManagementError(f"Показателей {', '.join(unknown)} нет в {data.year} г.")
    for school in data.schools:
        if school.region_id != region.pk or (
                data.municipality is not None and school.municipality_id !=
                data.municipality.pk):
            raise ManagementError(f"Школа «{school.short_name}» — вне уровня решения.")
    for rec in data.recommendations:
        if rec.region_id != region.pk or (
                data.municipality is not None and rec.municipality_id != data.municipality.pk):
            raise ManagementError("Рекомендация — вне уровня решения.")


def decision_record(*, actor, region: Region, data: DecisionInput, upload: Upload | None):
    """A decision with its document; refused whole when anything is missing or outside
    the actor's level."""
    rules.ensure(rules.may_record_decision(actor, data.municipality or region))
    _decision_check(region, data)
    if upload is None:
        raise ManagementError("Приложите файл документа (приказа, распоряжения, протокола).")
    with upload_stored(upload, f"management/decisions/{region.pk}/"
                               f"{timezone.now():%Y%m%d%H%M%S%f}.{upload.extension}") as stored:
        return _decision_commit(actor, region, data, stored, upload.name)


@transaction.atomic
def _decision_commit(actor, region, data: DecisionInput, stored, name):
    from .models import Decision

    decision = Decision.objects.create(
        region=region, municipality=data.municipality, year=data.year, kind=data.kind,
        title=data.title.strip(), document_type=data.document_type,
        number=data.number.strip(), signed_on=data.signed_on, author=data.author.strip(),
        indicator_codes=list(dict.fromkeys(data.indicator_codes)), file=stored,
        file_name=name, created_by=actor)
    decision.schools.set(data.schools)
    decision.recommendations.set(data.recommendations)
    audit.record(actor, "management.decision.recorded", decision,
                 {"document": str(decision), "kind": decision.get_kind_display(),
                  "level": decision.level, "indicators": decision.indicator_codes,
                  "schools": len(data.schools), "recommendations": len(data.recommendations)})
    return decision


# -- the cycle's yearly report ------------------------------------------------------------------
REPORT_KIND = "management.cycle_report"


def report_start(*, actor, region: Region, municipality: Municipality | None, year: int) -> Job:
    if municipality is not None and municipality.region_id != region.pk:
        raise ManagementError("Муниципалитет другого региона.")
    rules.ensure(rules.may_report(actor, municipality or region))
    return job_start(actor=actor, kind=REPORT_KIND, region=region, place=municipality,
                     params={"year": year,
                             "municipality": municipality.pk if municipality else None})


@transaction.atomic
def report_store(*, actor, region: Region, municipality: Municipality | None, year: int,
                 content: bytes):
    """A rendered report (the job's result) kept as a new version of the territory's year."""
    from django.core.files.base import ContentFile

    from .models import CycleReport

    rules.ensure(rules.may_report(actor, municipality or region))
    report = CycleReport(region=region, municipality=municipality, year=year,
                         created_by=actor)
    report.file.save(f"cycle-{year}.pdf", ContentFile(content), save=False)
    report.save()
    audit.record(actor, "management.report.created", report,
                 {"year": year, "territory": report.territory, "bytes": len(content)})
    return report


@transaction.atomic
def report_approve(*, actor, report, protocol_number: str, protocol_on):
    """The working group approves one version of the year's report: its protocol's number
    and date are recorded; one approved report per territory and year."""
    from .models import CycleReport

    row = CycleReport.objects.select_for_update().get(pk=report.pk)
    if "approve" not in rules.report_actions(actor, row):
        rules.ensure(rules.may_report(actor, row))
        raise ManagementError("Отчёт уже утверждён.")
    if not (protocol_number or "").strip():
        raise ManagementError("Укажите номер протокола рабочей группы.")
    if protocol_on is None:
        raise ManagementError("Укажите дату протокола рабочей группы.")
    if protocol_on > timezone.localdate() or protocol_on < row.created_at.date():
        raise ManagementError("Дата протокола — не раньше формирования отчёта и не в "
                              "будущем.")
    other = CycleReport.objects.filter(region=row.region, municipality=row.municipality,
                                       year=row.year, approved_at__isnull=False).first()
    if other is not None:
        raise ManagementError(f"Отчёт {row.year} г. уже утверждён протоколом "
                              f"№ {other.protocol_number} от {other.protocol_on:%d.%m.%Y}.")
    row.protocol_number, row.protocol_on = protocol_number.strip(), protocol_on
    row.approved_by, row.approved_at = actor, timezone.now()
    row.save()
    audit.record(actor, "management.report.approved", row,
                 {"protocol": row.protocol_number, "date": protocol_on.isoformat()})
    return row


# -- the exit list ------------------------------------------------------------------------------
def exit_streak() -> int:
    from django.conf import settings

    return settings.PORTAL_EXIT_YEARS


@transaction.atomic
def exit_list_build(*, actor, region: Region, year: int) -> int:
    """Propose the schools that meet the exit rule in ``year``; a school already on the
    year's list keeps its row (and its review). Returns the number newly proposed."""
    from .models import ExitProposal

    rules.ensure(rules.may_review_exit(actor, region))
    streak = exit_streak()
    listed = set(ExitProposal.objects.filter(region=region, year=year)
                 .values_list("school_id", flat=True))
    new = [ExitProposal(region=region, municipality_id=c.municipality_id,
                        school_id=c.school_id, year=year, risks_before=c.risks_before,
                        risks_now=c.risks_now, basis=c.basis,
                        ior_series=[[y, str(v)] for y, v in c.series])
           for c in selectors.exit_candidates(region, year, streak)
           if c.school_id not in listed]
    ExitProposal.objects.bulk_create(new)
    audit.record(actor, "management.exit.built", region,
                 {"year": year, "streak": streak, "proposed": len(new)})
    return len(new)


@transaction.atomic
def exit_review(*, actor, proposals: list, approve: bool, decision=None,
                comment: str = "") -> int:
    """Approve the chosen proposals with a decision of the region's year, or keep the schools
    in the programme with a reason. All or nothing."""
    from .models import ExitProposal

    if not proposals:
        raise ManagementError("Отметьте школы списка.")
    rows = list(ExitProposal.objects.select_for_update()
                .filter(pk__in=[p.pk for p in proposals]).select_related("region", "school"))
    for row in rows:
        if "approve" not in rules.exit_actions(actor, row):
            rules.ensure(rules.may_review_exit(actor, row.region))
            raise ManagementError(f"«{row.school.short_name}» уже рассмотрена.")
    if approve and (decision is None or any(decision.region_id != r.region_id for r in rows)):
        raise ManagementError("Выберите управленческое решение региона, которым утверждается "
                              "исключение.")
    if not approve and not comment.strip():
        raise ManagementError("Укажите, почему школы остаются в программе.")
    status = ExitProposal.Status.APPROVED if approve else ExitProposal.Status.REJECTED
    now = timezone.now()
    for row in rows:
        row.status, row.decision = status, decision if approve else None
        row.comment, row.reviewed_by, row.reviewed_at = comment.strip(), actor, now
        row.save()
        audit.record(actor, f"management.exit.{'approved' if approve else 'rejected'}", row,
                     {"school": row.school.short_name, "year": row.year,
                      "decision": str(decision) if decision else "", "comment": row.comment})
        _exit_notify(actor, row)
    return len(rows)


def _exit_notify(actor, row) -> None:
    """The school and its municipality learn the outcome (the school's page shows it)."""
    from core.notifications import notify

    people = _school_coordinators(row.school) + _municipal_coordinators(row.municipality_id)
    title = (f"Исключение из программы утверждено: {row.school.short_name}" if row.is_approved
             else f"Школа остаётся в программе: {row.school.short_name}")
    notify(people, kind="management.exit", region=row.region, exclude=actor, title=title,
           body=row.comment or row.basis, url=row.school.get_absolute_url())
