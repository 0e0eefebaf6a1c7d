"""The app graph of docs/app-graph.toml holds: no app uses another app it may not depend on,
whether through a Python import, a reverse relation accessor or a URL name.

See docs/ARCHITECTURE.md. A failure names the file and line, the app it uses and what to do.
"""

from __future__ import annotations

import ast
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.urls import get_resolver

ROOT = Path(__file__).resolve().parents[1]
GRAPH_FILE = ROOT / "docs" / "app-graph.toml"
#: Project-level templates (base, layouts, partials) are rendered around every page by
#: ``core``'s layout and belong to ``core``.
PROJECT_TEMPLATES = ROOT / "templates"
TEMPLATE_TAG = re.compile(r"{%.*?%}|{{.*?}}", re.S)
URL_TAG = re.compile(r"""{%\s*url\s+['"](?P<name>[\w-]+:[\w:-]+)['"]""")
URL_NAME = re.compile(r"^(?P<ns>\w+):[\w:-]+$")


def _graph() -> dict:
    return tomllib.loads(GRAPH_FILE.read_text(encoding="utf-8"))


ALLOWED: dict[str, set[str]] = {app: set(deps) for app, deps in _graph()["apps"].items()}


@dataclass(frozen=True)
class Use:
    app: str  # the app whose code or template uses another
    uses: str  # the app used
    path: Path
    line: int
    what: str  # e.g. "import training.models", "accessor .routes (training.Route.tutor)"

    @property
    def file(self) -> str:
        return self.path.relative_to(ROOT).as_posix()

    def __str__(self) -> str:
        return (f"{self.file}:{self.line}: {self.app} uses {self.uses} via {self.what}, "
                f"but docs/app-graph.toml does not let {self.app} depend on {self.uses}")


def _project_apps() -> dict[str, Path]:
    return {c.label: Path(c.path) for c in apps.get_app_configs()
            if Path(c.path).parent == ROOT}  # not the installed packages of .venv


def _py_files(app_path: Path) -> Iterator[Path]:
    for path in sorted(app_path.rglob("*.py")):
        if "migrations" not in path.relative_to(app_path).parts:
            yield path


def _templates(app: str, app_path: Path) -> Iterator[Path]:
    yield from sorted((app_path / "templates").rglob("*.html"))
    if app == "core":
        yield from sorted(PROJECT_TEMPLATES.rglob("*.html"))


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _violations(uses: list[Use]) -> list[str]:
    known = {(e["app"], e["uses"], e["file"]) for e in _graph().get("exceptions", [])}
    return [str(u) for u in uses
            if u.uses not in ALLOWED.get(u.app, set()) and (u.app, u.uses, u.file) not in known]


def _all_uses() -> list[Use]:
    return _import_uses() + _accessor_uses() + _url_uses()


# -- the graph itself ---------------------------------------------------------------------------
def test_the_graph_names_every_project_app_and_has_no_cycles():
    project = set(_project_apps())
    assert set(ALLOWED) == project, (
        f"docs/app-graph.toml must list exactly the project's apps {sorted(project)}; "
        f"it lists {sorted(ALLOWED)}")
    for app, deps in ALLOWED.items():
        assert deps <= project - {app}, f"{app} depends on unknown apps {deps - project}"

    def reach(app: str, seen: tuple[str, ...]) -> None:
        for dep in ALLOWED[app]:
            assert dep not in seen, f"cycle in docs/app-graph.toml: {' -> '.join(seen + (dep,))}"
            reach(dep, seen + (dep,))

    for app in ALLOWED:
        reach(app, (app,))


def test_known_exceptions_still_apply():
    """An exception that matches nothing any more was fixed: delete it from the graph file."""
    found = {(u.app, u.uses, u.file) for u in _all_uses()}
    stale = [e for e in _graph().get("exceptions", [])
             if (e["app"], e["uses"], e["file"]) not in found]
    assert stale == [], f"remove these fixed exceptions from docs/app-graph.toml: {stale}"


# -- (a) Python imports -------------------------------------------------------------------------
def _import_uses() -> list[Use]:
    project = _project_apps()
    uses = []
    for app, app_path in project.items():
        for path in _py_files(app_path):
            tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    modules = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    modules = [node.module]
                else:
                    continue
                for module in modules:
                    top = module.split(".")[0]
                    if top in project and top != app:
                        uses.append(Use(app, top, path, node.lineno, f"import {module}"))
    return uses


def test_python_imports_follow_the_graph():
    offences = _violations(_import_uses())
    assert offences == [], (
        "Imports across the app graph (move the code, or let the other app contribute "
        "through core.registry):\n" + "\n".join(offences))


# -- (b) reverse relation accessors -------------------------------------------------------------
def _accessors() -> dict[str, list[tuple[str, str, str]]]:
    """accessor -> [(app defining the relation, app of the target, "Model.field")] for every
    relation field from a model of one app to a model of another: the accessor lives on the
    target's instances, so only apps that may depend on the defining app may read it."""
    project = _project_apps()
    found: dict[str, list[tuple[str, str, str]]] = {}
    for model in apps.get_models():
        owner = model._meta.app_label
        if owner not in project:
            continue
        for field in model._meta.get_fields():
            if not field.is_relation or field.auto_created or field.related_model is None:
                continue
            target = field.related_model._meta.app_label
            if target == owner or not hasattr(field, "remote_field"):
                continue
            accessor = field.remote_field.get_accessor_name()
            if not accessor or accessor.endswith("+"):
                continue
            found.setdefault(accessor, []).append(
                (owner, target, f"{model._meta.label}.{field.name}"))
    return found


def _accessor_uses() -> list[Use]:
    project = _project_apps()
    uses = []
    for accessor, relations in _accessors().items():
        pattern = re.compile(rf"\.{re.escape(accessor)}\b")
        for owner, target, label in relations:
            # a target outside the project (auth.User) is reachable from every app
            readers = [target] if target in project else [a for a in project if a != owner]
            for app in readers:
                what = f"accessor .{accessor} ({label})"
                for path in _py_files(project[app]):
                    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
                    uses += [Use(app, owner, path, node.lineno, what) for node in ast.walk(tree)
                             if isinstance(node, ast.Attribute) and node.attr == accessor]
                for path in _templates(app, project[app]):
                    text = path.read_text(encoding="utf-8")
                    for tag in TEMPLATE_TAG.finditer(text):
                        if pattern.search(tag.group()):
                            uses.append(Use(app, owner, path, _line(text, tag.start()), what))
    return uses


def test_reverse_relation_accessors_follow_the_graph():
    offences = _violations(_accessor_uses())
    assert offences == [], (
        "Reverse relations read from the wrong side of the app graph (the app owning the "
        "relation should publish the data: a section through core.registry, a selector or a "
        "fact):\n" + "\n".join(offences))


# -- (c) URL names ------------------------------------------------------------------------------
def _namespaces() -> dict[str, str]:
    """URL namespace -> project app whose URLconf defines it."""
    project = _project_apps()
    found = {}
    for namespace, (_prefix, resolver) in get_resolver().namespace_dict.items():
        module = getattr(resolver.urlconf_module, "__name__", "")
        app = module.split(".")[0]
        if app in project:
            found[namespace] = app
    return found


def _url_uses() -> list[Use]:
    project = _project_apps()
    namespaces = _namespaces()
    uses = []
    for app, app_path in project.items():
        for path in _py_files(app_path):
            tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
            for node in ast.walk(tree):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    match = URL_NAME.match(node.value)
                    if match and namespaces.get(match["ns"], app) != app:
                        uses.append(Use(app, namespaces[match["ns"]], path, node.lineno,
                                        f'URL name "{node.value}"'))
        for path in _templates(app, app_path):
            text = path.read_text(encoding="utf-8")
            for match in URL_TAG.finditer(text):
                namespace = match["name"].split(":")[0]
                if namespaces.get(namespace, app) != app:
                    uses.append(Use(app, namespaces[namespace], path, _line(text, match.start()),
                                    f"{{% url '{match['name']}' %}}"))
    return uses


def test_url_names_follow_the_graph():
    offences = _violations(_url_uses())
    assert offences == [], (
        "Links to pages of an app this app may not depend on (let that app contribute the "
        "link through core.registry):\n" + "\n".join(offences))


def test_the_checks_see_the_relations_and_links_they_guard():
    """The scans are not vacuous: they find the uses the graph allows, too."""
    assert ("training", "methodists", "training.Route.tutor") in _accessors()["routes"]
    found = {(u.app, u.uses) for u in _all_uses()}
    assert {("training", "methodists"), ("contests", "training"), ("schools", "core")} <= found
