"""One place for each rule (docs/ARCHITECTURE.md, «Where a rule lives»).

* Every app has ``rules.py``: its role grants, its object predicates and, for each state
  machine, the set of actions a user may take on an object now.
* Views ask ``rules.py`` only: no view imports ``core.permissions`` (or guardian), and every
  ``rules.<name>`` a view uses is defined by that rules module.
* Templates branch on flags (the actions a view passes, or a model's ``is_<state>``), never
  on a status compared to a string literal.
* ``monitoring`` reads other apps through their facts and selectors, never their models.
* Complexity is held down: no function of app code is longer than ``MAX_LINES``
  (ruff's C901 ≤ 15 runs in ``make test`` beside this).
"""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest
from django.apps import apps

ROOT = Path(__file__).resolve().parents[1]
APPS = [a for a in apps.get_app_configs() if Path(a.path).parent == ROOT
        and a.label != "demo"]
DOMAIN = {a.label for a in APPS}
MAX_LINES = 60


def _py(app) -> list[Path]:
    return [p for p in Path(app.path).rglob("*.py") if "migrations" not in p.parts]


def _views(app) -> list[Path]:
    root = Path(app.path)
    found = [p for p in root.glob("views*.py")]
    if (root / "views").is_dir():
        found += list((root / "views").glob("*.py"))
    return found


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("app", APPS, ids=lambda a: a.label)
def test_every_app_has_rules(app):
    assert (Path(app.path) / "rules.py").exists(), (
        f"{app.label}: no rules.py — its role grants, predicates and actions live there")


def _forbidden_permission_imports(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            module = node.module
            names = {a.name for a in node.names}
            if module in {"core.permissions", "guardian.shortcuts"} or module.startswith(
                    "guardian"):
                found.append((node.lineno, module))
            elif module == "core" and "permissions" in names:
                found.append((node.lineno, "core.permissions"))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in {"core.permissions"} or alias.name.startswith("guardian"):
                    found.append((node.lineno, alias.name))
    return found


def _rules_uses(tree: ast.AST) -> list[tuple[int, str]]:
    """``rules.<name>`` attributes used in a module that imports its app's rules."""
    return [(n.lineno, n.attr) for n in ast.walk(tree)
            if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name)
            and n.value.id == "rules"]


def _view_files():
    for app in APPS:
        for path in _views(app):
            yield app, path


@pytest.mark.parametrize("app,path", list(_view_files()),
                         ids=lambda v: _rel(v) if isinstance(v, Path) else v.label)
def test_views_ask_rules_only(app, path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    bad = _forbidden_permission_imports(tree)
    assert not bad, (f"{_rel(path)} imports {bad}: a view asks its app's rules.py "
                     "(a predicate or an actions set), never core.permissions")
    rules = importlib.import_module(f"{app.name}.rules")
    missing = sorted({(line, name) for line, name in _rules_uses(tree)
                      if not hasattr(rules, name)})
    assert not missing, f"{_rel(path)} uses rules functions {app.label}.rules lacks: {missing}"


LITERAL = r"""(?:'[^']*'|"[^"]*")"""
STATUS_COMPARISON = re.compile(
    rf"""\b[\w.]*(?:status|state)\b\s*(?:==|!=|(?:not\s+)?in)\s*{LITERAL}"""
    rf"""|{LITERAL}\s*(?:==|!=)\s*[\w.]*(?:status|state)\b""")
TAG = re.compile(r"{%.*?%}", re.S)


def _templates():
    roots = [ROOT / "templates"] + [Path(a.path) / "templates" for a in APPS]
    for root in roots:
        yield from sorted(root.rglob("*.html")) if root.exists() else []


def test_templates_branch_on_flags_not_status_strings():
    found = []
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        for tag in TAG.finditer(text):
            for match in STATUS_COMPARISON.finditer(tag.group(0)):
                line = text.count("\n", 0, tag.start()) + 1
                found.append(f"{_rel(path)}:{line}: {match.group(0)}")
    assert not found, ("Templates compare a status to a string; pass an actions set or use "
                       "the model's is_<state> flag:\n" + "\n".join(found))


def test_the_status_check_sees_what_it_forbids():
    """The pattern of the check above catches each shape a template might use."""
    for text in ('{% if document.status == "approved" %}', "{% if job.status != 'failed' %}",
                 '{% if p.status in "draft returned" %}', '{% if "x" == batch.status %}',
                 '{% elif i.state == "same" %}'):
        assert STATUS_COMPARISON.search(text), text
    for text in ("{% if document.is_approved %}", '{% if "submit" in actions %}',
                 "{% if batch.status == other.status %}"):
        assert not STATUS_COMPARISON.search(text), text


def _model_imports(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        modules = []
        if isinstance(node, ast.ImportFrom) and node.module:
            modules = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            modules = [a.name for a in node.names]
        for module in modules:
            parts = module.split(".")
            if (parts[0] in DOMAIN - {"core", "monitoring"} and len(parts) > 1
                    and parts[1] == "models"):
                found.append((node.lineno, module))
    return found


def test_monitoring_reads_facts_not_models():
    monitoring = apps.get_app_config("monitoring")
    found = []
    for path in _py(monitoring):
        for line, module in _model_imports(ast.parse(path.read_text(encoding="utf-8"))):
            found.append(f"{_rel(path)}:{line}: {module}")
    assert not found, ("monitoring imports other apps' models; read their facts.py or "
                       "selectors instead:\n" + "\n".join(sorted(set(found))))


def _body_length(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    body = node.body
    first = body[0]
    if (len(body) > 1 and isinstance(first, ast.Expr)
            and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str)):
        first = body[1]  # the docstring does not count
    return node.end_lineno - first.lineno + 1


def test_no_long_functions_in_app_code():
    found = []
    for app in APPS:
        for path in _py(app):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    length = _body_length(node)
                    if length > MAX_LINES:
                        found.append(f"{_rel(path)}:{node.lineno} {node.name}: {length} lines")
    assert not found, (f"Functions longer than {MAX_LINES} lines — split them along what "
                       "they do:\n" + "\n".join(found))
