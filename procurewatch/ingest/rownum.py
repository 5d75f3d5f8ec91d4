"""Row and line numbers for a streamed CSV whose bad rows the parser skips.

The Arrow CSV reader drops a ragged row and tells us its record number; the batches it yields
hold only the good rows, without numbers. :class:`RowTracker` gives every good row its data-row
number (``_row``: the record's place under the header, counting the dropped ones) and every
dropped row its physical line in the file, which differs from the record number once a quoted
value spans several lines. Pure bookkeeping over Arrow arrays; no I/O.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import deque
from dataclasses import dataclass, field
from itertools import accumulate

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from procurewatch.arrowtake import int_array


@dataclass(frozen=True, slots=True)
class Dropped:
    """A record the parser skipped: its data-row number and raw text."""

    row: int
    text: str


@dataclass(frozen=True, slots=True)
class Located:
    """A skipped record with its physical line in the file."""

    row: int
    line: int
    text: str


@dataclass
class RowTracker:
    """Numbers the rows of consecutive batches; ``skip_lines`` = lines before the first record."""

    skip_lines: int
    newline: bytes = b"\n"
    _gaps: list[int] = field(default_factory=list)  # kept rows before each dropped record
    _pending: deque[Dropped] = field(default_factory=deque)  # the parser thread appends
    _kept: int = 0  # rows handed out so far
    _newlines_kept: int = 0  # line breaks inside the values of the rows handed out so far
    _newlines_dropped: int = 0  # line breaks inside the dropped records located so far
    _located: int = 0  # dropped records located so far
    _last: tuple[int, int, list[tuple[int, int]]] = (0, 0, [])
    # of the batch numbered last: line breaks of the rows kept and dropped before it, and
    # (row, line breaks) of the dropped records located with it

    @property
    def rows_out(self) -> int:
        """Rows handed out so far (good rows, blank ones included)."""
        return self._kept

    @property
    def records(self) -> int:
        """Records seen so far: rows handed out plus records dropped."""
        return self._kept + len(self._gaps)

    def next_line(self) -> int:
        """The physical line on which the next record starts."""
        breaks = self.newline.decode()
        pending = sum(item.text.count(breaks) for item in self._pending)
        inside = self._newlines_kept + self._newlines_dropped + pending
        return self.skip_lines + self.records + 1 + inside

    def drop(self, record_number: int, text: str) -> None:
        """The parser skipped record ``record_number`` (counted from the file's first line)."""
        row = record_number - self.skip_lines
        self._gaps.append(row - len(self._gaps) - 1)
        self._pending.append(Dropped(row, text))

    def number(self, columns: list[pa.Array], length: int) -> tuple[pa.Array, list[Located]]:
        """``_row`` numbers of the next batch, and the dropped records located so far."""
        rows = self._ordinals(length)
        last = rows[length - 1].as_py() if length else 0
        inside = []
        while self._pending and self._pending[0].row < last:
            inside.append(self._pending.popleft())
        located: list[Located] = []
        before = self._newlines_kept, self._newlines_dropped
        if inside:
            located = self._locate(inside, _newlines_per_row(columns, length, self.newline))
        breaks = self.newline.decode()
        self._last = (*before, [(item.row, item.text.count(breaks)) for item in located])
        self._kept += length
        self._newlines_kept += sum(_newlines(column, self.newline) for column in columns)
        return rows, located

    def lines_of(
        self, columns: list[pa.Array], rows: pa.Array, positions: list[int]
    ) -> list[int]:
        """Physical lines of the kept rows at ``positions`` of the batch numbered last
        (``columns`` and ``rows``: that batch and its numbers). The slow path, for rare rows."""
        kept_breaks, dropped_breaks, dropped = self._last
        prefix = list(accumulate(_newlines_per_row(columns, len(rows), self.newline), initial=0))
        lines = []
        for position in positions:
            row = rows[position].as_py()
            breaks = kept_breaks + dropped_breaks + prefix[position]
            breaks += sum(count for number, count in dropped if number < row)
            lines.append(self.skip_lines + row + breaks)
        return lines

    def finish(self) -> list[Located]:
        """Locate the dropped records after the last batch."""
        located = self._locate(list(self._pending), [])
        self._pending.clear()
        return located

    def _ordinals(self, length: int) -> pa.Array:
        """Data-row numbers of kept rows ``_kept + 1 .. _kept + length``."""
        first, parts, start = self._kept + 1, [], 0
        while start < length:
            kept = first + start
            skipped = bisect_left(self._gaps, kept)  # dropped records before kept row ``kept``
            nxt = self._gaps[skipped] - first + 1 if skipped < len(self._gaps) else length
            end = min(length, max(nxt, start + 1))
            parts.append(_arange(kept + skipped, end - start))
            start = end
        return pa.concat_arrays(parts) if parts else pa.array([], pa.int64())

    def _locate(self, dropped: list[Dropped], per_row: list[int]) -> list[Located]:
        """Physical lines of ``dropped`` (in order); ``per_row`` = line breaks per kept row."""
        prefix = list(accumulate(per_row, initial=0))
        out = []
        for item in dropped:
            kept_before = item.row - 1 - self._located
            in_batch = min(max(0, kept_before - self._kept), len(per_row))
            newlines = self._newlines_kept + self._newlines_dropped + prefix[in_batch]
            out.append(Located(item.row, self.skip_lines + item.row + newlines, item.text))
            self._newlines_dropped += item.text.count(self.newline.decode())
            self._located += 1
        return out


def _arange(start: int, length: int) -> pa.Array:
    """``start, start + 1, ..., start + length - 1`` as int64, without a Python loop."""
    return int_array(np.arange(start, start + length, dtype=np.int64))


def _newlines(column: pa.Array, newline: bytes) -> int:
    """Line breaks inside the values of a string or binary array."""
    if len(column) == 0 or column.null_count == len(column):
        return 0
    _, offsets, data = column.buffers()[:3]
    if data is None:
        return 0
    length = len(column)
    bounds = pa.Array.from_buffers(pa.int32(), length + 1, [None, offsets], offset=column.offset)
    start, end = bounds[0].as_py(), bounds[length].as_py()
    chunk: bytes = data.slice(start, end - start).to_pybytes()
    return chunk.count(newline) if newline in chunk else 0  # ``in`` is memchr-fast


def _newlines_per_row(columns: list[pa.Array], length: int, newline: bytes) -> list[int]:
    """Line breaks inside each row's values (the slow path, only for batches with bad rows)."""
    total = [0] * length
    for column in columns:
        if _newlines(column, newline):
            counts = pc.count_substring(column, newline.decode()).fill_null(0).to_pylist()
            total = [a + b for a, b in zip(total, counts, strict=True)]
    return total
