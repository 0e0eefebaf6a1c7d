"""What a person trying the demo meets (issue 23): `make run` says where the portal is,
the demo load prints no raw e-mail, and a wrong address gives the portal's own Russian
404 page, not Django's English debug page — under the demo's own settings (config.settings.dev)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]

# Runs under config.settings.dev in a fresh interpreter: a 404 and a static file through
# the whole middleware stack (no database needed for either), and the settings that matter.
PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
client = Client(HTTP_HOST="127.0.0.1")
missing = client.get("/no-such-page/")
static = client.get("/static/js/charts.js")
print(json.dumps({
    "debug": settings.DEBUG, "email_backend": settings.EMAIL_BACKEND,
    "missing_status": missing.status_code, "missing": missing.content.decode(),
    "static_status": static.status_code,
}))
"""


@pytest.fixture(scope="module")
def dev(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dev")
    environment = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "config.settings.dev",
                   "DATABASE_URL": f"sqlite:///{folder / 'demo.sqlite3'}",
                   "EMAIL_FILE_PATH": str(folder / "mail"), "MEDIA_ROOT": str(folder)}
    result = subprocess.run(  # noqa: S603 - our own probe, run by this interpreter
        [sys.executable, "-c", PROBE], cwd=ROOT, env=environment, capture_output=True,
        text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_wrong_address_in_the_demo_gives_the_portals_russian_404(dev):
    assert dev["missing_status"] == 404
    assert "Страница не найдена" in dev["missing"] and 'lang="ru"' in dev["missing"]
    # Django's technical 404 (DEBUG) is English and lists the URL patterns
    assert "Page not found" not in dev["missing"] and "URLconf" not in dev["missing"]
    assert dev["debug"] is False


def test_the_demo_still_serves_its_static_files(dev):
    """DEBUG off: WhiteNoise finds the files in the static folders (no collectstatic)."""
    assert dev["static_status"] == 200


def test_the_demo_load_prints_no_email_and_says_where_letters_go(
        dev, db, settings, tmp_path, capsys, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = dev["email_backend"]  # the demo's backend, not the tests' locmem
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):  # letters leave after commit
        call_command("load_demo", stdout=out)
    printed = out.getvalue() + capsys.readouterr().out
    for header in ("Subject:", "From:", "To:", "Content-Type:", "MIME-Version:"):
        assert header not in printed
    assert f"каждое сохраняется файлом в {tmp_path / 'mail'}" in printed
    letters = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "mail").iterdir())
    assert letters.count("Subject:") >= 1  # the letters exist, in files


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_prints_the_real_address_before_serving():
    result = subprocess.run(  # noqa: S603 - make from PATH, as a person types it
        [shutil.which("make"), "-n", "run", "HOST=10.1.2.3", "PORT=8765"], cwd=ROOT,
        capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    serve = next(i for i, line in enumerate(lines) if "manage.py runserver" in line)
    said = next(i for i, line in enumerate(lines) if line.startswith("echo")
                and "http://10.1.2.3:8765/" in line)
    assert said < serve and lines[serve].endswith("runserver 10.1.2.3:8765")
    # the demo's letters and its account list link to the same address
    load = next(line for line in lines if "manage.py load_demo" in line)
    assert "PORTAL_BASE_URL=http://10.1.2.3:8765" in load
    assert "DJANGO_ALLOWED_HOSTS=10.1.2.3," in lines[serve]
