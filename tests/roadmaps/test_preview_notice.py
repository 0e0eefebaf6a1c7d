"""A long .docx on the document page and in the comparison shows its beginning and says so."""

from __future__ import annotations

from django.urls import reverse

from tests.files import docx_bytes
from tests.roadmaps.conftest import upload

NOTICE = "Показано начало документа"


def test_a_long_document_page_shows_the_beginning_and_says_so(client, world_a, kinds,
                                                              settings):
    settings.PREVIEW_MAX_CHARS = 500
    long = docx_bytes(*[f"Абзац {i} концепции развития школы." for i in range(200)])
    document = upload(world_a, kinds, content=long, name="Концепция.docx").document
    client.force_login(world_a.school_coordinator)
    page = client.get(document.get_absolute_url()).content.decode()
    assert "Абзац 0 концепции" in page and "Абзац 150 " not in page and NOTICE in page
    short = upload(world_a, kinds, content=docx_bytes("Коротко"), name="Концепция.docx",
                   document=document, submit=False)
    page = client.get(short.document.get_absolute_url()).content.decode()
    assert "Коротко" in page and NOTICE not in page


def test_the_comparison_of_long_documents_says_only_beginnings_were_compared(
        client, world_a, kinds, settings):
    settings.PREVIEW_MAX_CHARS = 500
    first = upload(world_a, kinds, name="Концепция.docx", submit=False,
                   content=docx_bytes(*[f"Пункт {i}" for i in range(300)]))
    upload(world_a, kinds, name="Концепция.docx", submit=False, document=first.document,
           content=docx_bytes(*[f"Пункт {i}" for i in range(300) if i != 2]))
    client.force_login(world_a.school_coordinator)
    page = client.get(reverse("roadmaps:version_compare",
                              args=[first.document.public_id])).content.decode()
    assert "сравнивается только их начало" in page and "Пункт 2" in page
