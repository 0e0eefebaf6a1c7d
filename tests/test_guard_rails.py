"""STYLE 4.4: views, forms and template tags never touch a tenant-owned model's manager;
they read through scoped selectors."""

import ast
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parents[1]
CHECKED = ("views.py", "forms.py", "filters.py")


def _tenant_model_names() -> set[str]:
    names = set()
    for model in apps.get_models():
        fields = {f.name for f in model._meta.get_fields()}
        if fields & {"region", "school", "municipality"} or model.__name__ in {
            "Region", "Municipality", "School"}:
            names.add(model.__name__)
    return names


def _files():
    for app in apps.get_app_configs():
        path = Path(app.path)
        if ROOT not in path.parents:
            continue
        for name in CHECKED:
            if (path / name).exists():
                yield path / name
        yield from path.glob("views_*.py")
        yield from (path / "views").glob("*.py")  # an app whose views are a package
        yield from (path / "templatetags").glob("*.py")


def test_tenant_models_are_known():
    names = _tenant_model_names()
    assert {"School", "Region", "Municipality", "RoleMembership", "AuditEntry",
            "CuratorAssignment"} <= names


def test_views_forms_and_tags_use_selectors_not_managers():
    tenant = _tenant_model_names()
    offences = []
    for path in _files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and node.attr in ("objects", "_default_manager")
                    and isinstance(node.value, ast.Name) and node.value.id in tenant):
                offences.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.value.id}")
    assert offences == []
