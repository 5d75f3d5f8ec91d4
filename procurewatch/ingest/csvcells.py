"""Cell-level helpers of the CSV reader: decoding, blank rows, repeated headers, field counts of
bad rows."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

import pyarrow as pa
import pyarrow.compute as pc


def to_string(column: pa.Array) -> pa.Array:
    """Binary → string; a value that is not UTF-8 is decoded as Windows-1252."""
    try:
        return pc.cast(column, pa.string())
    except pa.ArrowInvalid:
        values = column.to_pylist()
        return pa.array([None if v is None else _decode(v) for v in values], pa.string())


def _decode(value: bytes) -> str:
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return value.decode("cp1252", errors="replace")


def not_blank(columns: list[pa.Array]) -> pa.Array | None:
    """A mask of rows with some non-empty field, or None when every row has one."""
    if not columns or pc.min(pc.binary_length(columns[0])).as_py() != 0:
        return None
    empty = pc.equal(pc.binary_length(columns[0]), 0)
    for column in columns[1:]:
        empty = pc.and_(empty, pc.equal(pc.binary_length(column), 0))
    return pc.invert(empty) if pc.any(empty).as_py() else None


def header_checked(header: Sequence[str], columns: int) -> bool:
    """Whether rows repeating the header are looked for: a header with one name per column and
    two or more of them not blank."""
    return len(header) == columns >= 2 and sum(1 for h in header if h) >= 2


def repeated_header(columns: list[pa.Array], header: Sequence[str]) -> pa.Array | None:
    """A mask of rows that repeat the header line word for word (two exports joined into one
    file), or None when no row does. Headers of fewer than two named columns are not checked."""
    if not header_checked(header, len(columns)):
        return None
    mask = pc.equal(columns[0], pa.scalar(header[0], columns[0].type))
    if not pc.any(mask).as_py():
        return None
    for column, name in zip(columns[1:], header[1:], strict=True):
        mask = pc.and_(mask, pc.equal(column, pa.scalar(name, column.type)))
    return mask if pc.any(mask).as_py() else None


def count_fields(text: str, delimiter: str) -> int:
    """How many fields the raw text of a rejected row has."""
    try:
        return len(next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), []))
    except csv.Error:  # a field over Python's csv size limit
        return text.count(delimiter) + 1
