"""The mentor ranking on its own: plain values in, an order and explanations out."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from mentoring.ranking import Candidate, Mentee, rank_mentors

D = Decimal


def _c(pk, municipality, group, ior, isb, pairs=0, name=None):
    return Candidate(school_id=pk, name=name or f"Школа {pk}", municipality_id=municipality,
                     municipality=f"Район {municipality}", group=group, ior=D(ior),
                     isb=None if isb is None else D(isb), pairs=pairs)


MENTEE = Mentee(school_id=1, municipality_id=10, isb=D("0.38"), is_shssu=False)


def test_same_municipality_first_then_by_ior():
    ranked = rank_mentors(MENTEE, [
        _c(2, 20, "effective", "0.95", "0.70"),  # neighbour, best ИОР
        _c(3, 10, "effective", "0.70", "0.60"),
        _c(4, 10, "resilient", "0.82", "0.41"),
        _c(5, 20, "resilient", "0.60", "0.30"),
    ], max_pairs=3)
    assert [s.school_id for s in ranked] == [4, 3, 2, 5]
    assert [s.same_municipality for s in ranked] == [True, True, False, False]


def test_explanation_text_is_computed_from_the_candidates():
    ranked = rank_mentors(MENTEE, [
        _c(4, 10, "resilient", "0.82", "0.41", pairs=1),
        _c(3, 10, "effective", "0.70", "0.60"),
        _c(2, 20, "effective", "0.95", "0.70"),
        _c(5, 20, "resilient", "0.60", "0.30"),
    ], max_pairs=3)
    by_id = {s.school_id: s.explanation for s in ranked}
    # 0.82 is above 0.70 and 0.60: 2 of the 4 candidates
    assert by_id[4] == ("резильентная школа того же муниципалитета; ИОР 0,82 — выше, чем у "
                        "2 из 4 кандидатов; ИСБ близок к ИСБ школы (0,41 и 0,38); "
                        "пар: 1 из 3")
    assert by_id[2] == ("эффективная школа соседнего муниципалитета (Район 20); ИОР 0,95 — "
                        "выше, чем у 3 из 4 кандидатов; ИСБ выше, чем у школы (0,70 и "
                        "0,38); пар: 0 из 3")
    assert by_id[5].startswith("резильентная школа соседнего муниципалитета (Район 20); "
                               "ИОР 0,60 — не выше, чем у остальных кандидатов; ИСБ ниже, "
                               "чем у школы (0,30 и 0,38)")


def test_one_candidate_and_agreement_of_the_count():
    ranked = rank_mentors(MENTEE, [_c(2, 10, "effective", "0.9", "0.4")], max_pairs=3)
    assert "ИОР 0,90 (единственный кандидат)" in ranked[0].explanation
    two = rank_mentors(MENTEE, [_c(2, 10, "effective", "0.9", "0.4"),
                                _c(3, 10, "effective", "0.5", "0.4")], max_pairs=3)
    assert "выше, чем у 1 из 2 кандидатов" in two[0].explanation
    many = [_c(100 + i, 10, "effective", f"0.{10 + i}", "0.4") for i in range(21)]
    top = rank_mentors(MENTEE, many, max_pairs=3)[0]
    assert "выше, чем у 20 из 21 кандидата" in top.explanation


def test_full_mentors_the_school_itself_and_other_groups_are_skipped():
    ranked = rank_mentors(MENTEE, [
        _c(1, 10, "effective", "0.99", "0.4"),  # the school itself
        _c(2, 10, "effective", "0.90", "0.4", pairs=3),  # at the limit
        _c(3, 10, "struggling", "0.95", "0.6"),
        _c(4, 10, "effective", "0.60", "0.4", pairs=2),
    ], max_pairs=3)
    assert [s.school_id for s in ranked] == [4]
    assert ranked[0].explanation.endswith("пар: 2 из 3")


def test_for_a_shssu_school_resilient_come_before_effective():
    shssu = Mentee(school_id=1, municipality_id=10, isb=D("0.20"), is_shssu=True)
    ranked = rank_mentors(shssu, [
        _c(2, 10, "effective", "0.95", "0.80"),
        _c(3, 10, "resilient", "0.70", "0.25"),
        _c(4, 20, "resilient", "0.99", "0.20"),
    ], max_pairs=3)
    assert [s.school_id for s in ranked] == [3, 2, 4]


def test_equal_ior_is_decided_by_closeness_of_isb():
    ranked = rank_mentors(MENTEE, [
        _c(2, 10, "effective", "0.80", "0.90"),
        _c(3, 10, "effective", "0.80", "0.40"),
        _c(4, 10, "effective", "0.80", None),
    ], max_pairs=3)
    assert [s.school_id for s in ranked] == [3, 2, 4]
    assert "ИСБ школы-наставника не известен" in ranked[2].explanation


candidates = st.lists(st.builds(
    _c, pk=st.integers(1, 60), municipality=st.sampled_from([10, 20, 30]),
    group=st.sampled_from(["effective", "resilient", "struggling"]),
    ior=st.decimals(min_value=0, max_value=1, places=3).map(str),
    isb=st.one_of(st.none(), st.decimals(min_value=0, max_value=1, places=3).map(str)),
    pairs=st.integers(0, 4)), max_size=25, unique_by=lambda c: c.school_id)


@settings(max_examples=200, deadline=None)
@given(candidates, st.booleans(), st.integers(1, 4))
def test_ordering_invariants(pool, is_shssu, max_pairs):
    mentee = Mentee(school_id=1, municipality_id=10, isb=D("0.4"), is_shssu=is_shssu)
    ranked = rank_mentors(mentee, pool, max_pairs=max_pairs)
    ids = [s.school_id for s in ranked]
    expected = {c.school_id for c in pool if c.school_id != 1 and c.pairs < max_pairs
                and c.group in ("effective", "resilient")}
    assert sorted(ids) == sorted(expected)  # exactly the eligible, each once
    tiers = [0 if s.same_municipality else 1 for s in ranked]
    assert tiers == sorted(tiers)  # own municipality before the neighbours
    for a, b in zip(ranked, ranked[1:], strict=False):
        ca, cb = a.candidate, b.candidate
        if a.same_municipality != b.same_municipality:
            continue
        if is_shssu and ca.group != cb.group:
            assert ca.group == "resilient"  # resilient first for a ШССУ school
        elif not is_shssu or ca.group == cb.group:
            assert ca.ior >= cb.ior  # higher ИОР first within a tier
    for s in ranked:
        assert s.explanation.endswith(f"пар: {s.candidate.pairs} из {max_pairs}")
