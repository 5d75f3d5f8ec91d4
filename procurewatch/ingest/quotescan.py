"""A fast first look for quotes with a space or tab beside them, by Hyperscan where installed.

:class:`~procurewatch.ingest.csvbytes.ByteFacts` proves that no quote of a file has only
blanks between it and the edge of its field. Its exact test (numpy) finds every quote of a chunk
and looks at the bytes on either side: most of the fast path's checking time on a file that
quotes every value. Every quote that test can report has a space or tab right beside it, so a
chunk without ``[ \\t]"`` or ``"[ \\t]`` has none, and Hyperscan says so at several gigabytes a
second. Only chunks with such a pair get the exact test.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

_hs: Any
try:  # optional: wheels exist for x86-64 Linux and macOS only
    import hyperscan as _hs
except ImportError:  # pragma: no cover - depends on the platform
    _hs = None

PAIRS = (rb'[ \t]"', rb'"[ \t]')
"""A blank before a quote, a quote before a blank."""

Prescan = Callable[[np.ndarray], bool]
"""True when the bytes may hold a quote with a blank beside it (False: they do not)."""


class _PairFinder:
    """One Hyperscan database of :data:`PAIRS`, each reported once per scan."""

    def __init__(self) -> None:
        self._db = _hs.Database(mode=_hs.HS_MODE_BLOCK)
        self._db.compile(
            expressions=list(PAIRS),
            ids=list(range(len(PAIRS))),
            flags=[_hs.HS_FLAG_SINGLEMATCH] * len(PAIRS),
        )
        self._scratch = _hs.Scratch(self._db)

    def __call__(self, data: np.ndarray) -> bool:
        found: list[int] = []
        if len(data):
            self._db.scan(
                np.ascontiguousarray(data).data,
                match_event_handler=lambda pair, _start, _end, _flags, _ctx: found.append(pair),
                scratch=self._scratch,
            )
        return bool(found)


def blank_quote_prescan() -> Prescan | None:
    """The Hyperscan prescan, or None where Hyperscan is not installed (then every chunk gets
    the exact test)."""
    return _PairFinder() if _hs is not None else None
