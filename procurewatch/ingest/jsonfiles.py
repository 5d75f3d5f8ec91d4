"""JSON documents (an array of objects, or an object with the array under a common key such as
``data``/``results``/``records``) and JSON Lines (one object per line).

Nested objects flatten to dotted column names (``vendor.name``); lists of plain values become
``"a; b"``, other lists JSON text. Columns are those of the first 1,000 records; a later record's
new keys go to the ``_extra`` column as a JSON object, so nothing is lost. ``_row`` is the
element number (JSON) or the line number (JSON Lines); an element that is not an object, or a
line that is not valid JSON, is rejected with its line and the reading goes on.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

import pyarrow as pa

from procurewatch.errors import InputError
from procurewatch.ingest.base import BaseReader, one_line, unique_names
from procurewatch.ingest.jsonstream import JsonScanner

LIST_KEYS = ("data", "results", "records", "rows", "items", "value", "values", "entries",
             "result", "payments", "transactions", "awards", "contracts", "features")
"""Keys under which a JSON object may hold its list of records."""
SAMPLE_RECORDS = 1000
MAX_FLAT_DEPTH = 8
MAX_LINE_CHARS = 64 << 20
EXTRA_COLUMN = "_extra"


@dataclass(frozen=True, slots=True)
class Item:
    """A record read from the file (``value``) or why it could not be (``error``)."""

    row: int
    line: int
    value: Any = None
    error: str | None = None
    raw: str = ""
    key: str | None = None  # the top-level key of the array the record came from


def iter_items(path: Path, encoding: str, lines: bool) -> Iterator[Item]:
    """The records of a JSON document (``lines=False``) or a JSON Lines file."""
    with path.open(encoding=encoding, errors="replace", newline="") as handle:
        if lines:
            yield from _lines(handle)
            return
        scanner = JsonScanner(handle, str(path))
        for element in scanner.elements(LIST_KEYS):
            yield Item(element.index, element.line, element.value)
        if not scanner.streamed:
            keys = ", ".join(one_line(key, 60) for key in scanner.keys[:20]) or "none"
            raise InputError(
                f"found no list of records (top-level keys: {keys}); put the records in a "
                f"top-level array or under one of: {', '.join(LIST_KEYS[:6])}",
                path=str(path),
            )


def _lines(handle: Any) -> Iterator[Item]:
    number = 0
    while True:
        text = handle.readline(MAX_LINE_CHARS)
        if not text:
            return
        number += 1
        if len(text) >= MAX_LINE_CHARS and not text.endswith(("\n", "\r")):
            while (rest := handle.readline(MAX_LINE_CHARS)) and not rest.endswith(("\n", "\r")):
                pass
            yield Item(number, number, error=f"line longer than {MAX_LINE_CHARS >> 20} Mi "
                       "characters", raw=text[:200])
            continue
        text = text.lstrip("\ufeff").strip()
        if text:
            yield _parse_line(number, text)


def _parse_line(number: int, text: str) -> Item:
    try:
        return Item(number, number, json.loads(text))
    except json.JSONDecodeError as err:
        message = err.msg.removesuffix(" at")  # "Unterminated string starting at"
        return Item(number, number, error=f"not valid JSON ({message} at column {err.colno})",
                    raw=text)
    except RecursionError:
        return Item(number, number, error="JSON nested too deeply to read", raw=text[:200])


def flatten(record: Mapping[str, Any]) -> dict[str, str | None]:
    """A nested object as dotted keys → text (no recursion: deep data cannot overflow)."""
    out: dict[str, str | None] = {}
    stack: list[tuple[str, Mapping[str, Any], int]] = [("", record, 0)]
    while stack:
        prefix, obj, depth = stack.pop()
        for key, value in obj.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            if isinstance(value, dict) and value and depth < MAX_FLAT_DEPTH:
                stack.append((name, value, depth + 1))
            else:
                out[name] = text_of(value)
    return out


def text_of(value: Any) -> str | None:
    """A JSON value as text: strings as they are, lists of plain values joined with ``; ``."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return json.dumps(value)
    if isinstance(value, list) and all(not isinstance(v, list | dict) for v in value):
        return "; ".join(text for text in map(text_of, value) if text is not None)
    return json.dumps(value, ensure_ascii=False)


@dataclass(frozen=True, slots=True)
class JsonLayout:
    """The columns of a JSON/JSONL file, from its first records."""

    encoding: str
    lines: bool
    names: dict[str, str]  # flattened key → column
    extra: str | None  # the column for keys the sample lacked, when records remain unsampled


def sniff_json(path: Path, encoding: str, lines: bool) -> JsonLayout:
    """Discover the columns from the first :data:`SAMPLE_RECORDS` records."""
    keys: dict[str, None] = {}
    items = iter_items(path, encoding, lines)
    seen = 0
    for item in islice(items, SAMPLE_RECORDS):
        seen += 1
        if isinstance(item.value, dict):
            try:
                keys.update(dict.fromkeys(flatten(item.value)))
            except RecursionError:
                continue
    more = seen == SAMPLE_RECORDS and next(items, None) is not None
    columns = unique_names([*keys, *([EXTRA_COLUMN] if more else [])])
    names = dict(zip(keys, columns, strict=False))
    return JsonLayout(encoding, lines, names, columns[-1] if more else None)


@dataclass
class JsonReader(BaseReader):
    """A JSON document or a JSON Lines file of objects."""

    layout: JsonLayout = field(default_factory=lambda: JsonLayout("utf-8", False, {}, None))

    def batches(self) -> Iterator[pa.RecordBatch]:
        """Batches of ``batch_size`` records."""
        self.rejects.clear()
        rows: list[dict[str, str | None]] = []
        numbers: list[int] = []
        for item in iter_items(self.path, self.layout.encoding, self.layout.lines):
            row = self._row(item)
            if row is None:
                continue
            rows.append(row)
            numbers.append(item.row)
            if len(rows) >= self.batch_size:
                yield self.batch_from_rows(rows, numbers)
                rows, numbers = [], []
        if rows:
            yield self.batch_from_rows(rows, numbers)

    def _row(self, item: Item) -> dict[str, str | None] | None:
        if item.error is not None:
            self.reject(item.line, item.error, item.raw, item.row)
            return None
        if not isinstance(item.value, dict):
            kind = type(item.value).__name__
            self.reject(item.line, f"record is a {kind}, not an object", _raw(item.value), item.row)
            return None
        try:
            flat = flatten(item.value)
        except RecursionError:
            self.reject(item.line, "record nested too deeply to read", "", item.row)
            return None
        row = {self.layout.names[key]: value for key, value in flat.items()
               if key in self.layout.names}
        extra = {key: value for key, value in flat.items() if key not in self.layout.names}
        if extra and self.layout.extra:
            row[self.layout.extra] = json.dumps(extra, ensure_ascii=False)
        return row


def _raw(value: Any) -> str:
    try:
        return json.dumps(value, ensure_ascii=False)[:200]
    except (RecursionError, ValueError):
        return ""
