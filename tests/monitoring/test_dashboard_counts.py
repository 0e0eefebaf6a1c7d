"""Counts a reader of the dashboard can act on: where two blocks count differently a footnote
says why, and a block that does not apply a filter of the view says so."""

from __future__ import annotations

import pytest

from core.roles import Role
from core.services import membership_create
from roadmaps.models import DocumentKind
from roadmaps.services import Slot, document_upload
from tests.factories import UserFactory
from tests.monitoring.test_dashboard import URL, _get, docs_a  # noqa: F401  (fixture)
from tests.roadmaps.conftest import checked, pdf_bytes

pytestmark = pytest.mark.django_db


def send(actor, school, code):
    return document_upload(actor=actor, school=school, year=2022,
                           upload=checked(pdf_bytes(f"{code} {school.pk}")), submit=True,
                           slot=Slot(kind=DocumentKind.objects.get(year=2022, code=code)))


def block(html: str, name: str) -> str:
    start = html.index(f'<section class="card dash-section" id="{name}"')
    return html[start:html.index("</section>", start)]


@pytest.fixture
def waiting_a(docs_a):  # noqa: F811
    """Waiting for a curator: school 1's self-diagnosis (owed) and an optional document;
    school 2's concept (owed), and school 2 has no curator."""
    send(docs_a.school_coordinator, docs_a.school1, "self_diagnosis")
    send(docs_a.school_coordinator, docs_a.school1, "other")
    coordinator = UserFactory(username="coord_a2")
    membership_create(actor=None, user=coordinator, role=Role.SCHOOL_COORDINATOR,
                      school=docs_a.school2)
    send(coordinator, docs_a.school2, "concept")
    return docs_a


def test_the_curators_waiting_count_says_why_it_is_not_the_documents_count(client,
                                                                          waiting_a):
    response = _get(client, waiting_a.regional_staff, year=2022)
    board, html = response.context["board"], response.content.decode()
    assert board.totals.submitted == 2  # owed documents only
    assert board.curator_totals.waiting == 3  # everything sent to a curator
    (row,) = board.curators
    assert row.waiting == 2  # school 2 has no curator: not in any curator's row
    curators = block(html, "curators")
    assert ("«Ждут проверки» — всё, что школы отправили куратору: обязательные документы "
            "года (их в блоке «Концептуальные документы» «На проверке» — 2) и ещё "
            "подтверждения мероприятий дорожных карт и необязательные документы — 1."
            ) in curators
    assert "Из ждущих проверки документы школ без куратора — 1" in curators


def test_no_footnote_where_the_counts_agree(client, docs_a):  # noqa: F811
    send(docs_a.school_coordinator, docs_a.school1, "self_diagnosis")
    response = _get(client, docs_a.regional_staff, year=2022)
    board = response.context["board"]
    assert board.totals.submitted == board.curator_totals.waiting == 1
    assert board.curator_notes == []
    assert "«Ждут проверки» — всё" not in response.content.decode()


def test_the_engagement_block_says_it_ignores_the_municipality_filter(client,
                                                                      docs_a):  # noqa: F811
    html = _get(client, docs_a.regional_staff, year=2022,
                municipality=docs_a.municipality.pk).content.decode()
    assert (f"Оценка вовлеченности ставится региону в целом: отбор по муниципалитету "
            f"«{docs_a.municipality.name}» к ней не применяется.") in block(html, "engagement")
    assert "Записи журнала без школы (общие) считаются у каждого куратора" in block(
        html, "curators")
    whole = _get(client, docs_a.regional_staff, year=2022).content.decode()
    assert "не применяется" not in whole


def test_blocks_say_which_school_filters_they_do_not_apply(client, docs_a):  # noqa: F811
    from roadmaps.models import Roadmap
    from roadmaps.services.plans import roadmap_create

    roadmap_create(actor=docs_a.regional_staff, level=Roadmap.Level.REGION,
                   region=docs_a.region, title="Дорожная карта региона", start_year=2022,
                   end_year=2024)
    html = _get(client, docs_a.regional_staff, year=2022, category="ШНОР",
                group="effective").content.decode()
    filters = "отбор по категории «ШНОР» и группе «эффективные»"
    assert f"Оценка вовлеченности ставится региону в целом: {filters} к ней не применяется." \
        in block(html, "engagement")
    assert f"Методисты РМА считаются по месту работы: {filters}" in block(html, "coverage")
    # the region's roadmap is listed whatever the schools' category
    assert (f"Региональные и муниципальные дорожные карты относятся не к отдельным школам: "
            f"{filters} к ним не применяется.") in block(html, "overdue")


def test_the_excel_curators_sheet_carries_the_footnote(client, waiting_a,
                                                       django_capture_on_commit_callbacks):
    import io

    from openpyxl import load_workbook

    from tests.monitoring.test_dashboard import _report

    job = _report(client, django_capture_on_commit_callbacks, waiting_a.regional_staff,
                  "xlsx", year="2022")
    sheet = load_workbook(io.BytesIO(job.result_file.read()))["Кураторы"]
    assert sheet["A1"].value.startswith("«Ждут проверки» — всё, что школы отправили куратору")
    assert sheet["A2"].value == "Куратор"
