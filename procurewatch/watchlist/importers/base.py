"""What every importer returns: :class:`ImportedList`, plus the helpers they share.

An imported list *version* is one official file (or, for OFAC, one set of sibling files) as
read on one day. Its id, e.g. ``csl-2023-1a2b3c4d``, is the list kind, the year of the newest
date in the file and the first 8 hex digits of the file's SHA-256; every fact read from the
file cites that id as its source.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from procurewatch.model import Entity, ListInfo, Source

FORMATS = ("csl", "ofac", "fcc", "dod1260h")
"""File formats an importer exists for (the ``--kind`` of ``procurewatch lists import``)."""


@dataclass(frozen=True, slots=True)
class RowIssue:
    """A row that was rejected (malformed) or skipped (well-formed, but not an entity)."""

    line: int
    """1-based physical line where the row starts."""
    reason: str
    file: str | None = None
    """The file name when an import reads several files (OFAC); None for the main file."""

    def describe(self) -> str:
        """``file:line: reason`` for people."""
        where = f"{self.file}:{self.line}" if self.file else f"line {self.line}"
        return f"{where}: {self.reason}"


@dataclass(frozen=True)
class ImportedList:
    """The entities and list definitions read from one list file, with what was left out."""

    format: str
    """Which parser read it: ``csl``, ``ofac``, ``fcc`` or ``dod1260h``."""
    kind: str
    """The list family versions are kept for: ``csl``, ``ofac-sdn``, ``ofac-nonsdn``, ``fcc``,
    ``dod1260h``. The newest version of each kind is the one screening uses."""
    version_id: str
    path: Path
    files: tuple[Path, ...]
    """Every file read (OFAC reads the main file and its alt/add/comments siblings)."""
    sha256: str
    entities: list[Entity]
    lists: dict[str, ListInfo]
    source: Source
    file_date: str | None
    """The newest date found in the file (ISO): the list is at least this recent."""
    rows: int
    """Data rows read, the rejected and skipped ones included."""
    rejected: tuple[RowIssue, ...] = ()
    skipped: tuple[RowIssue, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def name_count(self) -> int:
        """Number of distinct names over all entities."""
        return sum(len(set(e.all_names())) for e in self.entities)


def digest(paths: Sequence[Path]) -> str:
    """SHA-256 (hex) of the files' contents, in order (names do not count: a renamed copy of a
    file has the same digest); one file gives its plain SHA-256."""
    if len(paths) == 1:
        return hashlib.sha256(paths[0].read_bytes()).hexdigest()
    outer = hashlib.sha256()
    for path in paths:
        outer.update(hashlib.sha256(path.read_bytes()).digest())
    return outer.hexdigest()


def version_id(kind: str, file_date: str | None, sha256: str) -> str:
    """``<kind>-<year>-<sha8>``, or ``<kind>-<sha8>`` when the file carries no date."""
    if file_date:
        return f"{kind}-{file_date[:4]}-{sha256[:8]}"
    return f"{kind}-{sha256[:8]}"


def newest(dates: Iterable[date | None]) -> str | None:
    """The newest of the dates, as ISO text, or None."""
    known = [d for d in dates if d is not None]
    return max(known).isoformat() if known else None


def make_source(
    version: str, title: str, files: Sequence[Path], sha256: str, file_date: str | None, url: str
) -> Source:
    """The :class:`Source` that every fact of an imported version cites."""
    names = ", ".join(p.name for p in files)
    return Source(
        id=version,
        title=f"{title} ({names})",
        url=url,
        date=file_date,
        licence="US Government work (public domain)",
        note=f"imported from {files[0]}; sha256 {sha256}",
    )


def iso_date(text: str) -> date | None:
    """A date from ISO ``YYYY-MM-DD`` text, or None if it is not one."""
    text = text.strip()[:10]
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def text_date(text: str, formats: Sequence[str]) -> date | None:
    """A date from ``text`` in the first of ``formats`` that fits, or None."""
    for fmt in formats:
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


def cell(value: str | None) -> str:
    """A cell value with whitespace trimmed; OFAC's ``-0-`` (empty) becomes ``""``."""
    text = (value or "").strip()
    return "" if text == "-0-" else text


def split_values(value: str, sep: str = ";") -> list[str]:
    """Non-empty, trimmed parts of a separated value."""
    return [part.strip() for part in value.split(sep) if part.strip() and part.strip() != "-0-"]


def slug(text: str, limit: int = 80) -> str:
    """Lower-case ASCII ``a-z0-9-`` form of a name, for entity ids."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:limit].strip("-") or "x"
