"""Electronic roadmaps: the import of seeds 003 and 001, computed overdue at its boundaries,
completion with evidence confirmed through the documents' own transition, the editors of
each level, the plan-schedule, the reminders and the exports."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from core.jobs import job_run
from core.models import Job, Notification
from roadmaps.models import (
    Document,
    PlanStage,
    Reminder,
    ReturnReason,
    Roadmap,
    RoadmapItem,
)
from roadmaps.selectors.plans import item_state, overdue_items, progress_of, schedule_progress
from roadmaps.services import document_transition
from roadmaps.services.plans import (
    ItemInput,
    RoadmapError,
    StageInput,
    item_add,
    item_complete,
    item_reopen,
    reminders_send,
    roadmap_create,
    school_roadmap_start,
    stage_save,
)
from schools.models import ImportBatch
from schools.services import import_apply_start, import_batch_create
from tests.forms import form_fields
from tests.roadmaps.conftest import checked, pdf_bytes, risk

SEED_003 = Path(settings.DEMO_DATA_DIR) / "rostov_roadmap_2020_2023.tsv"
SEED_001 = Path(settings.BASE_DIR) / "demo" / "data" / "kamensk_uralsky_roadmap_2021.tsv"
TODAY = datetime.date(2026, 11, 23)


def _import(world, path: Path | None, params: dict, content: bytes | None = None):
    batch, job = import_batch_create(
        actor=world.regional_staff, region=world.region, year=params["start_year"],
        kind=ImportBatch.Kind.ROADMAP, file_name=path.name if path else "карта.tsv",
        content=content if content is not None else path.read_bytes(), params=params)
    job_run(job.pk)
    batch.refresh_from_db()
    if batch.status == ImportBatch.Status.PREVIEWED:
        job_run(import_apply_start(actor=world.regional_staff, batch=batch).pk)
        batch.refresh_from_db()
    return batch


@pytest.fixture
def regional(world_a):
    return roadmap_create(actor=world_a.regional_staff, level="region", region=world_a.region,
                          title="Региональная карта", start_year=2022, end_year=2022)


@pytest.fixture
def current(world_a):
    """A regional roadmap of the year the boundary tests run in."""
    return roadmap_create(actor=world_a.regional_staff, level="region", region=world_a.region,
                          title="Карта текущего года", start_year=TODAY.year,
                          end_year=TODAY.year)


@pytest.fixture
def school_map(world_a, risky_a, kinds):
    return school_roadmap_start(actor=world_a.school_coordinator, school=world_a.school1,
                                year=2022)


def _measure(actor, roadmap, deadline="март 2022", **kwargs):
    return item_add(actor=actor, roadmap=roadmap,
                    data=ItemInput(activity=kwargs.pop("activity", "Педсовет"),
                                   deadline_text=deadline, **kwargs))


# -- import ---------------------------------------------------------------------------------------
def test_rostov_regional_tsv_gives_50_items_in_5_sections_without_markup(world_a):
    batch = _import(world_a, SEED_003, {"level": "region", "title": "Ростов 2020–2023",
                                        "start_year": 2020, "end_year": 2023})
    assert batch.status == ImportBatch.Status.APPLIED, batch.errors or batch.message
    roadmap = Roadmap.objects.get(public_id=batch.diff["roadmap"])
    assert roadmap.sections.count() == 5
    assert roadmap.items.count() == 50
    assert [s.items.count() for s in roadmap.sections.order_by("position")] == [12, 8, 19, 7, 4]
    assert not roadmap.items.filter(activity__contains="<").exists()
    assert batch.counts["html"] >= 1 and batch.counts["unparsed"] == 0
    item = roadmap.items.get(number="1.9")  # «2020- 2023»
    assert (item.due_start, item.due_end) == (datetime.date(2020, 1, 1),
                                              datetime.date(2023, 12, 31))
    assert roadmap.items.get(number="3.1").recurring  # «ежегодно по графику»


def test_municipal_table_of_seed_001_merges_page_breaks_into_49_measures(world_a):
    batch = _import(world_a, SEED_001, {
        "level": "municipality", "municipality": str(world_a.municipality.public_id),
        "title": "Каменск-Уральский 2021", "start_year": 2021, "end_year": 2021})
    roadmap = Roadmap.objects.get(public_id=batch.diff["roadmap"])
    assert roadmap.municipality == world_a.municipality
    assert roadmap.items.count() == 49
    seventh = roadmap.items.get(number="7")
    assert seventh.activity.endswith("на базе Средней школы № 2")
    assert "Основной школы № 27" in seventh.done_note
    assert "• Маркова И.В." in roadmap.items.get(number="8").done_note
    assert any("номер 35 уже был" in w for w in batch.diff["warnings"])


def test_script_in_a_cell_is_text_and_an_unparsed_deadline_is_kept(world_a, client):
    content = ("Раздел\tНазвание раздела\t№\tМероприятие\tСрок\tОтветственные\n"
               "1\tОрганизация\t1.1\t<p>Семинар</p><script>alert('x')</script>\t"
               "по согласованию\tРИПК\n").encode()
    batch = _import(world_a, None, {"level": "region", "title": "Карта", "start_year": 2022,
                                    "end_year": 2022}, content=content)
    item = RoadmapItem.objects.get(roadmap__public_id=batch.diff["roadmap"])
    assert item.activity == "Семинар"
    assert (item.deadline_text, item.due_end) == ("по согласованию", None)
    assert any("не распознан" in w for w in batch.diff["warnings"])
    client.force_login(world_a.regional_staff)
    page = client.get(item.roadmap.get_absolute_url()).content.decode()
    assert "<script>alert" not in page and "срок не распознан" in page


def test_a_broken_table_creates_nothing(world_a):
    content = "Раздел\t№\tМероприятие\tСрок\n1\t1.1\t\tмарт 2022\n".encode()
    batch = _import(world_a, None, {"level": "region", "title": "Карта", "start_year": 2022,
                                    "end_year": 2022}, content=content)
    assert batch.status == ImportBatch.Status.INVALID
    assert not Roadmap.objects.exists()


# -- overdue, computed ----------------------------------------------------------------------------
@pytest.mark.parametrize(("due_end", "done_on", "overdue", "late"), [
    (TODAY, None, False, False),                                   # the last day is in time
    (TODAY - datetime.timedelta(1), None, True, False),            # a day after: overdue
    (TODAY - datetime.timedelta(1), TODAY - datetime.timedelta(1), False, False),  # on time
    (TODAY - datetime.timedelta(2), TODAY - datetime.timedelta(1), False, True),   # late
])
def test_overdue_at_its_boundaries(world_a, current, due_end, done_on, overdue, late):
    item = item_add(actor=world_a.regional_staff, roadmap=current, data=ItemInput(
        activity="Совещание", deadline_text="по плану", due_start=due_end, due_end=due_end))
    if done_on:
        RoadmapItem.objects.filter(pk=item.pk).update(done_on=done_on)
        item.refresh_from_db()
    state = item_state(item, TODAY)
    assert (state.overdue, state.late) == (overdue, late)
    assert overdue_items(world_a.regional_staff, TODAY).filter(pk=item.pk).exists() == overdue
    assert progress_of([current], TODAY)[current.pk].overdue == int(overdue)


def test_unparsed_deadline_is_flagged_never_overdue_until_dates_are_given(world_a, regional):
    item = _measure(world_a.regional_staff, regional, deadline="после результатов ВПР")
    assert item.due_end is None and item_state(item, TODAY).code == "no_date"
    assert progress_of([regional], TODAY)[regional.pk].no_date == 1


# -- completion, evidence and the curator --------------------------------------------------------
def test_school_measure_needs_evidence_and_nothing_changes_without_it(world_a, school_map):
    item = _measure(world_a.school_coordinator, school_map, risk_factor=risk("R01"))
    assert item.evidence_required
    with pytest.raises(RoadmapError, match="нужен подтверждающий документ"):
        item_complete(actor=world_a.school_coordinator, item=item,
                      done_on=datetime.date(2022, 3, 20))
    item.refresh_from_db()
    assert item.done_on is None and item.evidence_id is None
    assert not Document.objects.filter(kind__code="measure_evidence").exists()


def test_measure_under_a_risk_that_is_not_activated_is_refused(world_a, school_map):
    with pytest.raises(RoadmapError, match="R05 не активирован"):
        _measure(world_a.school_coordinator, school_map, risk_factor=risk("R05"))
    assert not school_map.items.exists()


def test_curator_confirms_and_returns_through_the_documents_transition(world_a, school_map):
    item = _measure(world_a.school_coordinator, school_map, risk_factor=risk("R01"))
    item = item_complete(actor=world_a.school_coordinator, item=item,
                         done_on=datetime.date(2022, 3, 20), note="Протокол",
                         upload=checked(pdf_bytes("Протокол педсовета"), "протокол.pdf"))
    assert item.evidence.status == Document.Status.SUBMITTED
    assert item_state(item, TODAY).code == "waiting"
    assert not overdue_items(world_a.regional_staff, TODAY).filter(pk=item.pk).exists()
    document_transition(actor=world_a.curator, document=item.evidence, action="return",
                        version_number=1, comment="Нет подписи",
                        reasons=list(ReturnReason.objects.all()[:1]))
    item.refresh_from_db()
    assert item_state(item, TODAY).code == "returned"
    assert overdue_items(world_a.regional_staff, TODAY).filter(pk=item.pk).exists()
    with pytest.raises(RoadmapError, match="вернул подтверждение"):
        item_complete(actor=world_a.school_coordinator, item=item,
                      done_on=datetime.date(2022, 3, 21))
    item = item_complete(actor=world_a.school_coordinator, item=item,
                         done_on=datetime.date(2022, 3, 21),
                         upload=checked(pdf_bytes("Протокол с подписью"), "протокол-2.pdf"))
    document_transition(actor=world_a.curator, document=item.evidence, action="approve",
                        version_number=2)
    item.refresh_from_db()
    assert item_state(item, TODAY).code == "confirmed"
    assert progress_of([school_map], TODAY)[school_map.pk].confirmed == 1
    with pytest.raises(RoadmapError, match="подтверждено куратором"):
        item_reopen(actor=world_a.school_coordinator, item=item, reason="ошибка")


def test_only_the_keepers_of_a_level_edit_it(world_a, world_b, regional):
    municipal = roadmap_create(actor=world_a.regional_staff, level="municipality",
                               region=world_a.region, municipality=world_a.other_municipality,
                               title="Карта соседнего муниципалитета", start_year=2022,
                               end_year=2022)
    for actor, roadmap in ((world_a.municipal_coordinator, municipal),
                           (world_a.municipal_coordinator, regional),
                           (world_a.curator, regional), (world_b.regional_staff, regional)):
        with pytest.raises(RoadmapError, match="может только"):
            _measure(actor, roadmap)
    assert not RoadmapItem.objects.exists()


def test_other_municipality_roadmap_answers_404_to_a_municipal_coordinator(world_a, client):
    municipal = roadmap_create(actor=world_a.regional_staff, level="municipality",
                               region=world_a.region, municipality=world_a.other_municipality,
                               title="Карта соседнего муниципалитета", start_year=2022,
                               end_year=2022)
    client.force_login(world_a.municipal_coordinator)
    assert client.get(municipal.get_absolute_url()).status_code == 404
    response = client.post(reverse("roadmaps:item_add", args=[municipal.public_id]),
                           {"activity": "Чужое", "deadline_text": "март 2022"})
    assert response.status_code == 404 and not RoadmapItem.objects.exists()


# -- pages ----------------------------------------------------------------------------------------
def test_coordinator_adds_a_measure_from_the_rendered_form(world_a, school_map, client):
    client.force_login(world_a.school_coordinator)
    url = reverse("roadmaps:item_add", args=[school_map.public_id])
    fields = form_fields(client.get(school_map.get_absolute_url()).content.decode(), url)
    fields.update(risk="R01", activity="Индивидуальные планы", deadline_text="апрель 2022")
    response = client.post(url, fields, follow=True)
    assert "Срок: 01.04.2022 — 30.04.2022" in response.content.decode()
    item = school_map.items.get()
    assert (item.risk_factor.code, item.due_end) == ("R01", datetime.date(2022, 4, 30))
    fields.update(activity="", deadline_text="")
    response = client.post(url, fields)
    assert response.status_code == 400 and "Опишите мероприятие" in response.content.decode()
    assert school_map.items.count() == 1


def test_timeline_and_overdue_pages(world_a, regional, client):
    _measure(world_a.regional_staff, regional, activity="Семинар для кураторов")
    client.force_login(world_a.regional_staff)
    page = client.get(reverse("roadmaps:plan_timeline", args=[regional.public_id]))
    assert page.content.decode().count('class="gantt__bar') == 1
    page = client.get(reverse("roadmaps:overdue")).content.decode()
    assert "Семинар для кураторов" in page and "Мероприятий: 1" in page


# -- the plan-schedule ----------------------------------------------------------------------------
def test_schedule_reads_stages_from_profiles_documents_and_measures(world_a, risky_a, kinds,
                                                                    school_map):
    from risk_profiles.services import profile_transition

    staff = world_a.regional_staff
    profile_transition(actor=world_a.school_coordinator, profile=risky_a, action="submit")
    profile_transition(actor=world_a.curator, profile=risky_a, action="verify")
    stages = [stage_save(actor=staff, region=world_a.region, year=2022, data=StageInput(
        title=title, due_on=due, rule=rule, kind_code=code)) for title, due, rule, code in (
        ("Профили", datetime.date(2022, 3, 31), "risk_profile", ""),
        ("Концепции", datetime.date(2022, 4, 30), "documents", "concept"),
        ("Мероприятия", datetime.date(2022, 6, 30), "measures", ""))]
    item = _measure(world_a.school_coordinator, school_map, risk_factor=risk("R01"),
                    stage=stages[2])
    schedule = schedule_progress(staff, 2022, day=TODAY)
    cells = {s.title: c for s, c in zip(schedule.stages, schedule.rows[0].cells, strict=True)}
    assert schedule.rows[0].school == world_a.school1
    assert cells["Профили"].code == "late"  # verified today, after 31.03.2022
    assert cells["Концепции"].code == "overdue"
    assert (cells["Мероприятия"].code, cells["Мероприятия"].total) == ("overdue", 1)
    assert item.stage == stages[2]
    with pytest.raises(RoadmapError, match="вид документа"):
        stage_save(actor=staff, region=world_a.region, year=2022, data=StageInput(
            title="Без вида", due_on=datetime.date(2022, 5, 1), rule="documents"))
    with pytest.raises(RoadmapError, match="региональный координатор"):
        stage_save(actor=world_a.municipal_coordinator, region=world_a.region, year=2022,
                   data=StageInput(title="Чужой", due_on=datetime.date(2022, 5, 1),
                                   rule="risk_profile"))
    assert PlanStage.objects.count() == 3


# -- reminders ------------------------------------------------------------------------------------
def test_reminders_are_sent_once_per_item_and_day(world_a, current,
                                                  django_capture_on_commit_callbacks):
    staff = world_a.regional_staff
    soon = item_add(actor=staff, roadmap=current, data=ItemInput(
        activity="Сдать отчёт", due_start=TODAY, due_end=TODAY + datetime.timedelta(7)))
    later = item_add(actor=staff, roadmap=current, data=ItemInput(
        activity="Конференция", due_start=TODAY, due_end=TODAY + datetime.timedelta(8)))
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send(day=TODAY) == 1
        assert reminders_send(day=TODAY) == 0  # a second run the same day
        assert reminders_send(day=TODAY + datetime.timedelta(1)) == 1  # «Конференция» now
        assert reminders_send(day=TODAY + datetime.timedelta(2)) == 0  # nothing new
        # the day after «Сдать отчёт» was due: it is newly overdue
        assert reminders_send(day=TODAY + datetime.timedelta(8)) == 1
    kinds = list(Reminder.objects.order_by("day").values_list("item_id", "kind"))
    assert kinds == [(soon.pk, "due_soon"), (later.pk, "due_soon"), (soon.pk, "overdue")]
    notes = Notification.objects.filter(recipient=staff)
    assert notes.count() == 3
    assert "Сдать отчёт" in notes.order_by("created_at").first().body
    assert len([m for m in mail.outbox if staff.email in m.to]) == 3


# -- exports --------------------------------------------------------------------------------------
def test_excel_and_pdf_exports_hold_the_page_figures(world_a, client,
                                                     django_capture_on_commit_callbacks):
    from openpyxl import load_workbook
    from pypdf import PdfReader

    batch = _import(world_a, SEED_003, {"level": "region", "title": "Ростов 2020–2023",
                                        "start_year": 2020, "end_year": 2023})
    roadmap = Roadmap.objects.get(public_id=batch.diff["roadmap"])
    client.force_login(world_a.regional_staff)
    response = client.get(reverse("roadmaps:plan_xlsx", args=[roadmap.public_id]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["C3"].value == "Мероприятие" and sheet.freeze_panes == "A4"
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert len(rows) == 50
    assert rows[0][1] == "1.1" and rows[0][5] == datetime.datetime(2021, 12, 31)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("roadmaps:plan_pdf", args=[roadmap.public_id]))
    assert response.status_code == 302
    job = Job.objects.filter(kind="roadmaps.roadmap_pdf").latest("created_at")
    assert job.status == Job.Status.SUCCEEDED, job.message
    with job.result_file.open("rb") as fh:
        text = "".join(p.extract_text() for p in PdfReader(fh).pages)
    assert "Ростов 2020–2023" in text and "Мероприятий: 50" in text


# -- found by review ------------------------------------------------------------------------------
def test_evidence_is_not_resent_or_withdrawn_behind_the_measure(world_a, school_map):
    from roadmaps.services import DocumentError, document_upload

    item = _measure(world_a.school_coordinator, school_map, risk_factor=risk("R01"))
    item = item_complete(actor=world_a.school_coordinator, item=item,
                         done_on=datetime.date(2022, 3, 20),
                         upload=checked(pdf_bytes("Протокол"), "протокол.pdf"))
    document_transition(actor=world_a.curator, document=item.evidence, action="approve",
                        version_number=1)
    with pytest.raises(DocumentError, match="странице мероприятия"):
        document_upload(actor=world_a.school_coordinator, school=world_a.school1, year=2022,
                        upload=checked(pdf_bytes("Другой"), "другой.pdf"),
                        document=item.evidence)
    item.evidence.refresh_from_db()
    assert (item.evidence.status, item.evidence.version_count) == ("approved", 1)


def test_school_roadmap_follows_the_school_to_its_new_municipality(world_a, school_map):
    from roadmaps.selectors.plans import roadmaps_for

    assert roadmaps_for(world_a.municipal_coordinator).filter(pk=school_map.pk).exists()
    world_a.school1.municipality = world_a.other_municipality
    world_a.school1.save(update_fields=["municipality"])
    assert not roadmaps_for(world_a.municipal_coordinator).filter(pk=school_map.pk).exists()


def test_manual_dates_stay_near_the_roadmap_period(world_a, regional):
    with pytest.raises(RoadmapError, match="периоде дорожной карты"):
        item_add(actor=world_a.regional_staff, roadmap=regional, data=ItemInput(
            activity="Опечатка в годе", due_start=datetime.date(2022, 3, 1),
            due_end=datetime.date(9022, 3, 1)))
    assert not regional.items.exists()


def test_excel_never_turns_text_into_a_formula(world_a, regional, client):
    from openpyxl import load_workbook

    _measure(world_a.regional_staff, regional, activity='=HYPERLINK("http://x","y")')
    client.force_login(world_a.regional_staff)
    response = client.get(reverse("roadmaps:plan_xlsx", args=[regional.public_id]))
    cell = load_workbook(io.BytesIO(response.content)).active["C4"]
    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://x","y")', "s")
