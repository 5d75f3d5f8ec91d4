"""Bound the memory of reading a worksheet: cells and rows too big are emptied while streaming.

openpyxl streams a worksheet's XML but keeps each cell's text whole, so one 1.8 GB cell (an
11 MB workbook: it packs 160:1) would need gigabytes. :class:`GuardedSheet` sits between the
zip member and openpyxl's parser: it passes the XML through in pieces, holds at most
:data:`MAX_CELL_BYTES` of one text run, and empties a cell's text once it passes that limit, or
once its row's text passes :data:`MAX_ROW_BYTES`. It remembers which sheet rows it emptied and
how big their biggest cell was, so the reader rejects those rows (file, row, size) and keeps
the others. A tag longer than :data:`MAX_TAG_BYTES` (no real worksheet has one) stops the read
with an :class:`~procurewatch.errors.InputError`.
"""

from __future__ import annotations

import re
from typing import IO, Self

from procurewatch.errors import InputError

MAX_CELL_BYTES = 1 << 20
"""Largest cell text kept (1 MiB of XML text; a procurement description is a few KiB)."""
MAX_ROW_BYTES = 4 << 20
"""Largest text of one row kept (4 MiB)."""
MAX_TAG_BYTES = 64 << 10
"""Largest XML tag (with its attributes) accepted."""
_ROW_NUMBER = re.compile(rb'\sr="(\d+)"')


class GuardedSheet:
    """A worksheet XML stream with oversized cell text emptied (see the module docstring)."""

    def __init__(self, source: IO[bytes], path: str) -> None:
        self._source = source
        self._path = path
        self._in_tag = False
        self._tag = bytearray()
        self._last_tag = b""
        self._text = bytearray()  # the current text run, up to MAX_CELL_BYTES
        self._run = 0  # bytes of the current text run, kept or not
        self._row = 0
        self._row_bytes = 0
        self.oversized: dict[int, int] = {}
        """Sheet row -> size in bytes of its biggest emptied cell (or of its text, if the
        row as a whole was too big)."""

    def read(self, size: int = -1) -> bytes:
        """At least one byte of filtered XML unless the sheet is at its end (maybe more than
        ``size``: a held-back cell is given whole)."""
        while True:
            data = self._source.read(size if size > 0 else 1 << 16)
            if not data:
                return b""
            out = self._filter(data)
            if out:
                return bytes(out)

    def close(self) -> None:
        """Close the zip member."""
        self._source.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _filter(self, data: bytes) -> bytearray:
        out = bytearray()
        i, n = 0, len(data)
        while i < n:
            if self._in_tag:
                j = data.find(b">", i)
                end = n if j < 0 else j + 1
                self._add_tag(data[i:end])
                if j >= 0:
                    out += self._tag
                    self._end_tag()
                i = end
            else:
                j = data.find(b"<", i)
                end = n if j < 0 else j
                self._add_text(data[i:end])
                if j >= 0:
                    out += self._end_text()
                    self._in_tag, self._tag = True, bytearray()
                i = end
        return out

    def _add_tag(self, piece: bytes) -> None:
        self._tag += piece
        if len(self._tag) > MAX_TAG_BYTES:
            raise InputError(
                f"the worksheet has an XML tag of over {MAX_TAG_BYTES >> 10} KiB near sheet row "
                f"{self._row}; this is not a spreadsheet export: save the sheet as CSV",
                path=self._path,
            )

    def _end_tag(self) -> None:
        tag = bytes(self._tag)
        self._in_tag, self._last_tag = False, tag
        if tag.startswith(b"<row") and tag[4:5] in (b" ", b">", b"/", b"\t", b"\n", b"\r"):
            found = _ROW_NUMBER.search(tag)
            self._row = int(found.group(1)) if found else self._row + 1
            self._row_bytes = 0

    def _add_text(self, piece: bytes) -> None:
        self._run += len(piece)
        if self._run <= MAX_CELL_BYTES:
            self._text += piece
        elif self._text:
            self._text = bytearray()  # too big: none of it is kept

    def _end_text(self) -> bytes:
        size, text = self._run, self._text
        self._run, self._text = 0, bytearray()
        self._row_bytes += size
        if size <= MAX_CELL_BYTES and self._row_bytes <= MAX_ROW_BYTES:
            return bytes(text)
        self.oversized[self._row] = max(self.oversized.get(self._row, 0), size)
        return b"0" if self._last_tag.startswith(b"<v") else b""


def size_text(size: int) -> str:
    """``1.8 GB``, ``3.1 MB``, ``12 KB``."""
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size} bytes"
