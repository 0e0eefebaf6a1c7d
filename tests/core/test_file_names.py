"""Shown and downloaded names: decoded, without paths, control or bidirectional characters,
capped keeping the extension; downloads carry the detected type's extension and an
RFC 5987 name with a sensible ASCII fallback."""

from __future__ import annotations

import io
import unicodedata
from urllib.parse import unquote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.files import NAME_MAX, ascii_name, clean_name, content_disposition, stored_file_response
from tests.files import docx_bytes, pdf_bytes

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"


@pytest.mark.parametrize(("raw", "extension", "clean"), [
    ("%D0%9A%D0%BE%D0%BD%D1%86%D0%B5%D0%BF%D1%86%D0%B8%D1%8F.pdf", "pdf", "Концепция.pdf"),
    ("%25D0%259A.pdf", "pdf", "К.pdf"),  # encoded twice
    ("100%25 готово.pdf", "pdf", "100% готово.pdf"),
    ("50% скидка.pdf", "pdf", "50% скидка.pdf"),  # not an escape: kept
    ("..%2F..%2Fetc%2Fpasswd.pdf", "pdf", "passwd.pdf"),  # a path hidden by encoding
    ("C:\\Users\\school\\Концепция.docx", "docx", "Концепция.docx"),
    ("отчёт\u202egpj.exe", "pdf", "отчётgpj.pdf"),  # looks like «отчётexe.jpg»
    ("a\u2066b\u2069c\u200e\u200f.pdf", "pdf", "abc.pdf"),
    ("стро\nка\tс\x00управляющими.pdf", "pdf", "строкасуправляющими.pdf"),
    ("fake.docx", "pdf", "fake.pdf"),  # the detected type wins
    ("Приказ от 09.03.2022", "pdf", "Приказ от 09.03.2022.pdf"),
    ("CON.pdf", "pdf", "_CON.pdf"),
    ("   .pdf", "pdf", "документ.pdf"),
])
def test_names_are_cleaned(raw, extension, clean):
    assert clean_name(raw, extension) == clean


def test_long_names_are_capped_keeping_the_extension():
    name = clean_name("я" * 500 + ".docx", "docx")
    assert len(name) == NAME_MAX and name.endswith(".docx")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=600), st.sampled_from(["pdf", "docx", "doc", "odt", "xlsx"]))
def test_any_string_gives_a_safe_name_with_the_extension(raw, extension):
    name = clean_name(raw, extension)
    assert name.endswith("." + extension) or name.lower().endswith("." + extension)
    assert len(name) <= NAME_MAX
    assert "/" not in name and "\\" not in name
    assert not any(ch in BIDI for ch in name)
    assert not any(unicodedata.category(ch) in ("Cc", "Cf", "Cs") for ch in name)
    assert name == name.strip() and not name.startswith(".")


def test_the_ascii_fallback_is_readable():
    assert ascii_name("Концепция развития.pdf") == "kontseptsiya razvitiya.pdf"
    assert ascii_name("日本.pdf") == "document.pdf"
    assert ascii_name('a"b;c%.pdf') == "a_b_c.pdf"


def test_content_disposition_has_both_names():
    header = content_disposition("Концепция развития.pdf")
    assert header.startswith('attachment; filename="kontseptsiya razvitiya.pdf"; ')
    encoded = header.split("filename*=UTF-8''", 1)[1]
    assert unquote(encoded) == "Концепция развития.pdf"
    assert content_disposition("plan.pdf", inline=True) == 'inline; filename="plan.pdf"'


class _Stored:
    """A stand-in for a FieldFile: what the storage holds."""

    def __init__(self, content: bytes):
        self.content = content

    def open(self, mode="rb"):
        return io.BytesIO(self.content)


def _served(content: bytes, name: str, extension: str, **kw):
    response = stored_file_response(_Stored(content), name, extension, **kw)
    return response, b"".join(response.streaming_content)


def test_a_stored_fake_docx_that_is_a_pdf_is_served_as_pdf():
    response, body = _served(pdf_bytes(), "fake.docx", "pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="fake.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff" and body.startswith(b"%PDF-")


def test_a_download_names_the_type_of_its_bytes_whatever_the_row_says():
    response, _ = _served(docx_bytes("текст"), "Концепция.pdf", "pdf")
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    assert unquote(response["Content-Disposition"].split("''", 1)[1]) == "Концепция.docx"
    assert 'filename="kontseptsiya.docx"' in response["Content-Disposition"]


def test_bytes_of_no_accepted_type_go_out_as_an_attachment_of_octet_stream():
    response, _ = _served(b"MZ\x90\x00 program", "akt.pdf", "pdf", inline=True)
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")


def test_django_fileresponse_alone_gives_no_ascii_fallback():
    """Why the header is built here: Django sends only ``filename*`` for a Cyrillic name."""
    from django.http import FileResponse

    response = FileResponse(io.BytesIO(b"x"), as_attachment=True, filename="Концепция.pdf")
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert 'filename="' not in response["Content-Disposition"]
