"""Uploaded files: what a file really is (its type read from its bytes, never from its
name), the checks every upload passes before anything is written, storing it outside the
database transaction, and serving it back. Used by school documents and contest materials.

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
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO

from django.conf import settings

from .exceptions import DomainError

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



class UploadError(DomainError):
    pass


@dataclass(frozen=True)
class Upload:
    """A checked file, ready to be stored."""

    stream: IO[bytes]
    name: str
    extension: str
    sha256: str
    size: int


def size_mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".replace(".", ",")


def upload_check(stream: IO[bytes], name: str, size: int, *,
                 error: type[DomainError] = UploadError) -> Upload:
    """Check an uploaded file before anything is written: not empty, within the size
    limit, and of an accepted type *by its bytes*. Raises ``error`` with the reason."""
    limit = settings.DOCUMENT_MAX_MB * 1024 * 1024
    if not size:
        raise error("Файл пустой (0 байт). Выберите файл ещё раз.")
    if size > limit:
        raise error(f"Файл слишком большой: {size_mb(size)} МБ. Можно загрузить файл "
                    f"до {settings.DOCUMENT_MAX_MB} МБ — сожмите его или разделите.")
    sniffed = sniff(stream)
    if sniffed.extension is None:
        claimed = name_extension(name)
        said = f"Имя файла оканчивается на .{claimed}, но" if claimed else "Файл"
        raise error(
            f"{said} по содержимому это {sniffed.what}. Загрузите документ в формате "
            "PDF, Word (.docx, .doc), OpenDocument (.odt) или Excel (.xlsx).")
    return Upload(stream=stream, name=clean_name(name, sniffed.extension),
                  extension=sniffed.extension, sha256=sha256_of(stream), size=size)


@contextmanager
def upload_stored(upload: Upload, name: str):
    """Write a checked upload to storage *before* the caller's transaction (STYLE §9) and
    yield the stored name; the file is deleted again if the block fails, so a refused
    write leaves nothing behind."""
    from django.core.files.base import File
    from django.core.files.storage import default_storage

    stored = default_storage.save(name, File(upload.stream))
    try:
        yield stored
    except BaseException:
        default_storage.delete(stored)
        raise


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
