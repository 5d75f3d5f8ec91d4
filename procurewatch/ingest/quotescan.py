"""A fast first look at a chunk of a CSV file, by Hyperscan where installed.

:class:`~procurewatch.ingest.csvbytes.ByteFacts` proves that no quote of a file has only
blanks between it and the edge of its field, and counts its carriage returns. Its exact tests
(numpy) find every quote of a chunk and look at the bytes on either side, and compare every
byte with a carriage return: most of the fast path's checking time on a file that quotes every
value. Every quote the first test can report has a space or tab right beside it, so a chunk
without ``[ \t]"`` or ``"[ \t]`` has none, and a chunk without ``\r`` has no carriage return
to count; Hyperscan says so at several gigabytes a second. Only chunks that hold such bytes get
the exact tests.
"""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np

_hs: Any
try:  # optional: wheels exist for x86-64 Linux and macOS only
    import hyperscan as _hs
except ImportError:  # pragma: no cover - depends on the platform
    _hs = None

PAIRS = (rb'[ \t]"', rb'"[ \t]')
"""A blank before a quote, a quote before a blank."""


class Prescan(Protocol):
    """What a chunk may hold (False: it certainly does not)."""

    def may_be_spaced(self, data: np.ndarray) -> bool:
        """Whether ``data`` may hold a quote with a blank beside it."""

    def has_cr(self, data: np.ndarray) -> bool:
        """Whether ``data`` holds a carriage return."""


class _Finder:
    """One Hyperscan database of some patterns, each reported once per scan."""

    def __init__(self, patterns: tuple[bytes, ...]) -> None:
        self._db = _hs.Database(mode=_hs.HS_MODE_BLOCK)
        self._db.compile(
            expressions=list(patterns),
            ids=list(range(len(patterns))),
            flags=[_hs.HS_FLAG_SINGLEMATCH] * len(patterns),
        )
        self._scratch = _hs.Scratch(self._db)

    def __call__(self, data: np.ndarray) -> bool:
        found: list[int] = []
        if len(data):
            self._db.scan(
                np.ascontiguousarray(data).data,
                match_event_handler=lambda pattern, _start, _end, _flags, _ctx: found.append(
                    pattern
                ),
                scratch=self._scratch,
            )
        return bool(found)


class _HyperscanPrescan:
    def __init__(self) -> None:
        self.may_be_spaced = _Finder(PAIRS)
        self.has_cr = _Finder((rb"\r",))


def chunk_prescan() -> Prescan | None:
    """The Hyperscan prescan, or None where Hyperscan is not installed (then every chunk gets
    the exact tests)."""
    return _HyperscanPrescan() if _hs is not None else None
