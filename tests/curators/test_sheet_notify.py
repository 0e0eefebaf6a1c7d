"""A published expertise sheet reaches the school's coordinators with its kind (issue 23):
not the curator, not another region; a draft tells nobody."""

from core.models import Notification
from curators.services import sheet_save

from .test_expertise import _scores


def test_a_published_sheet_tells_the_school_with_its_kind(world_a, world_b, scheme):
    sheet_save(actor=world_a.curator, school=world_a.school1, year=2022,
               scores=_scores(scheme, 6))
    assert not Notification.objects.exists()  # a draft is nobody's news
    sheet_save(actor=world_a.curator, school=world_a.school1, year=2022,
               scores=_scores(scheme, 11), publish=True)
    told = [(n.recipient.username, n.kind) for n in Notification.objects.all()]
    assert told == [("school_a", "curators.sheet.published")]
