"""The suggestions on real rows, and the published fact ``paired_schools``."""

from __future__ import annotations

import datetime

from mentoring.facts import paired_schools
from mentoring.selectors import mentor_suggestions
from tests.mentoring.conftest import bare_pair

TODAY = datetime.date(2022, 6, 1)


def test_suggestions_rank_and_explain(mentoring):
    s = mentoring
    bare_pair(s.world.school2, s.effective)  # one pair of «Эффективная a»
    got = mentor_suggestions(s.school, 2022, day=TODAY)
    assert [x.candidate.name for x in got] == ["Резильентная a", "Эффективная a", "Соседняя a"]
    # ИОР 0,82 is above 0,70 of the three (0,95, 0,82, 0,70): one of them
    assert got[0].explanation == ("резильентная школа того же муниципалитета; ИОР 0,82 — выше, "
                                  "чем у 1 из 3 кандидатов; ИСБ близок к ИСБ школы (0,41 и "
                                  "0,38); пар: 0 из 3")
    assert got[1].explanation.endswith("ИСБ выше, чем у школы (0,60 и 0,38); пар: 1 из 3")
    assert got[2].explanation.startswith("эффективная школа соседнего муниципалитета (Район "
                                         "a-2); ИОР 0,95 — выше, чем у 2 из 3 кандидатов")


def test_suggestions_skip_full_mentors_and_the_mentor_already_paired(mentoring, settings):
    s = mentoring
    settings.PORTAL_MENTOR_MAX_PAIRS = 1
    bare_pair(s.world.school2, s.effective)  # «Эффективная a» is full
    bare_pair(s.school, s.neighbour)  # already a1's mentor
    bare_pair(s.world.school_other, s.resilient, status="ended",
              end_on=datetime.date(2022, 4, 1))  # an ended pair frees its place
    got = mentor_suggestions(s.school, 2022, day=TODAY)
    assert [x.candidate.name for x in got] == ["Резильентная a"]
    assert got[0].explanation.endswith("ИОР 0,82 (единственный кандидат); ИСБ близок к ИСБ "
                                       "школы (0,41 и 0,38); пар: 0 из 1")


def test_a_pair_past_its_planned_end_does_not_count(mentoring, settings):
    s = mentoring
    settings.PORTAL_MENTOR_MAX_PAIRS = 1
    bare_pair(s.world.school2, s.effective, end_on=datetime.date(2022, 5, 31))
    names = [x.candidate.name for x in mentor_suggestions(s.school, 2022, day=TODAY)]
    assert "Эффективная a" in names


def test_paired_schools_counts_pairs_active_in_the_calendar_year(mentoring):
    s, w = mentoring, mentoring.world
    bare_pair(w.school1, s.resilient, start_on=datetime.date(2021, 9, 1),
              end_on=datetime.date(2022, 1, 1), status="ended")  # ends on 01.01.2022
    bare_pair(w.school2, s.effective, start_on=datetime.date(2022, 12, 31))  # starts 31.12
    bare_pair(w.school_other, s.neighbour, start_on=datetime.date(2020, 1, 1),
              end_on=datetime.date(2021, 12, 31), status="ended")  # over before 2022
    ids = [w.school1.pk, w.school2.pk, w.school_other.pk, s.effective.pk]
    assert paired_schools(ids, 2022) == {w.school1.pk, w.school2.pk}
    assert paired_schools(ids, 2021) == {w.school1.pk, w.school_other.pk}
    assert paired_schools(ids, 2023) == {w.school2.pk}
    assert paired_schools([w.school2.pk], 2022) == {w.school2.pk}
    assert paired_schools([], 2022) == set()
    # the mentor is not «paired» by this fact: it helps, it is not helped
    assert paired_schools([s.effective.pk, s.resilient.pk], 2022) == set()
