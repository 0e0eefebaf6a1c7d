"""Writes of risk profiles: the catalogue (administrators), profiles and their states.

Every state change of a profile goes through :func:`profile_transition`; every edit of
its factors through :func:`profile_update`. Both lock the row, check the state and the
actor's right on this very school, and write one audit entry.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core import audit
from core.exceptions import DomainError
from core.notifications import notify
from core.permissions import users_granted
from core.text import count_phrase
from schools.models import School, SchoolYear

from . import rules
from .models import Level, RiskFactor, RiskProfile, RiskProfileItem
from .rules import TRANSITIONS, Transition  # noqa: F401  (the machine lives in rules)
from .selectors import profile_count_of_year

CATALOGUE_CSV = Path(__file__).resolve().parent / "data" / "risk_factors.csv"
JUSTIFICATION_MAX = RiskProfileItem._meta.get_field("justification").max_length


class RiskProfileError(DomainError):
    pass


class ProfileIncomplete(RiskProfileError):
    """A profile cannot be sent yet: ``problems`` maps a factor code to what each of its
    fields lacks (``{"R02": {"level": "…", "justification": "…"}}``), so a page can show
    every message beside its own field; ``str()`` lists them all."""

    def __init__(self, problems: dict[str, dict[str, str]]):
        self.problems = problems
        super().__init__("Профиль не отправлен: " + " ".join(
            message for fields in problems.values() for message in fields.values()))


# -- the catalogue ------------------------------------------------------------------------------
def _require_catalogue_open(year: int) -> None:
    """A year's catalogue is frozen once any school has a profile for that year: changing
    it would silently rewrite profiles already filled, returned or verified."""
    profiles = profile_count_of_year(year)
    if profiles:
        raise RiskProfileError(
            f"Каталог факторов {year} года изменить нельзя: по нему уже заполнены "
            f"риск-профили школ ({profiles}). Изменение задним числом исказило бы их.")


def _save_factor(factor: RiskFactor) -> None:
    try:
        factor.full_clean()
    except ValidationError as exc:
        raise RiskProfileError(" ".join(exc.messages))
    try:
        with transaction.atomic():
            factor.save()
    except IntegrityError:
        raise RiskProfileError("Фактор с таким кодом или номером в этом году уже есть.")


@transaction.atomic
def factor_create(*, actor, year: int, code: str, title: str, position: int) -> RiskFactor:
    """Add a factor to a year's catalogue (administrators; refused once profiles exist)."""
    rules.ensure(rules.may_add_factor(actor))
    _require_catalogue_open(year)
    factor = RiskFactor(year=year, code=code.strip().upper(), title=" ".join(title.split()),
                        position=position)
    _save_factor(factor)
    audit.record(actor, "risk_profiles.factor.created", factor,
                 {"year": year, "code": factor.code, "title": factor.title,
                  "position": position})
    return factor


@transaction.atomic
def factor_update(*, actor, factor: RiskFactor, title: str, position: int) -> RiskFactor:
    rules.ensure(rules.may_change_factor(actor))
    factor = RiskFactor.objects.select_for_update().get(pk=factor.pk)
    _require_catalogue_open(factor.year)
    old = {"title": factor.title, "position": factor.position}
    factor.title, factor.position = " ".join(title.split()), position
    _save_factor(factor)
    audit.record(actor, "risk_profiles.factor.changed", factor,
                 {"year": factor.year, "code": factor.code, "old": old,
                  "new": {"title": factor.title, "position": position}})
    return factor


@transaction.atomic
def factor_delete(*, actor, factor: RiskFactor) -> None:
    rules.ensure(rules.may_delete_factor(actor))
    factor = RiskFactor.objects.select_for_update().get(pk=factor.pk)
    _require_catalogue_open(factor.year)
    audit.record(actor, "risk_profiles.factor.deleted", None,
                 {"year": factor.year, "code": factor.code, "title": factor.title})
    factor.delete()


@transaction.atomic
def catalogue_copy(*, actor, source_year: int, year: int) -> list[RiskFactor]:
    """Start a new year's catalogue from another year's (then edit what ФИОКО changed)."""
    rules.ensure(rules.may_add_factor(actor))
    if RiskFactor.objects.filter(year=year).exists():
        raise RiskProfileError(f"Каталог {year} года уже есть: копировать можно только в "
                               "пустой год.")
    source = list(RiskFactor.objects.filter(year=source_year))
    if not source:
        raise RiskProfileError(f"Каталога {source_year} года нет — копировать нечего.")
    factors = [RiskFactor(year=year, code=f.code, title=f.title, position=f.position)
               for f in source]
    for factor in factors:
        _save_factor(factor)
    audit.record(actor, "risk_profiles.catalogue.copied", None,
                 {"from": source_year, "year": year, "factors": len(factors)})
    return factors


@dataclass(frozen=True)
class CatalogueLoad:
    created: int
    unchanged: int


@transaction.atomic
def catalogue_load(*, actor, path: Path = CATALOGUE_CSV) -> CatalogueLoad:
    """Load ФИОКО's catalogue (``code,title,position,years``; years split by «;»).

    Idempotent: a factor already in place with the same title and position is kept; a
    differing one is refused (the catalogue is changed through the pages, with its checks).
    """
    if actor is not None:
        rules.ensure(rules.may_add_factor(actor))
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    created = unchanged = 0
    for number, row in enumerate(rows, start=2):
        try:
            code, title = row["code"].strip(), " ".join(row["title"].split())
            position = int(row["position"])
            years = [int(y) for y in row["years"].replace(",", ";").split(";") if y.strip()]
        except (KeyError, ValueError, AttributeError):
            raise RiskProfileError(f"{path.name}, строка {number}: нужны столбцы code, title, "
                                   "position, years (годы через «;»).")
        for year in years:
            existing = RiskFactor.objects.filter(year=year, code=code).first()
            if existing is not None:
                if (existing.title, existing.position) != (title, position):
                    raise RiskProfileError(
                        f"{path.name}, строка {number}: фактор {code} {year} года в портале "
                        "уже есть с другим названием или номером. Измените его на странице "
                        "каталога.")
                unchanged += 1
                continue
            _require_catalogue_open(year)
            _save_factor(RiskFactor(year=year, code=code, title=title, position=position))
            created += 1
    if created:
        audit.record(actor, "risk_profiles.catalogue.loaded", None,
                     {"file": path.name, "created": created})
    return CatalogueLoad(created, unchanged)


# -- profiles -----------------------------------------------------------------------------------
def _locked(profile_pk: int) -> RiskProfile:
    return (RiskProfile.objects.select_for_update(of=("self",))
            .select_related("school", "region").get(pk=profile_pk))


def _not_editable_message(profile: RiskProfile) -> str:
    if profile.status == RiskProfile.Status.VERIFIED:
        return ("Риск-профиль подтверждён куратором и закрыт для изменений. Чтобы внести "
                "изменения, попросите куратора разблокировать его.")
    return ("Риск-профиль на проверке у куратора: изменить его можно, когда куратор вернёт "
            "его на доработку.")


@transaction.atomic
def profile_create(*, actor, school: School, year: int, batch=None) -> RiskProfile:
    """Open a school's profile for ``year`` with every factor of that year's catalogue."""
    profile = RiskProfile(region_id=school.region_id, school=school, year=year, batch=batch)
    if actor is not None:
        rules.ensure(rules.may_create_profile(actor, profile))
    factors = list(RiskFactor.objects.filter(year=year))
    if not factors:
        raise RiskProfileError(f"Каталог факторов риска на {year} год не загружен: "
                               "обратитесь к администратору портала.")
    if not SchoolYear.objects.filter(school=school, year=year).exists():
        raise RiskProfileError(f"Школа «{school.short_name}» не входит в перечни {year} года: "
                               "риск-профиль заводится для школ из перечней.")
    try:
        with transaction.atomic():
            profile.save()
    except IntegrityError:
        raise RiskProfileError(f"У школы «{school.short_name}» уже есть риск-профиль на "
                               f"{year} год.")
    RiskProfileItem.objects.bulk_create(
        RiskProfileItem(region_id=profile.region_id, profile=profile, factor=f) for f in factors)
    audit.record(actor, "risk_profiles.profile.created", profile,
                 {"school": school.login, "year": year,
                  "batch": str(batch.public_id) if batch else None})
    return profile


@dataclass
class ItemChange:
    """What an edit sets on one factor; ``None`` leaves a field as it is."""

    activated: bool | None = None
    justification: str | None = None
    level: str | None = None
    value: Decimal | None = None
    clear_value: bool = False


def _apply_changes(profile: RiskProfile, changes: dict[str, ItemChange]
                   ) -> tuple[list[RiskProfileItem], dict]:
    """Validate ``changes`` (factor code → change) against the profile's year and set
    them on its items; returns the changed items and a per-code diff for the audit."""
    items = {i.factor.code: i for i in profile.items.select_related("factor")}
    unknown = sorted(code for code in changes if code not in items)
    if unknown:
        codes = ", ".join(unknown)
        in_other = (RiskFactor.objects.filter(code__in=unknown).exclude(year=profile.year)
                    .values_list("year", flat=True).distinct())
        hint = (f" (действовал в {', '.join(str(y) for y in sorted(set(in_other)))} г.)"
                if in_other else "")
        raise RiskProfileError(f"Фактор {codes} не входит в каталог {profile.year} года"
                               f"{hint}: его нельзя активировать или изменить в этом профиле.")
    changed, diff = [], {}
    for code, change in changes.items():
        item = items[code]
        before = (item.activated, item.justification, item.level, item.value)
        if change.activated is not None:
            item.activated = change.activated
        if change.justification is not None:
            text = change.justification.strip()
            if len(text) > JUSTIFICATION_MAX:
                raise RiskProfileError(f"{code}: обоснование длиннее {JUSTIFICATION_MAX} "
                                       "знаков — сократите его.")
            item.justification = text
        if change.level is not None:
            if change.level and change.level not in Level.values:
                raise RiskProfileError(f"{code}: неизвестный уровень риска «{change.level}».")
            item.level = change.level
        if change.clear_value:
            item.value = None
        elif change.value is not None:
            item.value = change.value
        after = (item.activated, item.justification, item.level, item.value)
        if after != before:
            changed.append(item)
            diff[code] = {name: [str(b) if isinstance(b, Decimal) else b,
                                 str(a) if isinstance(a, Decimal) else a]
                          for name, b, a in zip(("activated", "justification", "level", "value"),
                                                before, after, strict=True) if a != b}
    return changed, diff


@transaction.atomic
def profile_update(*, actor, profile: RiskProfile, changes: dict[str, ItemChange],
                   batch=None) -> RiskProfile:
    """Edit levels, activation and justifications of a draft or returned profile
    (``batch``: the ФИОКО file the values come from).

    Refused for a submitted or verified profile and for a factor outside the year's
    catalogue; nothing is written when any change is refused.
    """
    profile = _locked(profile.pk)
    if actor is not None:
        rules.ensure(rules.may_change_profile(actor, profile))
    if not profile.is_editable:
        raise RiskProfileError(_not_editable_message(profile))
    changed, diff = _apply_changes(profile, changes)
    if not changed:
        return profile
    RiskProfileItem.objects.bulk_update(changed, ["activated", "justification", "level",
                                                  "value"])
    fields = ["updated_at"]
    if batch is not None:
        profile.batch = batch
        fields.append("batch")
    profile.save(update_fields=fields)
    audit.record(actor, "risk_profiles.profile.changed", profile,
                 {"items": diff, "batch": str(batch.public_id) if batch else None})
    return profile


def _require_complete(profile: RiskProfile) -> None:
    """What the curator needs to judge a profile: at least one activated risk, and for each
    activated risk its level and the school's justification. Raises
    :class:`ProfileIncomplete` naming every gap, per factor."""
    activated = list(profile.items.filter(activated=True).select_related("factor")
                     .order_by("factor__position"))
    if not activated:
        raise RiskProfileError("Отметьте хотя бы один активированный фактор риска — "
                               "направление, над которым школа будет работать.")
    problems: dict[str, dict[str, str]] = {}
    for item in activated:
        code, gaps = item.factor.code, {}
        if not item.level:
            gaps["level"] = f"{code}: укажите уровень активированного риска."
        elif item.level == Level.NONE:
            gaps["level"] = (f"{code}: уровень «{Level.NONE.label}» не подходит для "
                             "активированного риска — укажите уровень или снимите отметку.")
        if not item.justification.strip():
            gaps["justification"] = (f"{code}: напишите обоснование — почему школа будет "
                                     "работать над этим риском.")
        if gaps:
            problems[code] = gaps
    if problems:
        raise ProfileIncomplete(problems)


@transaction.atomic
def profile_save_and_submit(*, actor, profile: RiskProfile, changes: dict[str, ItemChange],
                            now=None) -> RiskProfile:
    """Save what the school typed and send the profile to the curator, as one step: the
    send checks the saved values (:func:`profile_transition`), and when it is refused the
    edit is rolled back too, so nothing changes and the page can show the input again."""
    profile_update(actor=actor, profile=profile, changes=changes)
    return profile_transition(actor=actor, profile=profile, action="submit", now=now)


S = RiskProfile.Status

_WRONG_STATE = {
    "submit": "Отправить на проверку можно черновик или возвращённый профиль, а этот — «{}».",
    "verify": "Подтвердить можно только профиль, отправленный на проверку, а этот — «{}».",
    "return": "Вернуть на доработку можно только профиль на проверке, а этот — «{}».",
    "unlock": "Разблокировать можно только подтверждённый профиль, а этот — «{}».",
}


@transaction.atomic
def profile_transition(*, actor, profile: RiskProfile, action: str, comment: str = "",
                       now=None) -> RiskProfile:
    """Move a profile along draft → submitted → verified | returned (→ submitted …).

    ``verify``, ``return`` and ``unlock`` belong to the curator assigned to the school (an
    administrator may stand in); ``submit`` to the school (or regional staff for it).
    Raises :class:`RiskProfileError` with the reason; nothing changes then.
    """
    try:
        rule = TRANSITIONS[action]
    except KeyError:
        raise RiskProfileError("Неизвестное действие с риск-профилем.")
    profile = _locked(profile.pk)
    if not rules.may_transition(actor, profile, action):
        if rule.permission == rules.VERIFY_PROFILE:
            raise RiskProfileError(
                f"Проверять риск-профиль школы «{profile.school.short_name}» за "
                f"{profile.year} год может только куратор, назначенный ей на этот год.")
        raise RiskProfileError("Отправить риск-профиль на проверку может школьный "
                               "координатор школы или региональный координатор.")
    if not rules.state_allows(profile, action):
        raise RiskProfileError(_WRONG_STATE[action].format(profile.get_status_display()))
    comment = comment.strip()
    if rule.comment_required and not comment:
        raise RiskProfileError(rule.comment_required)
    if action == "submit":
        _require_complete(profile)
    now = now or timezone.now()
    previous = profile.status
    profile.status = rule.target
    fields = ["status", "updated_at"]
    if action == "submit":
        profile.submitted_at, profile.submitted_by = now, actor
        fields += ["submitted_at", "submitted_by"]
    else:
        profile.reviewed_at, profile.reviewed_by = now, actor
        profile.comment = comment
        fields += ["reviewed_at", "reviewed_by", "comment"]
    profile.save(update_fields=fields)
    audit.record(actor, rule.audit_code, profile,
                 {"from": previous, "to": profile.status, "comment": comment,
                  "activated": sorted(profile.items.filter(activated=True)
                                      .values_list("factor__code", flat=True))})
    _tell(actor, profile, action, previous, comment)
    return profile


#: The notification kinds of a profile's changes (registered in ``apps.py``).
NOTIFY_SUBMITTED = "risk_profiles.profile.submitted"
NOTIFY_RETURNED = "risk_profiles.profile.returned"
NOTIFY_VERIFIED = "risk_profiles.profile.verified"


def _tell(actor, profile: RiskProfile, action: str, previous: str, comment: str) -> None:
    """Who waits for this change is told, in the change's transaction: a sent profile goes
    to the curators assigned to the school for the profile's year; a decision to the
    school's coordinators."""
    from django.conf import settings

    school, year = profile.school, profile.year
    url = profile.get_absolute_url()
    if action == "submit":
        curators = [u for u in users_granted(settings.PORTAL_CURATOR_PERM, school)
                    if rules.may_verify_profile(u, profile)]
        activated = profile.items.filter(activated=True).count()
        again = " после доработки" if previous == S.RETURNED else ""
        notify(curators, kind=NOTIFY_SUBMITTED, exclude=actor, region=profile.region, url=url,
               title=f"Риск-профиль на проверку: {school.short_name}, {year} год",
               body=f"Школа «{school.short_name}» отправила риск-профиль {year} года{again}: "
                    f"{count_phrase(activated, 'фактор риска', 'активированный')}.")
        return
    who = f"Куратор {actor.short_name}" if actor is not None else "Куратор"
    if action == "verify":
        kind, title = NOTIFY_VERIFIED, f"Риск-профиль {year} года подтверждён"
        body = f"{who} подтвердил риск-профиль школы «{school.short_name}» за {year} год."
        if comment:
            body += f"\nКомментарий: {comment}"
    elif action == "return":
        kind, title = NOTIFY_RETURNED, f"Риск-профиль {year} года возвращён на доработку"
        body = (f"{who} вернул риск-профиль школы «{school.short_name}» за {year} год.\n"
                f"Что исправить: {comment}")
    else:
        kind, title = NOTIFY_RETURNED, f"Риск-профиль {year} года разблокирован"
        body = (f"{who} разблокировал подтверждённый риск-профиль школы "
                f"«{school.short_name}» за {year} год: его можно изменить и снова отправить "
                f"на проверку.\nПричина: {comment}")
    notify(users_granted(settings.PORTAL_SCHOOL_COORDINATOR_PERM, school), kind=kind,
           exclude=actor, region=profile.region, url=url, title=title, body=body)
