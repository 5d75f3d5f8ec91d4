"""Lines too long to read: cut out of a delimited file's byte stream, so the rest is read.

A CSV row whose physical line is longer than a reading block cannot be parsed (Arrow needs a
row inside one block). When that happens the file is read once more through
:class:`LineCutStream`: every line longer than :data:`MAX_LINE` keeps its first and last
:data:`KEEP` bytes, and the bytes between them give way to a marker (:data:`MARKER`) that
names how many bytes were left out. The line count stays the same (a cut never spans a line
break) and so does the parity of quote characters (a quote is added to the marker when an odd
number was cut), so the rows after it parse as before. The reader then rejects each row that
holds the marker, with its line, and keeps the others.
"""

from __future__ import annotations

import io
import re
from typing import Protocol

MAX_LINE = 8 << 20
"""Longest line read whole (a reading block is twice that)."""
KEEP = 4096
"""Bytes kept at each end of a line that is cut."""
MARKER = "[procurewatch: {cut} bytes of this line not read]"
"""What stands in for the bytes cut out of a line."""
MARKER_PREFIX = "[procurewatch: "
CUT_BYTES = re.compile(r"\[procurewatch: (\d+) bytes of this line not read\]")
"""Finds the marker and the number of bytes it stands for."""


class _Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...

    def close(self) -> None: ...


class LineCutStream(io.RawIOBase):
    """Reads ``raw`` and hands out its bytes with every over-long line cut (see the module)."""

    def __init__(
        self, raw: _Readable, limit: int = MAX_LINE, keep: int = KEEP, quote: bytes = b'"',
        chunk: int = 1 << 20,
    ) -> None:  # fmt: skip
        super().__init__()
        self._raw, self._limit, self._keep, self._quote = raw, limit, keep, quote
        self._chunk = chunk
        self._out = bytearray()
        self._line = bytearray()  # the current line, while it is not longer than the limit
        self._cutting = False
        self._cut = 0  # bytes dropped from the current line so far (tail included)
        self._quotes = 0  # quote characters among them
        self._tail = bytearray()
        self._eof = False

    def readable(self) -> bool:
        """Always true."""
        return True

    def read(self, size: int = -1) -> bytes:
        """Up to ``size`` bytes (all that is left when ``size`` < 0)."""
        while not self._eof and (size < 0 or len(self._out) < size):
            data = self._raw.read(self._chunk)
            if not data:
                self._eof = True
                self._end_line(b"")
            else:
                self._feed(data)
        if size < 0:
            size = len(self._out)
        out = bytes(self._out[:size])
        del self._out[:size]
        return out

    def _feed(self, data: bytes) -> None:
        start = 0
        while start < len(data):
            end = data.find(b"\n", start)
            if end < 0:
                self._add(data[start:])
                return
            self._add(data[start:end])
            self._end_line(b"\n")
            start = end + 1

    def _add(self, piece: bytes) -> None:
        """Add a piece of the current line (no line break in it)."""
        if not self._cutting:
            self._line += piece
            if len(self._line) <= self._limit:
                return
            self._cutting = True
            rest = bytes(self._line[self._keep :])
            del self._line[self._keep :]
            piece = rest
        self._cut += len(piece)
        self._quotes += piece.count(self._quote)
        self._tail += piece
        if len(self._tail) > self._keep:
            del self._tail[: len(self._tail) - self._keep]

    def _end_line(self, newline: bytes) -> None:
        self._out += self._line
        if self._cutting:
            dropped = self._cut - len(self._tail)
            odd = (self._quotes - self._tail.count(self._quote)) % 2
            self._out += MARKER.format(cut=dropped).encode("ascii")
            self._out += self._quote if odd else b""
            self._out += self._tail
        self._out += newline
        self._line.clear()
        self._tail.clear()
        self._cutting, self._cut, self._quotes = False, 0, 0

    def close(self) -> None:
        """Close the underlying stream."""
        self._raw.close()
        super().close()
