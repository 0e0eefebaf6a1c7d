"""Typed access to the environment: the only module that reads ``os.environ``.

Settings modules for an environment (``dev``, ``test``, ``production``) only choose
*defaults* through :data:`defaults`; every real value still comes from the
environment, which always wins.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

#: Per-environment defaults, filled by ``config/settings/<env>.py`` before ``base`` is read.
defaults: dict[str, str] = {}

_MISSING = object()


def _raw(name: str, default: object = _MISSING) -> str | object:
    if name in os.environ:
        return os.environ[name]
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    if name in defaults:
        return defaults[name]
    return default


def env_str(name: str, default: str | object = _MISSING) -> str:
    value = _raw(name, default)
    if value is _MISSING:
        raise ImproperlyConfigured(
            f"Environment variable {name} is required but not set (see .env.example)."
        )
    return str(value)


def env_secret(name: str) -> str:
    """A secret: from ``NAME`` or the file named by ``NAME_FILE``; never defaulted silently."""
    value = env_str(name)
    if not value.strip():
        raise ImproperlyConfigured(f"Environment variable {name} must not be empty.")
    return value


def env_bool(name: str, default: bool | object = _MISSING) -> bool:
    value = _raw(name, default)
    if value is _MISSING:
        raise ImproperlyConfigured(f"Environment variable {name} is required but not set.")
    if isinstance(value, bool):
        return value
    if value == "True":
        return True
    if value == "False":
        return False
    raise ImproperlyConfigured(f"Environment variable {name} must be True or False, got {value!r}.")


def env_int(name: str, default: int | object = _MISSING) -> int:
    value = _raw(name, default)
    if value is _MISSING:
        raise ImproperlyConfigured(f"Environment variable {name} is required but not set.")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ImproperlyConfigured(
            f"Environment variable {name} must be an integer, got {value!r}."
        )


def env_float(name: str, default: float | object = _MISSING) -> float:
    value = _raw(name, default)
    if value is _MISSING:
        raise ImproperlyConfigured(f"Environment variable {name} is required but not set.")
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ImproperlyConfigured(
            f"Environment variable {name} must be a number, got {value!r}."
        )


def env_list(name: str, default: list[str] | object = _MISSING) -> list[str]:
    value = _raw(name, default)
    if value is _MISSING:
        raise ImproperlyConfigured(f"Environment variable {name} is required but not set.")
    if isinstance(value, list):
        return value
    return [item.strip() for item in str(value).split(",") if item.strip()]
