"""ZIP archives from users, opened with bounded memory.

Office Open XML (.docx, .xlsx) and OpenDocument (.odt) files are ZIP archives, and a ZIP
is the classic way to exhaust a server: a few hundred kilobytes that declare (or, with a
lying header, merely produce) gigabytes, or a central directory of a million entries.
:func:`open_archive_checked` is the one door every archive goes through:

1. before the archive is parsed, the end-of-central-directory record is read and the
   central directory is *counted* from its raw headers (no objects are built), so the
   number of entries is capped whatever the record claims;
2. before anything is inflated, the declared sizes are checked: total uncompressed size,
   compression ratio per entry and for the whole file, entries that overlap (several
   names sharing one compressed kernel), encryption and compression methods;
3. reading an entry is streamed with a byte limit, and ``verify=True`` inflates every
   entry once (64 KB at a time) to prove it yields exactly its declared size and CRC,
   and that its local header agrees with the central directory — after that, readers
   that trust the declared sizes (python-calamine, openpyxl) are safe too.

Limits come from settings (``UPLOAD_ZIP_MAX_TOTAL_MB``, ``UPLOAD_ZIP_MAX_RATIO``,
``UPLOAD_ZIP_MAX_ENTRIES``) with defaults that admit a federal 40,000-row workbook.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass
from typing import IO

from django.conf import settings

from .exceptions import DomainError

MB = 1024 * 1024
_EOCD = b"PK\x05\x06"
_EOCD64_LOCATOR = b"PK\x06\x07"
_EOCD64 = b"PK\x06\x06"
_CENTRAL = b"PK\x01\x02"
_LOCAL = b"PK\x03\x04"
_CHUNK = 64 * 1024
#: Ratios are judged only on parts this big: a tiny part of zeros compresses 500× and
#: is harmless; what matters is a big part that was small on the wire.
RATIO_FLOOR = 1 * MB
_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)


class ArchiveError(DomainError):
    """The archive is refused; nothing was inflated beyond the limits."""


def _shown(error: type[DomainError], message: str) -> DomainError:
    """``error(message)`` marked (``.shown``) as a reason worth telling the user as it is —
    a limit, encryption, a method — rather than mere damage."""
    exc = error(message)
    exc.shown = True
    return exc


@dataclass(frozen=True)
class ArchiveLimits:
    #: Sum of the declared uncompressed sizes; ``None`` — not checked (previews, which
    #: read a bounded prefix anyway).
    max_total_bytes: int | None
    #: Uncompressed / compressed, per entry and for the whole archive; ``None`` — not
    #: checked.
    max_ratio: float | None
    max_entries: int

    @classmethod
    def from_settings(cls) -> ArchiveLimits:
        return cls(max_total_bytes=int(getattr(settings, "UPLOAD_ZIP_MAX_TOTAL_MB", 200) * MB),
                   max_ratio=float(getattr(settings, "UPLOAD_ZIP_MAX_RATIO", 100)),
                   max_entries=int(getattr(settings, "UPLOAD_ZIP_MAX_ENTRIES", 10_000)))

    @classmethod
    def for_reading(cls) -> ArchiveLimits:
        """For files already stored (previews): only the number of entries is capped;
        sizes do not matter because every read is bounded."""
        return cls(max_total_bytes=None, max_ratio=None,
                   max_entries=cls.from_settings().max_entries)


def _mb(size: float) -> str:
    return f"{size / MB:.1f}".replace(".", ",")


def _ratio(value: float) -> str:
    """«в 243 раза», «в 1029 раз»: the ratio with the noun agreeing."""
    from .text import plural

    n = round(value)
    return f"{n} {plural(n, 'раз', 'раза', 'раз')}"


class CheckedArchive:
    """A ZIP whose directory passed the limits. Read parts with :meth:`read` or
    :meth:`open` (both bounded); ``names`` lists them in archive order."""

    def __init__(self, archive: zipfile.ZipFile, limits: ArchiveLimits,
                 error: type[DomainError]):
        self._zip = archive
        self.limits = limits
        self.error = error
        self.infos = archive.infolist()
        self.names = [info.filename for info in self.infos]
        self._by_name = {info.filename: info for info in self.infos}

    def __contains__(self, name: str) -> bool:
        return name in self._by_name

    def __enter__(self) -> CheckedArchive:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._zip.close()

    def info(self, name: str) -> zipfile.ZipInfo:
        return self._by_name[name]

    def open(self, name: str, *, max_bytes: int | None = None,
             truncate: bool = False) -> BoundedReader:
        """A file object over one part that yields at most ``max_bytes`` (default: the
        part's declared size). A part declared bigger than ``max_bytes`` is refused —
        or, with ``truncate=True``, read up to the limit (``.truncated`` is then set)."""
        info = self._by_name[name]
        if max_bytes is not None and info.file_size > max_bytes and not truncate:
            raise self.error(f"Часть «{name[:100]}» слишком велика: {_mb(info.file_size)} МБ "
                             f"после распаковки (допускается не больше {_mb(max_bytes)} МБ).")
        limit = info.file_size if max_bytes is None else min(max_bytes, info.file_size)
        return BoundedReader(self, info, limit, truncated=limit < info.file_size)

    def read(self, name: str, *, max_bytes: int | None = None) -> bytes:
        with self.open(name, max_bytes=max_bytes) as part:
            return part.read()

    def verify(self) -> None:
        """Inflate every part once, 64 KB at a time, by hand: each must give exactly its
        declared size and CRC — not a byte more, which Python's reader would silently cut
        but other readers would inflate — and its local header must agree with the
        central directory."""
        for info in self.infos:
            self._inflate_exactly(info, self._data_offset(info))

    def _data_offset(self, info: zipfile.ZipInfo) -> int:
        fp = self._zip.fp
        fp.seek(info.header_offset)
        header = fp.read(30)
        if len(header) < 30 or header[:4] != _LOCAL:
            raise self.error(_damaged(info.filename))
        (_, _, flags, method, _, _, crc, csize, usize, name_len, extra_len) = struct.unpack(
            "<4sHHHHHIIIHH", header)
        mismatch = method != info.compress_type
        # sizes live in a data descriptor after the data (bit 3) or in a ZIP64 extra field
        if not flags & 0x08 and 0xFFFFFFFF not in (csize, usize):
            mismatch = mismatch or (crc, csize, usize) != (info.CRC, info.compress_size,
                                                          info.file_size)
        if mismatch:
            raise self.error(_lying(info.filename))
        return info.header_offset + 30 + name_len + extra_len

    def _inflate_exactly(self, info: zipfile.ZipInfo, offset: int) -> None:
        fp = self._zip.fp
        fp.seek(offset)
        inflater = (zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED
                    else None)
        left, produced, crc = info.compress_size, 0, 0
        try:
            while left > 0 and not (inflater and inflater.eof):
                raw = fp.read(min(_CHUNK, left))
                if not raw:
                    raise self.error(_damaged(info.filename))
                left -= len(raw)
                while raw:
                    out = inflater.decompress(raw, _CHUNK) if inflater else raw
                    raw = inflater.unconsumed_tail if inflater else b""
                    produced += len(out)
                    if produced > info.file_size:
                        raise self.error(_lying(info.filename))
                    crc = zlib.crc32(out, crc)
                    if inflater and inflater.eof:
                        break
        except zlib.error:
            raise self.error(_damaged(info.filename))
        if inflater is not None and not inflater.eof:
            raise self.error(_damaged(info.filename))
        if produced != info.file_size or crc != info.CRC:
            raise self.error(_lying(info.filename))


class BoundedReader(io.RawIOBase):
    """Streams one part, never producing more than its limit (see
    :meth:`CheckedArchive.open`); ``truncated`` tells the limit cut the part short."""

    def __init__(self, archive: CheckedArchive, info: zipfile.ZipInfo, limit: int, *,
                 truncated: bool):
        super().__init__()
        self._archive, self._info, self._left = archive, info, limit
        self.truncated = truncated
        try:
            self._part = archive._zip.open(info)
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, ValueError,
                EOFError, zlib.error):
            raise archive.error(_damaged(info.filename))

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        want = self._left if size is None or size < 0 else min(size, self._left)
        chunks = []
        try:
            while want > 0:
                chunk = self._part.read(min(_CHUNK, want))
                if not chunk:
                    break
                chunks.append(chunk)
                want -= len(chunk)
                if size is not None and size >= 0:
                    break
        except (zipfile.BadZipFile, EOFError, OSError, zlib.error, ValueError):
            # Python stops inflating at the declared size and then checks the CRC: a part
            # that is longer (or other) than its header says ends up here
            raise self._archive.error(_lying(self._info.filename))
        data = b"".join(chunks)
        self._left -= len(data)
        if not data and self._left > 0:  # shorter than declared
            raise self._archive.error(_lying(self._info.filename))
        return data

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self._part.close()
        super().close()


def _damaged(name: str) -> str:
    return (f"Файл повреждён: часть «{name[:100]}» внутри него не читается. Откройте файл "
            "в программе, в которой он создан, сохраните заново и загрузите снова.")


def _lying(name: str) -> str:
    return (f"Файл повреждён или подделан: часть «{name[:100]}» распаковывается не в тот "
            "размер, что указан в заголовке архива. Такой файл не принимается; сохраните "
            "документ заново и загрузите снова.")


def _as_stream(source: bytes | bytearray | memoryview | IO[bytes]) -> IO[bytes]:
    if isinstance(source, (bytes, bytearray, memoryview)):
        return io.BytesIO(bytes(source))
    return source


def open_archive_checked(source: bytes | IO[bytes], *, limits: ArchiveLimits | None = None,
                         error: type[DomainError] = ArchiveError,
                         verify: bool = True) -> CheckedArchive:
    """Open a ZIP (bytes or a seekable binary file object) after checking its directory
    against ``limits`` (default: :meth:`ArchiveLimits.from_settings`). With ``verify``
    (the default) every part is also inflated once, streamed, to prove its declared size.

    Raises ``error`` with a Russian message when the archive is damaged, encrypted,
    compressed by an unsupported method, has overlapping or duplicate parts, or exceeds
    a limit. Use it as a context manager; the caller's stream is not closed."""
    limits = limits or ArchiveLimits.from_settings()
    stream = _as_stream(source)
    stream.seek(0, io.SEEK_END)
    archive_size = stream.tell()
    directory = _directory(stream, archive_size, error)
    _count_entries(stream, directory, limits, error)
    stream.seek(0)
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError,
            struct.error, UnicodeDecodeError):
        raise error("Файл повреждён: каталог архива не читается. Откройте файл в программе, "
                    "в которой он создан, сохраните заново и загрузите снова.")
    try:
        _check_declared(archive, archive_size, directory.offset, limits, error)
        checked = CheckedArchive(archive, limits, error)
        if verify:
            checked.verify()
    except BaseException:
        archive.close()
        raise
    stream.seek(0)
    return checked


@dataclass(frozen=True)
class _Directory:
    offset: int  # where the central directory starts (as the record says)
    size: int
    entries: int  # what the record claims; the real count is taken from the directory


def _directory(stream: IO[bytes], size: int, error) -> _Directory:
    """The end-of-central-directory record (ZIP64 aware), found in the last 64 KB."""
    tail_len = min(size, 22 + 0xFFFF)
    stream.seek(size - tail_len)
    tail = stream.read(tail_len)
    at = tail.rfind(_EOCD)
    message = ("Файл повреждён: это не целый архив (не найден его каталог). Возможно, файл "
               "загружен не полностью — сохраните его заново и загрузите снова.")
    if at < 0 or len(tail) - at < 22:
        raise error(message)
    (_, disk, cd_disk, _, entries, cd_size, cd_offset, _) = struct.unpack(
        "<4sHHHHIIH", tail[at:at + 22])
    eocd_pos = size - tail_len + at
    if disk != 0 or cd_disk != 0:
        raise _shown(error, "Многотомные архивы не принимаются: загрузите файл одним томом.")
    if 0xFFFF in (entries,) or 0xFFFFFFFF in (cd_size, cd_offset):
        locator = tail[at - 20:at] if at >= 20 else b""
        if len(locator) != 20 or locator[:4] != _EOCD64_LOCATOR:
            raise error(message)
        (_, _, eocd64_pos, _) = struct.unpack("<4sIQI", locator)
        if eocd64_pos + 56 > size:
            raise error(message)
        stream.seek(eocd64_pos)
        record = stream.read(56)
        if record[:4] != _EOCD64:
            raise error(message)
        (_, _, _, _, _, _, _, entries, cd_size, cd_offset) = struct.unpack(
            "<4sQHHIIQQQQ", record)
        eocd_pos = eocd64_pos
    if cd_offset + cd_size != eocd_pos:
        # Data before the archive (or a directory that is not where it says) is how
        # polyglots and self-extractors are made; real documents have neither.
        raise error("Файл повреждён или подделан: каталог архива находится не там, где "
                    "указано. Такой файл не принимается.")
    return _Directory(offset=cd_offset, size=cd_size, entries=entries)


def _count_entries(stream: IO[bytes], directory: _Directory, limits: ArchiveLimits,
                   error) -> None:
    """Walk the raw central directory headers (no objects built) and stop as soon as
    there are more than ``limits.max_entries`` — whatever the end record claims."""
    pos, end, count = directory.offset, directory.offset + directory.size, 0
    while pos < end:
        stream.seek(pos)
        header = stream.read(46)
        if len(header) < 46 or header[:4] != _CENTRAL:
            raise error("Файл повреждён: каталог архива не читается. Откройте файл в "
                        "программе, в которой он создан, сохраните заново и загрузите снова.")
        name_len, extra_len, comment_len = struct.unpack("<HHH", header[28:34])
        pos += 46 + name_len + extra_len + comment_len
        count += 1
        if count > limits.max_entries:
            raise _shown(error, f"В архиве слишком много частей: больше "
                              f"{limits.max_entries}. Такой файл похож на «ZIP-бомбу» и не "
                              "принимается.")


def _check_declared(archive: zipfile.ZipFile, archive_size: int, cd_offset: int,
                    limits: ArchiveLimits, error) -> None:
    infos = archive.infolist()
    seen: set[str] = set()
    total = 0
    for info in infos:
        if info.filename in seen:
            raise error(f"Файл повреждён или подделан: часть «{info.filename[:100]}» "
                        "встречается в архиве дважды.")
        seen.add(info.filename)
        if info.flag_bits & 0x1:
            raise _shown(error, "Файл защищён паролем: снимите защиту (в Office — «Файл → Сведения "
                        "→ Защитить документ») и загрузите его снова.")
        if info.compress_type not in _METHODS:
            raise _shown(error, "Файл сжат способом, который портал не читает. Откройте его в "
                        "Office или LibreOffice, сохраните заново и загрузите снова.")
        total += info.file_size
        if (limits.max_ratio is not None and info.file_size >= RATIO_FLOOR
                and info.file_size > limits.max_ratio * max(info.compress_size, 1)):
            ratio = info.file_size / max(info.compress_size, 1)
            raise _shown(error, f"Часть «{info.filename[:100]}» сжата в {_ratio(ratio)} "
                              f"(допускается не больше чем в {_ratio(limits.max_ratio)}): такой "
                              "файл похож на «ZIP-бомбу» и не принимается.")
    if limits.max_total_bytes is not None and total > limits.max_total_bytes:
        raise _shown(error, f"После распаковки файл занял бы {_mb(total)} МБ "
                          f"(допускается не больше {_mb(limits.max_total_bytes)} МБ): такой "
                          "файл похож на «ZIP-бомбу» и не принимается.")
    if (limits.max_ratio is not None and total >= RATIO_FLOOR
            and total > limits.max_ratio * max(archive_size, 1)):
        raise _shown(error, f"Файл сжат в {_ratio(total / max(archive_size, 1))} "
                          f"(допускается не больше чем в {_ratio(limits.max_ratio)}): такой файл "
                          "похож на «ZIP-бомбу» и не принимается.")
    # Parts must follow one another: overlapping parts (several names over one
    # compressed kernel) multiply the output without growing the file.
    end = 0
    for info in sorted(infos, key=lambda i: i.header_offset):
        if info.header_offset < end:
            raise error("Файл повреждён или подделан: части архива накладываются друг на "
                        "друга. Такой файл не принимается.")
        end = info.header_offset + 30 + info.compress_size
    if end > cd_offset:
        raise error("Файл повреждён или подделан: части архива накладываются друг на "
                    "друга. Такой файл не принимается.")
