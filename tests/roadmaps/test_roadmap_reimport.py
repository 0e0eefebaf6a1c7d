"""Re-importing a roadmap: the dry run finds the roadmap of the same level, territory and
period, shows what an update would do (new, changed, unchanged measures, and the roadmap's
measures absent from the file — kept), and the apply updates it in one transaction with its
audit; a second copy is never made, silently or on request. Completion marks and evidence
already in the portal survive the update."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from core.jobs import job_run
from core.models import AuditEntry
from roadmaps.importer import ROADMAP_TABLE
from roadmaps.models import Roadmap, RoadmapItem
from roadmaps.services.plans import (
    ItemInput,
    RoadmapError,
    item_complete,
    item_remove,
    item_reopen,
    item_update,
    roadmap_import_apply,
)
from schools.models import ImportBatch
from schools.services import ImportFailure, import_apply_start, import_batch_create
from tests.forms import form_fields
from tests.roadmaps.conftest import checked

pytestmark = pytest.mark.django_db

SEED_001 = Path(settings.BASE_DIR) / "demo" / "data" / "kamensk_uralsky_roadmap_2021.tsv"
SEED_003 = Path(settings.DEMO_DATA_DIR) / "rostov_roadmap_2020_2023.tsv"


def real_pdf() -> bytes:
    """A small PDF with a real cross-reference table (the upload check opens it)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n"
            "%%EOF\n").encode()
    return bytes(out)


def municipal(world, **extra) -> dict:
    return {"level": "municipality", "municipality": str(world.municipality.public_id),
            "title": "Каменск-Уральский 2021", "start_year": 2021, "end_year": 2021, **extra}


def preview(world, params: dict, content: bytes, name: str = "карта.tsv") -> ImportBatch:
    batch, job = import_batch_create(
        actor=world.regional_staff, region=world.region, year=params["start_year"],
        kind=ImportBatch.Kind.ROADMAP, file_name=name, content=content, params=params)
    job_run(job.pk)
    batch.refresh_from_db()
    return batch


def apply(world, batch: ImportBatch) -> ImportBatch:
    job_run(import_apply_start(actor=world.regional_staff, batch=batch).pk)
    batch.refresh_from_db()
    return batch


def imported(world, params: dict, content: bytes) -> Roadmap:
    batch = apply(world, preview(world, params, content))
    assert batch.status == ImportBatch.Status.APPLIED, batch.errors or batch.message
    return Roadmap.objects.get(public_id=batch.diff["roadmap"])


def edited_seed_001() -> bytes:
    """Seed 001 as a keeper sends it again: item 3 reworded, item 5 moved to April, item 2
    reported as not done, item 49 gone, a new item 50."""
    lines = SEED_001.read_text(encoding="utf-8").splitlines()
    out = []
    for line in lines:
        cells = line.split("\t")
        if cells[0] == "3.":
            cells[1] = cells[1].replace("Установочное совещание", "Установочное онлайн-совещание")
        elif cells[0] == "5.":
            cells[2] = "апрель 2021г."
        elif cells[0] == "2.":
            cells[3] = "не выполнено"
        elif cells[0] == "49":
            continue
        out.append("\t".join(cells))
    out.append("50.\tИтоговое совещание по результатам года\tдекабрь 2021\t")
    return ("\n".join(out) + "\n").encode()


@pytest.fixture
def kamensk(world_a):
    """Seed 001 imported once; its item 2 then re-marked in the portal with a protocol."""
    roadmap = imported(world_a, municipal(world_a), SEED_001.read_bytes())
    second = roadmap.items.get(number="2")
    item_reopen(actor=world_a.regional_staff, item=second, reason="приложим протокол")
    item_complete(actor=world_a.regional_staff, item=RoadmapItem.objects.get(pk=second.pk),
                  done_on=datetime.date(2021, 1, 28), note="Протокол собеседований",
                  upload=checked(real_pdf(), "протокол.pdf"))
    return roadmap


def test_reimport_preview_shows_the_existing_roadmap_and_what_would_change(world_a, kamensk,
                                                                           client):
    batch = preview(world_a, municipal(world_a, title="Каменск, новая редакция"),
                    edited_seed_001())
    assert batch.status == ImportBatch.Status.PREVIEWED, batch.errors
    counts, diff = batch.counts, batch.diff
    assert diff["existing"]["public_id"] == str(kamensk.public_id)
    assert (counts["existing"], counts["new"], counts["absent"]) == (1, 1, 1)
    # item 3 reworded (matched by its number), item 5's deadline; item 2's «не выполнено»
    # does not count: its mark in the portal stays
    changed = {c["number"]: {f["label"] for f in c["fields"]} for c in diff["changed"]}
    assert changed == {"3": {"Мероприятие"}, "5": {"Срок"}}
    assert counts["unchanged"] == 46
    assert [a["number"] for a in diff["absent"]] == ["49"]
    assert [k["number"] for k in diff["kept_marks"]] == ["2"]
    assert Roadmap.objects.count() == 1  # the dry run writes nothing
    client.force_login(world_a.regional_staff)
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "Такая дорожная карта уже есть" in page
    assert reverse("roadmaps:plan_detail", args=[kamensk.public_id]) in page
    assert "Обновить существующую дорожную карту" in page
    assert "Мероприятия дорожной карты, которых нет в файле (1)" in page
    assert "Название останется прежним" in page
    assert "Будет обновлена существующая дорожная карта" in page  # the confirm dialog
    fields = form_fields(page, reverse("schools:import_apply", args=[batch.public_id]))
    assert "csrfmiddlewaretoken" in fields


def test_reimport_updates_the_roadmap_and_keeps_marks_evidence_and_absent_measures(
        world_a, kamensk):
    second = kamensk.items.get(number="2")
    evidence_before = (second.evidence_id, second.evidence.version_count)
    batch = apply(world_a, preview(world_a, municipal(world_a), edited_seed_001()))
    assert batch.status == ImportBatch.Status.APPLIED, batch.errors or batch.message
    assert batch.diff["roadmap"] == str(kamensk.public_id)
    assert Roadmap.objects.count() == 1
    kamensk.refresh_from_db()
    assert kamensk.title == "Каменск-Уральский 2021"
    items = kamensk.items.filter(removed_at__isnull=True)
    assert items.count() == 50  # 49 + the new one; 49 absent from the file is kept
    second.refresh_from_db()
    assert (second.done_on, second.done_note) == (datetime.date(2021, 1, 28),
                                                  "Протокол собеседований")
    assert (second.evidence_id, second.evidence.version_count) == evidence_before
    assert items.get(number="3").activity.startswith("Установочное онлайн-совещание")
    fifth = items.get(number="5")
    assert (fifth.deadline_text, fifth.due_end) == ("апрель 2021г.", datetime.date(2021, 4, 30))
    assert items.get(number="49").done_on is not None  # untouched
    fiftieth = items.get(number="50")
    assert fiftieth.done_on is None and fiftieth.due_end == datetime.date(2021, 12, 31)
    assert list(items.order_by("position").values_list("number", flat=True))[-2:] == ["50",
                                                                                     "49"]
    audit = AuditEntry.objects.get(action="roadmaps.roadmap.reimported")
    assert audit.target_id == str(kamensk.public_id)
    assert (audit.data["new"], audit.data["changed"], audit.data["unchanged"]) == (1, 2, 46)
    assert audit.data["absent_kept"] == [str(items.get(number="49").public_id)]
    changes = AuditEntry.objects.filter(action="roadmaps.item.changed",
                                        data__batch=str(batch.public_id))
    assert {e.target_id for e in changes} == {str(items.get(number=n).public_id)
                                              for n in ("3", "5")}
    assert batch.message == "" and "обновлена" in ROADMAP_TABLE.applied_message(batch.counts)


def test_the_same_file_again_changes_nothing(world_a):
    roadmap = imported(world_a, municipal(world_a), SEED_001.read_bytes())
    before = list(roadmap.items.order_by("pk").values_list("pk", "activity", "done_on",
                                                           "position"))
    batch = apply(world_a, preview(world_a, municipal(world_a), SEED_001.read_bytes()))
    assert (batch.counts["new"], batch.counts["changed"], batch.counts["unchanged"],
            batch.counts["absent"]) == (0, 0, 49, 0)
    assert Roadmap.objects.count() == 1
    assert list(roadmap.items.order_by("pk").values_list("pk", "activity", "done_on",
                                                         "position")) == before


def test_asking_for_a_new_roadmap_while_one_exists_is_refused(world_a, kamensk, client):
    batch = preview(world_a, municipal(world_a, existing="create"), edited_seed_001())
    assert batch.status == ImportBatch.Status.INVALID
    assert "уже есть в портале" in batch.diff["blocked"]
    assert "Обновить существующую дорожную карту" in batch.errors[0]["message"]
    with pytest.raises(ImportFailure):
        import_apply_start(actor=world_a.regional_staff, batch=batch)
    client.force_login(world_a.regional_staff)
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "Вторая копия не создаётся" in page
    assert reverse("schools:import_apply", args=[batch.public_id]) not in page
    assert Roadmap.objects.count() == 1 and kamensk.items.count() == 49


def test_update_is_the_default_and_explicit_update_does_the_same(world_a, kamensk):
    batch = apply(world_a, preview(world_a, municipal(world_a, existing="update"),
                                   edited_seed_001()))
    assert batch.status == ImportBatch.Status.APPLIED
    assert Roadmap.objects.count() == 1 and kamensk.items.count() == 50


def test_the_service_refuses_a_twin_even_if_the_importer_were_bypassed(world_a, kamensk):
    batch = preview(world_a, municipal(world_a, existing="create"), edited_seed_001())
    plan, _ = ROADMAP_TABLE.plan(batch, SEED_001.read_bytes())
    with pytest.raises(RoadmapError, match="уже есть"):
        roadmap_import_apply(actor=world_a.regional_staff, batch=batch,
                             params=dict(batch.params), plan=plan)
    assert Roadmap.objects.count() == 1


def test_another_period_or_territory_is_another_roadmap(world_a, kamensk):
    other_period = imported(world_a, municipal(world_a, start_year=2021, end_year=2022),
                            SEED_001.read_bytes())
    other_place = imported(world_a, municipal(
        world_a, municipality=str(world_a.other_municipality.public_id)),
        SEED_001.read_bytes())
    assert len({kamensk.pk, other_period.pk, other_place.pk}) == 3


def test_regional_roadmap_sections_are_matched_by_number(world_a):
    params = {"level": "region", "title": "Ростов 2020–2023", "start_year": 2020,
              "end_year": 2023}
    roadmap = imported(world_a, params, SEED_003.read_bytes())
    text = SEED_003.read_text(encoding="utf-8")
    # the section renamed, a measure moved to another number in its section
    text = text.replace("Информационное сопровождение реализации «дорожной карты»",
                        "Информационное сопровождение «дорожной карты»")
    text = text.replace("\t5.4\t", "\t5.9\t")
    batch = apply(world_a, preview(world_a, params, text.encode()))
    assert (batch.counts["new"], batch.counts["changed"], batch.counts["absent"]) == (0, 1, 0)
    assert roadmap.sections.count() == 5 and roadmap.items.count() == 50
    assert roadmap.sections.get(number="5").title.startswith(
        "Информационное сопровождение «дорожной карты»")
    moved = roadmap.items.get(number="5.9")
    assert moved.section.number == "5" and moved.activity.startswith("Публикации")
    assert batch.diff["renamed"]


def test_a_reworded_measure_is_matched_by_section_and_number(world_a):
    content = ("Раздел\tНазвание раздела\t№\tМероприятие\tСрок\n"
               "1\tОрганизация\t1.1\tСеминар для директоров\tмарт 2022\n"
               "1\tОрганизация\t1.2\tВебинар для кураторов\tапрель 2022\n")
    params = {"level": "region", "title": "Карта", "start_year": 2022, "end_year": 2022}
    roadmap = imported(world_a, params, content.encode())
    first = roadmap.items.get(number="1.1")
    reworded = content.replace("Семинар для директоров", "Семинар-практикум для директоров")
    batch = preview(world_a, params, reworded.encode())
    assert [c["item"] for c in batch.diff["changed"]] == [str(first.public_id)]
    apply(world_a, batch)
    first.refresh_from_db()
    assert first.activity == "Семинар-практикум для директоров"


def test_text_differing_only_in_case_and_punctuation_is_the_same_measure(world_a):
    content = ("№\tМероприятие\tСрок\n"
               "1\tСеминар «Качество образования»\tмарт 2022\n")
    params = {"level": "region", "title": "Карта", "start_year": 2022, "end_year": 2022}
    imported(world_a, params, content.encode())
    again = "№\tМероприятие\tСрок\n7\tсеминар  \"качество образования\".\tмарт 2022\n"
    batch = preview(world_a, params, again.encode())
    assert (batch.counts["new"], batch.counts["changed"]) == (0, 1)  # renumbered only
    assert {f["label"] for f in batch.diff["changed"][0]["fields"]} == {"№"}


def test_a_measure_removed_in_the_portal_is_not_brought_back(world_a):
    content = ("№\tМероприятие\tСрок\n1\tСеминар\tмарт 2022\n2\tВебинар\tапрель 2022\n")
    params = {"level": "region", "title": "Карта", "start_year": 2022, "end_year": 2022}
    roadmap = imported(world_a, params, content.encode())
    item_remove(actor=world_a.regional_staff, item=roadmap.items.get(number="2"),
                reason="объединено с семинаром")
    batch = apply(world_a, preview(world_a, params, content.encode()))
    assert batch.counts["new"] == 0 and batch.counts["not_restored"] == 1
    assert roadmap.items.filter(removed_at__isnull=True).count() == 1
    assert roadmap.items.count() == 2


def test_manual_dates_stay_while_the_deadline_text_is_the_same(world_a):
    content = "№\tМероприятие\tСрок\n1\tСеминар\tпо согласованию\n"
    params = {"level": "region", "title": "Карта", "start_year": 2022, "end_year": 2022}
    roadmap = imported(world_a, params, content.encode())
    item = roadmap.items.get()
    item_update(actor=world_a.regional_staff, item=item, data=ItemInput(
        activity="Семинар", number="1", deadline_text="по согласованию",
        due_start=datetime.date(2022, 5, 1), due_end=datetime.date(2022, 5, 31)))
    batch = apply(world_a, preview(world_a, params, content.encode()))
    assert batch.counts["changed"] == 0
    item.refresh_from_db()
    assert (item.due_start, item.due_end, item.due_manual) == (
        datetime.date(2022, 5, 1), datetime.date(2022, 5, 31), True)


def test_a_measure_needing_evidence_is_not_marked_done_by_the_file(world_a):
    content = "№\tМероприятие\tСрок\tВыполнено\n1\tСеминар\tмарт 2022\t\n"
    params = {"level": "region", "title": "Карта", "start_year": 2022, "end_year": 2022}
    roadmap = imported(world_a, params, content.encode())
    item = roadmap.items.get()
    item_update(actor=world_a.regional_staff, item=item, data=ItemInput(
        activity="Семинар", number="1", deadline_text="март 2022", evidence_required=True))
    batch = apply(world_a, preview(world_a, params, content.replace(
        "\t\n", "\tПроведено 15.03.2022\n").encode()))
    assert [k["number"] for k in batch.diff["needs_evidence"]] == ["1"]
    item.refresh_from_db()
    assert item.done_on is None and item.done_note == "Проведено 15.03.2022"


def test_reimport_marks_done_what_the_file_now_reports(world_a):
    params = {"level": "region", "title": "Карта", "start_year": 2022, "end_year": 2022}
    roadmap = imported(world_a, params,
                       "№\tМероприятие\tСрок\tВыполнено\n1\tСеминар\tмарт 2022\t\n".encode())
    batch = apply(world_a, preview(world_a, params, (
        "№\tМероприятие\tСрок\tВыполнено\n1\tСеминар\tмарт 2022\tда, 15.03.2022\n").encode()))
    assert batch.counts["done"] == 1
    item = roadmap.items.get()
    assert (item.done_on, item.done_by) == (datetime.date(2022, 3, 15), world_a.regional_staff)
    assert AuditEntry.objects.filter(action="roadmaps.item.completed",
                                     target_id=str(item.public_id)).exists()


def test_two_existing_copies_update_the_oldest_and_say_so(world_a):
    params = {"level": "region", "title": "Карта", "start_year": 2022, "end_year": 2022}
    content = "№\tМероприятие\tСрок\n1\tСеминар\tмарт 2022\n".encode()
    first = imported(world_a, params, content)
    # a copy made before re-imports were recognised (the bug this guards against)
    from roadmaps.services.plans import roadmap_create

    roadmap_create(actor=world_a.regional_staff, level="region", region=world_a.region,
                   title="Копия", start_year=2022, end_year=2022)
    batch = preview(world_a, params, content)
    assert batch.diff["existing"]["public_id"] == str(first.public_id)
    assert len(batch.diff["others"]) == 1
    assert any("несколько (2)" in w for w in batch.diff["warnings"])


def test_a_stale_preview_is_checked_again_when_the_roadmap_changed_meanwhile(world_a):
    params = {"level": "region", "title": "Карта", "start_year": 2022, "end_year": 2022}
    content = "№\tМероприятие\tСрок\n1\tСеминар\tмарт 2022\n".encode()
    batch = preview(world_a, params, content)  # nothing exists yet: «будет создана»
    assert batch.counts["existing"] == 0
    imported(world_a, params, content)  # meanwhile someone imports the same roadmap
    job_run(import_apply_start(actor=world_a.regional_staff, batch=batch).pk)
    batch.refresh_from_db()
    assert batch.status != ImportBatch.Status.APPLIED
    assert Roadmap.objects.count() == 1
