"""The import pages, the thresholds page, the list export (form tests render the page
and post its own fields back, STYLE 7.6)."""

import re
from decimal import Decimal
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from core.models import Job
from schools.models import ImportBatch, IndexThresholds, SchoolYear

from .conftest import xlsx

LIST = xlsx([["Логин", "Наименование ОО", "Муниципалитет", "ИОР", "ИСБ"],
             ["sch612001", "МБОУ СОШ № 1", "г. Шахты", "0,7", "0,3"],
             ["sch612002", "МБОУ СОШ № 2", "Пролетарский район", "0,2", "0,2"]],
            title_rows=[["Перечень ШНОР"]])


def _upload(client, world, content=LIST, name="перечень.xlsx", **extra):
    page = client.get(reverse("schools:import_new")).content.decode()
    region_value = re.search(r'<option value="([^"]+)"[^>]*>' + world.region.name, page)
    data = {"year": 2023, "kind": "shnor", "region": region_value.group(1),
            "file": SimpleUploadedFile(name, content), **extra}
    return client.post(reverse("schools:import_new"), data)


def test_upload_preview_apply_through_the_pages(client, rostov_directory,
                                               django_capture_on_commit_callbacks):
    world = rostov_directory
    client.force_login(world.regional_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, world)
    job = Job.objects.get(kind="schools.import_preview")
    assert response["Location"] == job.get_absolute_url()
    batch = ImportBatch.objects.get()
    job.refresh_from_db()
    assert job.result_url == batch.get_absolute_url()
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "Что изменится" in page and "новые школы" in page
    assert "Применить файл" in page and "Сопоставление столбцов" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("schools:import_apply", args=[batch.public_id]))
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.APPLIED
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "Что изменилось" in page and "Применить файл" not in page
    listing = client.get(reverse("schools:import_list")).content.decode()
    assert "перечень.xlsx" in listing and "применён" in listing
    original = client.get(reverse("schools:import_file", args=[batch.public_id]))
    assert original.status_code == 200 and b"".join(original.streaming_content) == LIST


def test_upload_form_errors_are_russian_and_write_nothing(client, world_a):
    client.force_login(world_a.regional_staff)
    response = _upload(client, world_a, content=b"%PDF-1.7 ...", name="list.pdf")
    assert "по содержимому это PDF" in response.content.decode()
    response = client.post(reverse("schools:import_new"), {"year": "", "kind": "shnor"})
    body = response.content.decode()
    assert "Выберите файл." in body and "Укажите год, к которому относятся данные." in body
    assert not ImportBatch.objects.exists()


def test_regional_staff_cannot_choose_another_region_or_federal(client, world_a, world_b):
    client.force_login(world_a.regional_staff)
    page = client.get(reverse("schools:import_new")).content.decode()
    assert world_b.region.name not in page and "федеральный список" not in page
    response = client.post(reverse("schools:import_new"), {
        "year": 2023, "kind": "shnor", "region": str(world_b.region.code),
        "file": SimpleUploadedFile("l.xlsx", LIST)})
    assert "Выберите корректный вариант" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_mapping_form_posts_back_its_own_fields(client, rostov_directory,
                                               django_capture_on_commit_callbacks):
    world = rostov_directory
    client.force_login(world.regional_staff)
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, world)
    batch = ImportBatch.objects.get()
    page = client.get(batch.get_absolute_url()).content.decode()
    form = page[page.index('action="' + reverse("schools:import_mapping",
                                                 args=[batch.public_id])):]
    selects = re.findall(r'<select name="(\w+)"[^>]*>(.*?)</select>', form, flags=re.S)
    data = {}
    for name, options in selects:
        chosen = re.search(r'<option value="([^"]*)" selected', options)
        data[name] = chosen.group(1) if chosen else ""
    assert data["login"] == "0" and data["municipality"] == "2"
    data["ior"], data["isb"] = "", ""  # stop loading the indices
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("schools:import_mapping", args=[batch.public_id]), data)
    assert response.status_code == 302
    batch.refresh_from_db()
    assert "ior" not in batch.mapping and batch.status == ImportBatch.Status.PREVIEWED
    data["full_name"] = data["login"]
    response = client.post(reverse("schools:import_mapping", args=[batch.public_id]), data,
                           follow=True)
    assert "Один столбец файла выбран для нескольких полей." in response.content.decode()


def test_thresholds_compute_groups_in_list_and_school_page(client, rostov_directory,
                                                          django_capture_on_commit_callbacks):
    world = rostov_directory
    client.force_login(world.regional_staff)
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, world)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("schools:import_apply",
                            args=[ImportBatch.objects.get().public_id]))
    list_url = reverse("schools:school_list")
    page = client.get(list_url, {"year": 2023}).content.decode()
    assert "badge group-" not in page  # no thresholds yet: no group
    form_page = client.get(reverse("schools:thresholds")).content.decode()
    region_value = re.search(r'<option value="([^"]+)"[^>]*>' + world.region.name, form_page)
    response = client.post(reverse("schools:thresholds"), {
        "region": region_value.group(1), "year": 2023, "ior_min": "0,5", "isb_min": "0.5"})
    assert response.status_code == 302, response.content.decode()[:500]
    assert IndexThresholds.objects.get().ior_min == Decimal("0.5")
    page = client.get(list_url, {"year": 2023}).content.decode()
    assert 'group-resilient">резильентные' in page and 'group-deprived">депривированные' in page
    only = client.get(list_url, {"year": 2023, "group": "resilient"}).content.decode()
    assert "sch612001" in only and "sch612002" not in only
    school = SchoolYear.objects.get(school__login="sch612001").school
    card = client.get(school.get_absolute_url()).content.decode()
    assert "Статус по годам" in card and 'group-resilient">резильентные' in card
    # the empty sections of the later capabilities say so plainly
    assert "Риск-профиля у школы пока нет" in card


def test_list_filters_and_export_of_exactly_the_filtered_view(client, world_a,
                                                             django_capture_on_commit_callbacks):
    client.force_login(world_a.regional_staff)
    url = reverse("schools:school_list")
    filters = {"year": 2022, "municipality": str(world_a.other_municipality.public_id),
               "flag": "shnor"}
    page = client.get(url, filters).content.decode()
    assert world_a.school_other.short_name in page and world_a.school1.short_name not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("schools:school_export"), filters)
    job = Job.objects.get(kind="schools.export")
    assert response["Location"] == job.get_absolute_url()
    job.refresh_from_db()
    sheet = load_workbook(BytesIO(job.result_file.read()), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Логин ФИС ОКО"
    assert [r[0] for r in rows[1:]] == [world_a.school_other.login]


def test_unknown_year_or_category_is_a_form_error(client, world_a):
    client.force_login(world_a.regional_staff)
    response = client.get(reverse("schools:school_list"), {"year": 1999})
    body = response.content.decode()
    assert response.status_code == 200 and "Выберите корректный вариант" in body
    assert world_a.school1.short_name not in body


def test_list_query_count_is_flat(client, world_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import SchoolFactory, SchoolYearFactory

    client.force_login(world_a.regional_staff)
    url = reverse("schools:school_list")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(15):
        SchoolYearFactory(school=SchoolFactory(municipality=world_a.municipality))
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    # session, user, memberships, years in scope, categories, municipalities (filter),
    # count, one page of rows (school, municipality, region and group joined in)
    assert len(many) == len(few) <= 10


def test_administrator_filters_the_list_by_region(client, admin_user, world_a, world_b):
    client.force_login(admin_user)
    url = reverse("schools:school_list")
    page = client.get(url, {"year": 2022, "region": str(world_b.region.code)})
    body = page.content.decode()
    assert world_b.school1.short_name in body and world_a.school1.short_name not in body
    # regional staff have one region: no region filter to choose from
    client.force_login(world_a.regional_staff)
    assert 'name="region"' not in client.get(url).content.decode()


def test_oversized_upload_is_refused_by_its_size(client, world_a, settings):
    settings.IMPORT_MAX_MB = 1
    client.force_login(world_a.regional_staff)
    response = _upload(client, world_a, content=b"x" * (2 * 1024 * 1024), name="huge.xlsx")
    body = response.content.decode()
    assert "Файл слишком большой (2,0 МБ)" in body
    assert not ImportBatch.objects.exists()
