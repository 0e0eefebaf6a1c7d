"""How the portal computes an indicator from the other apps' published facts (never their
models). Each computation takes the programme's schools of a territory and a year and
returns the value with its parts and the schools behind it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from schools import facts as school_facts
from training import facts as training_facts


@dataclass(frozen=True)
class Computed:
    value: Decimal | None
    basis: str
    numerator: int | None = None
    denominator: int | None = None
    school_ids: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Computation:
    key: str
    label: str  # which facts it reads, said to the user
    run: Callable[[list[int], int], Computed]


def _share(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _index(value) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _ior_dynamics(school_ids: list[int], year: int) -> Computed:
    dynamics = school_facts.ior_dynamics(school_ids, year)
    compared, improved = len(dynamics.compared), len(dynamics.improved)
    if not compared:
        return Computed(None, f"Нет школ с ИОР за {year - 1} и {year} гг.: сравнить не с чем.",
                        school_ids=sorted(school_ids))
    return Computed(_share(improved, compared),
                    f"ИОР вырос с {year - 1} по {year} г. у {improved} из {compared} "
                    f"ШНОР и ШССУ с индексом за оба года.",
                    improved, compared, sorted(dynamics.improved))


def _mean(which: str) -> Callable[[list[int], int], Computed]:
    def run(school_ids: list[int], year: int) -> Computed:
        ior, isb = school_facts.mean_indices(school_ids, year)
        value = _index(ior if which == "ior" else isb)
        name = "ИОР" if which == "ior" else "ИСБ"
        if value is None:
            return Computed(None, f"Нет школ с {name} за {year} г.", school_ids=sorted(school_ids))
        return Computed(value, f"Средний {name} {len(school_ids)} ШНОР и ШССУ за {year} г.",
                        school_ids=sorted(school_ids))
    return run


def _routes(school_ids: list[int], year: int) -> Computed:
    staff, with_route = training_facts.staff_with_routes(school_ids, year)
    if not staff:
        return Computed(None, "В кадровых сведениях этих школ нет работающих педагогов.",
                        school_ids=sorted(school_ids))
    return Computed(_share(with_route, staff),
                    f"ИОМ {year} г. по выявленным дефицитам есть у {with_route} из {staff} "
                    f"работающих педагогов и руководителей ШНОР и ШССУ.",
                    with_route, staff, sorted(school_ids))


def _paired(school_ids: list[int], year: int) -> Computed:
    from mentoring import facts as mentoring_facts

    if not school_ids:
        return Computed(None, "В территории нет ШНОР и ШССУ.")
    paired = mentoring_facts.paired_schools(school_ids, year)
    return Computed(_share(len(paired), len(school_ids)),
                    f"В сетевой паре со школой-наставником в {year} г. — {len(paired)} из "
                    f"{len(school_ids)} ШНОР и ШССУ.",
                    len(paired), len(school_ids), sorted(paired))


COMPUTATIONS: dict[str, Computation] = {c.key: c for c in (
    Computation("ior_mean", "средний ИОР школ (перечни школ)", _mean("ior")),
    Computation("isb_mean", "средний ИСБ школ (перечни школ)", _mean("isb")),
    Computation("ior_dynamics", "ИОР школ за этот и прошлый год (перечни школ)",
                _ior_dynamics),
    Computation("route_share", "ИОМ с дефицитами и кадровые сведения (обучение)", _routes),
    Computation("paired_share", "сетевые пары со школами-наставниками (менторство)", _paired),
)}
