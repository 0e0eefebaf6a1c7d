"""Settings come from the environment; production refuses insecure or missing values."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config import env

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def clean_env(monkeypatch):
    monkeypatch.setattr(env, "defaults", {})
    for name in ("X_FLAG", "X_NUM", "X_LIST", "X_SECRET", "X_SECRET_FILE"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_env_bool_accepts_only_true_and_false(clean_env):
    clean_env.setenv("X_FLAG", "True")
    assert env.env_bool("X_FLAG") is True
    clean_env.setenv("X_FLAG", "False")
    assert env.env_bool("X_FLAG") is False
    clean_env.setenv("X_FLAG", "yes")
    with pytest.raises(ImproperlyConfigured, match="must be True or False"):
        env.env_bool("X_FLAG")


def test_env_int_and_list_parse_values(clean_env):
    clean_env.setenv("X_NUM", "42")
    clean_env.setenv("X_LIST", "a.example, b.example,,")
    assert env.env_int("X_NUM") == 42
    assert env.env_list("X_LIST") == ["a.example", "b.example"]
    clean_env.setenv("X_NUM", "forty")
    with pytest.raises(ImproperlyConfigured, match="integer"):
        env.env_int("X_NUM")


def test_secret_is_read_from_file_and_never_defaulted(clean_env, tmp_path):
    with pytest.raises(ImproperlyConfigured, match="X_SECRET is required"):
        env.env_secret("X_SECRET")
    secret_file = tmp_path / "secret"
    secret_file.write_text("from-file\n", encoding="utf-8")
    clean_env.setenv("X_SECRET_FILE", str(secret_file))
    assert env.env_secret("X_SECRET") == "from-file"


def test_environment_wins_over_environment_defaults(clean_env):
    env.defaults["X_NUM"] = "1"
    assert env.env_int("X_NUM") == 1
    clean_env.setenv("X_NUM", "2")
    assert env.env_int("X_NUM") == 2


def _start_production(extra: dict) -> subprocess.CompletedProcess:
    environment = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE":
                   "config.settings.production", **extra}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60,
    )


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_refuses_to_start_without_a_required_variable(missing):
    values = {"DJANGO_SECRET_KEY": "x" * 50, "DJANGO_ALLOWED_HOSTS": "portal.example",
              "DATABASE_URL": "postgres://u@127.0.0.1/db"}
    values.pop(missing)
    result = _start_production(values)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr


def test_production_refuses_debug():
    result = _start_production({"DJANGO_SECRET_KEY": "x" * 50,
                                "DJANGO_ALLOWED_HOSTS": "portal.example",
                                "DATABASE_URL": "postgres://u@127.0.0.1/db",
                                "DJANGO_DEBUG": "True"})
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be False" in result.stderr


def test_production_refuses_an_empty_host_list():
    result = _start_production({"DJANGO_SECRET_KEY": "x" * 50, "DJANGO_ALLOWED_HOSTS": " , ",
                                "DATABASE_URL": "postgres://u@127.0.0.1/db"})
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS must name at least one host" in result.stderr


def test_production_starts_with_its_variables():
    result = _start_production({"DJANGO_SECRET_KEY": "x" * 50,
                                "DJANGO_ALLOWED_HOSTS": "portal.example",
                                "DATABASE_URL": "postgres://u@127.0.0.1/db"})
    assert result.returncode == 0, result.stderr


def test_env_example_lists_every_variable_the_settings_read():
    """`.env.example` documents every variable read through config.env (STYLE 6.2)."""
    import re

    names = set()
    for path in (ROOT / "config").rglob("*.py"):
        names |= set(re.findall(r'env_(?:str|bool|int|float|list|secret)\(\s*"([A-Z0-9_]+)"',
                                path.read_text(encoding="utf-8")))
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    documented = set(re.findall(r"^([A-Z0-9_]+)=", example, flags=re.M))
    assert names, "no variables found: the pattern is broken"
    assert sorted(names - documented) == []


_PRODUCTION = {"DJANGO_SECRET_KEY": "x" * 50, "DJANGO_ALLOWED_HOSTS": "portal.example",
               "DATABASE_URL": "postgres://u@127.0.0.1/db"}
_S3 = {"FILE_STORAGE": "s3", "S3_BUCKET": "portal500", "S3_ENDPOINT_URL": "http://s3:9000",
       "S3_ACCESS_KEY_ID": "portal", "S3_SECRET_ACCESS_KEY": "secret"}


def test_production_with_an_object_store_needs_its_bucket_and_keys():
    for missing in ("S3_BUCKET", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY"):
        values = {**_PRODUCTION, **_S3}
        values.pop(missing)
        result = _start_production(values)
        assert result.returncode != 0 and missing in result.stderr
    result = _start_production({**_PRODUCTION, "FILE_STORAGE": "ftp"})
    assert result.returncode != 0 and "FILE_STORAGE must be filesystem or s3" in result.stderr


def test_production_with_an_object_store_never_overwrites_a_file():
    environment = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE":
                   "config.settings.production", **_PRODUCTION, **_S3}
    script = ("import django; django.setup(); from django.core.files.storage import storages; "
              "w = storages['default']; print(type(w).__name__, w.bucket_name, w.endpoint_url, "
              "w.file_overwrite, w.default_acl, w.querystring_expire)")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=environment,  # noqa: S603
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["S3Storage", "portal500", "http://s3:9000", "False",
                                          "None", "60"]
