"""The type of an upload is read from its bytes; names are never trusted."""

import io

import pytest

from roadmaps.files import clean_name, diff_lines, sniff
from roadmaps.services import DocumentError
from tests.roadmaps.conftest import checked, docx_bytes, pdf_bytes, zip_bytes

OLE_DOC = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500 + "WordDocument".encode("utf-16-le")
           + b"\0" * 100)


@pytest.mark.parametrize(("content", "extension"), [
    (pdf_bytes(), "pdf"),
    (docx_bytes("Текст"), "docx"),
    (OLE_DOC, "doc"),
    (zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.text",
                "content.xml": b"<x/>"}), "odt"),
    (zip_bytes({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<x/>"}), "xlsx"),
])
def test_accepted_types_are_recognised_by_their_bytes(content, extension):
    assert sniff(io.BytesIO(content)).extension == extension


@pytest.mark.parametrize(("content", "name", "message"), [
    (b"MZ\x90\x00" + b"\0" * 100, "программа.pdf", "оканчивается на .pdf, но по содержимому "
                                                  "это исполняемый файл Windows"),
    (b"\x89PNG\r\n\x1a\n" + b"\0" * 20, "скан.docx", "изображение PNG"),
    (zip_bytes({"a.txt": b"x"}), "архив.docx", "архив ZIP"),
    (zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}), "t.odt",
     "OpenDocument другого вида"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "Workbook".encode("utf-16-le"), "t.doc",
     "Excel 97–2003"),
    (b"PK\x03\x04broken", "битый.docx", "повреждённый архив"),
    (b"just text", "текст", "Файл по содержимому это файл неизвестного типа"),
])
def test_other_types_are_refused_with_what_they_are(content, name, message):
    with pytest.raises(DocumentError, match=message):
        checked(content, name)


def test_empty_and_oversize_files_are_refused(settings):
    with pytest.raises(DocumentError, match="пустой"):
        checked(b"", "пусто.pdf")
    settings.DOCUMENT_MAX_MB = 1
    with pytest.raises(DocumentError, match="до 1 МБ"):
        checked(pdf_bytes("x" * (1024 * 1024 + 10)), "большой.pdf")


def test_path_like_names_keep_only_the_file_name():
    assert clean_name("../../etc/passwd.pdf", "pdf") == "passwd.pdf"
    assert clean_name("C:\\Users\\school\\Концепция.docx", "docx") == "Концепция.docx"
    assert clean_name("a<b>:c\x00.pdf", "pdf") == "abc.pdf"
    assert clean_name("../", "pdf") == "документ.pdf"
    assert len(clean_name("я" * 300 + ".pdf", "pdf")) == 200
    assert checked(pdf_bytes(), "../../../секрет.pdf").name == "секрет.pdf"


def test_diff_marks_added_and_removed_paragraphs_and_cuts_the_rest():
    old = ["a", "b", "c", "d", "e", "f"]
    new = ["a", "b", "c", "d", "X", "f"]
    ops = [(d.op, d.text) if d else None for d in diff_lines(old, new)]
    assert ops == [None, ("same", "d"), ("removed", "e"), ("added", "X"), ("same", "f")]
