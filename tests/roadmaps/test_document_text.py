"""The text of a .docx for previews and comparisons is read with bounded memory and time:
a bomb of 28 MB of text in ~100 KB shows its beginning and says it was cut."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

from roadmaps.files import DocxText, diff_lines, docx_paragraphs, docx_text, text_diff
from tests.files import docx_bomb, docx_bytes, rezip

ROOT = Path(__file__).resolve().parents[2]
PEAK_LIMIT_MB = 50


def test_paragraphs_and_table_rows_are_read_in_order():
    import docx

    document = docx.Document()
    document.add_paragraph("Концепция развития")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Риск", "Мера"
    table.cell(1, 0).text = "R01"
    document.add_paragraph("")
    document.add_paragraph("Итог")
    out = io.BytesIO()
    document.save(out)
    lines = ["Концепция развития", "Риск | Мера", "R01 | ", "Итог"]  # as the page always had
    assert docx_text(out) == DocxText(lines)
    assert docx_paragraphs(out) == lines


def test_a_long_document_shows_its_beginning_and_says_so(settings):
    settings.PREVIEW_MAX_CHARS = 1000
    paragraphs = [f"Абзац номер {i} концепции развития школы." for i in range(500)]
    text = docx_text(io.BytesIO(docx_bytes(*paragraphs)))
    *whole_lines, cut = text.lines
    assert text.truncated and whole_lines == paragraphs[:len(whole_lines)]
    assert paragraphs[len(whole_lines)].startswith(cut)  # cut inside a paragraph
    assert 950 < sum(len(line) + 1 for line in whole_lines) + len(cut) <= 1000
    whole = docx_text(io.BytesIO(docx_bytes(*paragraphs[:10])))
    assert not whole.truncated and whole.lines == paragraphs[:10]


def test_one_endless_paragraph_is_cut_too(settings):
    settings.PREVIEW_MAX_CHARS = 5000
    text = docx_text(io.BytesIO(docx_bomb(2, one_paragraph=True)))
    assert text.truncated and len(text.lines) == 1 and len(text.lines[0]) <= 5000


def test_the_xml_budget_cuts_a_document_of_markup_without_text(settings):
    settings.PREVIEW_MAX_XML_MB = 1
    empty = (b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/'
             b'main"><w:body><w:p><w:r><w:t>' + "Начало".encode() + b"</w:t></w:r></w:p>"
             + b"<w:p/>" * 400_000 + b"</w:body></w:document>")
    content = rezip(docx_bytes("x"), {"word/document.xml": empty})
    assert docx_text(io.BytesIO(content)) == DocxText(["Начало"], truncated=True)


def test_comparison_runs_on_bounded_text(settings):
    settings.PREVIEW_MAX_CHARS = 2000
    settings.DIFF_MAX_PARAGRAPHS = 40
    old = docx_text(io.BytesIO(docx_bytes(*[f"Пункт {i}" for i in range(300)])))
    new = docx_text(io.BytesIO(docx_bytes(*[f"Пункт {i}" for i in range(300) if i != 3])))
    diff = text_diff(old, new)
    assert diff.truncated
    assert [d.text for d in diff.lines if d and d.op == "removed"] == ["Пункт 3"]


def test_a_diff_of_thousands_of_equal_lines_is_not_quadratic():
    import time

    start = time.perf_counter()
    diff_lines(["—"] * 5000, ["—"] * 2500 + ["новое"] + ["—"] * 2500)
    assert time.perf_counter() - start < 2


_MEASURE = """
import json, sys, tracemalloc
import django
django.setup()
from roadmaps.files import docx_text, text_diff

def rss(field):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field):
                return int(line.split()[1]) / 1024

before = rss("VmRSS:")
tracemalloc.start()
with open(sys.argv[1], "rb") as a, open(sys.argv[1], "rb") as b:
    old, new = docx_text(a), docx_text(b)
    text_diff(old, new)
peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024
tracemalloc.stop()
print(json.dumps({"traced": peak, "rss_growth": rss("VmHWM:") - before,
                  "chars": sum(len(x) for x in old.lines), "truncated": old.truncated}))
"""


def test_a_docx_bomb_preview_and_comparison_stay_under_50_mb(tmp_path):
    bomb = docx_bomb(28)
    assert len(bomb) < 200_000
    path = tmp_path / "bomb.docx"
    path.write_bytes(bomb)
    env = {**os.environ, "PYTHONPATH": str(ROOT),
           "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE",
                                                    "config.settings.test")}
    done = subprocess.run([sys.executable, "-c", _MEASURE, str(path)], cwd=ROOT, env=env,  # noqa: S603
                          capture_output=True, text=True, timeout=120, check=True)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["truncated"] and figures["chars"] <= 200_000
    assert figures["traced"] < PEAK_LIMIT_MB, figures
    assert figures["rss_growth"] < PEAK_LIMIT_MB, figures
