"""A file is accepted only when it opens as the type its bytes and its name say: one test
per hostile class, and the real files of every accepted type."""

from __future__ import annotations

import io
import os
import struct
import zipfile

import pytest

from core.archives import ArchiveError, ArchiveLimits, open_archive_checked
from core.files import TABLE_KINDS, UploadError, upload_check
from tests.files import (
    declare_size,
    docx_bytes,
    federal_xlsx,
    odt_bytes,
    pdf_bytes,
    rezip,
    xlsx_bomb,
    xlsx_bytes,
    zip_bytes,
)

FAKE_PDF = b"%PDF-1.4\n% not a pdf\n%%EOF"  # what a user really stored as «fake.docx»
DOCX_MACRO_TYPE = "application/vnd.ms-word.document.macroEnabled.main+xml"
XLSX_MACRO_TYPE = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"


def check(content: bytes, name: str, **kw):
    return upload_check(io.BytesIO(content), name, len(content), **kw)


def refused(content: bytes, name: str, *fragments: str, **kw) -> str:
    with pytest.raises(UploadError) as caught:
        check(content, name, **kw)
    message = str(caught.value)
    for fragment in fragments:
        assert fragment in message, message
    return message


def _content_types(package: bytes) -> str:
    return zipfile.ZipFile(io.BytesIO(package)).read("[Content_Types].xml").decode()


# -- accepted -----------------------------------------------------------------------------------
@pytest.mark.parametrize(("content", "name", "extension"), [
    (pdf_bytes("Концепция развития"), "Концепция.pdf", "pdf"),
    (pdf_bytes("Три страницы", pages=3), "Программа.PDF", "pdf"),
    (docx_bytes("Концепция развития", "Раздел 1"), "Концепция.docx", "docx"),
    (odt_bytes(), "Концепция.odt", "odt"),
    (xlsx_bytes(), "План.xlsx", "xlsx"),
])
def test_real_files_of_every_accepted_type_are_accepted(content, name, extension):
    upload = check(content, name)
    assert (upload.extension, upload.name) == (extension, name)


def test_a_weasyprint_pdf_is_accepted():
    from core.pdf import html_to_pdf

    assert check(html_to_pdf("<p>Отчёт</p>"), "отчёт.pdf").extension == "pdf"


def test_a_real_xls_and_csv_are_accepted_where_tables_are_uploaded():
    import xlwt

    book = xlwt.Workbook()
    book.add_sheet("Лист1").write(0, 0, "Логин")
    out = io.BytesIO()
    book.save(out)
    assert check(out.getvalue(), "перечень.xls", kinds=TABLE_KINDS).extension == "xls"
    csv = "Логин;Наименование\nsch610001;МБОУ СОШ № 1\n".encode("cp1251")
    assert check(csv, "перечень.csv", kinds=TABLE_KINDS).extension == "csv"
    # one column has no separator: its name says it is a table
    assert check(b"sch610001\nsch610002\n", "logins.csv", kinds=TABLE_KINDS).extension == "csv"


def test_a_name_without_a_file_extension_gets_the_detected_one():
    assert check(pdf_bytes(), "Приказ от 09.03.2022").name == "Приказ от 09.03.2022.pdf"


# -- PDF look-alikes -----------------------------------------------------------------------------
def test_the_26_byte_fake_pdf_named_docx_is_refused_naming_both():
    assert len(FAKE_PDF) == 26
    refused(FAKE_PDF, "fake.docx", "не открывается как PDF", ".docx", "PDF")


def test_a_real_pdf_named_docx_is_refused_naming_both():
    refused(pdf_bytes(), "Концепция.docx",
            "Имя файла оканчивается на .docx, а по содержимому это PDF", ".pdf")


def test_a_truncated_real_pdf_is_refused():
    whole = pdf_bytes("Концепция развития", pages=2)
    for cut in (len(whole) // 2, len(whole) - 8):
        refused(whole[:cut], "Концепция.pdf", "не открывается как PDF")


def test_html_behind_a_pdf_line_is_refused():
    html = b"%PDF-1.7\n<!doctype html><html><body><script>alert(1)</script></body></html>\n"
    refused(html, "отчёт.pdf", "не открывается как PDF")
    refused(html + b"%%EOF\n", "отчёт.pdf", "не открывается как PDF")


def test_a_zip_behind_a_pdf_line_is_refused():
    refused(b"%PDF-1.4\n" + docx_bytes("текст"), "отчёт.pdf", "не открывается как PDF")


def test_a_pdf_with_a_startxref_pointing_nowhere_is_refused():
    body = pdf_bytes()
    at = body.rindex(b"startxref")
    forged = body[:at] + b"startxref\n99999999\n%%EOF\n"
    refused(forged, "отчёт.pdf", "не открывается как PDF")


def test_a_pdf_without_pages_is_refused():
    from pypdf import PdfWriter

    out = io.BytesIO()
    PdfWriter().write(out)
    refused(out.getvalue(), "пусто.pdf", "нет ни одной страницы")


# -- macros --------------------------------------------------------------------------------------
def test_a_docx_with_a_vba_project_is_refused():
    content = rezip(docx_bytes("текст"), {"word/vbaProject.bin": b"\xd0\xcf\x11\xe0" * 64})
    refused(content, "Концепция.docx", "макрос")


def test_a_docm_by_its_content_type_is_refused_whatever_its_name():
    plain = docx_bytes("текст")
    types = _content_types(plain).replace(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        DOCX_MACRO_TYPE)
    assert DOCX_MACRO_TYPE in types
    refused(rezip(plain, {"[Content_Types].xml": types.encode()}), "Концепция.docx", "макрос")
    refused(plain, "Концепция.docm", "макрос", ".docm")


def test_an_xlsm_is_refused_by_content_type_and_by_name():
    plain = xlsx_bytes()
    types = _content_types(plain).replace(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        XLSX_MACRO_TYPE)
    assert XLSX_MACRO_TYPE in types
    refused(rezip(plain, {"[Content_Types].xml": types.encode()}), "План.xlsx", "макрос")
    refused(plain, "План.xlsm", "макрос", ".xlsm")
    refused(rezip(plain, {"xl/vbaProject.bin": b"x" * 100}), "План.xlsx", "макрос",
            kinds=TABLE_KINDS)


def test_an_excel_4_macro_sheet_is_refused():
    content = rezip(xlsx_bytes(), {"xl/macrosheets/sheet1.xml": b"<xm:macrosheet/>"})
    refused(content, "План.xlsx", "макрос")


def test_an_odt_with_basic_macros_is_refused():
    content = odt_bytes({"Basic/Standard/Module1.xml": b"<script:module/>",
                         "Basic/script-lc.xml": b"<library:libraries/>"})
    refused(content, "Концепция.odt", "макрос")


def test_a_doc_with_a_vba_project_is_refused():
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHH", header, 24, 0x3E, 3, 0xFFFE, 9)
    body = bytes(header) + "WordDocument".encode("utf-16-le") + b"\0" * 300
    assert check(body, "Старый.doc").extension == "doc"
    refused(body + "_VBA_PROJECT".encode("utf-16-le"), "Старый.doc", "макрос")


# -- ZIP bombs -----------------------------------------------------------------------------------
def test_a_zip_bomb_by_declared_size_is_refused_before_inflating(settings):
    settings.UPLOAD_ZIP_MAX_TOTAL_MB = 1
    random_part = os.urandom(1_500_000)  # incompressible: the ratio is 1, the size is not
    content = rezip(xlsx_bytes(), {"xl/media/image1.bin": random_part})
    refused(content, "План.xlsx", "После распаковки", "ZIP-бомбу")
    # the defaults (200 MB): a sheet declared at 400 MB is refused by its size or ratio
    settings.UPLOAD_ZIP_MAX_TOTAL_MB = 200
    settings.UPLOAD_ZIP_MAX_RATIO = 100_000_000
    declared = declare_size(xlsx_bytes(), "xl/worksheets/sheet1.xml", 400 * 1024 * 1024)
    refused(declared, "План.xlsx", "400,0 МБ", "ZIP-бомбу")


def test_a_zip_bomb_by_ratio_is_refused():
    sheet = b"<worksheet><sheetData>" + b'<row><c t="s"><v>0</v></c></row>' * 700_000 + \
        b"</sheetData></worksheet>"
    content = rezip(xlsx_bytes(), {"xl/worksheets/sheet1.xml": sheet})
    assert len(content) < 300_000 < 20_000_000 < len(sheet) + 1
    refused(content, "План.xlsx", "сжата в", "ZIP-бомбу")


def test_an_archive_with_too_many_entries_is_refused(settings):
    settings.UPLOAD_ZIP_MAX_ENTRIES = 100
    content = rezip(docx_bytes("текст"), {f"word/media/{i}.bin": b"" for i in range(120)})
    refused(content, "Концепция.docx", "слишком много частей")


def test_an_end_record_understating_the_entries_does_not_help(settings):
    settings.UPLOAD_ZIP_MAX_ENTRIES = 100
    data = bytearray(zip_bytes({f"{i}.txt": b"" for i in range(150)}))
    eocd = data.rfind(b"PK\x05\x06")
    struct.pack_into("<HH", data, eocd + 8, 5, 5)  # «5 entries»
    with pytest.raises(ArchiveError, match="слишком много частей"):
        open_archive_checked(bytes(data))


def test_a_lying_header_is_refused_without_inflating_more_than_declared():
    document = b"<w:document>" + b"x" * 5_000_000 + b"</w:document>"
    content = rezip(docx_bytes("текст"), {"word/document.xml": document})
    for local in (True, False):  # both headers lie, or only the central directory does
        lying = declare_size(content, "word/document.xml", 1000, local=local)
        refused(lying, "Концепция.docx", "заголовке архива")


def test_a_lying_header_is_caught_by_a_bounded_read_too():
    content = rezip(docx_bytes("текст"), {"word/document.xml": b"<a>" + b"x" * 100_000 + b"</a>"})
    lying = declare_size(content, "word/document.xml", 1000)
    archive = open_archive_checked(lying, verify=False)
    with pytest.raises(ArchiveError, match="заголовке архива"):
        archive.read("word/document.xml")


def test_overlapping_entries_are_refused():
    data = bytearray(zip_bytes({"a.xml": b"<a/>" * 1000, "b.xml": b"<b/>" * 1000}))
    info_a = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("a.xml")
    second = data.rfind(b"PK\x01\x02")  # b.xml's central header
    struct.pack_into("<I", data, second + 42, info_a.header_offset)
    with pytest.raises(ArchiveError, match="накладываются"):
        open_archive_checked(bytes(data))


def test_an_encrypted_entry_is_refused():
    data = bytearray(docx_bytes("текст"))
    at = data.find(b"PK\x01\x02")
    struct.pack_into("<H", data, at + 8, struct.unpack_from("<H", data, at + 8)[0] | 1)
    refused(bytes(data), "Концепция.docx", "защищён паролем")


def test_the_guard_takes_bytes_or_a_file_and_reads_bounded():
    content = docx_bytes("текст")
    for source in (content, io.BytesIO(content)):
        with open_archive_checked(source) as archive:
            assert "word/document.xml" in archive.names
            with pytest.raises(ArchiveError, match="слишком велика"):
                archive.read("word/document.xml", max_bytes=10)
            part = archive.open("word/document.xml", max_bytes=10, truncate=True)
            assert len(part.read()) == 10 and part.truncated


def test_a_federal_size_workbook_passes_the_default_limits():
    """40,000 rows × 16 columns of inline strings: ~53 MB of sheet XML, ratio ~20."""
    content = federal_xlsx()
    size = zipfile.ZipFile(io.BytesIO(content)).getinfo("xl/worksheets/sheet1.xml").file_size
    assert size > 25 * 1024 * 1024
    with open_archive_checked(content, limits=ArchiveLimits.from_settings()) as archive:
        assert "xl/worksheets/sheet1.xml" in archive


def test_the_390_kb_workbook_of_400_mb_is_refused_before_inflating():
    bomb = xlsx_bomb(400)
    assert len(bomb) < 450_000
    refused(bomb, "list.xlsx", "ZIP-бомбу", kinds=TABLE_KINDS)


# -- broken packages -----------------------------------------------------------------------------
def test_a_docx_missing_its_document_part_is_refused():
    content = rezip(docx_bytes("текст"), {"word/document.xml": None})
    refused(content, "Концепция.docx", "word/document.xml")


def test_a_docx_whose_document_is_not_xml_is_refused():
    content = rezip(docx_bytes("текст"), {"word/document.xml": b"<w:document><w:body>"})
    refused(content, "Концепция.docx", "не является правильным XML")


def test_a_docx_with_a_dtd_is_refused_so_no_entity_expands():
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
              b"<w:document>&lol2;</w:document>")
    content = rezip(docx_bytes("текст"), {"word/document.xml": laughs})
    refused(content, "Концепция.docx", "не является правильным XML")


def test_an_odt_of_another_kind_and_a_broken_zip_are_refused():
    spreadsheet = zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
                             "content.xml": b"<x/>"})
    refused(spreadsheet, "Таблица.odt", "OpenDocument другого вида")
    refused(docx_bytes("текст")[:-30], "Концепция.docx", "повреждённый архив")
