"""Uploaded files: the checks every upload passes before anything is written, the one
registry of the places users upload files, storing a file outside the database
transaction, and serving it back.

A file is accepted only when it *opens* as the type its bytes say
(:mod:`core.filecheck`, ZIPs through :mod:`core.archives`) and its name does not say
otherwise. Every upload point — a form field through which users send files — is declared
with :func:`register_upload_point`; its form cleans the field with ``point.form_clean()``,
so all of them go through :func:`upload_check`, and ``tests/core/test_upload_points.py``
fails when a file field or a view reading ``request.FILES`` is not covered.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import IO
from urllib.parse import quote, unquote

from django.conf import settings

from .exceptions import DomainError
from .filecheck import KINDS, MACRO_EXTENSIONS, OLE2, Sniffed, sniff, verify  # noqa: F401
from .text import transliterate

DOCUMENT_KINDS = ("pdf", "docx", "doc", "odt", "xlsx")
TABLE_KINDS = ("xlsx", "xls", "csv")
#: Kept for the documents' code: what a document may be, and how each type is served.
ALLOWED = {code: KINDS[code].label for code in DOCUMENT_KINDS}
CONTENT_TYPES = {code: kind.content_type for code, kind in KINDS.items()}
_ACCEPTED_TEXT = {
    DOCUMENT_KINDS: ("документ", "PDF, Word (.docx, .doc), OpenDocument (.odt) или Excel (.xlsx)"),
    TABLE_KINDS: ("таблицу", "Excel (.xlsx, .xls) или CSV"),
}
#: Suffixes taken for a file type when a name ends with them; anything else after the
#: last dot («Приказ от 09.03.2022», «Отчёт т.1») is part of the name, and the detected
#: type's extension is appended.
_FILE_EXTENSIONS = frozenset(
    {e for kind in KINDS.values() for e in kind.extensions} | MACRO_EXTENSIONS | {
        "rtf", "html", "htm", "xml", "json", "zip", "rar", "7z", "gz", "tar", "png", "jpg",
        "jpeg", "gif", "bmp", "tif", "tiff", "webp", "heic", "svg", "djvu", "exe", "dll",
        "bat", "cmd", "com", "js", "vbs", "ps1", "msi", "scr", "jar", "sh", "py", "ods",
        "odp", "ppt", "pptx", "pps", "ppsx", "dotx", "xltx", "dot", "xlt", "mp3", "mp4",
        "avi", "mov", "mkv", "wav", "iso", "eml", "msg", "lnk", "url"})


class UploadError(DomainError):
    pass


# -- names -----------------------------------------------------------------------------------
NAME_MAX = 200
_RESERVED = re.compile(r'[<>:"|?*]')
_SPACES = re.compile(r"\s+")
_WINDOWS_DEVICES = re.compile(r"(?i)^(con|prn|aux|nul|com\d|lpt\d)(\.|$)")


def _strip_unsafe(text: str) -> str:
    # Control (Cc), format (Cf: bidirectional overrides and isolates U+202A–U+202E,
    # U+2066–U+2069, marks U+200E/U+200F, zero-width characters, BOM), surrogates (Cs) and
    # line/paragraph separators (Zl, Zp) never belong in a shown name: the bidi ones make
    # «exe.pdf» look like «pdf.exe».
    return "".join(" " if unicodedata.category(ch) in ("Zl", "Zp") else ch
                   for ch in text if unicodedata.category(ch) not in ("Cc", "Cf", "Cs"))


def _percent_decoded(name: str) -> str:
    """Browsers and mail clients sometimes hand over «%D0%9A%D0%BE…»: decode it (twice at
    most, for double encoding) while the result is valid UTF-8."""
    for _ in range(2):
        if not re.search(r"%[0-9A-Fa-f]{2}", name):
            break
        try:
            decoded = unquote(name, errors="strict")
        except UnicodeDecodeError:
            break
        if decoded == name:
            break
        name = decoded
    return name


def name_extension(name: str) -> str:
    """The file type a name claims: its suffix after the last dot, lower-cased, when that
    is a known file extension; ``""`` otherwise."""
    ext = (name or "").rpartition(".")[2].lower() if "." in (name or "") else ""
    return ext if ext in _FILE_EXTENSIONS else ""


def clean_name(name: str, extension: str, *, limit: int = NAME_MAX) -> str:
    """The user's file name as it may be shown and offered for download: percent-decoded,
    without any path, control, bidirectional or reserved characters, at most ``limit``
    characters, ending with an extension of the detected type ``extension`` (appended, or
    replacing a claimed one of another type); falls back to «документ.<ext>»."""
    name = _percent_decoded(name or "")
    name = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    name = _SPACES.sub(" ", _RESERVED.sub("", _strip_unsafe(name))).strip()
    own = KINDS[extension].extensions if extension in KINDS else ()
    claimed = name_extension(name)
    stem = (name[: -len(claimed) - 1] if claimed else name).strip(" .")
    if claimed and (claimed in own or not own):
        ext = name[-len(claimed):]
    else:
        ext = extension if own else ""
    if _WINDOWS_DEVICES.match(stem):
        stem = f"_{stem}"
    stem = stem[: max(1, limit - len(ext) - 1)].rstrip(" .") or "документ"
    return f"{stem}.{ext}" if ext else stem


def ascii_name(name: str) -> str:
    """An ASCII stand-in for ``name`` (the ``filename=`` of old clients): Russian
    transliterated, anything else outside printable ASCII as «_»."""
    stem, dot, ext = name.rpartition(".")
    stem = stem if dot else name
    out = "".join(ch if " " <= ch < "\x7f" and ch not in '"\\%;' else "_"
                  for ch in transliterate(stem))
    out = re.sub(r"_+", "_", out).strip(" _.") or "document"
    return f"{out}.{ext}" if dot else out


def sha256_of(stream: IO[bytes]) -> str:
    digest = hashlib.sha256()
    stream.seek(0)
    for chunk in iter(lambda: stream.read(1 << 20), b""):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


# -- the check ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Upload:
    """A checked file, ready to be stored."""

    stream: IO[bytes]
    name: str
    extension: str
    sha256: str
    size: int
    point: str = ""

    def read(self) -> bytes:
        """The whole content (for importers that keep the bytes)."""
        self.stream.seek(0)
        return self.stream.read()


def size_mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".replace(".", ",")


def _accepted(kinds: tuple[str, ...]) -> tuple[str, str]:
    if kinds in _ACCEPTED_TEXT:
        return _ACCEPTED_TEXT[kinds]
    labels = [KINDS[k].label for k in kinds]
    return "файл", (", ".join(labels[:-1]) + " или " + labels[-1]) if len(labels) > 1 \
        else labels[0]


def upload_check(stream: IO[bytes], name: str, size: int, *,
                 error: type[DomainError] = UploadError,
                 kinds: tuple[str, ...] = DOCUMENT_KINDS,
                 max_mb_setting: str = "DOCUMENT_MAX_MB", point: str = "") -> Upload:
    """Check an uploaded file before anything is written: not empty, within the size
    limit, of one of ``kinds`` by its bytes, *opening* as that type (bounded memory),
    without macros, and not named as another type. Raises ``error`` with the reason."""
    limit_mb = getattr(settings, max_mb_setting)
    if not size:
        raise error("Файл пустой (0 байт). Выберите файл ещё раз.")
    if size > limit_mb * 1024 * 1024:
        raise error(f"Файл слишком большой ({size_mb(size)} МБ). Можно загрузить файл "
                    f"до {limit_mb} МБ — сожмите его или разделите.")
    claimed = name_extension(name)
    if claimed in MACRO_EXTENSIONS:
        raise error(f"Файлы с макросами (.{claimed}) не принимаются: макросы могут быть "
                    "вредоносными. Сохраните файл в обычном формате (.docx или .xlsx) и "
                    "загрузите снова.")
    sniffed = sniff(stream)
    if sniffed.problem:
        raise error(sniffed.problem)
    kind = sniffed.extension
    if kind is None and sniffed.text and "csv" in kinds and claimed in KINDS["csv"].extensions:
        kind = "csv"  # a one-column list has no separators; its name tells it is a table
    if kind not in kinds:
        noun, accepted = _accepted(kinds)
        agrees = kind is not None and claimed in KINDS[kind].extensions
        said = f"Имя файла оканчивается на .{claimed}, но" if claimed and not agrees else "Файл"
        raise error(f"{said} по содержимому это {sniffed.what}. Загрузите {noun} в формате "
                    f"{accepted}.")
    disagrees = bool(claimed) and claimed not in KINDS[kind].extensions
    try:
        verify(stream, kind, error=error)
    except DomainError as exc:
        if disagrees:
            raise error(f"{exc} Кроме того, имя файла оканчивается на .{claimed}, а по "
                        f"первым байтам это {KINDS[kind].label}.")
        raise
    if disagrees:
        raise error(f"Имя файла оканчивается на .{claimed}, а по содержимому это "
                    f"{KINDS[kind].label}. Проверьте, тот ли файл выбран; если тот — "
                    f"исправьте расширение в имени на .{KINDS[kind].extensions[0]}.")
    return Upload(stream=stream, name=clean_name(name, kind), extension=kind,
                  sha256=sha256_of(stream), size=size, point=point)


# -- the registry of upload points ---------------------------------------------------------------
@dataclass
class UploadPoint:
    """A place where users upload a file: what it is called and what it accepts."""

    name: str
    label: str
    kinds: tuple[str, ...]
    max_mb_setting: str = "DOCUMENT_MAX_MB"
    #: «module.Form.field» of every form field cleaned by this point (filled by
    #: :meth:`form_clean` when the form class is created).
    fields: list[str] = field(default_factory=list)

    def check(self, stream: IO[bytes], name: str, size: int, *,
              error: type[DomainError] = UploadError) -> Upload:
        return upload_check(stream, name, size, error=error, kinds=self.kinds,
                            max_mb_setting=self.max_mb_setting, point=self.name)

    def form_clean(self) -> _FormClean:
        """``clean_<field> = point.form_clean()`` in a form's body: the field's file is
        checked by :meth:`check` and becomes an :class:`Upload` (``None`` when optional
        and not given)."""
        return _FormClean(self)


class _FormClean:
    def __init__(self, point: UploadPoint):
        self.point = point

    def __set_name__(self, owner, attr: str) -> None:
        if not attr.startswith("clean_"):
            raise TypeError(f"{owner.__qualname__}.{attr}: form_clean() must be a clean_<field>.")
        self.field_name = attr.removeprefix("clean_")
        self.point.fields.append(f"{owner.__module__}.{owner.__qualname__}.{self.field_name}")

    def __get__(self, form, owner=None):
        return self if form is None else functools.partial(self._clean, form)

    def _clean(self, form) -> Upload | None:
        from django import forms

        f = form.cleaned_data.get(self.field_name)
        if not f:
            return None
        try:
            return self.point.check(f, f.name, f.size)
        except DomainError as exc:
            raise forms.ValidationError(str(exc))


UPLOAD_POINTS: dict[str, UploadPoint] = {}


def register_upload_point(name: str, label: str, kinds: tuple[str, ...] = DOCUMENT_KINDS, *,
                          max_mb_setting: str = "DOCUMENT_MAX_MB") -> UploadPoint:
    """Declare an upload point (``app.what``); its form cleans the field with
    ``clean_<field> = point.form_clean()``. Registering the same name twice with the same
    definition returns the first."""
    unknown = set(kinds) - set(KINDS)
    if unknown:
        raise ValueError(f"Unknown file kinds for {name}: {sorted(unknown)}")
    point = UploadPoint(name, label, tuple(kinds), max_mb_setting)
    existing = UPLOAD_POINTS.setdefault(name, point)
    if (existing.label, existing.kinds, existing.max_mb_setting) != (
            point.label, point.kinds, point.max_mb_setting):
        raise ValueError(f"Upload point {name} is registered twice, differently.")
    return existing


# -- storing and serving ---------------------------------------------------------------------------
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


def content_disposition(name: str, *, inline: bool = False) -> str:
    """RFC 6266 / 5987: an ASCII ``filename=`` for old clients and the real name in
    ``filename*=UTF-8''…``."""
    disposition = "inline" if inline else "attachment"
    fallback = ascii_name(name)
    if fallback == name:
        return f'{disposition}; filename="{name}"'
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def stored_file_response(fieldfile, filename: str, extension: str, *, inline: bool = False):
    """A stored upload as a download (or inline, for PDF previews); 404 when the storage
    lost it. The type is the one the stored bytes have (a «fake.docx» that is a PDF goes
    out as «fake.pdf», application/pdf); bytes of no accepted type go out as an
    attachment of application/octet-stream. Never cached, never sniffed by the browser."""
    from django.http import FileResponse, Http404

    try:
        handle = fieldfile.open("rb")
    except FileNotFoundError:
        raise Http404("Файл не найден в хранилище.")
    detected = sniff(handle).extension
    handle.seek(0)
    if detected is None:
        inline = False
        content_type = "application/octet-stream"
        name = clean_name(filename, extension)
    else:
        content_type = CONTENT_TYPES[detected]
        name = clean_name(filename, detected)
    response = FileResponse(handle, as_attachment=not inline, content_type=content_type)
    response["Content-Disposition"] = content_disposition(name, inline=inline)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
