"""STYLE 7.7: list pages run a fixed number of queries whatever the number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import audit
from curators.services import assignment_create
from schools.models import ImportBatch
from tests.factories import SchoolFactory


def _count(client, url) -> int:
    client.get(url)  # warm caches (content types, session)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _grow_audit(world, n):
    for i in range(n):
        audit.record(world.regional_staff, "core.user.created", world.school1, {"i": i})


def _grow_assignments(world, n):
    for _ in range(n):
        school = SchoolFactory(municipality=world.municipality)
        assignment_create(actor=None, curator=world.curator, school=school, year=2022)


def _grow_batches(world, n):
    for i in range(n):
        ImportBatch.objects.create(region=world.region, year=2023, kind="shnor",
                                   file_name=f"l{i}.xlsx", file_sha256="0" * 64, file_size=1,
                                   file="imports/x.xlsx", created_by=world.regional_staff)


def _grow_profiles(world, n):
    """Schools of the curator, each with a 2022 profile with two activated risks."""
    from risk_profiles.services import ItemChange, catalogue_load, profile_create, profile_update
    from tests.factories import SchoolYearFactory

    catalogue_load(actor=None)
    for _ in range(n):
        school = SchoolFactory(municipality=world.municipality)
        SchoolYearFactory(school=school)
        assignment_create(actor=None, curator=world.curator, school=school, year=2022)
        profile = profile_create(actor=None, school=school, year=2022)
        profile_update(actor=None, profile=profile, changes={
            "R01": ItemChange(activated=True), "R11": ItemChange(activated=True)})


def _grow_documents(world, n):
    """Submitted concept documents of new schools of the curator (rows as the service
    leaves them; the service itself is covered in tests/roadmaps)."""
    from django.utils import timezone

    from roadmaps.models import Document, DocumentKind
    from roadmaps.services import kinds_load

    kinds_load(actor=None, year=2022)
    kind = DocumentKind.objects.get(year=2022, code="concept")
    for _ in range(n):
        school = SchoolFactory(municipality=world.municipality)
        assignment_create(actor=None, curator=world.curator, school=school, year=2022)
        Document.objects.create(region=world.region, school=school, year=2022, kind=kind,
                                slot="concept", status="submitted", version_count=1,
                                submitted_at=timezone.now(), created_by=world.school_coordinator)


def _grow_log(world, n):
    """Log entries of the curator and its decisions on documents (both feed the log)."""
    import datetime

    from curators.services import LogInput, worklog_add

    _grow_documents(world, n)
    for i in range(n):
        worklog_add(actor=world.curator, region=world.region, data=LogInput(
            date=datetime.date(2022, 5, 1 + i % 28), kind="visit", minutes=60,
            text=f"Выезд {i}", school=world.school1))


def _grow_sheets(world, n):
    """Participant schools with a published expertise sheet each."""
    from curators.services import scheme_load, sheet_save
    from tests.factories import SchoolYearFactory

    scheme = scheme_load(actor=None, year=2022)
    for i in range(n):
        school = SchoolFactory(municipality=world.municipality)
        SchoolYearFactory(school=school)
        sheet_save(actor=world.regional_staff, school=school, year=2022, publish=True,
                   scores={c.pk: (i % 3, "") for c in scheme.criteria.all()})


def _grow_notifications(world, n):
    from core.notifications import notify

    for i in range(n):
        notify([world.regional_staff], title=f"Уведомление {i}", url="/")


# Every page also counts the unread notifications of the bell in the top bar.
@pytest.mark.parametrize("name,grow,limit", [
    # session, user, memberships, guardian grants (none for staff), count, page of entries
    # with actor, content type and region joined
    ("core:audit_list", _grow_audit, 9),
    # session, user, memberships, count, page of assignments with curator, school,
    # municipality and region joined, the load table (one aggregate)
    ("curators:assignment_list", _grow_assignments, 10),
    # session, user, memberships, count, page of batches with region and users joined
    ("schools:import_list", _grow_batches, 9),
    # at most: session, user, memberships, catalogue years, profile years, count, count of
    # schools without a profile, municipalities of the filter,
    # page of profiles (school, municipality, region, users joined, activated counted),
    # first schools without a profile
    ("risk_profiles:profile_list", _grow_profiles, 12),
    # session, user, memberships, catalogue years, regions (default, chosen, the form's
    # clean), categories, profile totals per year, verified count, activated per factor
    # and year (one aggregate), the two catalogues, and the select options (regions
    # twice, municipalities); at most
    ("risk_profiles:distribution", _grow_profiles, 17),
    # session, user, memberships, catalogue years, curators (default, clean, the
    # template's check), guardian grants, schools, categories, profiles, activated marks,
    # factors, «has curators», the select options (curators twice)
    ("risk_profiles:matrix", _grow_profiles, 17),
    # session, user, memberships, document years, kind years, kind choices,
    # municipalities of the filter, count, page of documents (school, municipality,
    # region, kind, risk factor, reviewer joined)
    ("roadmaps:document_list", _grow_documents, 11),
    # session, user, memberships, years (assignments, documents), assignments of the
    # year, waiting documents, assignments again and reviews for the hold-time table
    ("curators:queue", _grow_documents, 12),
    # session, user, memberships, count, page of notifications
    ("core:notification_list", _grow_notifications, 7),
    # session, user, memberships, years (participants, assignments), orders, schools
    # without a curator, curators (memberships subquery), their assignments of the year,
    # declared work places, the load check (three counts), the form's select options
    # (orders, curators)
    ("curators:board", _grow_profiles, 19),
    # session, user, memberships, entries (curator, school joined), reviews (document,
    # school, kind, risk factor, reviewer joined; curators as a subquery), the curator
    # select options
    ("curators:log", _grow_log, 7),
    # session, user, memberships, years (participants, assignments, sheets), scheme with
    # criteria, zone counts (one aggregate), drafts, not assessed, lowest, count, page
    ("curators:expertise", _grow_sheets, 15),
])
def test_list_pages_run_a_fixed_number_of_queries(client, world_a, name, grow, limit):
    client.force_login(world_a.regional_staff)
    url = reverse(name)
    grow(world_a, 1)  # an empty list skips the page query; compare one row with many
    few = _count(client, url)
    grow(world_a, 12)
    many = _count(client, url)
    assert many == few <= limit
