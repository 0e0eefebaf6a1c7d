"""What the portal proposes for each engagement component of a region and year.

System reads (the nightly task has no user): every query is bounded by the region given.
One fixed set of aggregate queries per region — a few per plan-schedule stage — never a
loop over schools or documents in Python.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from core.models import Region
from curators import facts as curator_facts
from risk_profiles import facts as risk_facts
from roadmaps import facts as roadmap_facts
from schools import facts as school_facts

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
    participants = school_facts.participants(year, region=region).values("school_id")
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
    stages = roadmap_facts.stages_due(region, year, day)
    if not stages:
        return Proposal(None, f"В план-графике {year} г. нет этапов со сроком до "
                              f"{day:%d.%m.%Y}: предложить балл не из чего.")
    if not count:
        return Proposal(None, f"Нет школ — участниц проекта {year} г.")
    rows = []
    for stage in stages:
        rows.append({"title": stage.title, "due_on": stage.due_on.isoformat(),
                     "on_time": roadmap_facts.schools_meeting(stage, year, participants,
                                                              _end_of(stage.due_on))})
    on_time = sum(r["on_time"] for r in rows)
    cells = count * len(stages)
    percent = _pct(on_time, cells)
    points = points_of(rules.plan_scale, percent)
    basis = (f"Этапов со сроком до {day:%d.%m.%Y}: {len(stages)}; школ-участниц: {count}. "
             f"Выполнено в срок {on_time} из {cells} ({_fmt(percent)}) → {points} б. по шкале "
             f"{year} г.")
    return Proposal(Decimal(points), basis, {"stages": rows, "percent": percent})


def _documents(region, year, rules) -> Proposal:
    found = curator_facts.expertise(region, year)
    if found is None:
        return Proposal(None, f"Экспертный лист {year} г. не заведён.")
    maximum = found.maximum
    agg = {"n": found.sheets, "mean": found.mean, "red": found.red, "yellow": found.yellow,
           "green": found.green}
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
    # the school's own curator decided on its documents or logged work about it
    curated, worked = curator_facts.curator_work(participants, year)
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
    # one school among all its assignments, co-curated ones included
    single = curator_facts.with_single_school_curator(participants, year)
    percent = _pct(single, count)
    meets = single * 100 > rules.one_school_threshold * count
    basis = (f"Школ, у куратора которых одна школа: {single} из {count} ({_fmt(percent)}); "
             f"порог — больше {rules.one_school_threshold} % → {1 if meets else 0} б.")
    return Proposal(Decimal(1 if meets else 0), basis,
                    {"single": single, "participants": count, "percent": percent})


def _activation(year, participants, count) -> Proposal:
    if not count:
        return Proposal(None, f"Нет школ — участниц проекта {year} г.")
    activated = risk_facts.with_activated_risks(participants, year)
    share = (Decimal(activated) / Decimal(count)).quantize(Decimal("0.0001"),
                                                           rounding=ROUND_HALF_UP)
    basis = (f"Школ-участниц, передавших риск-профиль с активированными рисками: {activated} "
             f"из {count} → доля {share.normalize():f}".replace(".", ",") + ".")
    return Proposal(share, basis, {"activated": activated, "participants": count})


def _documents_posted(year, participants, count) -> Decimal | None:
    if not count:
        return None
    both = roadmap_facts.schools_with_posted(participants, year, CONCEPT_KINDS)
    return (Decimal(both * 100) / Decimal(count)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP)
