"""Every write of network pairs: one transaction, one audit entry, the permission asked of
``rules``. A file (the agreement, an activity's evidence) is stored before the transaction
and removed again when the write is refused. Nothing is ever deleted: ending a pair keeps
it and its log."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core import audit
from core.exceptions import DomainError
from core.files import Upload, upload_stored
from core.text import count_phrase
from schools import facts as school_facts

from . import rules, selectors
from .models import Activity, Pair

PAIR_KIND = "mentoring.pair"


class MentoringError(DomainError):
    pass


@dataclass(frozen=True)
class PairInput:
    school: object
    mentor: object
    year: int
    start_on: datetime.date
    agreement_number: str
    agreement_date: datetime.date
    areas: tuple[str, ...]
    end_on: datetime.date | None = None


def _check_school(data: PairInput) -> None:
    school, mentor, year = data.school, data.mentor, data.year
    if not school_facts.programme_schools(year).filter(school=school).exists():
        raise MentoringError(f"«{school.short_name}» не входит в перечень ШНОР и ШССУ "
                             f"{year} г.: сетевая пара составляется для школ перечня.")
    if mentor.pk == school.pk:
        raise MentoringError("Школа не может быть наставником самой себе: выберите другую "
                             "школу.")
    if mentor.region_id != school.region_id:
        raise MentoringError("Школа-наставник — из другого региона: пара составляется внутри "
                             "региона.")
    own = selectors.school_year(mentor, year)
    group = own.group if own else ""
    if group not in selectors.MENTOR_GROUPS:
        said = (f"её группа — «{school_facts.group_label(group)}»" if group
                else "её группа не определена (нет индексов или порогов)")
        raise MentoringError(f"«{mentor.short_name}» в {year} г. не относится к эффективным "
                             f"или резильентным школам ({said}): наставником она быть не может.")


def _check_period(data: PairInput, today: datetime.date) -> None:
    if data.end_on is not None and data.end_on < data.start_on:
        raise MentoringError("Дата окончания пары раньше даты начала.")
    if data.start_on > datetime.date(data.year, 12, 31) or (
            data.end_on is not None and data.end_on < datetime.date(data.year, 1, 1)):
        raise MentoringError(f"Период пары должен захватывать {data.year} год.")
    if not data.agreement_number.strip():
        raise MentoringError("Укажите номер соглашения о сетевом взаимодействии.")
    if data.agreement_date > today:
        raise MentoringError("Дата соглашения не может быть в будущем.")


def _check_areas(data: PairInput) -> list[str]:
    if not data.areas:
        raise MentoringError("Выберите хотя бы одно направление помощи — активированный "
                             "фактор риска школы.")
    activated = selectors.activated_risks(data.school, data.year)
    refused = [code for code in data.areas if code not in activated]
    if refused:
        listed = ", ".join(refused)
        one = len(refused) == 1
        raise MentoringError(
            f"{'Фактор' if one else 'Факторы'} риска {listed} не "
            f"{'активирован' if one else 'активированы'} в риск-профиле «"
            f"{data.school.short_name}» за {data.year} г.: помощь назначается только по "
            "активированным рискам.")
    return [code for code in activated if code in data.areas]  # the catalogue's order


def _check_mentor_load(mentor, school, today: datetime.date) -> None:
    limit = settings.PORTAL_MENTOR_MAX_PAIRS
    current = Pair.objects.filter(Pair.current_q(today), mentor=mentor)
    if current.filter(school=school).exists():
        raise MentoringError(f"«{school.short_name}» и «{mentor.short_name}» уже образуют "
                             "действующую пару.")
    n = current.count()
    if n >= limit:
        raise MentoringError(f"У «{mentor.short_name}» уже "
                             f"{count_phrase(n, 'действующая пара')} — это предел "
                             f"(не больше {limit}). Выберите другую школу-наставника.")


def pair_create(*, actor, data: PairInput, upload: Upload | None,
                today: datetime.date | None = None) -> Pair:
    """A pair of a programme school and its mentor, under the agreement ``upload``
    (required). Refuses (``MentoringError``) a school outside the year's list, the school
    itself as mentor, a mentor outside the groups «эффективные»/«резильентные» or at its
    limit of pairs, an area that is not an activated risk; 403 outside ``rules``. Both
    schools' coordinators are told."""
    today = today or timezone.localdate()
    rules.ensure(rules.may_create(actor, data.school))
    _check_school(data)
    _check_period(data, today)
    areas = _check_areas(data)
    if upload is None:
        raise MentoringError("Приложите соглашение о сетевом взаимодействии (файл PDF, Word "
                             "или OpenDocument).")
    _check_mentor_load(data.mentor, data.school, today)
    with upload_stored(upload, f"mentoring/agreements/{data.school.region_id}/"
                               f"{data.school.public_id}.{upload.extension}") as stored:
        return _pair_commit(actor, data, areas, stored, upload.name, today)


@transaction.atomic
def _pair_commit(actor, data: PairInput, areas, stored, name, today) -> Pair:
    from schools.models import School

    # The mentor's row is the lock that keeps two coordinators from both taking its last
    # free place: the count is repeated under it.
    School.objects.select_for_update().filter(pk=data.mentor.pk).first()
    _check_mentor_load(data.mentor, data.school, today)
    pair = Pair(region_id=data.school.region_id, year=data.year, school=data.school,
                mentor=data.mentor, start_on=data.start_on, end_on=data.end_on,
                agreement_number=data.agreement_number.strip(),
                agreement_date=data.agreement_date, areas=areas, created_by=actor,
                agreement_name=name)
    pair.agreement.name = stored
    pair.save()
    audit.record(actor, "mentoring.pair.created", pair, {
        "school": data.school.short_name, "mentor": data.mentor.short_name,
        "year": data.year, "start_on": data.start_on.isoformat(), "areas": areas,
        "agreement": f"№ {pair.agreement_number} от {data.agreement_date:%d.%m.%Y}",
        "file": name})
    _tell_coordinators(pair, actor)
    return pair


def _tell_coordinators(pair: Pair, actor) -> None:
    from core.notifications import notify
    from core.permissions import users_granted

    perm = settings.PORTAL_SCHOOL_COORDINATOR_PERM
    recipients = [*users_granted(perm, pair.school), *users_granted(perm, pair.mentor)]
    notify(recipients, kind=PAIR_KIND, region=pair.region, exclude=actor,
           title=f"Сетевая пара: {pair.school.short_name} и {pair.mentor.short_name}",
           body=(f"Школа-наставник «{pair.mentor.short_name}» сопровождает "
                 f"«{pair.school.short_name}» с {pair.start_on:%d.%m.%Y}."),
           url=pair.get_absolute_url())


def _locked(pair: Pair, action: str, actor, today) -> Pair:
    row = Pair.objects.select_for_update().select_related("school", "mentor").get(pk=pair.pk)
    if action not in rules.pair_actions(actor, row, today):
        if not rules.may_read(actor, row) or row.is_current(today):
            rules.ensure(False)
        raise MentoringError("Пара уже завершена: её журнал только для чтения.")
    return row


@transaction.atomic
def pair_end(*, actor, pair: Pair, end_on: datetime.date, reason: str,
             today: datetime.date | None = None) -> Pair:
    """End the pair on ``end_on`` (not in the future, not before its start, not before an
    activity of its log) for ``reason``; the pair and its log stay."""
    today = today or timezone.localdate()
    row = _locked(pair, "end", actor, today)
    if not reason.strip():
        raise MentoringError("Укажите причину завершения пары.")
    if end_on > today:
        raise MentoringError("Дата завершения не может быть в будущем.")
    if end_on < row.start_on:
        raise MentoringError(f"Пара начата {row.start_on:%d.%m.%Y}: завершить её раньше "
                             "нельзя.")
    last = Activity.objects.filter(pair=row).order_by("-held_on").first()
    if last is not None and last.held_on > end_on:
        raise MentoringError(f"В журнале пары есть мероприятие {last.held_on:%d.%m.%Y} — "
                             "дата завершения не может быть раньше него.")
    planned = row.end_on
    row.status, row.end_on, row.end_reason = Pair.Status.ENDED, end_on, reason.strip()
    row.ended_by, row.ended_at = actor, timezone.now()
    row.save(update_fields=["status", "end_on", "end_reason", "ended_by", "ended_at"])
    audit.record(actor, "mentoring.pair.ended", row, {
        "end_on": end_on.isoformat(), "reason": row.end_reason,
        "planned_end_on": planned.isoformat() if planned else None})
    return row


@dataclass(frozen=True)
class ActivityInput:
    kind: str
    held_on: datetime.date
    title: str
    participants: str
    participants_count: int


def _check_activity(pair: Pair, data: ActivityInput, today: datetime.date) -> None:
    if data.kind not in Activity.Kind.values:
        raise MentoringError("Выберите вид мероприятия из списка.")
    if not data.title.strip():
        raise MentoringError("Укажите тему мероприятия.")
    if data.held_on > today:
        raise MentoringError("Дата мероприятия не может быть в будущем: в журнал вносится "
                             "то, что уже проведено.")
    if data.held_on < pair.start_on:
        raise MentoringError(f"Пара начата {pair.start_on:%d.%m.%Y}: мероприятие не может "
                             "быть раньше.")
    if data.participants_count < 1:
        raise MentoringError("Число участников — не меньше одного.")


def activity_add(*, actor, pair: Pair, data: ActivityInput, upload: Upload | None = None,
                 today: datetime.date | None = None) -> Activity:
    """A joint activity in the pair's log (the evidence file is optional)."""
    today = today or timezone.localdate()
    if "log" not in rules.pair_actions(actor, pair, today):
        with transaction.atomic():
            _locked(pair, "log", actor, today)
    _check_activity(pair, data, today)
    if upload is None:
        return _activity_commit(actor, pair, data, None, "", today)
    with upload_stored(upload, f"mentoring/activities/{pair.region_id}/{pair.public_id}."
                               f"{upload.extension}") as stored:
        return _activity_commit(actor, pair, data, stored, upload.name, today)


@transaction.atomic
def _activity_commit(actor, pair, data: ActivityInput, stored, name, today) -> Activity:
    row = _locked(pair, "log", actor, today)
    activity = Activity(region_id=row.region_id, pair=row, kind=data.kind,
                        held_on=data.held_on, title=data.title.strip(),
                        participants=data.participants.strip(),
                        participants_count=data.participants_count, created_by=actor)
    if stored:
        activity.evidence.name, activity.evidence_name = stored, name
    activity.save()
    audit.record(actor, "mentoring.activity.added", activity, {
        "pair": str(row.public_id), "kind": data.kind, "held_on": data.held_on.isoformat(),
        "participants": data.participants_count, "file": name})
    return activity
