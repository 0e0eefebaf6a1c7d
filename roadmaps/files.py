"""Reading school documents: the text of a .docx and the difference of two versions.
What a file is, the upload checks and serving files back live in ``core.files``."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from typing import IO

from core.files import (  # noqa: F401  (the names the documents' code and tests use)
    ALLOWED,
    CONTENT_TYPES,
    clean_name,
    name_extension,
    sha256_of,
    sniff,
    stored_file_response,
)


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
