"""Hostile files: each bomb is checked (and, for a .docx, previewed) in a fresh child
process, which prints how much its peak RSS grew over its own baseline, the peak RSS
itself, the time to refuse, and that time as a ratio to checking a real file of the same
type in the same way (baseline measured in the same run).

    python -m benchmarks.bombs        (or as part of ``make bench``)

Bombs: an .xlsx of 390 KB inflating to 400 MB; a .docx of ~150 KB with 28 MB of text
(refused on upload, previewed if stored before); the same .docx whose headers declare
1 KB (a lying header); a .docx padded with 100,000 empty parts; and, for scale, a
federal-size workbook (40,000 × 16), which must pass.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_CHILD = r"""
import json, sys, time
import django
django.setup()
from core.exceptions import DomainError
from core.files import DOCUMENT_KINDS, TABLE_KINDS, upload_check
from roadmaps.files import docx_text

def status(field):
    with open("/proc/self/status") as lines:
        for line in lines:
            if line.startswith(field):
                return int(line.split()[1]) / 1024

mode, path, name = sys.argv[1:4]
before = status("VmRSS:")
start = time.perf_counter()
with open(path, "rb") as stream:
    if mode == "preview":
        text = docx_text(stream)
        chars = f"{sum(len(x) for x in text.lines):,}".replace(",", " ")
        outcome = f"показано {chars} знаков" + (", обрезано" if text.truncated else "")
    else:
        size = stream.seek(0, 2)
        try:
            upload_check(stream, name, size,
                         kinds=TABLE_KINDS if mode == "table" else DOCUMENT_KINDS)
            outcome = "принят"
        except DomainError as exc:
            outcome = "отказ: " + str(exc)[:70]
elapsed = time.perf_counter() - start
print(json.dumps({"seconds": elapsed, "growth_mb": status("VmHWM:") - before,
                  "peak_mb": status("VmHWM:"), "outcome": outcome}))
"""


def _child(mode: str, path: Path, name: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    done = subprocess.run([sys.executable, "-c", _CHILD, mode, str(path), name],  # noqa: S603
                          cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _best(mode: str, path: Path, name: str, repeat: int = 3) -> dict:
    runs = [_child(mode, path, name) for _ in range(repeat)]
    return min(runs, key=lambda r: r["seconds"]) | {
        "growth_mb": max(r["growth_mb"] for r in runs), "peak_mb": max(r["peak_mb"] for r in runs)}


def run() -> None:
    from tests.files import (
        declare_size,
        docx_bomb,
        docx_bytes,
        federal_xlsx,
        many_entries,
        xlsx_bomb,
        xlsx_bytes,
    )

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)

        def put(name: str, content: bytes) -> Path:
            (folder / name).write_bytes(content)
            return folder / name

        docx = docx_bomb(28)
        real_docx = put("real.docx", docx_bytes(*[f"Абзац {i} концепции развития школы."
                                                  for i in range(2000)]))
        real_xlsx = put("real.xlsx", xlsx_bytes([[f"sch{610000 + i}", f"Школа № {i}", i]
                                                  for i in range(5000)]))
        cases = [
            ("xlsx zip bomb → 400 MB, upload", "table", put("bomb.xlsx", xlsx_bomb(400)),
             "list.xlsx", real_xlsx),
            ("docx 28 MB of text, upload", "document", put("text.docx", docx), "c.docx",
             real_docx),
            ("docx 28 MB of text, stored: preview", "preview", folder / "text.docx",
             "c.docx", real_docx),
            ("docx lying header (declares 1 KB), upload", "document",
             put("lying.docx", declare_size(docx, "word/document.xml", 1024)), "c.docx",
             real_docx),
            ("docx with 100,000 entries, upload", "document",
             put("many.docx", many_entries(100_000)), "c.docx", real_docx),
            ("not a bomb: federal xlsx 40,000 × 16, upload", "table",
             put("federal.xlsx", federal_xlsx()), "list.xlsx", real_xlsx),
        ]
        baselines: dict[tuple[str, Path], dict] = {}
        print(f"{'bomb':<44} {'size':>9} {'RSS +MB':>8} {'peak MB':>8} {'time':>8} "
              f"{'ratio':>8}  baseline / outcome")
        for label, mode, path, name, baseline_path in cases:
            key = ("preview" if mode == "preview" else mode, baseline_path)
            if key not in baselines:
                baselines[key] = _best(key[0], baseline_path, baseline_path.name)
            base, result = baselines[key], _best(mode, path, name)
            size = f"{path.stat().st_size / 1024:,.0f} KB".replace(",", " ")
            print(f"{label:<44} {size:>9} {result['growth_mb']:>8.1f} {result['peak_mb']:>8.1f} "
                  f"{result['seconds'] * 1000:>6.0f}ms {result['seconds'] / base['seconds']:>7.2f}×"
                  f"  real {baseline_path.suffix} ({base['seconds'] * 1000:.0f} ms) / "
                  f"{result['outcome']}")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    run()
