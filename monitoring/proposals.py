"""What the portal proposes for each engagement component of a region and year.

System reads (the nightly task has no user): every query is bounded by the region given.
One fixed set of aggregate queries per region — a few per plan-schedule stage — never a
loop over schools or documents in Python.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Exists, F, Max, OuterRef, Q
from django.utils import timezone

from core.models import Region
from curators.models import CuratorAssignment, ExpertiseScheme, ExpertiseSheet, WorkLogEntry
from risk_profiles.models import RiskProfile
from roadmaps.facts import confirmed_measure_q
from roadmaps.models import Document, PlanStage, Review, Roadmap, RoadmapItem
from schools.models import SchoolYear

from .engagement import points_of
from .models import EngagementComponent, EngagementRules

Code = EngagementComponent.Code
CONCEPT_KINDS = ("concept", "midterm")


@dataclass
class Proposal:
    value: Decimal | None
    basis: str
    details: dict = field(default_factory=dict)


@dataclass
class Proposals:
    parts: dict[str, Proposal]
    documents_posted: Decimal | None


def rules_of(year: int) -> EngagementRules:
    """The year's stored rules, or the methodology's defaults (unsaved) when none."""
    return EngagementRules.objects.filter(year=year).first() or EngagementRules(year=year)


def _pct(part: int, whole: int) -> float | None:
    return round(part * 100 / whole, 1) if whole else None


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}".replace(".", ",") + " %"


def _end_of(day: datetime.date) -> datetime.datetime:
    """The first moment after ``day`` in the portal's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1),
                                                         datetime.time.min))


def propose(region: Region, year: int, *, day: datetime.date | None = None) -> Proposals:
    day = day or timezone.localdate()
    rules = rules_of(year)
    participants = SchoolYear.objects.filter(region=region, year=year,
                                             is_participant=True).values("school_id")
    count = participants.count()
    parts = {
        Code.PLAN: _plan(region, year, day, participants, count, rules),
        Code.DOCUMENTS: _documents(region, year, rules),
        Code.CURATOR_WORK: _curator_work(year, participants, count, rules),
        Code.ONE_SCHOOL: _one_school(year, participants, count, rules),
        Code.SURVEY: Proposal(None, "Сведений об опросе участников в портале нет: введите "
                                    "значение по итогам опроса (−1, если на отчётную дату "
                                    "опрос охватил не всех участников проекта, иначе 0)."),
        Code.SHARING: Proposal(None, "Сведений о трансляции опыта в портале нет: введите 1, "
                                     "если регион представил опыт (конференция, публикации, "
                                     "конкурс «Наша история успеха»), иначе 0."),
        Code.ACTIVATION: _activation(year, participants, count),
    }
    return Proposals(parts, _documents_posted(year, participants, count))


def _plan(region, year, day, participants, count, rules) -> Proposal:
    stages = list(PlanStage.objects.filter(region=region, year=year, due_on__lte=day)
                  .order_by("due_on", "position", "pk"))
    if not stages:
        return Proposal(None, f"В план-графике {year} г. нет этапов со сроком до "
                              f"{day:%d.%m.%Y}: предложить балл не из чего.")
    if not count:
        return Proposal(None, f"Нет школ — участниц проекта {year} г.")
    rows = []
    for stage in stages:
        rows.append({"title": stage.title, "due_on": stage.due_on.isoformat(),
                     "on_time": _stage_on_time(stage, year, participants)})
    on_time = sum(r["on_time"] for r in rows)
    cells = count * len(stages)
    percent = _pct(on_time, cells)
    points = points_of(rules.plan_scale, percent)
    basis = (f"Этапов со сроком до {day:%d.%m.%Y}: {len(stages)}; школ-участниц: {count}. "
             f"Выполнено в срок {on_time} из {cells} ({_fmt(percent)}) → {points} б. по шкале "
             f"{year} г.")
    return Proposal(Decimal(points), basis, {"stages": rows, "percent": percent})


def _stage_on_time(stage: PlanStage, year: int, participants) -> int:
    """Participant schools that met the stage by its due date (one aggregate query)."""
    deadline = _end_of(stage.due_on)
    if stage.rule == PlanStage.Rule.RISK_PROFILE:
        return (RiskProfile.objects.filter(school_id__in=participants, year=year,
                                           status=RiskProfile.Status.VERIFIED)
                .filter(Q(reviewed_at__lt=deadline) | Q(reviewed_at__isnull=True))
                .values("school_id").distinct().count())
    if stage.rule == PlanStage.Rule.DOCUMENTS:
        return (Document.objects.filter(school_id__in=participants, year=year,
                                        kind__code=stage.kind_code).order_by()
                .values("school_id")
                .annotate(total=Count("pk"),
                          approved=Count("pk", filter=Q(status=Document.Status.APPROVED)),
                          last=Max("reviewed_at"))
                .filter(total=F("approved"), last__lt=deadline).count())
    confirmed = confirmed_measure_q()
    return (RoadmapItem.objects.filter(
        roadmap__school_id__in=participants, roadmap__level=Roadmap.Level.SCHOOL,
        roadmap__start_year=year, stage=stage, removed_at__isnull=True).order_by()
        .values("roadmap__school_id")
        .annotate(total=Count("pk"), done=Count("pk", filter=confirmed), last=Max("done_on"))
        .filter(total=F("done"), last__lte=stage.due_on).count())


def _documents(region, year, rules) -> Proposal:
    scheme = ExpertiseScheme.objects.filter(year=year).first()
    if scheme is None:
        return Proposal(None, f"Экспертный лист {year} г. не заведён.")
    maximum = scheme.max_points
    sheets = ExpertiseSheet.objects.filter(region=region, year=year,
                                           status=ExpertiseSheet.Status.PUBLISHED)
    agg = sheets.aggregate(
        n=Count("pk"), mean=Avg("total"),
        red=Count("pk", filter=Q(total__lte=scheme.red_max)),
        yellow=Count("pk", filter=Q(total__gt=scheme.red_max, total__lte=scheme.yellow_max)),
        green=Count("pk", filter=Q(total__gt=scheme.yellow_max)))
    if not agg["n"] or not maximum:
        return Proposal(None, f"Опубликованных экспертных листов {year} г. нет: выборочная "
                              "экспертиза ещё не проведена в портале.")
    mean = float(agg["mean"])
    percent = round(mean * 100 / maximum, 1)
    points = points_of(rules.documents_scale, percent)
    basis = (f"Опубликовано экспертных листов: {agg['n']} (зоны: красная {agg['red']}, "
             f"жёлтая {agg['yellow']}, зелёная {agg['green']}). Средний балл "
             f"{mean:.1f} из {maximum}".replace(".", ",")
             + f" ({_fmt(percent)}) → {points} б. по шкале {year} г.")
    return Proposal(Decimal(points), basis, {
        "sheets": agg["n"], "red": agg["red"], "yellow": agg["yellow"],
        "green": agg["green"], "mean": round(mean, 2), "max": maximum, "percent": percent})


def _curator_work(year, participants, count, rules) -> Proposal:
    if not count:
        return Proposal(None, f"Нет школ — участниц проекта {year} г.")
    active = CuratorAssignment.objects.filter(year=year, ended_at__isnull=True,
                                              school_id__in=participants)
    curated = active.values("school_id").distinct().count()
    # the school's own curator decided on its documents or logged work about it
    reviewed = Review.objects.filter(reviewer_id=OuterRef("curator_id"),
                                     version__document__school_id=OuterRef("school_id"),
                                     version__document__year=year)
    logged = WorkLogEntry.objects.filter(curator_id=OuterRef("curator_id"),
                                         school_id=OuterRef("school_id"), date__year=year)
    worked = (active.filter(Exists(reviewed) | Exists(logged))
              .values("school_id").distinct().count())
    percent = _pct(worked, count)
    points = points_of(rules.curator_scale, percent)
    basis = (f"Школ-участниц: {count}, с куратором: {curated}; куратор принимал решения по "
             f"документам или вёл журнал по школе в {year} г.: {worked} ({_fmt(percent)}) → "
             f"{points} б. по шкале {year} г.")
    return Proposal(Decimal(points), basis, {"participants": count, "curated": curated,
                                             "worked": worked, "percent": percent})


def _one_school(year, participants, count, rules) -> Proposal:
    if not count:
        return Proposal(None, f"Нет школ — участниц проекта {year} г.")
    every = CuratorAssignment.objects.filter(year=year, ended_at__isnull=True)
    active = every.filter(is_co_curator=False)
    # one school among all its assignments, co-curated ones included
    single_curators = (every.order_by().values("curator_id")
                       .annotate(n=Count("school", distinct=True))
                       .filter(n=1).values("curator_id"))
    single = (active.filter(school_id__in=participants, curator_id__in=single_curators)
              .values("school_id").distinct().count())
    percent = _pct(single, count)
    meets = single * 100 > rules.one_school_threshold * count
    basis = (f"Школ, у куратора которых одна школа: {single} из {count} ({_fmt(percent)}); "
             f"порог — больше {rules.one_school_threshold} % → {1 if meets else 0} б.")
    return Proposal(Decimal(1 if meets else 0), basis,
                    {"single": single, "participants": count, "percent": percent})


def _activation(year, participants, count) -> Proposal:
    if not count:
        return Proposal(None, f"Нет школ — участниц проекта {year} г.")
    activated = (RiskProfile.objects.filter(school_id__in=participants, year=year,
                                            items__activated=True)
                 .exclude(status=RiskProfile.Status.DRAFT)
                 .values("school_id").distinct().count())
    share = (Decimal(activated) / Decimal(count)).quantize(Decimal("0.0001"),
                                                           rounding=ROUND_HALF_UP)
    basis = (f"Школ-участниц, передавших риск-профиль с активированными рисками: {activated} "
             f"из {count} → доля {share.normalize():f}".replace(".", ",") + ".")
    return Proposal(share, basis, {"activated": activated, "participants": count})


def _documents_posted(year, participants, count) -> Decimal | None:
    if not count:
        return None
    posted = Document.objects.filter(school_id__in=participants, year=year).exclude(
        status=Document.Status.DRAFT)
    both = participants
    for code in CONCEPT_KINDS:
        both = both.filter(school_id__in=posted.filter(kind__code=code).values("school_id"))
    return (Decimal(both.count() * 100) / Decimal(count)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP)
