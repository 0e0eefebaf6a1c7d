"""Reading school documents: the text of a .docx and the difference of two versions, both
with bounded memory and time whatever the file. What a file is, the upload checks and
serving files back live in ``core.files``.

The text is read by streaming ``word/document.xml`` through expat — never by loading it
whole (python-docx would build a tree of ~6× the XML: a 131 KB .docx inflating to 28 MB
of text cost 170 MB per view). Reading stops after ``PREVIEW_MAX_CHARS`` characters (and
``PREVIEW_MAX_XML_MB`` of XML); the result says whether the document was cut.
"""

from __future__ import annotations

import zipfile
from collections import Counter
from dataclasses import dataclass
from typing import IO

from django.conf import settings

from core.archives import MB, ArchiveLimits, open_archive_checked
from core.exceptions import DomainError
from core.filecheck import StopParsing, parse_xml
from core.files import (  # noqa: F401  (the names the documents' code and tests use)
    ALLOWED,
    CONTENT_TYPES,
    clean_name,
    name_extension,
    sha256_of,
    sniff,
    stored_file_response,
)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class UnreadableDocument(DomainError):
    """The stored file cannot be read as a .docx; the page shows no text instead."""


#: What reading a damaged .docx may raise.
UNREADABLE = (OSError, ValueError, KeyError, zipfile.BadZipFile, DomainError)


def preview_max_chars() -> int:
    return int(getattr(settings, "PREVIEW_MAX_CHARS", 200_000))


@dataclass(frozen=True)
class DocxText:
    lines: list[str]
    #: The document goes on past what was read (limit of characters, paragraphs or XML).
    truncated: bool = False


class _Collector:
    """Expat handlers turning ``w:body`` into lines: a paragraph is a line, a row of an
    outermost table is its cells joined by « | » (nested tables fold into their cell)."""

    def __init__(self, max_chars: int, max_lines: int | None):
        self.lines: list[str] = []
        self.left = max_chars
        self.max_lines = max_lines
        self.truncated = False
        self._in_t = 0
        self._block: str | None = None  # "p" or "tbl" while inside a top-level block
        self._depth = 0  # nesting of the top-level block's own tag
        self._buffer: list[str] = []
        self._buffered = 0
        self._cells: list[str] | None = None

    def start(self, tag: str, _attrs) -> None:
        local, ours = tag.rsplit("}", 1)[-1], tag.startswith(W)
        if self._block is None:
            if ours and local in ("p", "tbl"):
                self._block, self._depth = local, 1
                self._reset()
            return
        if local == "t":  # w:t, and the a:t / m:t of text boxes and formulas
            self._in_t += 1
        elif not ours:
            return
        elif local == self._block:
            self._depth += 1
        elif self._block == "tbl" and self._depth == 1:
            if local == "tr":
                self._cells = []
            elif local == "tc":
                self._reset()

    def end(self, tag: str) -> None:
        if self._block is None:
            return
        local, ours = tag.rsplit("}", 1)[-1], tag.startswith(W)
        if local == "t":
            self._in_t -= 1
        elif not ours:
            return
        elif local == self._block:
            self._depth -= 1
            if self._depth == 0:
                if self._block == "p":
                    self._emit(self._text())
                self._block = None
        elif self._block == "tbl" and self._depth == 1 and self._cells is not None:
            if local == "tc":
                self._cells.append(self._text())
            elif local == "tr":
                if any(self._cells):
                    self._emit(" | ".join(self._cells))
                self._cells = None

    def text(self, data: str) -> None:
        if not self._in_t or self._block is None:
            return
        if self._buffered + len(data) > self.left:  # one endless paragraph is cut too
            self._buffer.append(data[: max(0, self.left - self._buffered)])
            self.truncated = True
            text = self._text()
            if self._cells:
                text = " | ".join([*self._cells, text])
            if text:
                self.lines.append(text)
            raise StopParsing
        self._buffer.append(data)
        self._buffered += len(data)

    def _reset(self) -> None:
        self._buffer, self._buffered = [], 0

    def _text(self) -> str:
        text = "".join(self._buffer).strip()
        self._reset()
        return text

    def _emit(self, line: str) -> None:
        if not line:
            return
        if self.max_lines is not None and len(self.lines) >= self.max_lines:
            self.truncated = True
            raise StopParsing
        self.lines.append(line)
        self.left -= len(line) + 1


def docx_text(stream: IO[bytes], *, max_chars: int | None = None,
              max_paragraphs: int | None = None) -> DocxText:
    """The beginning of a .docx's text, paragraph by paragraph (tables row by row): at
    most ``max_chars`` characters (default ``PREVIEW_MAX_CHARS``) and ``max_paragraphs``
    lines. Memory stays bounded by those limits, not by the file. Raises
    :class:`UnreadableDocument` for a damaged file."""
    collector = _Collector(max_chars if max_chars is not None else preview_max_chars(),
                           max_paragraphs)
    xml_budget = int(getattr(settings, "PREVIEW_MAX_XML_MB", 32) * MB)
    with open_archive_checked(stream, limits=ArchiveLimits.for_reading(),
                              error=UnreadableDocument, verify=False) as archive:
        if "word/document.xml" not in archive:
            raise UnreadableDocument("В файле нет части word/document.xml.")
        part = archive.open("word/document.xml", max_bytes=xml_budget, truncate=True)
        cut_xml = part.truncated
        try:
            parse_xml(part, error=UnreadableDocument, part="word/document.xml",
                      start=collector.start, end=collector.end, text=collector.text)
        except UnreadableDocument:
            if not cut_xml:  # a part cut by the budget ends mid-element; that is expected
                raise
    return DocxText(collector.lines, truncated=collector.truncated or cut_xml)


def docx_paragraphs(stream: IO[bytes]) -> list[str]:
    """The text of a .docx, paragraph by paragraph (tables included, row by row) — its
    beginning, when it is longer than ``PREVIEW_MAX_CHARS``."""
    return docx_text(stream).lines


@dataclass(frozen=True)
class DiffLine:
    op: str  # "same", "added", "removed"
    text: str


@dataclass(frozen=True)
class TextDiff:
    lines: list[DiffLine | None]
    #: Either text was cut before comparing: only the beginnings were compared.
    truncated: bool


#: Above this many comparisons of equal paragraphs, difflib's «popular line» heuristic is
#: switched on: without it a document of thousands of identical lines is quadratic.
_DIFF_EXACT_WORK = 2_000_000


def diff_lines(old: list[str], new: list[str], context: int = 1, *,
               max_lines: int | None = None) -> list[DiffLine | None]:
    """Paragraph-level difference of two texts; unchanged runs are cut to ``context``
    paragraphs around each change (``None`` marks a cut). At most ``max_lines``
    (``DIFF_MAX_PARAGRAPHS``, default 5 000) paragraphs of each are compared."""
    import difflib

    limit = max_lines or int(getattr(settings, "DIFF_MAX_PARAGRAPHS", 5000))
    old, new = old[:limit], new[:limit]
    counts = Counter(new)
    work = sum(counts[line] for line in old)
    out: list[DiffLine | None] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=work > _DIFF_EXACT_WORK)
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


def text_diff(old: DocxText, new: DocxText, context: int = 1) -> TextDiff:
    """:func:`diff_lines` of two read texts, saying whether only beginnings were compared."""
    limit = int(getattr(settings, "DIFF_MAX_PARAGRAPHS", 5000))
    cut = old.truncated or new.truncated or max(len(old.lines), len(new.lines)) > limit
    return TextDiff(diff_lines(old.lines, new.lines, context, max_lines=limit), cut)
