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

from procurewatch.atomic import atomic_write
from procurewatch.screen.hits import HIT_COLUMNS, Hit

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralize(value: object) -> object:
    """Make a cell value safe to open in a spreadsheet (numbers stay numbers)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        try:
            float(value)
        except ValueError:
            return "'" + value
    return value


def write_csv(path: Path, columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> None:
    """A CSV with a header, formula-neutralized, atomically."""
    with atomic_write(path, newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: neutralize(v) for k, v in row.items()})


def write_jsonl(path: Path, records: Iterable[Mapping[str, Any]]) -> None:
    """One JSON object per line, atomically."""
    with atomic_write(path) as fh:
        for record in records:
            fh.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")


def write_json(path: Path, data: Any) -> None:
    """Pretty JSON, atomically."""
    with atomic_write(path) as fh:
        json.dump(data, fh, ensure_ascii=False, indent=2, default=str)
        fh.write("\n")


def write_hits(out_dir: Path, hits: Sequence[Hit]) -> None:
    """``hits.csv`` and ``hits.jsonl``."""
    write_csv(out_dir / "hits.csv", HIT_COLUMNS, (h.row_dict() for h in hits))
    write_jsonl(out_dir / "hits.jsonl", (h.json_dict() for h in hits))
