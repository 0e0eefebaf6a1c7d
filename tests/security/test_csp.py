"""Content-Security-Policy (issue 22): every page carries the header, scripts only from our
origin; the templates hold nothing the policy would refuse (inline handlers, style
attributes or elements, inline scripts, javascript: URLs); the inline-stylesheet hashes the
policy allows match the plotly.js we ship. The browser side is tests/e2e/test_csp.py."""

import base64
import hashlib
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from config.settings.csp import CONTENT_SECURITY_POLICY, EMPTY_STYLE_SHA256

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)
SKIPPED_DIRS = {".venv", "node_modules", "staticfiles", "build"}

HANDLER = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=\s*[\"']", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style[\s>]", re.IGNORECASE)
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"javascript:", re.IGNORECASE)
# The fixed-text stylesheets plotly.js appends when it loads (MapLibre's, in 4.1.1).
PLOTLY_FIXED_STYLE = re.compile(
    r"createElement\(\"style\"\);\w+\.id=\"[0-9a-f]+\",\w+\.textContent='([^'\\]*)'")


def _templates() -> list[Path]:
    found = set(ROOT.glob("templates/**/*.html")) | set(ROOT.glob("*/templates/**/*.html"))
    return sorted(p for p in found if not SKIPPED_DIRS & set(p.relative_to(ROOT).parts))


def _is_pdf(path: Path) -> bool:
    # WeasyPrint templates (STYLE 3.4) never reach a browser; their <style> is fine.
    return "pdf" in path.parts or path.stem == "pdf"


def _refused(text: str, pdf: bool) -> list[tuple[int, str]]:
    """(offset, what) of everything in a template the CSP would refuse."""
    found = [(m.start(), "inline event handler") for m in HANDLER.finditer(text)]
    found += [(m.start(), "style attribute") for m in STYLE_ATTRIBUTE.finditer(text)]
    found += [(m.start(), "javascript: URL") for m in JAVASCRIPT_URL.finditer(text)]
    if not pdf:
        found += [(m.start(), "<style> element") for m in STYLE_ELEMENT.finditer(text)]
    for m in SCRIPT_TAG.finditer(text):
        attributes = m.group(1)
        if re.search(r"\ssrc\s*=", attributes):
            continue
        if re.search(r"type\s*=\s*[\"']application/(ld\+)?json[\"']", attributes):
            continue
        found.append((m.start(), "inline <script>"))
    return found


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_a_page_sends_the_policy_without_inline_scripts(client, world_a):
    client.force_login(world_a.regional_staff)
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split("; ")}
    assert directives["script-src"] == ["'self'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'self'"]
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert "http" not in policy  # nothing from a CDN


def test_the_login_page_sends_the_policy_too(client):
    response = client.get(reverse("login"))
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_the_guard_finds_what_the_policy_refuses():
    sample = ('<form onsubmit="return confirm(\'x\')"><span style="left: 1%"></span>'
              '<script>alert(1)</script><script src="/static/a.js"></script>'
              '<script id="d" type="application/json">{}</script><a href="javascript:go()">'
              '<style>p{}</style>')
    assert [what for _, what in sorted(_refused(sample, pdf=False))] == [
        "inline event handler", "style attribute", "inline <script>", "javascript: URL",
        "<style> element"]
    assert _refused('<form data-confirm="Удалить?"><button>x</button></form>', pdf=False) == []


def test_no_template_holds_what_the_policy_refuses():
    templates = _templates()
    assert len(templates) > 100  # the glob found the apps' templates
    problems = []
    for path in templates:
        text = path.read_text(encoding="utf-8")
        for offset, what in _refused(text, pdf=_is_pdf(path)):
            line = text.count("\n", 0, offset) + 1
            snippet = text.splitlines()[line - 1].strip()[:120]
            problems.append(f"{path.relative_to(ROOT)}:{line}: {what}: {snippet}")
    assert problems == [], "\n".join(
        ["Use data-confirm / static JS and CSS classes instead:", *problems])


def test_style_hashes_match_the_plotly_we_ship():
    bundles = sorted((ROOT / "static" / "vendor" / "plotly").glob("*.js"))
    assert bundles, "plotly.js is expected under static/vendor/plotly"
    needed = {EMPTY_STYLE_SHA256}
    for bundle in bundles:
        needed |= {_sha256(text) for text in
                   PLOTLY_FIXED_STYLE.findall(bundle.read_text(encoding="utf-8"))}
    allowed = set(CONTENT_SECURITY_POLICY["DIRECTIVES"]["style-src"]) - {"'self'"}
    assert _sha256("") == EMPTY_STYLE_SHA256
    assert allowed == needed, "update the style-src hashes in config/settings/csp.py"
