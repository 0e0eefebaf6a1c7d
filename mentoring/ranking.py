"""Which mentor schools the portal suggests, in what order and why: a pure function over
plain values (no database), so its ordering can be tested on its own.

The order, lexicographic:

1. the school's own municipality first, then the other municipalities of the region;
2. for a ШССУ school, resilient schools (high ИОР despite a low ИСБ — a context like its
   own) before effective ones;
3. ИОР, higher first;
4. ИСБ closer to the school's (a similar social context); a mentor with an ИСБ comes
   before one without, when the school's own is known;
5. the name, for a stable order.

Schools with ``max_pairs`` pairs or more, and the school itself, are not suggested.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from core.text import count_phrase

#: ИСБ within this of the school's counts as «close».
ISB_CLOSE = Decimal("0.05")
EFFECTIVE, RESILIENT = "effective", "resilient"
_GROUP_ADJECTIVE = {EFFECTIVE: "эффективная", RESILIENT: "резильентная"}


@dataclass(frozen=True)
class Candidate:
    school_id: int
    name: str
    municipality_id: int
    municipality: str
    group: str
    ior: Decimal
    isb: Decimal | None
    pairs: int
    #: The school's public id (for the page's choice); not used in the ranking.
    public_id: object = None


@dataclass(frozen=True)
class Mentee:
    school_id: int
    municipality_id: int
    isb: Decimal | None
    is_shssu: bool


@dataclass(frozen=True)
class Suggestion:
    candidate: Candidate
    same_municipality: bool
    explanation: str

    @property
    def school_id(self) -> int:
        return self.candidate.school_id


def decimal_text(value: Decimal | None) -> str:
    """«0,82»: two decimals and a comma, as the lists print indices."""
    return "—" if value is None else f"{value:.2f}".replace(".", ",")


def _isb_distance(mentee: Mentee, c: Candidate) -> Decimal:
    if mentee.isb is None:
        return Decimal(0)
    return abs(c.isb - mentee.isb) if c.isb is not None else Decimal(10**6)


def sort_key(mentee: Mentee, c: Candidate) -> tuple:
    tier = 0 if c.municipality_id == mentee.municipality_id else 1
    context = (0 if c.group == RESILIENT else 1) if mentee.is_shssu else 0
    return (tier, context, -c.ior, _isb_distance(mentee, c), c.name, c.school_id)


def _ior_text(c: Candidate, iors: list[Decimal]) -> str:
    if len(iors) == 1:
        return f"ИОР {decimal_text(c.ior)} (единственный кандидат)"
    lower = sum(1 for ior in iors if ior < c.ior)
    if not lower:
        return f"ИОР {decimal_text(c.ior)} — не выше, чем у остальных кандидатов"
    return (f"ИОР {decimal_text(c.ior)} — выше, чем у {lower} из "
            f"{count_phrase(len(iors), 'кандидат', case='gent')}")


def _isb_text(mentee: Mentee, c: Candidate) -> str:
    if c.isb is None:
        return "ИСБ школы-наставника не известен"
    if mentee.isb is None:
        return f"ИСБ {decimal_text(c.isb)} (ИСБ школы не известен)"
    both = f"({decimal_text(c.isb)} и {decimal_text(mentee.isb)})"
    if abs(c.isb - mentee.isb) <= ISB_CLOSE:
        return f"ИСБ близок к ИСБ школы {both}"
    return f"ИСБ {'выше' if c.isb > mentee.isb else 'ниже'}, чем у школы {both}"


def explain(mentee: Mentee, c: Candidate, iors: list[Decimal], max_pairs: int) -> str:
    """«резильентная школа того же муниципалитета; ИОР 0,82 — выше, чем у 9 из 10
    кандидатов; ИСБ близок к ИСБ школы (0,41 и 0,38); пар: 1 из 3»."""
    where = ("того же муниципалитета" if c.municipality_id == mentee.municipality_id
             else f"соседнего муниципалитета ({c.municipality})")
    return "; ".join((f"{_GROUP_ADJECTIVE.get(c.group, c.group)} школа {where}",
                      _ior_text(c, iors), _isb_text(mentee, c),
                      f"пар: {c.pairs} из {max_pairs}"))


def rank_mentors(mentee: Mentee, candidates, *, max_pairs: int) -> list[Suggestion]:
    """The candidates that may take ``mentee`` (not itself, fewer than ``max_pairs``
    pairs, of a mentor group, with an ИОР), best first, each with its explanation; the
    «выше, чем у k из n» of the explanation counts among these same candidates."""
    eligible = [c for c in candidates
                if c.school_id != mentee.school_id and c.pairs < max_pairs
                and c.group in _GROUP_ADJECTIVE and c.ior is not None]
    iors = [c.ior for c in eligible]
    ranked = sorted(eligible, key=lambda c: sort_key(mentee, c))
    return [Suggestion(candidate=c, same_municipality=c.municipality_id ==
                       mentee.municipality_id, explanation=explain(mentee, c, iors, max_pairs))
            for c in ranked]
