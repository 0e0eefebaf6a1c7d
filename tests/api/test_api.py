"""The read API: personal tokens (shown once, hashed, expiring, revocable, audited), a
token reading exactly its user's scope through the pages' selectors and filters, the
observer's aggregates only, exports that stay formula-safe, throttling per token."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import ApiToken, token_hash
from api.services import TokenError, token_create, token_revoke
from core.models import AuditEntry
from schools.models import SchoolYear

pytestmark = pytest.mark.django_db


@pytest.fixture
def years(world_a, world_b):
    """2022 list rows of both regions (school1 of A named like a formula)."""
    rows = {}
    for world in (world_a, world_b):
        for n, school in enumerate((world.school1, world.school2, world.school_other)):
            rows[school.pk], _ = SchoolYear.objects.update_or_create(
                region=world.region, school=school, year=2022, defaults={
                    "is_shnor": n < 2, "is_shssu": False, "is_participant": True,
                    "ior": Decimal("0.4") + n, "isb": Decimal("0.5")})
    world_a.school1.short_name = "=HYPERLINK(\"http://x\")"
    world_a.school1.save(update_fields=["short_name"])
    return rows


def _client(user) -> APIClient:
    _, secret = token_create(actor=user, name="Power BI", days=30)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def _logins(response) -> set[str]:
    return {r["school"]["login"] for r in response.json()["results"]}


# -- tokens ---------------------------------------------------------------------------------------
def test_a_token_is_shown_once_kept_hashed_and_audited(world_a):
    token, secret = token_create(actor=world_a.regional_staff, name="Power BI", days=90)
    row = ApiToken.objects.get()
    assert row.key_hash == token_hash(secret) and secret not in row.key_hash
    assert secret.startswith(row.prefix) and len(secret) > 40
    assert round((row.expires_at - row.created_at).total_seconds() / 86400) == 90
    assert AuditEntry.objects.filter(action="api.token.created").count() == 1
    for name, days, message in (("", 30, "для чего токен"), ("x", 0, "от 1 до 365"),
                                ("x", 400, "от 1 до 365")):
        with pytest.raises(TokenError, match=message):
            token_create(actor=world_a.regional_staff, name=name, days=days)
    assert ApiToken.objects.count() == 1


@pytest.mark.parametrize("how", ["revoked", "expired", "unknown", "inactive", "scheme"])
def test_a_token_that_is_not_valid_gets_401(world_a, how):
    token, secret = token_create(actor=world_a.regional_staff, name="x", days=30)
    if how == "revoked":
        token_revoke(actor=world_a.regional_staff, token=token)
    elif how == "expired":
        ApiToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    elif how == "unknown":
        secret = secret[:-2] + "zz"
    elif how == "inactive":
        type(world_a.regional_staff).objects.filter(pk=world_a.regional_staff.pk).update(
            is_active=False)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"{'Token' if how == 'scheme' else 'Bearer'} "
                                          f"{secret}")
    response = client.get(reverse("api:regions"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert APIClient().get(reverse("api:regions")).status_code == 401  # no token at all


def test_only_the_owner_revokes_and_last_use_is_recorded(world_a, client):
    token, secret = token_create(actor=world_a.regional_staff, name="x", days=30)
    with pytest.raises(PermissionDenied):
        token_revoke(actor=world_a.municipal_coordinator, token=token)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.get(reverse("api:regions")).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    client.force_login(world_a.municipal_coordinator)  # someone else's token: not there
    assert client.post(reverse("api:token_revoke", args=[token.public_id])).status_code == 404
    client.force_login(world_a.regional_staff)
    client.post(reverse("api:token_revoke", args=[token.public_id]))
    token.refresh_from_db()
    assert token.is_revoked and AuditEntry.objects.filter(action="api.token.revoked").exists()


def test_the_profile_page_creates_a_token_and_shows_it_once(world_a, client):
    client.force_login(world_a.school_coordinator)
    page = client.post(reverse("api:token_create"), {"name": "Выгрузка", "days": "90"})
    secret = page.context["secret"]
    assert page.status_code == 200 and secret in page.content.decode()
    assert page["Cache-Control"] == "no-store"
    profile = client.get(reverse("core:profile")).content.decode()
    assert "Выгрузка" in profile and secret not in profile and secret[:12] in profile
    bad = client.post(reverse("api:token_create"), {"name": "", "days": "7"}, follow=True)
    assert "Укажите, для чего токен." in bad.content.decode()


# -- scope ----------------------------------------------------------------------------------------
def test_each_token_reads_its_users_scope(world_a, world_b, years):
    url = reverse("api:school_years") + "?year=2022"
    staff = _client(world_a.regional_staff).get(url)
    assert staff.status_code == 200
    a = {world_a.school1.login, world_a.school2.login, world_a.school_other.login}
    assert _logins(staff) == a
    assert _logins(_client(world_a.municipal_coordinator).get(url)) == {
        world_a.school1.login, world_a.school2.login}
    assert _logins(_client(world_a.school_coordinator).get(url)) == {world_a.school1.login}
    assert _logins(_client(world_b.regional_staff).get(url)) == {
        world_b.school1.login, world_b.school2.login, world_b.school_other.login}


def test_filters_mirror_the_registry_and_refuse_bad_values(world_a, years):
    client = _client(world_a.regional_staff)
    shnor = client.get(reverse("api:school_years") + "?year=2022&flag=shnor")
    assert _logins(shnor) == {world_a.school1.login, world_a.school2.login}
    row = next(r for r in shnor.json()["results"] if r["school"]["login"] ==
               world_a.school2.login)
    assert row["ior"] == 1.4 and row["is_shnor"] is True and row["region"] == 61
    bad = client.get(reverse("api:school_years") + "?flag=never")
    assert bad.status_code == 400 and "flag" in bad.json()
    assert client.get(reverse("api:assignments") + "?year=abc").status_code == 400


def test_the_observer_reads_aggregates_only(world_a, federal_observer, years):
    client = _client(federal_observer)
    refused = client.get(reverse("api:school_years"))
    assert refused.status_code == 403 and "сводные" in refused.json()["detail"]
    board = client.get(reverse("api:dashboard") + f"?year=2022&region={world_a.region.code}")
    assert board.status_code == 200
    data = board.json()
    assert data["suppressed"] is True
    # three schools in two municipalities: each municipality is a small group, hidden
    assert all(a["hidden"] and a["schools"] is None for a in data["areas"])


def test_a_page_pages_with_links(world_a, years):
    client = _client(world_a.regional_staff)
    first = client.get(reverse("api:school_years") + "?year=2022&page_size=2").json()
    assert first["count"] == 3 and len(first["results"]) == 2
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 1 and second["next"] is None
    logins = [r["school"]["login"] for r in first["results"] + second["results"]]
    assert logins == sorted(logins)  # a stable order


# -- exports and throttling -----------------------------------------------------------------
def test_csv_and_xlsx_exports_keep_formulas_as_text(world_a, years):
    from openpyxl import load_workbook

    client = _client(world_a.regional_staff)
    csv = client.get(reverse("api:school_years") + "?year=2022&format=csv")
    assert csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode("utf-8-sig")
    assert "school.login;" in text.splitlines()[0]
    assert "'=HYPERLINK" in text
    xlsx = client.get(reverse("api:school_years") + "?year=2022&format=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    cell = next(c for row in sheet.iter_rows() for c in row
                if isinstance(c.value, str) and "HYPERLINK" in c.value)
    assert cell.data_type == "s"


def test_a_token_over_its_rate_gets_429_with_retry_after(world_a, settings):
    from django.core.cache import cache

    cache.clear()
    settings.API_RATE = "3/minute"
    client = _client(world_a.regional_staff)
    statuses = [client.get(reverse("api:regions")).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    last = client.get(reverse("api:regions"))
    assert int(last["Retry-After"]) > 0
    assert _client(world_a.municipal_coordinator).get(reverse("api:regions")).status_code == 200
    cache.clear()


def test_the_schema_and_the_reference_are_served_locally(world_a, client):
    api = _client(world_a.regional_staff)
    schema = api.get(reverse("api:schema") + "?format=json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/school-years/" in paths and "/api/v1/indicators/" in paths
    client.force_login(world_a.regional_staff)
    docs = client.get(reverse("api:docs"))
    html = docs.content.decode()
    assert docs.status_code == 200 and "swagger-ui-bundle.js" in html
    assert "http" not in html.split("<body>")[1].replace("href=\"/", "")  # no CDN
