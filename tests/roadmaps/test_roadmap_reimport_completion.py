"""The completion column of an imported roadmap («Отметка о выполнении», «Выполнено»,
«Проведено», «Статус выполнения» …): a mark, a date or a report of what was done marks the
measure done, with the cell as its note and the date the cell gives; «не выполнено»,
«перенесено», «в работе», «нет» keep it open. Seed 001's past roadmap is done 49 of 49, not
overdue. And the deadlines of imported measures: several periods and rhythms are stored,
an unreadable deadline is listed in the preview and never counted as recognised."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.conf import settings

from core.jobs import job_run
from roadmaps.deadlines import parse_deadline
from roadmaps.importer import completion_date, read_completion
from roadmaps.models import Roadmap
from roadmaps.selectors.plans import progress_of
from schools.models import ImportBatch
from schools.services import import_apply_start, import_batch_create

pytestmark = pytest.mark.django_db

SEED_001 = Path(settings.BASE_DIR) / "demo" / "data" / "kamensk_uralsky_roadmap_2021.tsv"
D = datetime.date
TODAY = D(2026, 11, 23)
PARAMS = {"level": "region", "title": "Карта 2021", "start_year": 2021, "end_year": 2021}


def load(world, content: bytes, params: dict | None = None) -> ImportBatch:
    params = params or PARAMS
    batch, job = import_batch_create(
        actor=world.regional_staff, region=world.region, year=params["start_year"],
        kind=ImportBatch.Kind.ROADMAP, file_name="карта.tsv", content=content, params=params)
    job_run(job.pk)
    batch.refresh_from_db()
    if batch.status == ImportBatch.Status.PREVIEWED:
        job_run(import_apply_start(actor=world.regional_staff, batch=batch).pk)
        batch.refresh_from_db()
    return batch


def table(header: str, *rows: tuple[str, str, str, str]) -> bytes:
    lines = [f"№\tМероприятие\tСрок\t{header}"] + ["\t".join(r) for r in rows]
    return ("\n".join(lines) + "\n").encode()


# -- reading a cell --------------------------------------------------------------------------
@pytest.mark.parametrize(("cell", "done", "how"), [
    ("Выполнено", True, "mark"),
    ("выполнено.", True, "mark"),
    ("Проведено 12.03.2021", True, "mark"),
    ("Прошло", True, "mark"),
    ("исполнено", True, "mark"),
    ("Исполнено в полном объёме", True, "mark"),
    ("Состоялось", True, "mark"),
    ("Реализовано", True, "mark"),
    ("да", True, "mark"),
    ("Да, 12.03.21", True, "mark"),
    ("+", True, "mark"),
    ("✓", True, "mark"),
    ("✔ 12 марта 2021 г.", True, "mark"),
    ("12.03.2021", True, "date"),
    ("12.03.2021 г.", True, "date"),
    ("Проведены индивидуальные встречи со всеми руководителями.", True, "mark"),
    ("Изданы приказы по школам", True, "report"),
    ("В семинаре приняли участие муниципальная координационная группа", True, "report"),
    # «в работе» inside a report is not the status «в работе»
    ("В ИМД приняли участие администрация школ в работе групп", True, "report"),
    ("Проведено 3 семинара, четвёртый перенесён на сентябрь", True, "mark"),
    ("Семинар перенесён на сентябрь", False, "open"),
    ("Из 4 семинаров проведено 3, один не проведён", False, "open"),
    ("не выполнено", False, "open"),
    ("Не выполнено: нет помещения", False, "open"),
    ("перенесено на сентябрь", False, "open"),
    ("Перенос на 2022 год", False, "open"),
    ("в работе", False, "open"),
    ("В процессе", False, "open"),
    ("нет", False, "open"),
    ("Нет.", False, "open"),
    ("выполняется", False, "open"),
    ("частично выполнено", False, "open"),
    ("Будет проведено в мае", False, "open"),
    ("отменено", False, "open"),
    ("не проводилось", False, "open"),
    ("0%", False, "open"),
    ("", False, ""),
    ("—", False, ""),
    ("-", False, ""),
])
def test_a_completion_cell_is_read(cell, done, how):
    got = read_completion(cell)
    assert (got.done, got.how) == (done, how)
    assert got.note == ("" if how == "" else cell.strip())


@pytest.mark.parametrize(("cell", "deadline", "day"), [
    ("Проведено 12.03.2021", "март 2021", D(2021, 3, 12)),
    ("Проведено 12.03.21", "март 2021", D(2021, 3, 12)),
    ("Проведено 12 марта 2021 г.", "март 2021", D(2021, 3, 12)),
    ("Выполнено", "март 2021", D(2021, 3, 31)),          # no date: the deadline's last day
    ("Выполнено", "по согласованию", TODAY),              # no date, no deadline: today
    ("Выполнено", "декабрь 2026", TODAY),                 # the deadline is still ahead
    ("Выполнено 12.03.2030", "март 2021", D(2021, 3, 31)),  # a future date is not a completion
    ("Приказ от 10.01.2015, проведено", "март 2021", D(2021, 3, 31)),  # before the period
    ("с 16.08 по 03.09.2021 проходили обучение", "август 2021", D(2021, 9, 3)),
])
def test_the_day_a_measure_was_done(cell, deadline, day):
    got = completion_date(read_completion(cell), parse_deadline(deadline, start_year=2021),
                          start_year=2021, today=TODAY)
    assert got == day


# -- through the import ------------------------------------------------------------------------
@pytest.mark.parametrize("header", [
    "Отметка о выполнении", "Выполнено", "Прошло", "Проведено", "Исполнено",
    "Отметка об исполнении", "Статус выполнения", "Информация о выполнении", "Что проведено",
    "Отметка о выполнении (дата, примечание)",
])
def test_completion_column_is_found_under_its_names(world_a, header):
    batch = load(world_a, table(header, ("1", "Семинар", "март 2021", "Проведено 12.03.2021"),
                                ("2", "Вебинар", "апрель 2021", "перенесено")))
    assert batch.status == ImportBatch.Status.APPLIED, batch.errors or batch.message
    assert batch.mapping.get("done_note") == 3, batch.mapping
    roadmap = Roadmap.objects.get(public_id=batch.diff["roadmap"])
    first, second = roadmap.items.order_by("position")
    assert (first.done_on, first.done_note, first.done_by) == (
        D(2021, 3, 12), "Проведено 12.03.2021", world_a.regional_staff)
    assert (second.done_on, second.done_note) == (None, "перенесено")
    assert batch.counts["done"] == 1


def test_not_done_measures_of_a_past_roadmap_stay_overdue(world_a):
    batch = load(world_a, table("Выполнено", ("1", "Семинар", "март 2021", "да"),
                                ("2", "Вебинар", "апрель 2021", "нет"),
                                ("3", "Совещание", "май 2021", "")))
    roadmap = Roadmap.objects.get(public_id=batch.diff["roadmap"])
    progress = progress_of([roadmap], day=TODAY)[roadmap.pk]
    assert (progress.total, progress.completed, progress.overdue) == (3, 1, 2)


def test_seed_001_past_roadmap_is_done_49_of_49_not_overdue(world_a, client):
    batch = load(world_a, SEED_001.read_bytes(), {
        "level": "municipality", "municipality": str(world_a.municipality.public_id),
        "title": "Каменск-Уральский 2021", "start_year": 2021, "end_year": 2021})
    assert batch.counts["done"] == 49
    roadmap = Roadmap.objects.get(public_id=batch.diff["roadmap"])
    progress = progress_of([roadmap])[roadmap.pk]
    assert (progress.total, progress.completed, progress.overdue) == (49, 49, 0)
    # each mark is dated from its cell when it gives a date, else by the deadline
    assert roadmap.items.get(number="46").done_on == D(2021, 9, 3)  # «… по 03.09.2021 …»
    assert roadmap.items.get(number="2").done_on == D(2021, 1, 31)  # «январь 2021»
    client.force_login(world_a.regional_staff)
    page = client.get(roadmap.get_absolute_url()).content.decode()
    assert "Выполнено 49 из 49 (100%)" in page and "просрочено" not in page
    preview = client.get(batch.get_absolute_url()).content.decode()
    assert "выполнено по отметкам файла" in preview and "отчёт в файле" in preview


# -- deadlines of imported measures -----------------------------------------------------------
def test_imported_deadlines_store_their_periods_and_rhythm(world_a):
    batch = load(world_a, table(
        "Отметка о выполнении",
        ("1", "Курсы", "июнь, сентябрь 2021", ""),
        ("2", "Заседания группы", "один раз в две недели", ""),
        ("3", "Совещания", "не реже 1 раза в неделю", ""),
        ("4", "Мониторинг", "ежеквартально", ""),
        ("5", "Отчёт", "2 раза в год", ""),
        ("6", "Встреча", "по согласованию", ""),
        ("7", "Визит", "после 01.03.2021", "")))
    roadmap = Roadmap.objects.get(public_id=batch.diff["roadmap"])
    items = {i.number: i for i in roadmap.items.all()}
    assert items["1"].due_periods == [["2021-06-01", "2021-06-30"], ["2021-09-01", "2021-09-30"]]
    assert (items["1"].due_start, items["1"].due_end) == (D(2021, 6, 1), D(2021, 9, 30))
    assert [items[n].recurrence for n in "2345"] == ["1/2/week", "1/1/week", "1/1/quarter",
                                                     "2/1/year"]
    assert all(items[n].recurring for n in "2345")
    assert items["6"].due_end is None and items["7"].due_end is None
    # the preview lists what was not understood and never counts it as recognised
    assert (batch.counts["parsed"], batch.counts["unparsed"]) == (5, 2)
    assert [(u["number"], u["deadline"]) for u in batch.diff["unparsed"]] == [
        ("6", "по согласованию"), ("7", "после 01.03.2021")]
    readings = {i["number"]: i["reading"] for i in batch.diff["items"]}
    assert readings["1"] == "01.06.2021–30.06.2021; 01.09.2021–30.09.2021"
    assert readings["2"].endswith("раз в 2 недели")
    assert readings["7"] == "не распознан"


def test_preview_page_lists_unparsed_deadlines_and_how_others_were_read(world_a, client):
    content = table("Выполнено", ("1", "Курсы", "июнь, сентябрь 2021", ""),
                    ("2", "Встреча", "после 01.03.2021", ""))
    batch, job = import_batch_create(
        actor=world_a.regional_staff, region=world_a.region, year=2021,
        kind=ImportBatch.Kind.ROADMAP, file_name="карта.tsv", content=content, params=PARAMS)
    job_run(job.pk)
    batch.refresh_from_db()
    client.force_login(world_a.regional_staff)
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "Сроки, которые не распознаны (1)" in page
    assert "01.06.2021–30.06.2021; 01.09.2021–30.09.2021" in page
    assert "срок не распознан (нужны даты)" in page
    assert "Будет создана дорожная карта: 0 разделов, 2 мероприятия." in page


def test_reimport_reads_an_old_deadline_better_and_says_so(world_a):
    """A roadmap stored before several periods were read: the same text, new dates."""
    batch = load(world_a, table("Выполнено", ("1", "Курсы", "июнь, сентябрь 2021", "")))
    roadmap = Roadmap.objects.get(public_id=batch.diff["roadmap"])
    roadmap.items.update(due_periods=[], recurrence="")  # as the old parser left it
    again, job = import_batch_create(
        actor=world_a.regional_staff, region=world_a.region, year=2021,
        kind=ImportBatch.Kind.ROADMAP, file_name="карта.tsv",
        content=table("Выполнено", ("1", "Курсы", "июнь, сентябрь 2021", "")), params=PARAMS)
    job_run(job.pk)
    again.refresh_from_db()
    assert [f["label"] for f in again.diff["changed"][0]["fields"]] == ["Даты срока"]
