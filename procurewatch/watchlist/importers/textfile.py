"""Read a list file as UTF-8 text and split it into CSV rows that remember their line.

Official list files are UTF-8 (with or without a byte-order mark). Anything else is refused
with one line naming the file, the line of the first bad byte and the encoding to convert
from, because guessing an encoding silently garbles names.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from procurewatch.errors import InputError
from procurewatch.watchlist.importers.base import RowIssue

HEAD_BYTES = 65536
_CONTROL = set(range(32)) - {9, 10, 12, 13, 26}


def read_bytes(path: Path, limit: int | None = None) -> bytes:
    """The file's bytes (the first ``limit`` only, if given); unreadable → :class:`InputError`."""
    try:
        with path.open("rb") as handle:
            return handle.read() if limit is None else handle.read(limit)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise InputError(
            f"cannot read the file ({reason}); check the path", path=str(path)
        ) from None


def _guess(data: bytes) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:HEAD_BYTES]).best()
    return str(best.encoding).upper() if best is not None else "an unknown encoding"


def _refuse_binary(data: bytes, path: Path) -> None:
    head = data[:HEAD_BYTES]
    zeros = head.count(0)
    if zeros and (head[1::2].count(0) > len(head) // 4 or head[0::2].count(0) > len(head) // 4):
        raise InputError(
            "the file is UTF-16 without a byte-order mark; save it as UTF-8 "
            "(iconv -f UTF-16 -t UTF-8 IN > OUT)",
            path=str(path),
        )
    controls = sum(1 for byte in head if byte in _CONTROL)
    if zeros or controls > max(8, len(head) // 100):
        raise InputError(
            "this is a binary file, not a CSV list; pass the CSV export of the list",
            path=str(path),
        )


def decode(data: bytes, path: Path, *, partial: bool = False) -> str:
    """UTF-8 text of ``data``; a BOM is dropped, a trailing DOS end-of-file mark (^Z) too.

    ``partial``: ``data`` is the start of the file, so a character cut at the end is not an error.
    """
    if not data.strip():
        raise InputError("the file is empty; download the list again", path=str(path))
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError(
            "the file is UTF-16; save it as UTF-8 (iconv -f UTF-16 -t UTF-8 IN > OUT)",
            path=str(path),
        )
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    _refuse_binary(data, path)
    try:
        text = codecs.getincrementaldecoder("utf-8")().decode(data, final=not partial)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        guess = _guess(data)
        raise InputError(
            f"the file is not UTF-8 (byte 0x{data[exc.start]:02x}; it looks like {guess}); "
            f"convert it (iconv -f {guess.split()[-1]} -t UTF-8 IN > OUT)",
            path=str(path),
            line=line,
        ) from None
    return text.rstrip("\x1a")


def read_text(path: Path) -> str:
    """The whole file as UTF-8 text (see :func:`decode`)."""
    return decode(read_bytes(path), path)


def read_head(path: Path) -> str:
    """The first 64 KiB of the file as UTF-8 text (see :func:`decode`)."""
    return decode(read_bytes(path, HEAD_BYTES), path, partial=True)


def csv_rows(text: str, path: Path, delimiter: str = ",") -> Iterator[tuple[int, list[str]]]:
    """``(line, fields)`` for each non-blank CSV row; ``line`` is where the row starts."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    try:
        for row in reader:
            if any(value.strip() for value in row):
                yield start, row
            start = reader.line_num + 1
    except csv.Error as exc:
        raise InputError(
            f"broken CSV ({exc}); export the file again", path=str(path), line=start
        ) from None


@dataclass
class Table:
    """Rows of a CSV file whose field count fits the header, and the rows that did not fit."""

    header: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    rejected: list[RowIssue] = field(default_factory=list)
    file: str | None = None


def read_table(
    text: str,
    path: Path,
    *,
    delimiter: str = ",",
    width: int | None = None,
    file: str | None = None,
) -> Table:
    """Split ``text`` into rows of ``width`` fields (or as many as the header line has).

    With ``width`` given the file has no header line. Rows of another width are rejected with
    their line number; a row cut short at the end of a truncated file is one of them.
    """
    rows = csv_rows(text, path, delimiter)
    header: list[str] = []
    if width is None:
        first = next(rows, None)
        if first is None:
            raise InputError("the file has no rows; download the list again", path=str(path))
        header = [name.strip() for name in first[1]]
        width = len(header)
    table = Table(header=header, file=file)
    for line, row in rows:
        if len(row) == width:
            table.rows.append((line, row))
        else:
            reason = f"expected {width} fields, found {len(row)} (truncated or broken row)"
            table.rejected.append(RowIssue(line, reason, file))
    return table
