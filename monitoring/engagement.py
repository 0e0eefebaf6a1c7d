"""The arithmetic of seed 000, table 3, with nothing else in it.

content = plan-schedule expertise (0–6) + concept-document expertise (0–5);
organisation = curator work (0–3) + one-school curators (0/1) + first survey (−1/0)
+ sharing experience (0/1);
total = content × 100 + organisation (max 1105); final = total × activation share.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .models import EngagementComponent

Code = EngagementComponent.Code


@dataclass(frozen=True)
class Part:
    code: str
    low: Decimal
    high: Decimal
    #: Whole points (all but the activation share, which is a fraction 0–1).
    whole: bool = True

    @property
    def label(self) -> str:
        return Code(self.code).label


PARTS: tuple[Part, ...] = (
    Part(Code.PLAN, Decimal(0), Decimal(6)),
    Part(Code.DOCUMENTS, Decimal(0), Decimal(5)),
    Part(Code.CURATOR_WORK, Decimal(0), Decimal(3)),
    Part(Code.ONE_SCHOOL, Decimal(0), Decimal(1)),
    Part(Code.SURVEY, Decimal(-1), Decimal(0)),
    Part(Code.SHARING, Decimal(0), Decimal(1)),
    Part(Code.ACTIVATION, Decimal(0), Decimal(1), whole=False),
)
PART = {p.code: p for p in PARTS}
CONTENT = (Code.PLAN, Code.DOCUMENTS)
ORGANISATION = (Code.CURATOR_WORK, Code.ONE_SCHOOL, Code.SURVEY, Code.SHARING)
CONTENT_MAX = 11
ORGANISATION_MAX = 5
TOTAL_MAX = CONTENT_MAX * 100 + ORGANISATION_MAX  # 1105


@dataclass(frozen=True)
class Totals:
    content: Decimal
    organisation: Decimal
    total: Decimal
    final: Decimal


def check_value(code: str, value: Decimal) -> str | None:
    """The Russian message for a value out of the component's range, else None."""
    part = PART[code]
    if not part.low <= value <= part.high:
        return (f"«{part.label}»: допустимо от {number_text(part.low)} до "
                f"{number_text(part.high)}, введено {number_text(value)}.")
    if part.whole and value != value.to_integral_value():
        return f"«{part.label}»: значение должно быть целым числом баллов."
    return None


def totals(values: Mapping[str, Decimal | int]) -> Totals:
    """Table 3 from one value per component (every component required)."""
    v = {code: Decimal(values[code]) for code in PART}
    for code, value in v.items():
        problem = check_value(code, value)
        if problem:
            raise ValueError(problem)
    content = sum((v[c] for c in CONTENT), Decimal(0))
    organisation = sum((v[c] for c in ORGANISATION), Decimal(0))
    total = content * 100 + organisation
    final = (total * v[Code.ACTIVATION]).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return Totals(content, organisation, total, final)


def points_of(scale: list, percent: float | None) -> int | None:
    """The points a share earns on a stored scale ([[from %, points], …], going down)."""
    if percent is None:
        return None
    for threshold, points in scale:
        if percent >= threshold:
            return int(points)
    return 0


def number_text(value) -> str:
    """1.0000 → «1», 0.9500 → «0,95», None → «» (messages and form fields)."""
    number = EngagementComponent.as_number(value)
    return "" if number is None else str(number).replace(".", ",")
