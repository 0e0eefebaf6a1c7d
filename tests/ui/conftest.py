"""The demo region, loaded once for a module of page-level checks.

``demo`` loads ``load_demo`` inside an outer transaction that is rolled back when the module
ends (as Django's ``setUpTestData`` does): each test still runs in its own nested
transaction, and no other module ever sees the demo's rows.
"""

from __future__ import annotations

import os

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings


@pytest.fixture(scope="module")
def demo_media(tmp_path_factory):
    """The demo's files live as long as its rows: one media folder for the module."""
    return tmp_path_factory.mktemp("demo-media")


@pytest.fixture(autouse=True)
def _media_root(settings, demo_media):
    settings.MEDIA_ROOT = demo_media


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, demo_media):
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=demo_media):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
