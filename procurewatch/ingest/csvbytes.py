"""Byte-level facts about a CSV file: where DuckDB's parser and the careful one could part ways.

The fast path (:mod:`procurewatch.ingest.duckcsv`) keeps DuckDB's reading of a file only when
nothing in the file is read differently by the two parsers. These counts, taken chunk by chunk
with numpy, are how it knows:

* line feeds, carriage returns and CR LF pairs. A lone carriage return breaks a line for Arrow,
  but not always for DuckDB.
* a quote with spaces between it and the edge of its field (``a, "b"`` or ``"b" ,c``). DuckDB
  trims the spaces and reads a quoted value; Arrow keeps them and the quotes as text.

Pure: numpy arrays in, counts out. A ``prescan`` (:mod:`procurewatch.ingest.quotescan`) may
rule out a spaced quote or a carriage return in a chunk before the exact tests look for one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from procurewatch.ingest.quotescan import Prescan

SPACE, TAB, QUOTE, CR, LF = 32, 9, 34, 13, 10
CONTEXT = 256
"""Bytes kept on either side of a quote to see where its field starts and ends; a run of more
spaces than this beside a quote is counted as a spaced quote (unknown, so assumed)."""
_BLANK = (SPACE, TAB)


@dataclass
class ByteFacts:
    """What the chunks seen so far hold; call :meth:`finish` after the last."""

    delimiter: int
    lf: int = 0
    cr: int = 0
    crlf: int = 0
    spaced_quote: bool = False
    prescan: Prescan | None = None
    """Rules out a spaced quote or a carriage return in a chunk (the exact test is then
    skipped); None: the exact tests look at every chunk."""
    _window: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint8))
    _first: int = 0  # where the bytes not yet looked at start in ``_window``
    _at_start: bool = True  # ``_window`` starts at the file's first byte
    _bytes: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint8))
    _mask: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    """Scratch space, kept between chunks: fresh arrays of a chunk's size each time would cost
    more than the comparisons themselves."""

    def add(self, chunk: np.ndarray) -> None:
        """Take in the next chunk of the file (a uint8 array)."""
        if not len(chunk):
            return
        size = len(self._window) + len(chunk)
        if len(self._bytes) < size:
            self._bytes, self._mask = np.empty(size, np.uint8), np.empty(size, bool)
        mask = self._mask[: len(chunk)]
        self.lf += _count(chunk, LF, mask)
        crs = _count(chunk, CR, mask) if self.prescan is None or self.prescan.has_cr(chunk) else 0
        self.cr += crs
        if crs:
            self.crlf += int(np.count_nonzero((chunk[:-1] == CR) & (chunk[1:] == LF)))
        if len(self._window) and self._window[-1] == CR and chunk[0] == LF:
            self.crlf += 1
        if self._nothing_to_look_at(chunk):
            self._window, self._first = chunk[-CONTEXT:].copy(), CONTEXT
            self._at_start = False
            return
        window = self._bytes[:size]
        window[: len(self._window)] = self._window
        window[len(self._window) :] = chunk
        self._look(window, size - CONTEXT, at_end=False)

    def _nothing_to_look_at(self, chunk: np.ndarray) -> bool:
        """Whether no quote has a blank beside it in the bytes not looked at yet and ``chunk``
        (the prescan says so, and no such pair straddles the two), so that the exact test, and
        gluing the two for it, can be skipped: only the end of ``chunk`` need be kept, as the
        next chunk's context. Only for a chunk at least :data:`CONTEXT` long."""
        if self.prescan is None or len(chunk) < CONTEXT:
            return False
        if self.spaced_quote:  # known already: nothing more to find
            return True
        pending = self._window[max(0, self._first - 1) :]
        if len(pending) and _pair(int(pending[-1]), int(chunk[0])):
            return False
        return not (self.prescan.may_be_spaced(pending) or self.prescan.may_be_spaced(chunk))

    def finish(self) -> None:
        """The end of the file: look at the bytes held back for context."""
        self._look(self._window, len(self._window), at_end=True)

    def _look(self, window: np.ndarray, stop: int, at_end: bool) -> None:
        first = self._first
        if stop > first and not self.spaced_quote and self._may_be_spaced(window, first, stop):
            self.spaced_quote = _spaced_quote(
                window, first, stop, self.delimiter, self._at_start, at_end, self._mask
            )
        first = max(first, stop)
        keep = max(0, first - CONTEXT)
        self._window, self._first = window[keep:].copy(), first - keep
        self._at_start = self._at_start and keep == 0

    def _may_be_spaced(self, window: np.ndarray, start: int, stop: int) -> bool:
        """Whether a quote in ``window[start:stop]`` may have a blank beside it (the bytes on
        either side of the span count too)."""
        if self.prescan is None:
            return True
        return self.prescan.may_be_spaced(window[max(0, start - 1) : min(len(window), stop + 1)])


def _pair(before: int, after: int) -> bool:
    """Whether two adjacent bytes are a blank and a quote, in either order."""
    return (before in _BLANK and after == QUOTE) or (before == QUOTE and after in _BLANK)


def _count(chunk: np.ndarray, byte: int, mask: np.ndarray) -> int:
    """How many times ``byte`` is in ``chunk`` (``mask``: scratch of the chunk's size)."""
    np.equal(chunk, byte, out=mask)
    return int(np.count_nonzero(mask))


def _blank(values: np.ndarray) -> np.ndarray:
    return (values == SPACE) | (values == TAB)  # type: ignore[no-any-return]


def _spaced_quote(window: np.ndarray, start: int, stop: int, delimiter: int, at_start: bool,
                  at_end: bool, scratch: np.ndarray | None = None) -> bool:  # fmt: skip
    """Whether a quote in ``window[start:stop]`` has only spaces between it and a field edge
    (a delimiter, a line break, the file's start or end); ``scratch``: a bool array at least
    ``stop - start`` long to work in."""
    span = window[start:stop]
    mask = np.empty(len(span), bool) if scratch is None else scratch[: len(span)]
    np.equal(span, QUOTE, out=mask)
    quotes = np.flatnonzero(mask) + start
    edges = (delimiter, LF, CR)
    inner = quotes[quotes > 0]
    for index in inner[_blank(window[inner - 1])]:
        j = int(index) - 1
        while j >= 0 and window[j] in _BLANK:
            j -= 1
        if (j < 0 and (at_start or int(index) - j > CONTEXT)) or (j >= 0 and window[j] in edges):
            return True
    inner = quotes[quotes < len(window) - 1]
    for index in inner[_blank(window[inner + 1])]:
        k = int(index) + 1
        while k < len(window) and window[k] in _BLANK:
            k += 1
        if k == len(window) or window[k] in edges:  # the file's end, or too many spaces
            return True
    return False
