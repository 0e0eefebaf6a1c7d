"""Every stored file goes through Django's storage API, so with FILE_STORAGE=s3 it lives in
the object store and nowhere on the host: document versions, job results, import originals.
These tests run against a real S3-compatible server (moto's, started for them)."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.files import upload_stored
from core.models import Job
from roadmaps.models import DocumentVersion
from schools.models import ImportBatch
from tests.forms import form_fields
from tests.roadmaps.conftest import checked, kinds, pdf_bytes, upload  # noqa: F401
from tests.schools.conftest import rostov_directory  # noqa: F401
from tests.schools.test_import_views import LIST, _upload

pytestmark = pytest.mark.django_db


def _keys(s3) -> list[str]:
    client, bucket = s3
    return sorted(o["Key"] for o in client.list_objects_v2(Bucket=bucket).get("Contents", []))


def _object(s3, key: str) -> bytes:
    client, bucket = s3
    return client.get_object(Bucket=bucket, Key=key)["Body"].read()


def _local_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_a_version_is_stored_in_the_bucket_and_served_after_the_permission_check(
        client, s3, settings, world_a, world_b, kinds):  # noqa: F811
    content = pdf_bytes("концепция в хранилище")
    version = upload(world_a, kinds, content=content)
    assert _keys(s3) == [version.file.name]
    assert _object(s3, version.file.name) == content
    assert _local_files(settings) == []
    client.force_login(world_a.curator)
    response = client.get(version.get_download_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Cache-Control"] == "private, no-store"
    client.force_login(world_b.curator)
    assert client.get(version.get_download_url()).status_code == 404


def test_a_new_version_of_the_same_name_never_replaces_the_old_one(
        client, s3, world_a, kinds):  # noqa: F811
    first = upload(world_a, kinds, content=pdf_bytes("первая"), name="концепция.pdf")
    second = upload(world_a, kinds, content=pdf_bytes("вторая"), name="концепция.pdf",
                    document=first.document)
    assert first.file.name != second.file.name and len(_keys(s3)) == 2
    client.force_login(world_a.regional_staff)
    for version, text in ((first, "первая"), (second, "вторая")):
        body = b"".join(client.get(version.get_download_url()).streaming_content)
        assert body == pdf_bytes(text)
    # the storage itself refuses to write over a taken name
    again = default_storage.save(first.file.name, ContentFile(b"other bytes"))
    assert again != first.file.name and _object(s3, first.file.name) == pdf_bytes("первая")


def test_an_object_lost_from_the_bucket_is_a_404_not_an_error(
        client, s3, world_a, kinds):  # noqa: F811
    version = upload(world_a, kinds)
    s3[0].delete_object(Bucket=s3[1], Key=version.file.name)
    client.force_login(world_a.curator)
    response = client.get(version.get_download_url())
    assert response.status_code == 404


def test_a_refused_write_leaves_nothing_in_the_bucket(s3):
    upload = checked(pdf_bytes("черновик"))
    with pytest.raises(RuntimeError), upload_stored(upload, "documents/черновик.pdf") as name:
        assert _keys(s3) == [name]
        raise RuntimeError("the database refused")
    assert _keys(s3) == []


def test_a_report_built_by_a_job_is_stored_in_the_bucket_and_downloaded(
        client, s3, settings, world_a, django_capture_on_commit_callbacks):
    client.force_login(world_a.regional_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("monitoring:report_start"),
                               {"format": "xlsx", "year": "2022"})
    assert response.status_code == 302
    job = Job.objects.get(created_by=world_a.regional_staff)
    assert job.status == Job.Status.SUCCEEDED, job.message
    assert _keys(s3) == [job.result_file.name] and _local_files(settings) == []
    download = client.get(reverse("core:job_download", args=[job.public_id]))
    assert download.status_code == 200
    body = b"".join(download.streaming_content)
    assert body == _object(s3, job.result_file.name) and body[:2] == b"PK"


def test_an_import_original_is_read_back_from_the_bucket_for_its_dry_run(
        client, s3, settings, rostov_directory, django_capture_on_commit_callbacks):  # noqa: F811
    client.force_login(rostov_directory.regional_staff)
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, rostov_directory)
    batch = ImportBatch.objects.get()
    assert _keys(s3) == [batch.file.name] and _local_files(settings) == []
    assert batch.status == ImportBatch.Status.PREVIEWED, batch.message
    assert batch.counts
    original = client.get(reverse("schools:import_file", args=[batch.public_id]))
    assert b"".join(original.streaming_content) == LIST


def test_no_file_field_pins_its_files_to_the_local_disk():
    """No model pins a file to the local disk: every FileField uses the default storage,
    the one FILE_STORAGE chooses."""
    from django.apps import apps
    from django.core.files.storage import default_storage as default
    from django.db.models import FileField

    fields = [f for m in apps.get_models() for f in m._meta.fields if isinstance(f, FileField)]
    assert len(fields) >= 10
    assert [f"{f.model.__name__}.{f.name}" for f in fields if f.storage is not default] == []


def test_a_file_uploaded_through_a_page_is_not_written_to_the_host(client, s3, settings,
                                                                   world_a, kinds):  # noqa: F811
    """A school coordinator's upload through the page, with the page's own fields: the bytes
    reach the bucket and nothing is written under the host's media directory (a large
    upload waits in a temporary file outside it)."""
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
    client.force_login(world_a.school_coordinator)
    url = reverse("roadmaps:document_upload", args=[world_a.school1.public_id, 2022])
    fields = form_fields(client.get(url + "?kind=concept").content.decode(), url)
    content = pdf_bytes("через страницу " + "текст " * 400)
    assert len(content) > settings.FILE_UPLOAD_MAX_MEMORY_SIZE
    fields["file"] = SimpleUploadedFile("концепция.pdf", content)
    response = client.post(url, fields)
    version = DocumentVersion.objects.get()
    assert response.status_code == 302
    assert _keys(s3) == [version.file.name] and _object(s3, version.file.name) == content
    assert _local_files(settings) == []
