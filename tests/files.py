"""Real files for tests, built in memory: a one-page PDF, a .docx, an .xlsx, an .odt, a
ZIP, and the hostile look-alikes of each (see tests/core/test_file_structure.py)."""

from __future__ import annotations

import io
import zipfile


def pdf_bytes(text: str = "Концепция развития", pages: int = 1) -> bytes:
    """A real PDF (xref, trailer, ``pages`` A4 pages) whose bytes differ by ``text``."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": text})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx_bytes(*paragraphs: str) -> bytes:
    import docx

    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_bytes(rows: list[list[object]] | None = None) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows or [["Логин", "Наименование"], ["sch610001", "МБОУ СОШ № 1"]]:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
ODT_CONTENT = (b'<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               b'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               b'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
               b'office:version="1.3"><office:body><office:text><text:p>'
               + "Концепция развития".encode() + b"</text:p></office:text></office:body>"
               b"</office:document-content>")
ODT_MANIFEST = (b'<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                b'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
                b'manifest:version="1.3"><manifest:file-entry manifest:full-path="/" '
                b'manifest:media-type="application/vnd.oasis.opendocument.text"/>'
                b'<manifest:file-entry manifest:full-path="content.xml" '
                b'manifest:media-type="text/xml"/></manifest:manifest>')


def odt_bytes(extra: dict[str, bytes] | None = None) -> bytes:
    """An OpenDocument text as LibreOffice writes it: «mimetype» first and stored."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), ODT_MIMETYPE, compress_type=zipfile.ZIP_STORED)
        z.writestr("content.xml", ODT_CONTENT)
        z.writestr("META-INF/manifest.xml", ODT_MANIFEST)
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return out.getvalue()


def zip_bytes(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


def rezip(content: bytes, replace: dict[str, bytes | None]) -> bytes:
    """``content`` (a ZIP) with some parts replaced, added, or (``None``) removed."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in source.infolist():
            if info.filename in replace:
                continue
            z.writestr(info, source.read(info))
        for name, data in replace.items():
            if data is not None:
                z.writestr(name, data)
    return out.getvalue()
