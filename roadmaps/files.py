"""What an uploaded document really is: its type read from its bytes, never from its name.

Accepted: PDF, Word (.docx and the old .doc), OpenDocument text (.odt) and Excel (.xlsx).
Office Open XML and OpenDocument files are ZIP archives, so a ZIP is opened and its parts
decide which of them it is; the old .doc is an OLE2 compound file with a «WordDocument»
stream.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import IO

ALLOWED = {
    "pdf": "PDF",
    "docx": "документ Word (.docx)",
    "doc": "документ Word 97–2003 (.doc)",
    "odt": "документ OpenDocument (.odt)",
    "xlsx": "таблица Excel (.xlsx)",
}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "doc": "application/msword",
    "odt": "application/vnd.oasis.opendocument.text",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_WORD_STREAM = "WordDocument".encode("utf-16-le")
_KNOWN_OTHER = (
    (b"MZ", "исполняемый файл Windows"),
    (b"\x7fELF", "исполняемый файл"),
    (b"Rar!", "архив RAR"),
    (b"7z\xbc\xaf", "архив 7-Zip"),
    (b"\x89PNG", "изображение PNG"),
    (b"\xff\xd8\xff", "изображение JPEG"),
    (b"GIF8", "изображение GIF"),
    (b"{\\rtf", "документ RTF"),
)


@dataclass(frozen=True)
class Sniffed:
    extension: str | None  # one of ALLOWED, or None
    what: str  # what the bytes are, in Russian, for the message


def sniff(stream: IO[bytes]) -> Sniffed:
    """Read the type of ``stream`` from its bytes (the stream is rewound afterwards)."""
    stream.seek(0)
    head = stream.read(8)
    stream.seek(0)
    try:
        if head.startswith(b"%PDF-"):
            return Sniffed("pdf", ALLOWED["pdf"])
        if head.startswith(b"PK\x03\x04"):
            return _sniff_zip(stream)
        if head.startswith(OLE2):
            return _sniff_ole(stream)
        for magic, what in _KNOWN_OTHER:
            if head.startswith(magic):
                return Sniffed(None, what)
        return Sniffed(None, "файл неизвестного типа")
    finally:
        stream.seek(0)


def _sniff_zip(stream: IO[bytes]) -> Sniffed:
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                if mimetype == CONTENT_TYPES["odt"]:
                    return Sniffed("odt", ALLOWED["odt"])
                return Sniffed(None, f"документ OpenDocument другого вида ({mimetype})")
            if "[Content_Types].xml" in names:
                if "word/document.xml" in names:
                    return Sniffed("docx", ALLOWED["docx"])
                if "xl/workbook.xml" in names:
                    return Sniffed("xlsx", ALLOWED["xlsx"])
                if "ppt/presentation.xml" in names:
                    return Sniffed(None, "презентация PowerPoint")
    except (zipfile.BadZipFile, OSError, ValueError):
        return Sniffed(None, "повреждённый архив")
    return Sniffed(None, "архив ZIP")


def _sniff_ole(stream: IO[bytes]) -> Sniffed:
    # The directory of a compound file may sit anywhere, so the stream name is looked for
    # in the whole file (documents are limited in size before they get here).
    data = stream.read()
    if _WORD_STREAM in data:
        return Sniffed("doc", ALLOWED["doc"])
    if "Workbook".encode("utf-16-le") in data:
        return Sniffed(None, "таблица Excel 97–2003 (.xls)")
    return Sniffed(None, "документ Office 97–2003 неизвестного вида")


def sha256_of(stream: IO[bytes]) -> str:
    digest = hashlib.sha256()
    stream.seek(0)
    for chunk in iter(lambda: stream.read(1 << 20), b""):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


_UNSAFE = re.compile(r"[\x00-\x1f\x7f<>:\"|?*]")


def clean_name(name: str, extension: str) -> str:
    """The user's file name without any path, control characters or reserved characters,
    at most 200 characters; falls back to «документ.<ext>»."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE.sub("", name).strip(" .")
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 200 - len(ext) - 1] + dot + ext) if dot and len(ext) <= 8 else name[:200]
    return name or f"документ.{extension}"


def name_extension(name: str) -> str:
    return name.rpartition(".")[2].lower() if "." in name else ""


def _unreadable() -> tuple[type[BaseException], ...]:
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError

    return (OSError, ValueError, KeyError, zipfile.BadZipFile, PackageNotFoundError,
            XMLSyntaxError)


#: What reading a damaged .docx may raise.
UNREADABLE = _unreadable()


def docx_paragraphs(stream: IO[bytes]) -> list[str]:
    """The text of a .docx, paragraph by paragraph (tables included, row by row)."""
    import docx  # python-docx

    stream.seek(0)
    document = docx.Document(stream)
    lines: list[str] = []
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = "".join(node.text or "" for node in block.iter() if node.tag.endswith("}t"))
            if text.strip():
                lines.append(text.strip())
        elif tag == "tbl":
            for row in block.iter():
                if not row.tag.endswith("}tr"):
                    continue
                cells = []
                for cell in row.iterchildren():
                    if cell.tag.endswith("}tc"):
                        cells.append("".join(n.text or "" for n in cell.iter()
                                             if n.tag.endswith("}t")).strip())
                if any(cells):
                    lines.append(" | ".join(cells))
    return lines


@dataclass(frozen=True)
class DiffLine:
    op: str  # "same", "added", "removed"
    text: str


def diff_lines(old: list[str], new: list[str], context: int = 1) -> list[DiffLine | None]:
    """Paragraph-level difference of two texts; unchanged runs are cut to ``context``
    paragraphs around each change (``None`` marks a cut)."""
    import difflib

    out: list[DiffLine | None] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            same = old[i1:i2]
            if len(same) > 2 * context + 1:
                head = same[:context] if out else []
                tail = same[-context:] if i2 < len(old) or j2 < len(new) else []
                out += [DiffLine("same", t) for t in head]
                out.append(None)
                out += [DiffLine("same", t) for t in tail]
            else:
                out += [DiffLine("same", t) for t in same]
            continue
        out += [DiffLine("removed", t) for t in old[i1:i2]]
        out += [DiffLine("added", t) for t in new[j1:j2]]
    return out


def stored_file_response(fieldfile, filename: str, extension: str, *, inline: bool = False):
    """A stored upload as a download (or inline, for PDF previews); 404 when the storage
    lost it. Never cached, never sniffed by the browser."""
    from django.http import FileResponse, Http404

    try:
        handle = fieldfile.open("rb")
    except FileNotFoundError:
        raise Http404("Файл не найден в хранилище.")
    response = FileResponse(handle, as_attachment=not inline, filename=filename,
                            content_type=CONTENT_TYPES.get(extension,
                                                           "application/octet-stream"))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
