"""The machinery every import of an official table shares (school lists, ФИОКО's risk
profiles, curators, roadmaps, the РМА, course lists): reading a batch's file with its
header and mapping, the rows that are data, the row errors (``core.rows.ErrorLog``), the
mapping a region confirmed once and that next year's file of the same shape reuses, the
registry of importers and the resolver of municipality names the readers share.

An importer declares its columns (:class:`core.tabular.Column` with ``parse``), lets
:func:`core.rows.parse_rows` run the row loop and adds only its cross-row checks and its
writes; it registers itself with :func:`register_importer`.

The batch itself — its table, its lifecycle (upload, dry run, mapping, apply) and its
remembered mappings — belongs to the app that stores it (``schools``): this module reads a
batch only through the attributes of :class:`Batch`.
"""

from __future__ import annotations

import difflib
import os
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from .models import Municipality
from .rows import MAX_STORED, Body, ErrorLog, body_rows  # noqa: F401  (importers' API)
from .tabular import (
    Column,
    Header,
    Table,
    TableError,
    column_letter,
    find_header_block,
    guess_header_row,
    header_at,
    header_key,
    read_table,
)
from .text import municipality_core, municipality_key


class SavedMapping(Protocol):
    """A column mapping confirmed on an earlier batch (``schools.ImportMapping``)."""

    header_row: int
    signature: str
    mapping: dict
    confirmed_at: Any


class Batch(Protocol):
    """What the machinery reads of an upload (``schools.ImportBatch``)."""

    target: str  # the key of the importer that reads it
    kind: str
    year: int
    file_name: str
    sheet_name: str
    header_row: int | None
    mapping: dict
    params: dict

    def saved_mappings(self) -> Iterable[SavedMapping]:
        """The mappings confirmed for files of this batch's region and target, newest
        first."""


class MappingIncomplete(TableError):
    """The header was found, but a required column was not: the user maps it by hand."""

    def __init__(self, message: str, meta: dict):
        super().__init__(message)
        self.meta = meta


@dataclass
class Reading:
    """A batch's table as the importer sees it."""

    table: Table
    header: Header
    mapping: dict[str, int]
    body: Body
    #: Where the mapping comes from: «auto», «manual» (set on this batch), «remembered»
    #: (confirmed on an earlier batch of the same shape) or «command» (``--map``).
    source: str = "auto"
    remembered_from: str = ""

    @property
    def file_columns(self) -> list[dict]:
        width = max(len(self.header.titles), 1 + max(self.mapping.values(), default=-1))
        return [{"index": i, "letter": column_letter(i),
                 "title": self.header.text(i) if i < len(self.header.titles) else ""}
                for i in range(width)]

    @property
    def meta(self) -> dict:
        return {"sheet_name": self.table.sheet_name, "header_row": self.header.row,
                "mapping": dict(self.mapping), "columns": self.file_columns,
                "skipped": self.body.skipped[:MAX_STORED],
                "skipped_total": self.body.skipped_total, "mapping_source": self.source,
                "remembered_from": self.remembered_from, "signature": self.header.signature,
                "passed_over": self.table.passed_over}


def _formula_check(table: Table) -> None:
    if table.formula_cells:
        cells = ", ".join(table.formula_cells[:5])
        more = f" и ещё {len(table.formula_cells) - 5}" if len(table.formula_cells) > 5 else ""
        raise TableError(f"В ячейках {cells}{more} формулы без сохранённых значений. Откройте "
                         "файл в Excel, дождитесь пересчёта, сохраните и загрузите снова "
                         "(или вставьте значения вместо формул).")


def resolve_column(spec: str, header: Header) -> int | None:
    """A column named on the command line: a letter («D»), a number («4») or the header
    text («Наименование муниципального образования», compared normalised)."""
    spec = spec.strip()
    if spec.isdigit():
        return int(spec) - 1 if int(spec) >= 1 else None
    if spec.isascii() and spec.isalpha() and len(spec) <= 3:
        index = 0
        for letter in spec.upper():
            index = index * 26 + ord(letter) - 64
        return index - 1
    wanted = header_key(spec)
    for i in range(len(header.titles)):
        if wanted in (header_key(header.titles[i]), header_key(header.text(i))):
            return i
    return None


def _remembered(batch: Batch, table: Table) -> tuple[Header, dict, SavedMapping] | None:
    """The mapping confirmed for a file of the same shape (the same normalised header at
    the same place) in this region, newest first (``batch.saved_mappings()``)."""
    for saved in batch.saved_mappings():
        if saved.header_row >= len(table.rows):
            continue
        header = header_at(table, saved.header_row)
        if header.signature == saved.signature:
            return header, {k: int(v) for k, v in saved.mapping.items()}, saved
    return None


def read_batch(batch: Batch, content: bytes, columns: list[Column]) -> Reading:
    """Read the batch's file: the sheet, the header, the mapping and the data rows."""
    table = read_table(content, batch.file_name, batch.sheet_name or None, columns)
    _formula_check(table)
    source, remembered_from = "auto", ""
    try:
        header, mapping = find_header_block(table, columns, year=batch.year)
    except TableError:
        # no column recognised: offer the likeliest header row for mapping by hand
        header, mapping = header_at(table, guess_header_row(table.rows)), {}
    if batch.header_row is not None and batch.mapping:
        header = header_at(table, min(batch.header_row, max(len(table.rows) - 1, 0)))
        mapping, source = {k: int(v) for k, v in batch.mapping.items()}, "manual"
    else:
        remembered = _remembered(batch, table)
        if remembered is not None:
            header, mapping, saved = remembered
            source = "remembered"
            remembered_from = saved.confirmed_at.strftime("%d.%m.%Y")
    overrides = (batch.params or {}).get("map") or {}
    if overrides:
        mapping = dict(mapping)
        known = {c.field: c for c in columns}
        for name, spec in overrides.items():
            if name not in known:
                raise TableError(f"Поле «{name}» не загружается этим импортом. Поля: "
                                 + ", ".join(known) + ".")
            index = resolve_column(str(spec), header)
            if index is None:
                raise TableError(f"Столбец «{spec}» для поля «{known[name].label}» не найден "
                                 "в строке заголовков.")
            mapping = {k: v for k, v in mapping.items() if v != index}
            mapping[name] = index
        source = "command"
    body = body_rows(table, header, mapping, columns)
    return Reading(table, header, mapping, body, source, remembered_from)


def read_batch_table(batch: Batch, content: bytes, columns: list[Column]):
    """The batch's table, its header row, mapping and file columns, for importers that
    walk the rows themselves: rows that are not data (totals, notes, repeated headers)
    are emptied in place, so a loop that passes over empty rows passes over them too.
    The reading's meta is on ``table.meta``."""
    reading = read_batch(batch, content, columns)
    data = {number for number, _ in reading.body.rows}
    rows = reading.table.rows
    for index in range(reading.header.row + 1, len(rows)):
        if index + 1 not in data:
            rows[index] = []
    reading.table.meta = reading.meta
    return reading.table, reading.header.row, reading.mapping, reading.file_columns


def require_mapped(reading: Reading, columns: list[Column]) -> None:
    missing = [c.label for c in columns if c.required and c.field not in reading.mapping]
    if missing:
        raise MappingIncomplete("Не найдены обязательные столбцы: " + ", ".join(missing) +
                                ". Укажите их в сопоставлении столбцов ниже.", reading.meta)


def mapped_rows(batch: Batch, content: bytes, columns: list[Column]
                ) -> tuple[list[tuple[int, Callable]], dict]:
    """The batch's data rows as ``(row number as Excel shows it, value(field))`` and the
    meta the batch stores; ``MappingIncomplete`` when a required column is not mapped."""
    reading = read_batch(batch, content, columns)
    require_mapped(reading, columns)
    mapping = reading.mapping
    rows = []
    for number, raw in reading.body.rows:
        def value(name: str, raw=raw):
            i = mapping.get(name)
            return raw[i] if i is not None and i < len(raw) else None

        rows.append((number, value))
    return rows, reading.meta


# -- the registry of importers ---------------------------------------------------------------
@dataclass(frozen=True)
class Importer:
    """One kind of official table the batch machinery can load (upload, dry run with a
    preview, column mapping, all-or-nothing apply, history). Apps register theirs and
    reuse the pages, jobs and checks.

    ``columns(batch)`` lists the fields a file may hold (they may depend on the batch's
    year, as the risk factors do); ``plan(batch, content, progress)`` returns
    ``(plan, meta)`` and writes nothing; the plan has ``counts``, ``errors``,
    ``error_total``; ``summary(plan)`` is the diff shown on the batch page by
    ``result_template``; ``apply(plan, batch)`` writes inside the caller's transaction.
    ``confirmed`` names the counts that must not change between the preview the user
    confirmed and the apply. The three ``*_message(counts)`` are the Russian sentences of
    the finished dry run, the finished apply and the confirmation before applying.
    ``skippable``: the plan leaves rows with errors out of what ``apply`` writes, so the
    user may import the file without them; its ``counts`` then carry ``valid`` (rows that
    will be written) and ``error_rows`` (rows left out), which the page, the confirmation
    and ``schools.rules.skippable`` read, and whole-file errors are logged with
    ``row=None`` (they cannot be skipped).
    """

    key: str
    label: str
    columns: Callable[[Batch], list[Column]]
    plan: Callable
    summary: Callable
    apply: Callable
    result_template: str
    confirmed: tuple[str, ...]
    kinds: tuple[str, ...]
    preview_message: Callable[[dict], str]
    applied_message: Callable[[dict], str]
    confirm_message: Callable[[dict], str]
    skippable: bool = False

    def required(self, batch: Batch) -> list[Column]:
        return [c for c in self.columns(batch) if c.required]


_IMPORTERS: dict[str, Importer] = {}


def register_importer(importer: Importer) -> None:
    _IMPORTERS[importer.key] = importer


def importer_for(batch: Batch) -> Importer:
    return _IMPORTERS[batch.target]


def importer_for_kind(kind: str) -> Importer:
    """The importer that reads files of ``kind`` (each kind belongs to one importer)."""
    for importer in _IMPORTERS.values():
        if kind in importer.kinds:
            return importer
    raise KeyError(kind)


# -- names of municipalities as files spell them ---------------------------------------------
class MunicipalityIndex:
    """Resolves the spellings of municipality names within a region (core.text)."""

    def __init__(self, municipalities):
        self.by_key: dict[tuple[int, str], Municipality] = {}
        self.by_core: dict[tuple[int, str], list[Municipality]] = defaultdict(list)
        self._resolved: dict[tuple[int, str], Municipality | None] = {}
        for m in municipalities:
            self.by_key[(m.region_id, m.name_key)] = m
            self.by_core[(m.region_id, municipality_core(m.name_key))].append(m)

    def resolve(self, region_id: int, name: str) -> Municipality | None:
        cached = self._resolved.get((region_id, name), self)
        if cached is not self:
            return cached
        found = self._resolve(region_id, name)
        self._resolved[(region_id, name)] = found
        return found

    def _resolve(self, region_id: int, name: str) -> Municipality | None:
        key = municipality_key(name)
        found = self.by_key.get((region_id, key))
        if found is None:
            candidates = self.by_core.get((region_id, municipality_core(key)), [])
            if len(candidates) == 1 and (key.startswith("*:") or
                                         candidates[0].name_key.startswith("*:")):
                found = candidates[0]
        return found

    def suggest(self, region_id: int, name: str) -> str:
        """The closest official name: the name parts compared without «район»/«город»,
        a shared beginning counting as much as overall likeness («Шахтинский» → «Шахты»)."""
        best = self.closest(region_id, name)
        return f" Возможно, имелся в виду «{best.name}»?" if best else ""

    def closest(self, region_id: int, name: str) -> Municipality | None:
        wanted = municipality_core(municipality_key(name))
        best, best_score = None, 0.0
        for candidates in (v for (rid, _), v in self.by_core.items() if rid == region_id):
            for m in candidates:
                core = municipality_core(m.name_key)
                prefix = len(os.path.commonprefix([wanted, core]))
                score = (difflib.SequenceMatcher(None, wanted, core).ratio()
                         + prefix / max(1, min(len(wanted), len(core)))) / 2
                if score > best_score:
                    best, best_score = m, score
        return best if best_score >= 0.5 else None
