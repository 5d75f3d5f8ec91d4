"""Which rows of a text column could hold a hit: the scanner's prefilter over a whole column.

The prefilter (:mod:`procurewatch.match._text_prefilter`) is a superset test: a row it passes
over cannot hold a hit, a row it selects goes to the (slower) scanner. Two engines run it:

* :class:`HyperscanFilter`, when the ``hyperscan`` package is installed (x86-64): the
  prefilter's alternatives (built with ASCII-only spaces, dashes and quotes, which Hyperscan
  runs faster) compiled as one Hyperscan database and run once over the column's whole text
  buffer, each row followed by a line break so that word edges hold at row edges. Characters
  that only the odd-character class catches (the other spaces, dashes and quotes among them)
  are all non-ASCII, so that class runs (in Arrow's RE2) over the rows that are not pure ASCII.
* :class:`Re2Filter` elsewhere: the joined prefilter through Arrow's RE2, row by row.

On ASCII text both select the same rows; on other text Hyperscan's may select a few more
(rows with, say, a no-break space), never fewer. Tests check both.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import version
from typing import Any, Protocol

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from procurewatch.match._text_prefilter import NEVER, PrefilterParts

_hs: Any
try:  # optional: wheels exist for x86-64 Linux and macOS only
    import hyperscan as _hs
except ImportError:  # pragma: no cover - depends on the platform
    _hs = None


class ByteCache(Protocol):
    """Where a compiled database may be kept between runs (e.g. :class:`procurewatch.cache.DiskCache`)."""

    def get(self, name: str) -> bytes | None:
        """The bytes kept as ``name``, or None."""
        ...

    def put(self, name: str, data: bytes) -> None:
        """Keep ``data`` as ``name``."""
        ...


class RowFilter(Protocol):
    """Picks the rows of a string column that may hold a hit."""

    def rows(self, array: pa.Array) -> list[int]:
        """Indices (ascending) of the rows that may hold a hit."""
        ...


def _indices(mask: pa.Array) -> list[int]:
    return pc.indices_nonzero(pc.fill_null(mask, False)).to_pylist()  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Re2Filter:
    """The joined prefilter run by Arrow's RE2 on every row."""

    regex: str

    def rows(self, array: pa.Array) -> list[int]:
        """Indices of the rows the regex matches."""
        if self.regex == NEVER:
            return []
        return _indices(pc.match_substring_regex(array, self.regex))


@dataclass
class HyperscanFilter:
    """The prefilter's alternatives run by Hyperscan over a column's text in one call."""

    parts: PrefilterParts
    cache: ByteCache | None = None
    """Keeps the compiled database between runs (compiling takes most of a second)."""
    loaded: bool = field(init=False, default=False)
    """True when the database came from the cache, not from compiling."""
    _db: Any = field(init=False, repr=False)
    _scratch: Any = field(init=False, repr=False)

    def __post_init__(self) -> None:
        assert _hs is not None, "hyperscan is not installed"
        name = self.cache_name()
        kept = self.cache.get(name) if self.cache is not None else None
        self._db = self._load(kept) if kept else None
        self.loaded = self._db is not None
        if self._db is None:
            self._db = self._compile()
            if self.cache is not None:
                self.cache.put(name, _hs.dumpb(self._db))
        self._scratch = _hs.Scratch(self._db)

    def cache_name(self) -> str:
        """The cache entry of this prefilter: a hash of its patterns and Hyperscan's version."""
        digest = hashlib.sha256("\x00".join(self.parts.caseless).encode())
        digest.update(f"{version('hyperscan')}|{_hs.HS_FLAG_UTF8 | _hs.HS_FLAG_CASELESS}".encode())
        return f"prefilter-{digest.hexdigest()[:32]}.hsdb"

    def _compile(self) -> Any:
        expressions = [p.encode() for p in self.parts.caseless]
        flags = [_hs.HS_FLAG_UTF8 | _hs.HS_FLAG_CASELESS] * len(expressions)
        db = _hs.Database()
        db.compile(
            expressions=expressions, ids=list(range(len(expressions))),
            elements=len(expressions), flags=flags,
        )  # fmt: skip
        return db

    @staticmethod
    def _load(data: bytes) -> Any:
        try:
            return _hs.loadb(bytes(data), _hs.HS_MODE_BLOCK)
        except _hs.error:  # a damaged entry: compile again
            return None

    def rows(self, array: pa.Array | pa.ChunkedArray) -> list[int]:
        """Indices of the rows an alternative matches in, or that hold an odd character."""
        if isinstance(array, pa.ChunkedArray):
            found: list[int] = []
            start = 0
            for chunk in array.chunks:
                found += [start + i for i in self.rows(chunk)]
                start += len(chunk)
            return found
        if len(array) == 0:
            return []
        joined = pc.binary_join_element_wise(
            pc.cast(array, pa.large_string()),
            pa.scalar("", pa.large_string()),
            pa.scalar("\n", pa.large_string()),
            null_handling="replace",
        )
        offsets = np.frombuffer(joined.buffers()[1], np.int64)[: len(joined) + 1]
        text = memoryview(joined.buffers()[2])[: int(offsets[-1])]
        ends: list[int] = []
        self._db.scan(
            text,
            match_event_handler=lambda _id, _start, end, _flags, _ctx: ends.append(end),
            scratch=self._scratch,
        )
        hit = np.searchsorted(offsets, np.asarray(ends, np.int64) - 1, "right") - 1
        ascii_only = not len(text) or int(np.frombuffer(text, np.uint8).max()) < 0x80
        odd = [] if ascii_only else self._odd_rows(array)
        return sorted(set(hit.tolist()) | set(odd))

    def _odd_rows(self, array: pa.Array) -> list[int]:
        """Rows holding a character of the odd class (all of them non-ASCII)."""
        if self.parts.odd is None:
            return []
        wide = pc.invert(pc.fill_null(pc.string_is_ascii(array), True))
        rows = _indices(wide)
        if not rows:
            return []
        subset = array.take(pa.array(rows, pa.int64()))
        return [rows[i] for i in _indices(pc.match_substring_regex(subset, self.parts.odd))]


def hyperscan_available() -> bool:
    """True when the ``hyperscan`` package could be imported."""
    return _hs is not None


def build_row_filter(parts: PrefilterParts, regex: str | Callable[[], str], *,
                     engine: str = "auto", cache: ByteCache | None = None) -> RowFilter:  # fmt: skip
    """The fastest filter available (``engine``: ``auto``, ``hyperscan`` or ``re2``); a
    Hyperscan database is kept in ``cache`` between runs. ``regex`` (RE2's single regex) may
    be given as a function: it is then built only when RE2 is the engine."""
    if engine == "re2" or (engine == "auto" and (_hs is None or not parts.caseless)):
        return Re2Filter(regex if isinstance(regex, str) else regex())
    return HyperscanFilter(parts, cache)
