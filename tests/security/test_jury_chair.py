"""A jury chair's score correction keeps the conflict-of-interest rule (issue 22, item 8):
the chair may not correct a score of an application from its own school or municipality,
which it could never have scored itself."""

import pytest

from contests import services as s
from contests.models import Edition, Review
from tests.contests.test_contests import _apply, _edition, _first, _juror, _open, _score
from tests.factories import SchoolFactory

Stage = Edition.Stage


@pytest.fixture
def chaired(world_a):
    """The chair works in «Район a-1»; one application comes from there (scored by a juror
    of «Район a-2»), another from a third district."""
    edition = _open(world_a, _edition(world_a))
    nomination = _first(edition)
    own = _apply(edition, nomination, world_a.school1, title="Своя")
    third = _apply(edition, nomination, SchoolFactory(municipality=world_a.other_municipality),
                   title="Чужая")
    chair = _juror(world_a, world_a.municipality, "Председатель")
    outsider = _juror(world_a, world_a.other_municipality, "Эксперт")
    s.juror_add(actor=world_a.regional_staff, nomination=nomination, methodist=chair,
                is_chair=True)
    s.juror_add(actor=world_a.regional_staff, nomination=nomination, methodist=outsider)
    s.assignments_auto(actor=world_a.regional_staff, nomination=nomination)
    s.edition_advance(actor=world_a.regional_staff, edition=edition,
                      expected=Stage.APPLICATIONS)
    return nomination, own, third, chair, outsider


def test_the_chair_may_not_correct_a_score_of_its_own_municipality(chaired):
    nomination, own, third, chair, outsider = chaired
    assert not own.assignments.filter(juror__methodist=chair).exists()  # the rule at work
    review = _score(outsider, own, [5, 5, 5, 5, 5])
    values = {c.pk: (9, "") for c in nomination.criteria.all()}
    with pytest.raises(s.ContestError, match="конфликт интересов"):
        s.review_correct(actor=chair.user, review=review, values=values, reason="Пересмотр")
    assert set(Review.objects.get(pk=review.pk).scores.values_list("value", flat=True)) == {5}


def test_the_chair_still_corrects_other_applications(chaired):
    nomination, own, third, chair, outsider = chaired
    # «Чужая» is from the outsider's own district: only the chair scores it
    assert not third.assignments.filter(juror__methodist=outsider).exists()
    review = _score(chair, third, [5, 5, 5, 5, 5])
    values = {c.pk: (7, "") for c in nomination.criteria.all()}
    s.review_correct(actor=chair.user, review=review, values=values, reason="Опечатка")
    assert set(review.scores.values_list("value", flat=True)) == {7}
