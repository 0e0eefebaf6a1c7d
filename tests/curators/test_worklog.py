"""The work log: dated entries, evidence files checked like documents, reviews appearing by
themselves, removal that hides but keeps."""

import datetime

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import AuditEntry
from curators.models import WorkLogEntry
from curators.selectors import log_lines, work_log_for
from curators.services import AssignmentError, LogInput, worklog_add, worklog_remove
from roadmaps.models import DocumentKind
from roadmaps.services import (
    DocumentError,
    Slot,
    document_transition,
    document_upload,
    kinds_load,
    upload_check,
)
from tests.files import pdf_bytes

from .conftest import pdf

MAY = datetime.date(2022, 5, 19)


def _visit(world, **kw):
    data = {"date": MAY, "kind": "visit", "minutes": 180, "text": "Выезд в школу",
            "school": world.school1, **kw}
    return LogInput(**data)


def test_a_curator_logs_a_visit_with_evidence(world_a):
    entry = worklog_add(actor=world_a.curator, region=world_a.region, data=_visit(world_a),
                        upload=pdf("akt-vyezda.pdf"))
    assert entry.evidence_name == "akt-vyezda.pdf"
    assert default_storage.exists(entry.evidence.name)
    assert entry.evidence.name.startswith(f"curators/log/{world_a.region.pk}/")
    audit = AuditEntry.objects.get(action="curators.log.added")
    assert audit.data["minutes"] == 180 and audit.data["file"] == "akt-vyezda.pdf"


@pytest.mark.parametrize("change, message", [
    ({"date": datetime.date(2099, 1, 1)}, "ещё не наступила"),
    ({"date": datetime.date(2018, 5, 1)}, "начался в 2019 году"),
    ({"minutes": 0}, "от 1 минуты"),
    ({"minutes": 1441}, "от 1 минуты до 24 часов"),
    ({"text": "   "}, "Опишите, что сделано"),
    ({"kind": "party"}, "вид работы"),
])
def test_bad_entries_are_refused_and_nothing_is_written(world_a, change, message):
    with pytest.raises(AssignmentError, match=message):
        worklog_add(actor=world_a.curator, region=world_a.region, data=_visit(world_a, **change))
    assert not WorkLogEntry.objects.exists()


def test_a_school_not_assigned_to_the_curator_is_refused_and_no_file_is_left(world_a):
    stored_before = set(default_storage.listdir(f"curators/log/{world_a.region.pk}")[1]) \
        if default_storage.exists(f"curators/log/{world_a.region.pk}") else set()
    with pytest.raises(AssignmentError, match="не закреплена за вами"):
        worklog_add(actor=world_a.curator, region=world_a.region,
                    data=_visit(world_a, school=world_a.school2), upload=pdf("x.pdf"))
    assert not WorkLogEntry.objects.exists()
    folder = f"curators/log/{world_a.region.pk}"
    after = set(default_storage.listdir(folder)[1]) if default_storage.exists(folder) else set()
    assert after == stored_before


def test_an_executable_renamed_pdf_is_refused_as_evidence():
    f = SimpleUploadedFile("akt.pdf", b"MZ\x90\x00 this is a program")
    with pytest.raises(DocumentError, match="по содержимому"):
        upload_check(f, f.name, f.size)


def test_only_curators_keep_a_log(world_a):
    with pytest.raises(AssignmentError, match="ведут кураторы"):
        worklog_add(actor=world_a.school_coordinator, region=world_a.region,
                    data=_visit(world_a))


def test_reviews_appear_in_the_log_by_themselves(world_a):
    kinds_load(actor=None, year=2022)
    f = SimpleUploadedFile("Концепция.pdf", pdf_bytes("concept"))
    version = document_upload(actor=world_a.school_coordinator, school=world_a.school1,
                              year=2022, upload=upload_check(f, f.name, f.size),
                              slot=Slot(kind=DocumentKind.objects.get(year=2022,
                                                                      code="concept")))
    document_transition(actor=world_a.curator, document=version.document, action="approve",
                        version_number=1, comment="Соответствует рекомендациям.")
    worklog_add(actor=world_a.curator, region=world_a.region, data=_visit(world_a))
    lines = log_lines(world_a.curator, curator=world_a.curator)
    reviews = [x for x in lines if x.review is not None]
    assert len(lines) == 2 and len(reviews) == 1
    assert "Концепция развития, версия 1: подтверждена" in reviews[0].text
    assert WorkLogEntry.objects.count() == 1  # read from the review, never copied
    only_visits = log_lines(world_a.curator, curator=world_a.curator, kind="visit")
    assert [x.kind for x in only_visits] == ["visit"]
    in_may = log_lines(world_a.curator, curator=world_a.curator,
                       date_from=datetime.date(2022, 5, 1), date_to=datetime.date(2022, 5, 31))
    assert [x.entry is not None for x in in_may] == [True]


def test_who_reads_the_log(world_a, world_b):
    worklog_add(actor=world_a.curator, region=world_a.region, data=_visit(world_a))
    assert work_log_for(world_a.regional_staff).count() == 1
    assert work_log_for(world_a.municipal_coordinator).count() == 1  # its school
    assert work_log_for(world_a.school_coordinator).count() == 0
    assert work_log_for(world_b.regional_staff).count() == 0
    assert work_log_for(world_b.curator).count() == 0


def test_removing_hides_the_entry_but_keeps_the_row(world_a):
    entry = worklog_add(actor=world_a.curator, region=world_a.region, data=_visit(world_a))
    with pytest.raises(AssignmentError, match="только куратор"):
        worklog_remove(actor=world_a.regional_staff, entry=entry)
    worklog_remove(actor=world_a.curator, entry=entry)
    assert not work_log_for(world_a.curator).exists()
    assert WorkLogEntry.objects.filter(pk=entry.pk, removed_at__isnull=False).exists()
    with pytest.raises(AssignmentError, match="уже удалена"):
        worklog_remove(actor=world_a.curator, entry=entry)
