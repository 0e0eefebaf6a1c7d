"""Every write of the monitoring app: one transaction, one audit entry, permission checked."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core import audit
from core.exceptions import DomainError
from core.jobs import Job, job_start
from core.models import Region

from . import engagement, rules
from .models import EngagementComponent, EngagementRules, EngagementScore
from .proposals import propose

Code = EngagementComponent.Code

as_number = EngagementComponent.as_number  # 2.0000 → 2, 0.9500 → 0.95


def _publish_state(score: EngagementScore, now) -> None:
    """Fill the published figures from confirmed values, or clear them."""
    values = {c.code: c.value for c in score.components.all()}
    if all(values.get(code) is not None for code in engagement.PART):
        t = engagement.totals(values)
        score.content, score.organisation, score.total, score.final = (
            t.content, t.organisation, t.total, t.final)
        score.published_at = score.published_at or now
    else:
        score.content = score.organisation = score.total = score.final = None
        score.published_at = None
    score.save(update_fields=["content", "organisation", "total", "final", "published_at"])


def _score_for_update(region: Region, year: int) -> EngagementScore:
    score, _ = EngagementScore.objects.get_or_create(region=region, year=year)
    score = EngagementScore.objects.select_for_update().get(pk=score.pk)
    existing = set(score.components.values_list("code", flat=True))
    EngagementComponent.objects.bulk_create(
        [EngagementComponent(score=score, code=code) for code in engagement.PART
         if code not in existing])
    return score


@transaction.atomic
def engagement_recompute(*, actor, region: Region, year: int,
                         day: datetime.date | None = None) -> EngagementScore:
    """Refresh the portal's proposals of a region's year; confirmed values stay as they are
    (a proposal that moved since confirmation is flagged on the page)."""
    if actor is not None:
        rules.ensure(rules.may_recompute(actor, region))
    found = propose(region, year, day=day)
    score = _score_for_update(region, year)
    changed = {}
    for component in score.components.all():
        proposal = found.parts[component.code]
        if component.proposed != proposal.value:
            changed[component.code] = [engagement.PART[component.code].label,
                                       as_number(component.proposed), as_number(proposal.value)]
        component.proposed = proposal.value
        component.basis = proposal.basis
        component.details = proposal.details
        component.save(update_fields=["proposed", "basis", "details"])
    score.computed_at = timezone.now()
    score.documents_posted = found.documents_posted
    score.save(update_fields=["computed_at", "documents_posted"])
    audit.record(actor, "monitoring.engagement.recomputed", score,
                 {"year": year, "changed": changed})
    return score


def engagement_recompute_start(*, actor, region: Region, year: int) -> Job:
    rules.ensure(rules.may_recompute(actor, region))
    return job_start(actor=actor, kind="monitoring.engagement_recompute", region=region,
                     params={"year": year})


def parse_value(raw) -> Decimal:
    text = str(raw).strip().replace(",", ".").replace("−", "-")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise DomainError(f"«{raw}» — не число.") from None
    if not value.is_finite():
        raise DomainError(f"«{raw}» — не число.")
    return value


@transaction.atomic
def component_confirm(*, actor, component: EngagementComponent, value: Decimal,
                      reason: str = "") -> EngagementComponent:
    """Confirm the proposal or set another value. A value other than the proposal (or where
    the portal proposes nothing) needs a reason; both are kept in the audit."""
    score = EngagementScore.objects.select_for_update().get(pk=component.score_id)
    rules.ensure(rules.may_confirm(actor, score))
    component = EngagementComponent.objects.select_for_update().get(pk=component.pk)
    problem = engagement.check_value(component.code, value)
    if problem:
        raise DomainError(problem)
    reason = reason.strip()
    if value != component.proposed and not reason:
        raise DomainError(
            "Укажите обоснование: значение отличается от предложенного порталом."
            if component.proposed is not None else
            "Укажите обоснование: портал не предлагает значения, укажите источник данных.")
    before = {"value": as_number(component.value), "reason": component.reason}
    component.value = value
    component.reason = reason
    component.confirmed_by = actor
    component.confirmed_at = timezone.now()
    component.confirmed_proposal = component.proposed
    component.save(update_fields=["value", "reason", "confirmed_by", "confirmed_at",
                                  "confirmed_proposal"])
    _publish_state(score, component.confirmed_at)
    audit.record(actor, "monitoring.engagement.confirmed", score, {
        "component": component.get_code_display(), "before": before,
        "value": as_number(value), "proposed": as_number(component.proposed), "reason": reason})
    return component


@transaction.atomic
def proposals_confirm(*, actor, score: EngagementScore) -> int:
    """Confirm every not yet confirmed component that has a proposal, as proposed."""
    score = EngagementScore.objects.select_for_update().get(pk=score.pk)
    rules.ensure(rules.may_confirm(actor, score))
    now = timezone.now()
    done = []
    for component in score.components.filter(value__isnull=True, proposed__isnull=False):
        component.value = component.confirmed_proposal = component.proposed
        component.reason = ""
        component.confirmed_by, component.confirmed_at = actor, now
        component.save(update_fields=["value", "reason", "confirmed_by", "confirmed_at",
                                      "confirmed_proposal"])
        done.append(component.get_code_display())
    if not done:
        raise DomainError("Нечего подтверждать: все предложения уже подтверждены или "
                          "портал не предлагает значений.")
    _publish_state(score, now)
    audit.record(actor, "monitoring.engagement.proposals_confirmed", score,
                 {"components": done})
    return len(done)


@transaction.atomic
def rules_save(*, actor, year: int, plan_scale: list, documents_scale: list,
               curator_scale: list, one_school_threshold: int) -> EngagementRules:
    """The methodology of a year is national: administrators only."""
    methodology = EngagementRules.objects.select_for_update().filter(year=year).first() \
        or EngagementRules(year=year)
    rules.ensure(rules.may_change_rules(actor, methodology))
    before = {f: getattr(methodology, f) for f in
              ("plan_scale", "documents_scale", "curator_scale", "one_school_threshold")}
    methodology.plan_scale, methodology.documents_scale = plan_scale, documents_scale
    methodology.curator_scale = curator_scale
    methodology.one_school_threshold = one_school_threshold
    methodology.updated_by = actor
    try:
        methodology.full_clean()
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages)) from None
    for name, scale, top in (("план-графика", plan_scale, 6), ("экспертизы", documents_scale, 5),
                             ("работы кураторов", curator_scale, 3)):
        if any(not 0 <= points <= top for _, points in scale):
            raise DomainError(f"Баллы шкалы {name} должны быть от 0 до {top}.")
    if not 0 <= one_school_threshold <= 100:
        raise DomainError("Порог доли школ должен быть от 0 до 100 %.")
    methodology.save()
    audit.record(actor, "monitoring.rules.saved", methodology,
                 {"year": year, "before": before})
    return methodology


def report_start(*, actor, kind: str, region: Region | None, filters: dict,
                 place=None, description: str = "") -> Job:
    """A PDF or Excel report of exactly the filtered dashboard, as a background job; the
    right is checked on the narrowest place of the filter (a municipality, a region)."""
    params = {"filters": filters} | ({"description": description} if description else {})
    return job_start(actor=actor, kind=kind, region=region, params=params, place=place)
