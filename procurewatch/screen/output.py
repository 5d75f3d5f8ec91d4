"""Write a screen's outputs (DESIGN.md contract): hits.csv, hits.jsonl, rejects.csv, summary.json.

Every file is written atomically. Text that a spreadsheet would run as a formula (a cell
starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return) is prefixed with ``'``.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import orjson

from procurewatch.atomic import atomic_write
from procurewatch.screen.hits import CSV_COLUMNS, Hit

_FORMULA_START = frozenset("=+-@\t\r")


def neutralize(value: object) -> object:
    """Make a cell value safe to open in a spreadsheet (numbers stay numbers)."""
    if isinstance(value, str) and value and value[0] in _FORMULA_START:
        try:
            float(value)
        except ValueError:
            return "'" + value
    return value


def write_csv(path: Path, columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> None:
    """A CSV with a header, formula-neutralized, atomically."""
    with atomic_write(path, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(columns)
        writer.writerows([neutralize(row.get(c)) for c in columns] for row in rows)


def write_jsonl(path: Path, records: Iterable[Mapping[str, Any]]) -> None:
    """One JSON object per line, atomically."""
    with atomic_write(path) as fh:
        for record in records:
            fh.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")


class SharedJson:
    """The JSON text of values that many hits share (their designation summaries), made once
    per value instead of once per hit."""

    def __init__(self) -> None:
        self._texts: dict[int, tuple[object, str]] = {}  # the value is held: its id stays its own

    def text(self, value: tuple[Any, ...]) -> str:
        """``value`` as a JSON array."""
        found = self._texts.get(id(value))
        if found is None or found[0] is not value:
            found = (value, orjson.dumps(list(value), default=str).decode())
            self._texts[id(value)] = found
        return found[1]


def hit_json(hit: Hit, shared: SharedJson) -> str:
    """One line of ``hits.jsonl``: :meth:`Hit.json_dict` as JSON (designations last)."""
    data = hit.json_dict()
    del data["designations"]
    body = orjson.dumps(data, default=str).decode()
    return f'{body[:-1]},"designations":{shared.text(hit.designations)}}}'


def write_json(path: Path, data: Any) -> None:
    """Pretty JSON, atomically."""
    with atomic_write(path) as fh:
        json.dump(data, fh, ensure_ascii=False, indent=2, default=str)
        fh.write("\n")


def write_hits(out_dir: Path, hits: Sequence[Hit]) -> None:
    """``hits.csv`` and ``hits.jsonl``."""
    write_csv(out_dir / "hits.csv", CSV_COLUMNS, (h.row_dict() for h in hits))
    shared = SharedJson()
    with atomic_write(out_dir / "hits.jsonl") as fh:
        fh.writelines(hit_json(h, shared) + "\n" for h in hits)
