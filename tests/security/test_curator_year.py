"""A curator's decisions follow the programme year: the right to approve, return or verify
a school's 2023 documents and profile comes from an open 2023 assignment of that school,
not from any open assignment of it (issue 22, item 2)."""

import pytest
from django.urls import reverse

from conftest import PASSWORD
from core.models import AuditEntry, Role
from core.services import membership_create
from curators.models import CuratorAssignment
from curators.services import (
    AssignmentError,
    AssignmentTerms,
    assignment_create,
    assignment_end,
    scheme_load,
    sheet_save,
)
from risk_profiles.models import RiskProfile
from risk_profiles.services import RiskProfileError, profile_create, profile_transition
from roadmaps.models import Document, DocumentKind
from roadmaps.services import (
    DocumentError,
    Slot,
    document_transition,
    document_upload,
    kinds_load,
)
from tests.factories import SchoolYearFactory, UserFactory
from tests.files import pdf_bytes
from tests.risk_profiles.conftest import activate, catalogue  # noqa: F401
from tests.roadmaps.conftest import checked


@pytest.fixture
def year_2023(world_a):
    """School 1 takes part in 2023 too; its 2022 curator (world_a.curator) keeps the 2022
    assignment open, and another curator is named lead for 2023."""
    SchoolYearFactory(school=world_a.school1, year=2023)
    kinds_load(actor=None, year=2022)
    kinds_load(actor=None, year=2023)
    lead = UserFactory(username="curator_2023", last_name="Новикова", password=PASSWORD)
    membership_create(actor=None, user=lead, role=Role.CURATOR, region=world_a.region)
    assignment_create(actor=None, curator=lead, school=world_a.school1, year=2023)
    return lead


def _submitted(world, year: int) -> Document:
    kind = DocumentKind.objects.get(year=year, code="concept")
    version = document_upload(actor=world.school_coordinator, school=world.school1, year=year,
                              upload=checked(pdf_bytes(f"Концепция {year}")), note="",
                              submit=True, slot=Slot(kind=kind, risk=None))
    return version.document


def test_the_2022_curator_cannot_approve_a_2023_document_by_its_url(world_a, year_2023,
                                                                     client):
    document = _submitted(world_a, 2023)
    client.force_login(world_a.curator)
    response = client.post(reverse("roadmaps:document_decide", args=[document.public_id]),
                           {"action": "approve", "version": 1, "comment": ""})
    assert response.status_code == 403
    document.refresh_from_db()
    assert document.status == Document.Status.SUBMITTED
    assert not AuditEntry.objects.filter(action__startswith="roadmaps.document.approved").exists()
    # the page offers no decision to the 2022 curator …
    page = client.get(document.get_absolute_url())
    assert page.status_code == 200 and "Подтвердить" not in page.content.decode()
    # … and the 2023 lead decides
    client.force_login(year_2023)
    response = client.post(reverse("roadmaps:document_decide", args=[document.public_id]),
                           {"action": "approve", "version": 1, "comment": ""})
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == Document.Status.APPROVED


def test_the_service_refuses_with_the_year_in_the_message(world_a, year_2023):
    document = _submitted(world_a, 2023)
    with pytest.raises(DocumentError, match="«Школа a1»"):
        document_transition(actor=world_a.curator, document=document, action="approve",
                            version_number=1)
    document.refresh_from_db()
    assert document.status == Document.Status.SUBMITTED
    # its own year's document the 2022 curator still decides
    own = _submitted(world_a, 2022)
    document_transition(actor=world_a.curator, document=own, action="approve",
                        version_number=1)
    own.refresh_from_db()
    assert own.status == Document.Status.APPROVED


def test_ending_an_assignment_revokes_exactly_its_year(world_a, year_2023):
    curator = world_a.curator
    co = assignment_create(actor=None, curator=curator, school=world_a.school1,
                           terms=AssignmentTerms(year=2023, co_curator=True))
    doc_2022, doc_2023 = _submitted(world_a, 2022), _submitted(world_a, 2023)
    # ending the 2022 assignment leaves the 2023 decisions …
    assignment_end(actor=world_a.regional_staff,
                   assignment=CuratorAssignment.objects.get(curator=curator, year=2022))
    curator = type(curator).objects.get(pk=curator.pk)  # a fresh scope
    with pytest.raises(DocumentError):
        document_transition(actor=curator, document=doc_2022, action="approve",
                            version_number=1)
    document_transition(actor=curator, document=doc_2023, action="approve", version_number=1)
    # … and ending the 2023 one leaves nothing to decide
    doc_2023.refresh_from_db()
    assert doc_2023.status == Document.Status.APPROVED
    assignment_end(actor=world_a.regional_staff, assignment=co)
    curator = type(curator).objects.get(pk=curator.pk)
    with pytest.raises(DocumentError):
        document_transition(actor=curator, document=doc_2023, action="return",
                            comment="Доработайте", version_number=1)


def test_a_2023_profile_is_verified_only_by_the_2023_curator(world_a, year_2023,
                                                             catalogue):  # noqa: F811
    profile = profile_create(actor=world_a.school_coordinator, school=world_a.school1,
                             year=2022)
    activate(world_a.school_coordinator, profile, "R01")
    profile_transition(actor=world_a.school_coordinator, profile=profile, action="submit")
    # 2022: the 2022 curator verifies; the 2023 lead may not
    with pytest.raises(RiskProfileError, match="за 2022 год может только куратор"):
        profile_transition(actor=year_2023, profile=profile, action="verify")
    profile_transition(actor=world_a.curator, profile=profile, action="verify")
    assert RiskProfile.objects.get(pk=profile.pk).status == RiskProfile.Status.VERIFIED


def test_the_expertise_sheet_follows_the_year(world_a, year_2023):
    scheme = scheme_load(actor=None, year=2022)
    scores = {c.pk: (c.max_points, "") for c in scheme.criteria.all()}
    with pytest.raises(AssignmentError, match="за 2022 год могут её куратор на этот год"):
        sheet_save(actor=year_2023, school=world_a.school1, year=2022, scores=scores)
    sheet = sheet_save(actor=world_a.curator, school=world_a.school1, year=2022,
                       scores=scores)
    assert sheet.expert == world_a.curator
