"""The dashboard (filters in the URL, scope, aggregates for the federal observer) and its
reports: the Excel's cells and the PDF's text are read back and compared to the page."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse

from core.models import Job
from monitoring.selectors import dashboard, filters_from
from tests.factories import SchoolYearFactory

URL = "/monitoring/"


@pytest.fixture
def docs_a(active_a):
    """School 1 of region A has its concept approved and mid-term programme returned."""
    from roadmaps.models import DocumentKind
    from roadmaps.services import Slot, document_transition, document_upload, kinds_load
    from tests.roadmaps.conftest import checked, pdf_bytes

    kinds_load(actor=None, year=2022)
    docs = {}
    for code in ("concept", "midterm"):
        version = document_upload(
            actor=active_a.school_coordinator, school=active_a.school1, year=2022,
            upload=checked(pdf_bytes(code)), submit=True,
            slot=Slot(kind=DocumentKind.objects.get(year=2022, code=code)))
        docs[code] = version.document
    document_transition(actor=active_a.curator, document=docs["concept"], action="approve")
    from roadmaps.models import ReturnReason

    document_transition(actor=active_a.curator, document=docs["midterm"], action="return",
                        comment="Нет обоснования целей",
                        reasons=[ReturnReason.objects.order_by("position").first()])
    return active_a


def _get(client, user, url=URL, **params):
    client.force_login(user)
    return client.get(url, params)


def _totals_row(html: str) -> list[str]:
    """The «Итого» row of the documents table, as the page shows it."""
    section = html[html.index('id="documents"'):html.index('id="curators"')]
    row = section[section.index("<tfoot>"):section.index("</tfoot>")]
    return re.findall(r'<td class="num">([^<]*)</td>', row)


def test_regional_staff_see_their_region_with_figures_and_charts(client, docs_a):
    response = _get(client, docs_a.regional_staff, year=2022)
    assert response.status_code == 200
    body = response.content.decode()
    board = response.context["board"]
    assert board.schools == 3 and board.filters.region == docs_a.region
    # due: 3 schools × required single kinds + 1 anti-risk programme for R01
    assert board.totals.approved == 1 and board.totals.returned == 1
    assert board.totals.uploaded == 2
    assert _totals_row(body)[:1] == ["3"]
    assert "vendor/plotly/plotly-4.1.1.min.js" in body and "cdn." not in body.lower()
    assert 'id="documents-chart"' in body and "documents-chart-data" in body
    assert docs_a.curator.last_name in body  # regional staff see their curators by name
    (curator,) = board.curators
    assert (curator.schools, curator.decided, curator.returned) == (1, 2, 1)


def test_filters_live_in_the_url_and_narrow_every_figure(client, docs_a):
    other = docs_a.other_municipality
    response = _get(client, docs_a.regional_staff, year=2022, municipality=other.pk)
    board = response.context["board"]
    assert board.schools == 1 and board.totals.approved == 0
    assert f"municipality={other.pk}" in response.context["f"].querystring
    by_category = _get(client, docs_a.regional_staff, year=2022,
                       category="СИЛЬНО НЕУСПЕВАЮЩАЯ").context["board"]
    assert by_category.schools == 3
    assert _get(client, docs_a.regional_staff, year=2022,
                category="нет такой").context["board"].schools == 0


def test_a_municipal_coordinator_sees_its_municipality_only(client, docs_a):
    board = _get(client, docs_a.municipal_coordinator, year=2022).context["board"]
    assert board.filters.municipality == docs_a.municipality
    assert board.schools == 2
    response = _get(client, docs_a.municipal_coordinator, year=2022,
                    municipality=docs_a.other_municipality.pk)
    assert response.status_code == 404


def test_another_regions_filter_answers_404(client, docs_a, world_b):
    staff = docs_a.regional_staff
    assert _get(client, staff, region=world_b.region.code).status_code == 404
    assert _get(client, staff, municipality=world_b.municipality.pk).status_code == 404
    assert _get(client, staff, region="abc").status_code == 404


def test_curators_and_school_coordinators_have_no_dashboard(client, docs_a):
    assert _get(client, docs_a.curator).status_code == 403
    assert _get(client, docs_a.school_coordinator).status_code == 403


def test_the_federal_observer_sees_every_region_in_aggregate_and_no_names(
        client, docs_a, world_b, federal_observer):
    response = _get(client, federal_observer, year=2022)
    board = response.context["board"]
    body = response.content.decode()
    assert board.by == "region"
    assert {a.name for a in board.areas} == {docs_a.region.name, world_b.region.name}
    assert board.schools == 6
    assert not board.curators and board.curator_totals.schools == 2
    for person in (docs_a.curator, world_b.curator, docs_a.school_coordinator):
        assert person.last_name not in body
    region_view = _get(client, federal_observer, year=2022, region=docs_a.region.code)
    assert region_view.status_code == 200
    assert docs_a.curator.last_name not in region_view.content.decode()
    assert region_view.context["board"].totals.approved == 1


def test_the_dashboard_query_count_does_not_grow_with_schools(client, docs_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(docs_a.regional_staff)
    client.get(URL, {"year": 2022})
    with CaptureQueriesContext(connection) as few:
        client.get(URL, {"year": 2022})
    for _ in range(12):
        SchoolYearFactory(school__municipality=docs_a.other_municipality, year=2022)
    with CaptureQueriesContext(connection) as many:
        client.get(URL, {"year": 2022})
    assert len(many) == len(few)


def _report(client, django_capture_on_commit_callbacks, user, fmt, **filters):
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("monitoring:report_start"), {"format": fmt, **filters})
    assert response.status_code == 302, response.content[:500]
    job = Job.objects.filter(created_by=user).latest("created_at")
    assert job.status == Job.Status.SUCCEEDED, job.message
    return job


def test_the_excel_report_holds_exactly_the_filtered_tables(
        client, docs_a, django_capture_on_commit_callbacks):
    from openpyxl import load_workbook

    filters = {"year": "2022", "municipality": str(docs_a.municipality.pk)}
    page = _get(client, docs_a.regional_staff, **filters)
    job = _report(client, django_capture_on_commit_callbacks, docs_a.regional_staff, "xlsx",
                  **filters)
    assert job.params["filters"]["municipality"] == filters["municipality"]
    book = load_workbook(io.BytesIO(job.result_file.read()))
    sheet = book["Документы"]
    assert sheet.freeze_panes == "A2"
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["Муниципалитет", "Школ", "Положено"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    totals = rows[-1]
    board = page.context["board"]
    assert totals[0] == "Итого"
    assert list(totals[1:7]) == [board.totals.schools, board.totals.due, board.totals.uploaded,
                                 board.totals.submitted, board.totals.approved,
                                 board.totals.returned]
    assert isinstance(totals[1], int)
    assert _totals_row(page.content.decode())[:6] == [str(x) for x in totals[1:7]]
    assert len(rows) == 2  # one municipality and the total: the filter holds
    assert sheet.column_dimensions["A"].width == 40
    summary = {r[0]: r[1] for r in book["Сводка"].iter_rows(min_row=2, values_only=True)}
    assert summary["Школ — участниц проекта"] == 2


def test_the_pdf_report_prints_the_pages_figures(client, docs_a,
                                                 django_capture_on_commit_callbacks):
    from pypdf import PdfReader

    page = _get(client, docs_a.regional_staff, year="2022")
    job = _report(client, django_capture_on_commit_callbacks, docs_a.regional_staff, "pdf",
                  year="2022")
    assert job.result_name.endswith(".pdf") and job.expires_at is not None
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(job.result_file.read())).pages)
    board = page.context["board"]
    assert "Мониторинг проекта «500+»" in text
    assert docs_a.region.name in text
    assert f"{board.totals.approved} из {board.totals.due}" in text
    assert docs_a.curator.last_name in text
    for area in board.areas:
        assert area.name in text


def test_the_regional_report_lists_schools_in_the_shape_of_seed_000(
        client, docs_a, django_capture_on_commit_callbacks):
    from pypdf import PdfReader

    job = _report(client, django_capture_on_commit_callbacks, docs_a.regional_staff, "region",
                  year="2022")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(job.result_file.read())).pages)
    assert "Информационно-аналитический отчёт" in text
    for school in (docs_a.school1, docs_a.school2, docs_a.school_other):
        assert school.short_name in text
    for heading in ("Школы — участницы проекта", "Активированные риски",
                    "Концептуальные документы", "Работа кураторов", "Мониторинг вовлеченности"):
        assert heading in text


def test_a_report_of_another_regions_data_answers_404(client, docs_a, world_b):
    client.force_login(docs_a.regional_staff)
    response = client.post(reverse("monitoring:report_start"),
                           {"format": "pdf", "region": world_b.region.code})
    assert response.status_code == 404
    assert not Job.objects.exists()


def test_filters_from_a_job_are_resolved_again_with_the_users_scope(docs_a, world_b):
    from django.http import Http404

    with pytest.raises(Http404):
        filters_from(docs_a.regional_staff, {"region": str(world_b.region.code)})
    f = filters_from(docs_a.regional_staff, {"year": "1900", "group": "bogus"})
    assert (f.year, f.group, f.region) == (2022, "", docs_a.region)
    assert dashboard(docs_a.regional_staff, f).schools == 3


def test_the_engagement_page_explains_and_confirms(client, docs_a):
    from monitoring.services import engagement_recompute

    score = engagement_recompute(actor=None, region=docs_a.region, year=2022)
    client.force_login(docs_a.regional_staff)
    body = client.get(score.get_absolute_url()).content.decode()
    assert "Как получено" in body and "Выполнено в срок" in body
    plan = score.components.get(code="plan")
    response = client.post(reverse("monitoring:component_confirm", args=[plan.public_id]),
                           {"plan-value": "6", "plan-reason": ""})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.value is None  # refused: an override needs a reason
    client.post(reverse("monitoring:component_confirm", args=[plan.public_id]),
                {"plan-value": "6", "plan-reason": "Экспертиза ФИОКО"})
    plan.refresh_from_db()
    assert plan.value == 6 and plan.reason == "Экспертиза ФИОКО"
    follow = client.get(score.get_absolute_url()).content.decode()
    assert "изменено экспертом" in follow


def test_the_municipal_coordinator_cannot_confirm(client, docs_a):
    from monitoring.services import engagement_recompute

    score = engagement_recompute(actor=None, region=docs_a.region, year=2022)
    plan = score.components.get(code="plan")
    client.force_login(docs_a.municipal_coordinator)
    assert client.get(score.get_absolute_url()).status_code == 200
    response = client.post(reverse("monitoring:component_confirm", args=[plan.public_id]),
                           {"plan-value": "1", "plan-reason": ""})
    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.value is None


def test_rules_page_validates_scales_in_russian(client, admin_user):
    client.force_login(admin_user)
    url = reverse("monitoring:rules", args=[2022])
    assert client.get(url).status_code == 200
    response = client.post(url, {"plan_scale": "95: 6\nмного", "documents_scale": "90: 5",
                                 "curator_scale": "90: 3", "one_school_threshold": "90"})
    assert response.status_code == 400
    assert "ожидается «порог %: баллы»" in response.content.decode()
    response = client.post(url, {"plan_scale": "95: 6\n50: 3", "documents_scale": "90: 5",
                                 "curator_scale": "90: 3", "one_school_threshold": "90"})
    assert response.status_code == 302
    from monitoring.models import EngagementRules

    assert EngagementRules.objects.get(year=2022).plan_scale == [[95, 6], [50, 3]]


def test_the_observer_exports_a_regions_report_without_single_records(
        client, docs_a, federal_observer, django_capture_on_commit_callbacks):
    from openpyxl import load_workbook
    from pypdf import PdfReader

    job = _report(client, django_capture_on_commit_callbacks, federal_observer, "xlsx",
                  year="2022", region=str(docs_a.region.code))
    assert job.region is None and job.params["filters"]["region"] == str(docs_a.region.code)
    book = load_workbook(io.BytesIO(job.result_file.read()))
    cells = " ".join(str(c) for ws in book for row in ws.iter_rows(values_only=True)
                     for c in row)
    assert docs_a.curator.last_name not in cells and "Кураторов: 1" in cells
    job = _report(client, django_capture_on_commit_callbacks, federal_observer, "region",
                  year="2022", region=str(docs_a.region.code))
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(job.result_file.read())).pages)
    assert docs_a.school1.short_name not in text and docs_a.curator.last_name not in text
    assert "3 школ" in text


def test_the_engagement_page_is_for_the_monitoring_roles(client, docs_a):
    from monitoring.services import engagement_recompute

    score = engagement_recompute(actor=None, region=docs_a.region, year=2022)
    for persona in ("curator", "school_coordinator", "methodist"):
        client.force_login(getattr(docs_a, persona))
        assert client.get(score.get_absolute_url()).status_code == 403


def test_only_owed_documents_count(client, docs_a):
    from roadmaps.models import DocumentKind
    from roadmaps.services import Slot, document_upload
    from tests.roadmaps.conftest import checked, pdf_bytes

    before = _get(client, docs_a.regional_staff, year=2022).context["board"].totals
    document_upload(actor=docs_a.school_coordinator, school=docs_a.school1, year=2022,
                    upload=checked(pdf_bytes("отчёт")), submit=True,
                    slot=Slot(kind=DocumentKind.objects.get(year=2022, code="other")))
    after = _get(client, docs_a.regional_staff, year=2022).context["board"].totals
    assert (after.uploaded, after.submitted) == (before.uploaded, before.submitted)
