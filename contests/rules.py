"""The contest's rules that both reads and writes apply: conflict of interest, the weighted
score of a review and the ranking with ties. Pure functions of rows already loaded."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from methodists.models import Methodist

from .models import Application


def conflict(methodist: Methodist, application: Application) -> str | None:
    """Why ``methodist`` may not score ``application``, or ``None``: nobody scores an
    application of its own school or of its own municipality."""
    if methodist.school_id and methodist.school_id == application.school_id:
        return "работает в школе-заявителе"
    if methodist.municipality_id == application.municipality_id:
        return f"из того же муниципалитета ({application.municipality.name})"
    return None


def unavailable(methodist: Methodist) -> str | None:
    """Why ``methodist`` cannot score at all (left the pool, no portal account)."""
    if methodist.status != Methodist.Status.ACTIVE:
        return methodist.get_status_display()
    if methodist.user_id is None:
        return "нет учётной записи на портале"
    return None


def weighted(values: Iterable[tuple[object, int]]) -> Fraction | None:
    """The weighted mean Σ(w·s)/Σw of one review's (weight, score) pairs, exactly."""
    total = weight_sum = Fraction(0)
    for weight, value in values:
        w = Fraction(str(weight))
        total += w * value
        weight_sum += w
    return total / weight_sum if weight_sum else None


@dataclass
class Ranked:
    application: Application
    score: Fraction | None
    reviews: int
    assigned: int
    rank: int | None = None
    rank_to: int | None = None  # the last position a tie shares
    tied: bool = False
    scores: list = field(default_factory=list)

    @property
    def rank_label(self) -> str:
        if self.rank is None:
            return "—"
        return f"{self.rank}–{self.rank_to}" if self.tied else str(self.rank)

    @property
    def score_label(self) -> str:
        if self.score is None:
            return "—"
        return f"{float(self.score):.2f}".replace(".", ",")


def rank(rows: Sequence[Ranked]) -> list[Ranked]:
    """Order by score (highest first); equal scores share their positions («2–3»); rows
    without a score come last, unranked."""
    scored = sorted((r for r in rows if r.score is not None), key=lambda r: -r.score)
    position = 0
    while position < len(scored):
        end = position
        while end + 1 < len(scored) and scored[end + 1].score == scored[position].score:
            end += 1
        for row in scored[position:end + 1]:
            row.rank, row.rank_to, row.tied = position + 1, end + 1, end > position
        position = end + 1
    rest = sorted((r for r in rows if r.score is None),
                  key=lambda r: r.application.school.short_name)
    return scored + rest
