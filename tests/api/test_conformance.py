"""Property-based conformance of the read API (schemathesis against the live schema): for
every endpoint and every role's token, generated queries never answer 5xx, every answer
conforms to the schema (status, content type, body), and pagination links lead on."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from hypothesis import HealthCheck, given, settings
from rest_framework.test import APIClient

#: Filters take their values from the token's scope (its years, categories, municipalities,
#: as the pages' filter forms do), so a well-typed value outside it is a 400 with the
#: field's message — which a schema shared by every token cannot enumerate. Every other
#: check runs: no 5xx, documented status codes, content types and bodies.
from schemathesis.specs.openapi.checks import positive_data_acceptance  # noqa: E402

from api.services import token_create

pytestmark = pytest.mark.django_db(transaction=False)

ROLES = ["regional_staff", "municipal_coordinator", "curator", "school_coordinator",
         "observer"]


def _secret(world_a, federal_observer, role) -> str:
    user = federal_observer if role == "observer" else getattr(world_a, role)
    return token_create(actor=user, name="conformance", days=1)[1]


@pytest.mark.parametrize("role", ROLES)
def test_every_endpoint_conforms_for_every_role(world_a, federal_observer, role, settings_):
    secret = _secret(world_a, federal_observer, role)
    auth = {"Authorization": f"Bearer {secret}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", WSGIHandler(),
                                            headers=auth)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 9
    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=12, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def check(case):
            response = case.call_and_validate(headers=auth,
                                              excluded_checks=[positive_data_acceptance])
            assert response.status_code < 500

        check()


@pytest.fixture
def settings_(settings):
    """No throttling in the run; and the WSGI handler keeps the test's connection open, as
    Django's test client does (its request signals would close it)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    settings.API_RATE = "100000/minute"
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield settings
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_pagination_links_lead_to_the_next_page(world_a, settings_):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer " + token_create(
        actor=world_a.regional_staff, name="x", days=1)[1])
    url, seen = "/api/v1/municipalities/?page_size=1", []
    while url:
        page = client.get(url).json()
        seen += [m["id"] for m in page["results"]]
        url = page["next"]
    assert len(seen) == len(set(seen)) == 2  # the world's two municipalities, once each
