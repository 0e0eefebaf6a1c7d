"""One registry of upload points: every file field of every form of the project and every
view reading ``request.FILES`` goes through a registered point (``core.files``), and every
point refuses the fake PDF and stores nothing.

When this fails for a new form: declare the point next to the form and clean the field
with it — ``POINT = register_upload_point("app.what", "Что загружают", kinds)`` and, in
the form's body, ``clean_<field> = POINT.form_clean()``."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import RequestFactory
from django.urls import reverse

from core.files import TABLE_KINDS, UPLOAD_POINTS, _FormClean
from tests.files import docx_bytes, pdf_bytes, xlsx_bytes

FAKE_PDF = b"%PDF-1.4\n% not a pdf\n%%EOF"
ROOT = Path(settings.BASE_DIR).resolve()


def _project_apps() -> list:
    return [a for a in apps.get_app_configs()
            if Path(a.path).resolve().is_relative_to(ROOT) and ".venv" not in Path(a.path).parts]


def _import_everything() -> None:
    for config in _project_apps():
        package = importlib.import_module(config.name)
        for module in pkgutil.walk_packages(package.__path__, f"{config.name}."):
            if ".migrations" in module.name or ".tests" in module.name:
                continue
            importlib.import_module(module.name)


def _form_classes() -> list[type[forms.BaseForm]]:
    _import_everything()
    names = {c.name for c in _project_apps()}
    seen, stack = [], [forms.BaseForm]
    while stack:
        for sub in stack.pop().__subclasses__():
            stack.append(sub)
            if sub.__module__.split(".")[0] in names and sub not in seen:
                seen.append(sub)
    return seen


def _file_fields(cls) -> list[str]:
    return [name for name, field in cls.base_fields.items()
            if isinstance(field, forms.FileField)]


def _point_of(cls, name: str):
    cleaner = inspect.getattr_static(cls, f"clean_{name}", None)
    if isinstance(cleaner, _FormClean) and UPLOAD_POINTS.get(cleaner.point.name) is cleaner.point:
        return cleaner.point
    return None


def test_the_walk_finds_the_known_upload_forms():
    found = {f"{c.__module__}.{c.__qualname__}" for c in _form_classes() if _file_fields(c)}
    assert {"roadmaps.forms.VersionForm", "roadmaps.forms.NewDocumentForm",
            "curators.forms.LogForm", "contests.forms.MaterialForm"} <= found


def test_every_file_field_of_every_form_goes_through_a_registered_point():
    missing = [f"{c.__module__}.{c.__qualname__}.{name}" for c in _form_classes()
               for name in _file_fields(c) if _point_of(c, name) is None]
    assert not missing, (
        "These file fields are not checked by a registered upload point (core.files): "
        f"{missing}. Declare POINT = register_upload_point('app.what', 'Что загружают', "
        "kinds) and put clean_<field> = POINT.form_clean() in the form.")


def _reads_of_request_files(tree: ast.AST):
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "FILES":
            call, up = None, node
            while up in parents and not isinstance(up, ast.stmt):
                up = parents[up]
                if isinstance(up, ast.Call) and up.func is not node:
                    call = up
                    break
            function = next((p for p in _ancestors(node, parents)
                             if isinstance(p, (ast.FunctionDef, ast.AsyncFunctionDef))), None)
            yield node, call, function.name if function else "<module>"


def _ancestors(node, parents):
    while node in parents:
        node = parents[node]
        yield node


def test_every_view_reading_request_files_hands_them_to_a_registered_form():
    problems = []
    for config in _project_apps():
        for path in Path(config.path).rglob("*.py"):
            if "migrations" in path.parts or "tests" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            module_name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            for node, call, function in _reads_of_request_files(tree):
                where = f"{module_name}.{function} (line {node.lineno})"
                if call is None or not isinstance(call.func, (ast.Name, ast.Attribute)):
                    problems.append(f"{where}: request.FILES is read outside a form")
                    continue
                module = importlib.import_module(module_name)
                form = (getattr(module, call.func.id, None) if isinstance(call.func, ast.Name)
                        else None)
                if not (inspect.isclass(form) and issubclass(form, forms.BaseForm)):
                    problems.append(f"{where}: request.FILES goes to {ast.unparse(call.func)}, "
                                    "not to a form class")
                elif not _file_fields(form) or any(_point_of(form, n) is None
                                                   for n in _file_fields(form)):
                    problems.append(f"{where}: {form.__qualname__} has a file field without "
                                    "a registered upload point")
    assert not problems, problems


def test_no_admin_page_uploads_files_around_the_checks():
    superuser = SimpleNamespace(is_active=True, is_staff=True, is_superuser=True,
                                has_perm=lambda *a, **k: True, has_perms=lambda *a, **k: True,
                                has_module_perms=lambda *a, **k: True)
    request = RequestFactory().get("/admin/")
    request.user = superuser
    problems = []
    for model, model_admin in admin.site._registry.items():
        file_fields = [f.name for f in model._meta.get_fields()
                       if isinstance(f, models.FileField)]
        if not file_fields:
            continue
        writable = model_admin.has_add_permission(request) or \
            model_admin.has_change_permission(request)
        readonly = set(model_admin.get_readonly_fields(request)) | set(
            model_admin.exclude or ())
        open_fields = [f for f in file_fields if f not in readonly]
        if writable and open_fields:
            problems.append(f"{model._meta.label}: {open_fields}")
    assert not problems, f"Admin pages that accept files without the upload checks: {problems}"


# -- every point refuses a fake and stores nothing -------------------------------------------
def _points_with_fields() -> list[tuple[str, str]]:
    _form_classes()
    return [(point.name, path) for point in UPLOAD_POINTS.values() for path in point.fields]


def _bare_form(path: str, upload):
    module_name, class_name, field = path.rsplit(".", 2)
    cls = getattr(importlib.import_module(module_name), class_name)
    form = cls.__new__(cls)  # only the field's own cleaning runs: no constructor arguments
    form.cleaned_data = {field: upload}
    return getattr(form, f"clean_{field}")


@pytest.mark.parametrize(("point", "path"), _points_with_fields())
def test_each_point_refuses_the_fake_pdf_and_stores_nothing(point, path, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    clean = _bare_form(path, SimpleUploadedFile("fake.docx", FAKE_PDF))
    with pytest.raises(forms.ValidationError) as caught:
        clean()
    message = " ".join(caught.value.messages)
    assert "PDF" in message or "по содержимому" in message, message
    assert not any(tmp_path.rglob("*")), "a refused file was stored"


@pytest.mark.parametrize(("point", "path"), _points_with_fields())
def test_each_point_accepts_a_real_file_of_its_kind(point, path):
    tables = UPLOAD_POINTS[point].kinds == TABLE_KINDS
    content, name = (xlsx_bytes(), "список.xlsx") if tables else (pdf_bytes(), "Файл.pdf")
    upload = _bare_form(path, SimpleUploadedFile(name, content))()
    assert upload.name == name and upload.point == point and upload.read() == content


def test_every_point_is_named_in_russian_and_accepts_known_kinds():
    _form_classes()
    for point in UPLOAD_POINTS.values():
        assert point.label and any("а" <= ch <= "я" for ch in point.label.lower()), point
        assert point.fields, f"{point.name} is registered but no form uses it"


# -- through the pages: refused, nothing written ---------------------------------------------
def _media_files(root) -> list:
    return [p for p in Path(root).rglob("*") if p.is_file()]


@pytest.mark.django_db
def test_the_document_page_refuses_the_fake_pdf_and_writes_nothing(client, world_a, settings,
                                                                  tmp_path):
    from roadmaps.models import Document, DocumentVersion
    from roadmaps.services import kinds_load

    settings.MEDIA_ROOT = str(tmp_path)
    kinds_load(actor=None, year=2022)
    client.force_login(world_a.school_coordinator)
    url = reverse("roadmaps:document_upload", args=[world_a.school1.public_id, 2022])
    response = client.post(url, {"kind": "concept",
                                 "file": SimpleUploadedFile("fake.docx", FAKE_PDF)})
    assert response.status_code == 400
    assert "не открывается как PDF" in response.content.decode()
    assert not Document.objects.exists() and not DocumentVersion.objects.exists()
    assert not _media_files(tmp_path)
    response = client.post(url, {"kind": "concept",
                                 "file": SimpleUploadedFile("Концепция.docx",
                                                            docx_bytes("Концепция"))})
    assert response.status_code == 302 and DocumentVersion.objects.get().extension == "docx"


@pytest.mark.django_db
def test_the_curator_order_refuses_the_fake_pdf_and_writes_nothing(client, world_a, settings,
                                                                   tmp_path):
    from curators.models import CuratorOrder

    settings.MEDIA_ROOT = str(tmp_path)
    client.force_login(world_a.regional_staff)
    response = client.post(reverse("curators:order_create"), {
        "number": "235", "date": "2022-03-09",
        "file": SimpleUploadedFile("prikaz.docx", FAKE_PDF)})
    assert response.status_code == 400
    assert not CuratorOrder.objects.exists() and not _media_files(tmp_path)

