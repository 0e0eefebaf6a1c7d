"""The expertise sheet of seed 001: at most 14 points, zones red 0–5, yellow 6–10,
green 11–14 (stored per year), scores inside each criterion's range, publication locks."""

import pytest

from core.models import Notification
from curators.models import ExpertiseScheme, ExpertiseSheet
from curators.selectors import sheets_for, zone_summary
from curators.services import AssignmentError, scheme_load, sheet_save


def _scores(scheme, total):
    """Points spread over the criteria so that they sum to ``total``."""
    out, left = {}, total
    for c in scheme.criteria.all():
        points = min(c.max_points, left)
        out[c.pk] = (points, "")
        left -= points
    assert left == 0
    return out


def test_the_2022_sheet_has_seven_criteria_for_14_points(scheme):
    assert scheme.criteria.count() == 7
    assert scheme.max_points == 14
    assert (scheme.red_max, scheme.yellow_max) == (5, 10)
    assert scheme_load(actor=None, year=2022).pk == scheme.pk  # loading again changes nothing


@pytest.mark.parametrize("total, zone", [(0, "red"), (5, "red"), (6, "yellow"),
                                         (10, "yellow"), (11, "green"), (14, "green")])
def test_zone_boundaries(scheme, total, zone):
    assert scheme.zone_of(total) == zone


def test_thresholds_are_per_year(scheme):
    other = ExpertiseScheme.objects.create(year=2023, title="Лист 2023", red_max=4,
                                           yellow_max=9)
    assert scheme.zone_of(5) == "red" and other.zone_of(5) == "yellow"


def test_a_curator_scores_its_school_and_publishes(world_a, scheme):
    sheet = sheet_save(actor=world_a.curator, school=world_a.school1, year=2022,
                       scores=_scores(scheme, 6), comment="Черновик")
    assert sheet.status == "draft" and sheet.total == 6 and sheet.zone == "yellow"
    assert not sheets_for(world_a.school_coordinator).exists()  # drafts are not shown
    sheet = sheet_save(actor=world_a.curator, school=world_a.school1, year=2022,
                       scores=_scores(scheme, 11), publish=True)
    assert sheet.status == "published" and sheet.get_zone_display() == "зелёная"
    assert list(sheets_for(world_a.school_coordinator)) == [sheet]
    note = Notification.objects.get(recipient=world_a.school_coordinator)
    assert "11 из 14" in note.title


def test_a_score_outside_the_range_changes_nothing(world_a, scheme):
    sheet_save(actor=world_a.curator, school=world_a.school1, year=2022,
               scores=_scores(scheme, 4))
    first = scheme.criteria.first()
    with pytest.raises(AssignmentError, match="балл должен быть от 0 до 2, указано 3"):
        sheet_save(actor=world_a.curator, school=world_a.school1, year=2022,
                   scores={**_scores(scheme, 14), first.pk: (3, "")})
    sheet = ExpertiseSheet.objects.get()
    assert sheet.total == 4 and sum(s.points for s in sheet.scores.all()) == 4


def test_publishing_needs_every_criterion_and_locks_the_sheet(world_a, scheme):
    partial = dict(list(_scores(scheme, 14).items())[:5])
    with pytest.raises(AssignmentError, match="Не оценены: 6, 7"):
        sheet_save(actor=world_a.curator, school=world_a.school1, year=2022, scores=partial,
                   publish=True)
    assert not ExpertiseSheet.objects.exists()
    sheet_save(actor=world_a.curator, school=world_a.school1, year=2022,
               scores=_scores(scheme, 9), publish=True)
    with pytest.raises(AssignmentError, match="опубликован"):
        sheet_save(actor=world_a.curator, school=world_a.school1, year=2022,
                   scores=_scores(scheme, 14))
    assert ExpertiseSheet.objects.get().total == 9


def test_who_may_fill_a_sheet(world_a, world_b, scheme):
    for user in (world_a.school_coordinator, world_a.municipal_coordinator, world_b.curator):
        with pytest.raises(AssignmentError):  # a refusal, never a sheet
            sheet_save(actor=user, school=world_a.school2, year=2022,
                       scores=_scores(scheme, 5))
    # the curator of school1 does not score school2; regional experts score any school
    with pytest.raises(AssignmentError, match="её куратор на этот год и региональные эксперты"):
        sheet_save(actor=world_a.curator, school=world_a.school2, year=2022,
                   scores=_scores(scheme, 5))
    sheet_save(actor=world_a.regional_staff, school=world_a.school2, year=2022,
               scores=_scores(scheme, 5))
    assert ExpertiseSheet.objects.count() == 1


def test_the_region_sees_zones_and_the_lowest_schools(world_a, world_b, scheme):
    for school, total in ((world_a.school1, 5), (world_a.school2, 10),
                          (world_a.school_other, 11)):
        sheet_save(actor=world_a.regional_staff, school=school, year=2022,
                   scores=_scores(scheme, total), publish=True)
    sheet_save(actor=world_b.regional_staff, school=world_b.school1, year=2022,
               scores=_scores(scheme, 2), publish=True)
    summary = zone_summary(world_a.regional_staff, 2022, lowest=2)
    assert (summary.red, summary.yellow, summary.green) == (1, 1, 1)
    assert [s.school for s in summary.lowest] == [world_a.school1, world_a.school2]
    assert summary.not_assessed == 0
