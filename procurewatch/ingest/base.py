"""The reader contract: what every input reader gives the screening core.

A reader turns one user file into Arrow record batches. Every batch has the file's columns, all
typed **string** (nothing is guessed: amounts and dates stay text and are parsed later), plus

``_source_file``  the path of the file, as given
``_row``          the 1-based data row (record) in that file: for CSV/TSV/XLSX the row under the
                  header, for JSON arrays the element number, for JSON Lines the line number,
                  for OCDS the release/record number (flattened award/item rows share it)

A :class:`FieldMap` says which columns play which role (vendor names, descriptions, ...). Rows that
cannot be read become :class:`Reject` s (file, line, reason, excerpt) in ``reader.rejects``, filled
while iterating; the run goes on. A file that cannot be read at all raises
:class:`~procurewatch.errors.InputError`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, runtime_checkable

import pyarrow as pa

from procurewatch.ingest.valueformat import ValueFormats

FORMATS = (
    "csv",
    "tsv",
    "xlsx",
    "json",
    "jsonl",
    "parquet",
    "usaspending-award",
    "usaspending-transaction",
    "usaspending-subaward",
    "ocds-release-package",
    "ocds-record-package",
    "ocds-jsonl",
    "checkbook",
)
"""Input formats :func:`open_input` knows; pass one as ``fmt`` to skip detection."""

ROLES = ("vendor", "parent", "buyer", "text", "amount", "currency", "date", "place", "record_id")
"""Roles a column can play; ``--map ROLE=COLUMN`` sets one."""

MULTI_ROLES = ("vendor", "parent", "buyer", "text", "place")
"""Roles that take several columns (the others take one)."""

SOURCE_COLUMN = "_source_file"
ROW_COLUMN = "_row"
RESERVED_COLUMNS = (SOURCE_COLUMN, ROW_COLUMN)
EXCERPT_CHARS = 200


@dataclass(frozen=True, slots=True)
class FieldMap:
    """Which source columns play which role, named as in the file (or flattened, for nested data).

    ``vendor`` vendor/supplier/payee/recipient names · ``parent`` parent company names ·
    ``buyer`` agency/department/buyer · ``text`` free-text columns (descriptions) ·
    ``amount``/``currency``/``date`` one column each · ``place`` state/country columns ·
    ``record_id`` the column that identifies a record in its source.
    """

    vendor: tuple[str, ...] = ()
    parent: tuple[str, ...] = ()
    buyer: tuple[str, ...] = ()
    text: tuple[str, ...] = ()
    amount: str | None = None
    currency: str | None = None
    date: str | None = None
    place: tuple[str, ...] = ()
    record_id: str | None = None
    formats: ValueFormats = field(default_factory=ValueFormats, compare=False)
    """How the amount and date columns write their values (decided from a sample; not part of
    what makes two field maps equal)."""

    def columns(self) -> tuple[str, ...]:
        """Every column the map refers to, once each, in role order."""
        seen: dict[str, None] = {}
        for role in ROLES:
            value = getattr(self, role)
            for name in value if isinstance(value, tuple) else (value,):
                if name is not None:
                    seen.setdefault(name, None)
        return tuple(seen)


@dataclass(frozen=True, slots=True)
class Reject:
    """A row that could not be read: kept out of the results and reported with its place.

    ``line`` is the physical line in the file as an editor shows it (for XLSX the sheet row),
    ``row`` the data-row number ``_row`` would have had, ``raw`` at most 200 characters of it.
    """

    file: str
    line: int | None
    reason: str
    raw: str = ""
    row: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return f"{where}: {self.reason}"


def one_line(text: str, limit: int = 200) -> str:
    """User content made safe for a one-line message: line breaks escaped, at most ``limit``."""
    flat = text.replace("\r", "\\r").replace("\n", "\\n")
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def excerpt(text: str) -> str:
    """At most :data:`EXCERPT_CHARS` characters of ``text`` for a :class:`Reject`."""
    return text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1] + "…"


@runtime_checkable
class InputReader(Protocol):
    """What the screening core needs from a reader."""

    path: Path
    format: str
    field_map: FieldMap
    columns: tuple[str, ...]
    rejects: list[Reject]

    def batches(self) -> Iterator[pa.RecordBatch]:
        """Arrow batches of string columns plus ``_source_file`` and ``_row``."""
        ...


@dataclass
class BaseReader(ABC):
    """Shared state and batch building for the readers; ``batches()`` may be called again."""

    path: Path
    format: str
    columns: tuple[str, ...]
    field_map: FieldMap = field(default_factory=FieldMap)
    batch_size: int = 65536
    rejects: list[Reject] = field(default_factory=list)

    @abstractmethod
    def batches(self) -> Iterator[pa.RecordBatch]:
        """Arrow batches of string columns plus ``_source_file`` and ``_row``."""

    @property
    def schema(self) -> pa.Schema:
        """The schema of every batch."""
        return output_schema(self.columns)

    def reject(self, line: int | None, reason: str, raw: str = "", row: int | None = None) -> None:
        """Record a row that could not be read."""
        self.rejects.append(Reject(str(self.path), line, reason, excerpt(raw), row))

    def make_batch(self, arrays: Sequence[pa.Array], rows: pa.Array) -> pa.RecordBatch:
        """A batch from string ``arrays`` (one per column) and the ``_row`` numbers."""
        source = pa.repeat(pa.scalar(str(self.path), pa.string()), len(rows))
        return pa.RecordBatch.from_arrays([*arrays, source, rows], schema=self.schema)

    def batch_from_rows(
        self, rows: list[dict[str, str | None]], numbers: list[int]
    ) -> pa.RecordBatch:
        """A batch from Python rows (dicts of column → text) and their ``_row`` numbers."""
        arrays = [pa.array([row.get(name) for row in rows], pa.string()) for name in self.columns]
        return self.make_batch(arrays, pa.array(numbers, pa.int64()))


def output_schema(columns: Sequence[str]) -> pa.Schema:
    """String columns, then ``_source_file`` (string) and ``_row`` (int64)."""
    fields = [pa.field(name, pa.string()) for name in columns]
    fields += [pa.field(SOURCE_COLUMN, pa.string()), pa.field(ROW_COLUMN, pa.int64())]
    return pa.schema(fields)


def unique_names(raw: Sequence[str | None]) -> tuple[str, ...]:
    """Usable column names: blanks become ``column_N``, repeats and reserved names get ``_2``..."""
    names: list[str] = []
    taken = set(RESERVED_COLUMNS)
    for index, name in enumerate(raw, start=1):
        base = (name or "").strip() or f"column_{index}"
        candidate, suffix = base, 2
        while candidate in taken:
            candidate, suffix = f"{base}_{suffix}", suffix + 1
        taken.add(candidate)
        names.append(candidate)
    return tuple(names)


def open_input(
    path: Path,
    *,
    mapping: Mapping[str, str] | None = None,
    batch_size: int = 65536,
    fmt: str | None = None,
    require_roles: bool = True,
    sheet: str | None = None,
    opened: Callable[[InputReader], None] | None = None,
) -> InputReader:
    """Open ``path`` for reading: see :func:`procurewatch.ingest.detect.open_input`."""
    # imported here: detect imports the readers, which import this module
    from procurewatch.ingest.detect import open_input as _open

    return _open(path, mapping=mapping, batch_size=batch_size, fmt=fmt,
                 require_roles=require_roles, sheet=sheet, opened=opened)
