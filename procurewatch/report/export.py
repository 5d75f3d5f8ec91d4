"""Export a screen's findings as CSV, JSON, XLSX, Markdown or FollowTheMoney entities.

Each export reads an output folder (``hits.jsonl`` + ``summary.json`` of ``procurewatch screen``)
and, when a store is given, the review status of every hit (decisions and dismiss rules).
Spreadsheet exports (CSV, XLSX) neutralize cells a spreadsheet would run as a formula; the
Markdown export escapes markup. Every file is written atomically. Each ``export_*`` function
returns the number of items written (hits, or entities for FtM).
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from procurewatch.atomic import atomic_write, atomic_write_bytes
from procurewatch.errors import UsageError
from procurewatch.report._export_data import ExportData, load_export
from procurewatch.report._export_md import render_markdown
from procurewatch.report._export_tables import (
    BUYER_COLUMNS,
    DESIGNATION_COLUMNS,
    HIT_EXPORT_COLUMNS,
    buyer_rows,
    designation_rows,
    hit_rows,
)
from procurewatch.screen.hits import SET_ASIDE_COLUMNS
from procurewatch.screen.output import neutralize, write_csv, write_json, write_jsonl

__all__ = [
    "FORMATS",
    "ExportData",
    "export",
    "export_csv",
    "export_ftm",
    "export_json",
    "export_markdown",
    "export_xlsx",
    "load_export",
]

XLSX_MAX_CELL = 32767


def export_csv(out_dir: Path, out: Path, store: Path | None = None) -> int:
    """Every hit with its review status and USD amount, as CSV (formula-neutralized)."""
    rows = hit_rows(load_export(out_dir, store))
    write_csv(out, HIT_EXPORT_COLUMNS, rows)
    return len(rows)


def export_json(out_dir: Path, out: Path, store: Path | None = None) -> int:
    """One JSON document: the run summary, hits (full evidence + review), buyers, designations."""
    data = load_export(out_dir, store)
    hits = []
    for hit in data.hits:
        record = data.record_of(hit)
        hits.append(
            {
                **hit.json_dict(),
                "review": data.status[hit.hit_id].to_dict(),
                "amount_usd": record.usd,
                "fx_note": record.fx_note,
            }
        )
    write_json(
        out,
        {
            "summary": data.summary,
            "reviewed": data.reviewed,
            "hits": hits,
            "buyers": buyer_rows(data),
            "designations": designation_rows(data),
            "set_aside": _set_aside_rows(data),
        },
    )
    return len(hits)


SET_ASIDE_EXPORT_COLUMNS = (*SET_ASIDE_COLUMNS, "status")
"""Columns of the exports' set-aside rows: ``set_aside.csv`` and the review status."""


def _set_aside_rows(data: ExportData) -> list[dict[str, str]]:
    """The run's set-aside mentions (``set_aside.csv``), each with ``pending`` or
    ``confirmed`` (confirmed ones are hits of the run in the store)."""
    from procurewatch.report.set_aside import load_set_aside

    run_id = str(data.summary.get("run_id") or "")
    return load_set_aside(data.out_dir, data.store_path, run_id).rows


def _cell(value: Any) -> Any:
    if isinstance(value, (list, tuple, dict)):
        value = json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)[:XLSX_MAX_CELL]
    return neutralize(value)


def _sheet(
    book: Workbook, title: str, columns: Sequence[str], rows: Sequence[Mapping[str, Any]]
) -> None:
    sheet = book.create_sheet(title)
    sheet.append(list(columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_cell(row.get(c)) for c in columns])
    sheet.freeze_panes = "A2"


def export_xlsx(out_dir: Path, out: Path, store: Path | None = None) -> int:
    """A workbook with sheets Hits, Buyers, Designations and Set aside (the mentions the
    context rules set aside, with their reasons), formula-neutralized."""
    data = load_export(out_dir, store)
    book = Workbook()
    if book.active is not None:
        book.remove(book.active)
    rows = hit_rows(data)
    _sheet(book, "Hits", HIT_EXPORT_COLUMNS, rows)
    _sheet(book, "Buyers", BUYER_COLUMNS, buyer_rows(data))
    _sheet(book, "Designations", DESIGNATION_COLUMNS, designation_rows(data))
    _sheet(book, "Set aside", SET_ASIDE_EXPORT_COLUMNS, _set_aside_rows(data))
    buffer = io.BytesIO()
    book.save(buffer)
    atomic_write_bytes(out, buffer.getvalue())
    return len(rows)


def export_markdown(out_dir: Path, out: Path, store: Path | None = None) -> int:
    """A short findings summary in Markdown, with the evidence of each confirmed hit."""
    data = load_export(out_dir, store)
    with atomic_write(out) as fh:
        fh.write(render_markdown(data))
    return len(data.hits)


def export_ftm(out_dir: Path, out: Path, store: Path | None = None) -> int:
    """FollowTheMoney entities as JSON lines (load into Aleph with ``ftm``/``alephclient``)."""
    from procurewatch.report._export_ftm import ftm_entities, watchlist_schemas  # FtM: 0.5 s

    data = load_export(out_dir, store)
    entities = list(ftm_entities(data, watchlist_schemas(store)))
    write_jsonl(out, entities)
    return len(entities)


FORMATS: dict[str, Callable[[Path, Path, Path | None], int]] = {
    "csv": export_csv,
    "json": export_json,
    "xlsx": export_xlsx,
    "md": export_markdown,
    "ftm": export_ftm,
}
"""Export format name -> function."""


def export(out_dir: Path, fmt: str, out: Path, store: Path | None = None) -> int:
    """Export ``out_dir`` in format ``fmt`` (a key of :data:`FORMATS`) to ``out``."""
    if fmt not in FORMATS:
        raise UsageError(f"--format {fmt!r}: use one of {', '.join(FORMATS)}")
    return FORMATS[fmt](out_dir, out, store)
