"""What a file really is, and whether it opens as that.

:func:`sniff` tells the type from the first bytes (cheap, never raises; used for
downloads too). :func:`verify` then proves the file *opens* as that type, with bounded
memory: a PDF has a real cross-reference table and trailer and at least one page (pypdf);
a .docx / .xlsx / .odt is a ZIP that passes :func:`core.archives.open_archive_checked`,
has the parts its type must have, carries no macros, and whose main XML part parses
(streamed, no DTD, so no entity expansion); an old .doc / .xls is a compound file with a
sane header and no VBA project; a CSV decodes as text.
"""

from __future__ import annotations

import codecs
import re
import xml.parsers.expat
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO

from .archives import MB, ArchiveLimits, CheckedArchive, open_archive_checked
from .exceptions import DomainError


@dataclass(frozen=True)
class Kind:
    code: str
    label: str  # what it is, in Russian, for messages
    content_type: str
    extensions: tuple[str, ...]  # names of this kind end so


KINDS = {k.code: k for k in (
    Kind("pdf", "PDF", "application/pdf", ("pdf",)),
    Kind("docx", "документ Word (.docx)",
         "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ("docx",)),
    Kind("doc", "документ Word 97–2003 (.doc)", "application/msword", ("doc",)),
    Kind("odt", "документ OpenDocument (.odt)", "application/vnd.oasis.opendocument.text",
         ("odt",)),
    Kind("xlsx", "таблица Excel (.xlsx)",
         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ("xlsx",)),
    Kind("xls", "таблица Excel 97–2003 (.xls)", "application/vnd.ms-excel", ("xls",)),
    Kind("csv", "таблица CSV", "text/csv", ("csv", "tsv", "txt")),
)}
#: Names that announce macros; refused whatever is inside.
MACRO_EXTENSIONS = frozenset({"docm", "dotm", "xlsm", "xltm", "xlam", "xlsb", "pptm", "potm",
                              "ppsm", "ppam"})
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_KNOWN_OTHER = (
    (b"MZ", "исполняемый файл Windows"),
    (b"\x7fELF", "исполняемый файл"),
    (b"Rar!", "архив RAR"),
    (b"7z\xbc\xaf", "архив 7-Zip"),
    (b"\x1f\x8b", "архив GZIP"),
    (b"\x89PNG", "изображение PNG"),
    (b"\xff\xd8\xff", "изображение JPEG"),
    (b"GIF8", "изображение GIF"),
    (b"{\\rtf", "документ RTF"),
)
#: The main XML part of each package type, and the parts it must have.
MAIN_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "odt": "content.xml"}
_REQUIRED = {"docx": ("[Content_Types].xml", "word/document.xml"),
             "xlsx": ("[Content_Types].xml", "xl/workbook.xml"),
             "odt": ("mimetype", "content.xml")}
_SMALL_PART = 4 * MB  # [Content_Types].xml, mimetype: tiny in every real file
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class Sniffed:
    extension: str | None  # a key of KINDS, or None
    what: str  # what the bytes are, in Russian, for the message
    #: Why an archive could not even be looked into (the reason to show), if so.
    problem: str = ""
    #: Plain text without a table's separators: a CSV only when its name says so.
    text: bool = False


def sniff(stream: IO[bytes]) -> Sniffed:
    """The type of ``stream`` from its bytes (the stream is rewound afterwards). Reads
    the head, and for a ZIP its directory (bounded); never raises."""
    stream.seek(0)
    head = stream.read(8)
    stream.seek(0)
    try:
        if head.startswith(b"%PDF-"):
            return Sniffed("pdf", KINDS["pdf"].label)
        if head.startswith(b"PK\x03\x04"):
            return _sniff_zip(stream)
        if head.startswith(OLE2):
            return _sniff_ole(stream)
        for magic, what in _KNOWN_OTHER:
            if head.startswith(magic):
                return Sniffed(None, what)
        return _sniff_text(stream)
    finally:
        stream.seek(0)


def _sniff_zip(stream: IO[bytes]) -> Sniffed:
    try:
        with open_archive_checked(stream, limits=ArchiveLimits.for_reading(),
                                  verify=False) as archive:
            names = set(archive.names)
            if "mimetype" in names:
                mimetype = archive.read("mimetype", max_bytes=256).decode(
                    "ascii", "replace").strip()
                if mimetype == KINDS["odt"].content_type:
                    return Sniffed("odt", KINDS["odt"].label)
                return Sniffed(None, f"документ OpenDocument другого вида ({mimetype[:80]})")
            if "[Content_Types].xml" in names:
                if any(n.startswith("word/") for n in names):
                    return Sniffed("docx", KINDS["docx"].label)
                if any(n.startswith("xl/") for n in names):
                    return Sniffed("xlsx", KINDS["xlsx"].label)
                if any(n.startswith("ppt/") for n in names):
                    return Sniffed(None, "презентация PowerPoint")
    except DomainError as exc:
        # a limit or encryption is the reason to show; mere damage reads «повреждённый архив»
        return Sniffed(None, "повреждённый архив",
                       problem=str(exc) if getattr(exc, "shown", False) else "")
    return Sniffed(None, "архив ZIP")


def _contains_utf16(stream: IO[bytes], *words: str) -> set[str]:
    """Which of ``words`` occur (UTF-16-LE, as compound-file directory names are) anywhere
    in the stream, read 1 MB at a time."""
    wanted = {w: w.encode("utf-16-le") for w in words}
    overlap = max(len(p) for p in wanted.values())
    found: set[str] = set()
    stream.seek(0)
    tail = b""
    while chunk := stream.read(MB):
        window = tail + chunk
        found |= {w for w, p in wanted.items() if p in window}
        tail = window[-overlap:]
    stream.seek(0)
    return found


def _sniff_ole(stream: IO[bytes]) -> Sniffed:
    # The directory of a compound file may sit anywhere, so stream names are looked for
    # in the whole file (uploads are limited in size before they get here).
    found = _contains_utf16(stream, "WordDocument", "Workbook", "Book", "EncryptedPackage")
    if "EncryptedPackage" in found:
        return Sniffed(None, "документ Office, защищённый паролем")
    if "WordDocument" in found:
        return Sniffed("doc", KINDS["doc"].label)
    if "Workbook" in found or "Book" in found:
        return Sniffed("xls", KINDS["xls"].label)
    return Sniffed(None, "документ Office 97–2003 неизвестного вида")


def _sniff_text(stream: IO[bytes]) -> Sniffed:
    sample = stream.read(_CHUNK)
    if not sample or b"\x00" in sample:
        return Sniffed(None, "файл неизвестного типа")
    text = _decode_sample(sample)
    if text is None:
        return Sniffed(None, "файл неизвестного типа")
    start = text.lstrip("\ufeff \t\r\n")[:200].lower()
    if start.startswith(("<!doctype html", "<html")) or "<html" in start:
        return Sniffed(None, "страница HTML")
    if start.startswith("<"):
        return Sniffed(None, "документ XML")
    lines = [line for line in text.splitlines()[:50] if line.strip()]
    if len(lines) >= 2 and any(sep in line for line in lines for sep in (";", "\t", ",")):
        return Sniffed("csv", KINDS["csv"].label)
    return Sniffed(None, "файл неизвестного типа", text=True)


def _decode_sample(sample: bytes) -> str | None:
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            return codecs.getincrementaldecoder(encoding)().decode(sample, final=False)
        except UnicodeDecodeError:
            continue
    return None


# -- does it open as that? ----------------------------------------------------------------------
def verify(stream: IO[bytes], kind: str, *, error: type[DomainError],
           limits: ArchiveLimits | None = None) -> None:
    """Raise ``error`` unless ``stream`` opens as ``kind`` (a key of :data:`KINDS`)."""
    try:
        if kind == "pdf":
            _verify_pdf(stream, error)
        elif kind in MAIN_PART:
            _verify_package(stream, kind, error, limits)
        elif kind in ("doc", "xls"):
            _verify_ole(stream, kind, error)
        elif kind == "csv":
            _verify_text(stream, error)
        else:
            raise error(f"Файлы вида {kind} не принимаются.")
    finally:
        stream.seek(0)


def _not_pdf(reason: str) -> str:
    return (f"Файл начинается как PDF, но не открывается как PDF: {reason}. Он повреждён, "
            "загружен не полностью или это другой файл с подменённым началом. Сохраните "
            "документ в PDF заново и загрузите его.")


_STARTXREF = re.compile(rb"startxref\s+(\d{1,15})\s+%%EOF")


def _verify_pdf(stream: IO[bytes], error: type[DomainError]) -> None:
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(max(0, size - 2048))
    tail = stream.read()
    if b"%%EOF" not in tail[-1100:]:
        raise error(_not_pdf("в конце нет отметки конца PDF (%%EOF)"))
    found = list(_STARTXREF.finditer(tail))
    if not found:
        raise error(_not_pdf("в нём нет таблицы ссылок (startxref / xref) с концевиком "
                             "(trailer)"))
    offset = int(found[-1].group(1))
    # a few producers point a few bytes off; the table must still be right there
    stream.seek(max(0, offset - 16))
    if offset >= size or not re.search(rb"xref|\d+\s+\d+\s+obj", stream.read(96)):
        raise error(_not_pdf("ссылка на таблицу объектов (startxref) указывает в пустоту"))
    stream.seek(0)
    from pypdf import PdfReader

    try:
        reader = PdfReader(stream, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise error("PDF защищён паролем на открытие: снимите защиту и загрузите файл "
                        "снова — иначе куратор не сможет его прочитать.")
        pages = len(reader.pages)
        if pages:
            _ = reader.pages[0].mediabox
    except DomainError:
        raise
    except Exception:  # noqa: BLE001 — any failure of the parser on hostile input means «no»
        raise error(_not_pdf("его структура не читается"))
    if pages < 1:
        raise error(_not_pdf("в нём нет ни одной страницы"))


def _macros(kind: str) -> str:
    where = {"xlsx": "в Excel «Файл → Сохранить как → Книга Excel (.xlsx)»",
             "xls": "в Excel «Файл → Сохранить как → Книга Excel (.xlsx)»",
             "odt": "в LibreOffice удалите макросы («Сервис → Макросы → Управление»)"}.get(
        kind, "в Word «Файл → Сохранить как → Документ Word (.docx)»")
    return ("Файл содержит макросы: такие файлы не принимаются, потому что макросы могут "
            f"быть вредоносными. Сохраните его без макросов ({where}) и загрузите снова.")


def macros_in(archive: CheckedArchive, content_types: list[str]) -> bool:
    """Whether a package carries VBA, Excel 4.0 macro sheets or OpenDocument scripts."""
    for name in archive.names:
        low = name.lower()
        if low.rsplit("/", 1)[-1] in ("vbaproject.bin", "vbadata.xml") or \
                low.startswith(("xl/macrosheets/", "scripts/")) or \
                (low.startswith("basic/") and low.count("/") >= 2
                 and not low.endswith(("script-lb.xml", "dialog-lb.xml"))):
            return True
    return any(t in ct.lower() for ct in content_types
               for t in ("macroenabled", "vbaproject", "macrosheet"))


def _verify_package(stream: IO[bytes], kind: str, error: type[DomainError],
                    limits: ArchiveLimits | None) -> None:
    label = KINDS[kind].label
    with open_archive_checked(stream, limits=limits, error=error) as archive:
        content_types: list[str] = []
        if "[Content_Types].xml" in archive:
            def collect(name, attrs):
                if "ContentType" in attrs:
                    content_types.append(attrs["ContentType"])

            parse_xml(archive.open("[Content_Types].xml", max_bytes=_SMALL_PART),
                      error=error, part="[Content_Types].xml", start=collect)
        if macros_in(archive, content_types):
            raise error(_macros(kind))
        missing = [p for p in _REQUIRED[kind] if p not in archive]
        if missing:
            raise error(f"Файл похож на {label}, но в нём нет обязательной части "
                        f"«{missing[0]}»: он повреждён или собран не программой Office. "
                        "Сохраните документ заново и загрузите снова.")
        if kind == "odt":
            mimetype = archive.read("mimetype", max_bytes=256).decode("ascii", "replace")
            if mimetype.strip() != KINDS["odt"].content_type:
                raise error(f"Файл похож на {label}, но его вид (mimetype) другой. Сохраните "
                            "документ в формате .odt заново и загрузите снова.")
        parse_xml(archive.open(MAIN_PART[kind]), error=error, part=MAIN_PART[kind])


def _verify_ole(stream: IO[bytes], kind: str, error: type[DomainError]) -> None:
    stream.seek(0)
    header = stream.read(512)
    major, byte_order, shift = (int.from_bytes(header[26:28], "little"), header[28:30],
                                int.from_bytes(header[30:32], "little"))
    if len(header) < 512 or byte_order != b"\xfe\xff" or (major, shift) not in ((3, 9),
                                                                                 (4, 12)):
        raise error(f"Файл начинается как {KINDS[kind].label}, но не открывается: его "
                    "заголовок повреждён. Сохраните документ заново и загрузите снова.")
    if _contains_utf16(stream, "_VBA_PROJECT"):
        raise error(_macros(kind))


def _verify_text(stream: IO[bytes], error: type[DomainError]) -> None:
    """A CSV must be text in UTF-8 or Windows-1251 throughout (read 64 KB at a time)."""
    for encoding in ("utf-8-sig", "cp1251"):
        decoder = codecs.getincrementaldecoder(encoding)()
        stream.seek(0)
        try:
            while chunk := stream.read(_CHUNK):
                if b"\x00" in chunk:
                    raise error("Файл похож на таблицу CSV, но содержит двоичные данные. "
                                "Сохраните таблицу в Excel или CSV заново.")
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
            return
        except UnicodeDecodeError:
            continue
    raise error("Не удалось определить кодировку CSV: сохраните файл в UTF-8.")


class StopParsing(Exception):
    """Raised by a handler of :func:`parse_xml` to stop early (not an error)."""


def parse_xml(stream: IO[bytes], *, error: type[DomainError], part: str,
              start: Callable | None = None, end: Callable | None = None,
              text: Callable | None = None) -> bool:
    """Stream-parse XML from ``stream`` (64 KB at a time) with expat, calling ``start(name,
    attrs)``, ``end(name)`` and ``text(data)`` (names are ``{namespace}local``). A DTD is
    refused outright, so no entity can expand. Returns ``False`` when a handler raised
    :class:`StopParsing`. Raises ``error`` when the XML is malformed."""
    parser = xml.parsers.expat.ParserCreate(namespace_separator="}")
    parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
    bad = error(f"Файл повреждён: часть «{part}» не является правильным XML. Сохраните "
                "документ заново и загрузите снова.")

    def no_dtd(*_args):
        raise bad

    parser.StartDoctypeDeclHandler = no_dtd
    parser.EntityDeclHandler = no_dtd
    if start is not None:
        parser.StartElementHandler = lambda tag, attrs: start(_clark(tag), attrs)
    if end is not None:
        parser.EndElementHandler = lambda tag: end(_clark(tag))
    if text is not None:
        parser.CharacterDataHandler = text
        parser.buffer_text = True
    with stream:
        try:
            while chunk := stream.read(_CHUNK):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
        except StopParsing:
            return False
        except xml.parsers.expat.ExpatError:
            raise bad
    return True


def _clark(tag: str) -> str:
    return "{" + tag if "}" in tag else tag
