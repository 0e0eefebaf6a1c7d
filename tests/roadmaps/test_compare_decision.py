"""The comparison of versions carries the curator's decision form: the curator reads what
changed and decides there, without going back to the document page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from roadmaps.models import ReturnReason
from tests.roadmaps.conftest import docx_bytes, upload

pytestmark = pytest.mark.django_db

FORM = 'action="{}"'


@pytest.fixture
def two_versions(world_a, kinds):
    first = upload(world_a, kinds, content=docx_bytes("Цель", "Задача 1"), name="к.docx")
    upload(world_a, kinds, content=docx_bytes("Цель", "Задача 1 с результатом"),
           name="к.docx", document=first.document)
    return first.document


def compare(client, document):
    return client.get(reverse("roadmaps:version_compare", args=[document.public_id]))


def decide_url(document):
    return reverse("roadmaps:document_decide", args=[document.public_id])


def test_the_curator_decides_on_the_comparison_page(client, world_a, two_versions):
    client.force_login(world_a.curator)
    html = compare(client, two_versions).content.decode()
    assert "Решение куратора по версии 2" in html
    assert FORM.format(decide_url(two_versions)) in html
    assert 'name="version" value="2"' in html and "Вернуть на доработку" in html
    reason = ReturnReason.objects.order_by("position")[0]
    response = client.post(decide_url(two_versions), {
        "action": "return", "version": 2, "reasons": [reason.pk],
        "comment": "Добавьте измеримые результаты"})
    assert response.status_code == 302
    two_versions.refresh_from_db()
    assert two_versions.status == "returned"
    # once decided, the comparison shows no decision form any more
    html = compare(client, two_versions).content.decode()
    assert "Решение куратора по версии" not in html


@pytest.mark.parametrize("persona", ["school_coordinator", "regional_staff",
                                     "municipal_coordinator"])
def test_who_may_not_decide_sees_no_form_and_is_refused(client, world_a, two_versions,
                                                        persona):
    client.force_login(getattr(world_a, persona))
    html = compare(client, two_versions).content.decode()
    assert "Что изменилось" in html
    assert FORM.format(decide_url(two_versions)) not in html
    assert client.post(decide_url(two_versions),
                       {"action": "approve", "version": 2}).status_code == 403
    two_versions.refresh_from_db()
    assert two_versions.status == "submitted"
