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


# -- bombs (also used by benchmarks/bombs.py) ------------------------------------------------------
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def docx_bomb(text_mb: int = 28, *, one_paragraph: bool = False) -> bytes:
    """A valid .docx whose word/document.xml holds ``text_mb`` MB of text and compresses
    to ~100 KB — written streamed, so building it costs no such memory."""
    base = docx_bytes("Концепция развития школы")
    source = zipfile.ZipFile(io.BytesIO(base))
    sentence = "Текст концепции развития школы. " * 8
    chunk = (sentence if one_paragraph else
             f"<w:p><w:r><w:t>{sentence}</w:t></w:r></w:p>").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for info in source.infolist():
            if info.filename != "word/document.xml":
                z.writestr(info, source.read(info))
        with z.open("word/document.xml", "w") as part:
            part.write(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                       f'<w:document xmlns:w="{W_NS}"><w:body>'.encode())
            if one_paragraph:
                part.write(b"<w:p><w:r><w:t>")
            for _ in range(text_mb * 1024 * 1024 // len(chunk)):
                part.write(chunk)
            if one_paragraph:
                part.write(b"</w:t></w:r></w:p>")
            part.write(b"</w:body></w:document>")
    return out.getvalue()


def xlsx_bomb(sheet_mb: int = 400) -> bytes:
    """An .xlsx whose sheet inflates to ``sheet_mb`` MB of (valid) whitespace: ≈ 390 KB
    for 400 MB, deflate's best ratio."""
    base = xlsx_bytes()
    source = zipfile.ZipFile(io.BytesIO(base))
    blank = b" " * (1024 * 1024)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                z.writestr(info, source.read(info))
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            part.write(b"<worksheet><sheetData>")
            for _ in range(sheet_mb):
                part.write(blank)
            part.write(b"</sheetData></worksheet>")
    return out.getvalue()


def federal_xlsx(rows: int = 40_000, columns: int = 16) -> bytes:
    """A workbook of the federal list's size: ``rows`` × ``columns`` inline strings
    (~53 MB of sheet XML at a ratio of ~20), written streamed."""
    out = io.BytesIO()
    types = zipfile.ZipFile(io.BytesIO(xlsx_bytes())).read("[Content_Types].xml")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", types)
        z.writestr("xl/workbook.xml", "<workbook/>")
        with z.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(b"<worksheet><sheetData>")
            for r in range(1, rows + 1):
                cells = "".join(f'<c r="{chr(65 + c)}{r}" t="inlineStr"><is><t>Школа '
                                f"{r * columns + c}</t></is></c>" for c in range(columns))
                sheet.write(f'<row r="{r}">{cells}</row>'.encode())
            sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


def declare_size(content: bytes, name: str, size: int, *, local: bool = True) -> bytes:
    """``content`` with ``size`` declared as the uncompressed size of ``name`` in the
    central directory (and the local header) — the data stays what it is: a lying header."""
    import struct

    data = bytearray(content)
    info = zipfile.ZipFile(io.BytesIO(content)).getinfo(name)
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        name_len = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46:at + 46 + name_len].decode("utf-8", "replace") == name:
            struct.pack_into("<I", data, at + 24, size)
            break
        at = data.find(b"PK\x01\x02", at + 4)
    if local:
        struct.pack_into("<I", data, info.header_offset + 22, size)
    return bytes(data)


def many_entries(count: int = 100_000) -> bytes:
    """A .docx padded with ``count`` empty parts (a directory bomb)."""
    base = docx_bytes("текст")
    source = zipfile.ZipFile(io.BytesIO(base))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
        for info in source.infolist():
            z.writestr(info, source.read(info))
        for i in range(count):
            z.writestr(f"word/media/{i}", b"")
    return out.getvalue()
