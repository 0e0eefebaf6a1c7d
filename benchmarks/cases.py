"""Benchmark cases of the foundation: the hot scoped pages on the demo region."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from .harness import case


def _demo_clients() -> dict:
    from django.core.management import call_command

    from core.models import User

    call_command("load_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    clients = {}
    for username in ("rostov.region", "lastovyrya", "observer"):
        client = Client()
        client.force_login(User.objects.get(username=username))
        clients[username] = client
    return clients


def _trivial(ctx) -> None:
    """Baseline: a signed-in request to a view that renders almost nothing (logout page
    redirect is not a render; the password page is the smallest signed-in page)."""
    ctx["rostov.region"].get("/profile/password/")


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return len(queries)


@case("school list, regional staff (60 schools, page of 25)", baseline_name="trivial page",
      baseline=_trivial, setup=_demo_clients)
def school_list_regional(ctx):
    ctx["rostov.region"].get("/schools/")


@case("home page, curator (scope from guardian grants)", baseline_name="trivial page",
      baseline=_trivial, setup=_demo_clients)
def home_curator(ctx):
    ctx["lastovyrya"].get("/")


@case("home page, federal observer (all regions aggregated)", baseline_name="trivial page",
      baseline=_trivial, setup=_demo_clients)
def home_observer(ctx):
    ctx["observer"].get("/")


def query_counts(ctx) -> dict[str, int]:
    return {
        "school list (regional staff)": _queries(ctx["rostov.region"], "/schools/"),
        "home (curator)": _queries(ctx["lastovyrya"], "/"),
        "home (observer)": _queries(ctx["observer"], "/"),
    }
