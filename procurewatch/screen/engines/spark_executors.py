"""What the Spark executors run: row numbers, rejects and screening, batch by batch.

``mapInArrow`` runs :class:`_Screen` over the Arrow batches of every read. It turns "record *k*
of block *b*" into the file's data-row number (``_row``) from the block counts the driver took
(:func:`~procurewatch.screen.engines.spark_jobs.number_blocks`), makes every row Spark could
not parse (the corrupt-record column) a reject with its line, and hands the rest to
:func:`~procurewatch.screen.core.screen_batch`. The watchlist is broadcast once and compiled
lazily once per Python worker (:func:`worker_context`). The rows it emits (:data:`OUT_SCHEMA`)
are hits, rejects and record counts.

Spark pickles :class:`_Screen` by reference, so what it uses stays top-level in this module,
which does not import PySpark.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from procurewatch.ingest.base import FieldMap
from procurewatch.ingest.parquetfile import _as_text as parquet_text  # the local reader's rule
from procurewatch.screen.core import ScreenContext, screen_batch
from procurewatch.screen.engines.spark_plan import CSV_WHOLE, PARQUET
from procurewatch.screen.hits import HIT_COLUMNS, Hit
from procurewatch.screen.run import build_context

CORRUPT = "_corrupt"

Block = tuple[int, tuple[int, ...]]
"""Where a block starts (0-based line or record of its file) and its blank lines (0-based)."""

_CONTEXTS: dict[tuple[int, str | None], ScreenContext] = {}
"""The compiled watchlist of this Python worker, by broadcast id: compiled once per worker."""


def worker_context(broadcast: Any, broadcast_id: int, currency: str | None) -> ScreenContext:
    """The screen context of ``broadcast`` (a Spark broadcast of a Watchlist), compiled once."""
    key = (broadcast_id, currency)
    ctx = _CONTEXTS.get(key)
    if ctx is None:
        _CONTEXTS.clear()  # a new run: drop the last one's matcher
        ctx = _CONTEXTS[key] = build_context(broadcast.value, currency)
    return ctx


@dataclass(frozen=True, slots=True)
class FilePlan:
    """What an executor needs to know about one file."""

    display: str
    sha: str
    skip: int


def _positions(offset: int, start: int, count: int, blanks: tuple[int, ...]) -> pa.Array:
    """0-based lines of records ``start ..`` of a block, Spark's CSV reader having skipped
    ``blanks``: the k-th record lies after every blank line ``b_i`` with ``b_i - i <= k``."""
    if not blanks:
        return pa.array(range(offset + start, offset + start + count), pa.int64())
    shifted = [b - i for i, b in enumerate(blanks)]
    ks = range(start, start + count)
    return pa.array([offset + k + bisect_right(shifted, k) for k in ks], pa.int64())


BlockKey = tuple[int, int]
"""A block: the index of its file in its read, and the byte where it starts."""


def _runs(batch: pa.RecordBatch) -> Iterator[tuple[BlockKey, pa.RecordBatch]]:
    """The batch cut into runs of one block each (a block's rows are contiguous)."""
    files, starts = batch.column("_fi"), batch.column("_b")
    last = batch.num_rows - 1
    if files[0] == files[last] and starts[0] == starts[last]:
        yield (files[0].as_py(), starts[0].as_py()), batch
        return
    keys = list(zip(files.to_pylist(), starts.to_pylist(), strict=True))
    begin = 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i] != keys[begin]:
            yield keys[begin], batch.slice(begin, i - begin)
            begin = i


OUT_FIELDS: tuple[tuple[str, pa.DataType], ...] = (
    ("kind", pa.string()),
    ("hit_id", pa.string()),
    ("source_file", pa.string()),
    ("row", pa.int64()),
    ("field", pa.string()),
    ("matched_text", pa.string()),
    ("rule", pa.string()),
    ("entity_id", pa.string()),
    ("entity_name", pa.string()),
    ("score", pa.float64()),
    ("lists", pa.list_(pa.string())),
    ("in_force", pa.bool_()),
    *(
        (name, pa.string())
        for name in ("record_date", "vendor", "buyer", "amount", "currency", "description", "via")
    ),
    ("lead", pa.bool_()),
    ("explanation", pa.string()),
    ("set_aside", pa.string()),
    ("json", pa.string()),
    ("line", pa.int64()),
    ("raw", pa.string()),
    ("records", pa.int64()),
    ("seq", pa.int64()),
)
"""The rows the executors emit: hits (``kind`` "hit": the hits.csv columns and the hit as JSON),
rejects ("reject": ``row``, ``line``, ``raw``) and counts ("records": ``records``)."""
OUT_SCHEMA = pa.schema(OUT_FIELDS)
PARQUET_COLUMNS = (*HIT_COLUMNS, "json")


def _hit_row(hit: Hit, seq: int) -> dict[str, Any]:
    row: dict[str, Any] = {name: getattr(hit, name) for name in HIT_COLUMNS if name != "hit_id"}
    row.update(
        kind="hit",
        hit_id=hit.hit_id,
        set_aside=hit.set_aside,
        lists=list(hit.lists),
        seq=seq,
        json=json.dumps(hit.json_dict(), ensure_ascii=False, default=str),
    )
    return row


@dataclass
class _Screen:
    """What ``mapInArrow`` runs: numbers the rows, rejects the bad ones, screens the rest."""

    watchlist: Any  # Broadcast[Watchlist]
    broadcast_id: int  # the key of the worker's cache (a worker-side Broadcast knows no id)
    currency: str | None
    kind: str
    names: tuple[str, ...]  # the real names of the shipped columns c0, c1 ...
    field_map: FieldMap
    files: dict[int, FilePlan]
    blocks: dict[BlockKey, Block] = field(default_factory=dict)

    def __call__(self, batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        ctx = worker_context(self.watchlist, self.broadcast_id, self.currency)
        seen: dict[BlockKey, int] = {}
        for batch in batches:
            if not batch.num_rows:
                continue
            for key, part in _runs(batch):
                start = seen.get(key, 0)
                seen[key] = start + part.num_rows
                yield self._screen(ctx, key, part, start)

    def _screen(
        self, ctx: ScreenContext, key: BlockKey, part: pa.RecordBatch, start: int
    ) -> pa.RecordBatch:
        plan, block = self.files[key[0]], self.blocks.get(key)
        if block is None:
            raise RuntimeError(f"procurewatch: block {key} was not counted; splits differ")
        lines = _positions(block[0], start, part.num_rows, block[1])
        rows = pc.subtract(lines, pa.scalar(plan.skip - 1, pa.int64()))
        data = pc.greater_equal(rows, 1)
        out: list[dict[str, Any]] = []
        keep = data
        if self.kind != PARQUET:
            bad = pc.and_(data, pc.is_valid(part.column(CORRUPT)))
            keep = pc.and_(data, pc.invert(pc.or_(bad, part.column("_blank"))))
            out += self._rejects(part, bad, rows, lines, plan)
        kept = part.filter(keep)
        arrays = [self._text(kept.column(f"c{i}")) for i in range(len(self.names))]
        arrays += [pa.repeat(pa.scalar(plan.display), kept.num_rows), rows.filter(keep)]
        screened = pa.RecordBatch.from_arrays(arrays, [*self.names, "_source_file", "_row"])
        hits = screen_batch(screened, self.field_map, ctx, plan.sha)
        out += [_hit_row(hit, seq) for seq, hit in enumerate(hits)]
        out.append({"kind": "records", "source_file": plan.display, "records": kept.num_rows})
        return pa.RecordBatch.from_pylist(out, schema=OUT_SCHEMA)

    def _text(self, column: pa.Array) -> pa.Array:
        if self.kind == PARQUET:
            return parquet_text(column)
        return pc.fill_null(column, "")  # an empty field: null in Spark, "" in the local reader

    def _rejects(
        self, part: pa.RecordBatch, bad: pa.Array, rows: pa.Array, lines: pa.Array, plan: FilePlan
    ) -> list[dict[str, Any]]:
        if not pc.any(bad).as_py():
            return []
        raw = part.column(CORRUPT).filter(bad).to_pylist()
        numbers, places = rows.filter(bad).to_pylist(), lines.filter(bad).to_pylist()
        whole = self.kind == CSV_WHOLE  # records are not lines there
        return [
            {
                "kind": "reject",
                "source_file": plan.display,
                "row": row,
                "raw": text,
                "line": None if whole else place + 1,
            }
            for row, place, text in zip(numbers, places, raw, strict=True)
        ]
