"""The local engine: stream each input's batches through the pure core, on every core.

A clean UTF-8 CSV is parsed by DuckDB on every core (:mod:`procurewatch.ingest.duckcsv`) and
screened in this process while DuckDB reads ahead; should the file prove not clean, what that
gave is dropped and the file is read again by the careful reader. (Handing the per-hit work to
worker processes as well was measured slower on two cores: DuckDB already keeps both busy.)

Every other input is read by the careful reader. With ``workers`` > 1 its batches go to a pool of forked worker processes that inherit the
compiled context (matcher, scanner) from the parent, so nothing is compiled twice; at most
``2 * workers`` batches are in flight, so memory stays bounded, and results are taken back in
input order, so the hits are the same, in the same order, as with one process. Only hits
(few) are kept.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import numpy as np
import pyarrow as pa

from procurewatch import settings
from procurewatch.arrowtake import take_rows
from procurewatch.ingest import duckcsv
from procurewatch.ingest.base import FieldMap, InputReader, Reject, open_input
from procurewatch.ingest.name_keys import Keys
from procurewatch.ingest.xlsx import XlsxReader, sheet_layouts
from procurewatch.screen.core import ScreenContext, admit_names, candidate_rows, screen_batch
from procurewatch.screen.engines.head import HeadStart, fast_csv
from procurewatch.screen.hits import Hit, split_set_aside

SAMPLE = 1 << 20
PR_SET_PDEATHSIG = 1


def fingerprint(path: Path) -> str:
    """SHA-256 over the file size and its first, middle and last MiB (fast on large files)."""
    digest = hashlib.sha256()
    size = path.stat().st_size
    digest.update(str(size).encode())
    with path.open("rb") as fh:
        for offset in sorted({0, max(0, size // 2 - SAMPLE // 2), max(0, size - SAMPLE)}):
            fh.seek(offset)
            digest.update(fh.read(SAMPLE))
    return digest.hexdigest()


@dataclass
class InputResult:
    """What screening one input file gave."""

    path: str
    format: str
    fingerprint: str
    field_map: FieldMap
    records: int = 0
    hits: list[Hit] = field(default_factory=list)
    set_aside: list[Hit] = field(default_factory=list)
    """Mentions the context rules set aside (``set_aside.csv``); not hits."""
    rejects: list[Reject] = field(default_factory=list)

    @property
    def flagged_records(self) -> int:
        """Records with at least one hit."""
        return len({h.row for h in self.hits})


Progress = Callable[[int], None]

_WORKER_CTX: ScreenContext | None = None
"""The context a forked worker inherited from the parent."""


def _die_with_parent() -> None:
    """Worker start-up: ask Linux to SIGKILL this worker when the parent dies (even by SIGKILL),
    so no worker outlives a killed screen. A no-op where prctl is unavailable."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # the parent died before prctl took effect
        os._exit(1)


def _work(batch: pa.RecordBatch, fmap: FieldMap, sha: str) -> list[Hit]:
    assert _WORKER_CTX is not None, "worker started without a context"
    return screen_batch(batch, fmap, _WORKER_CTX, sha)


def default_workers() -> int:
    """One worker per core (``PROCUREWATCH_WORKERS`` overrides)."""
    return int(os.environ.get("PROCUREWATCH_WORKERS", str(os.cpu_count() or 1)))


def _parallel(batches: Iterable[pa.RecordBatch], fmap: FieldMap, ctx: ScreenContext, sha: str,
              workers: int) -> Iterator[tuple[int, list[Hit]]]:  # fmt: skip
    """(rows, hits) per batch, in input order, computed by forked workers."""
    global _WORKER_CTX
    _WORKER_CTX = ctx
    pending: deque[tuple[int, Future[list[Hit]]]] = deque()
    fork = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=fork, initializer=_die_with_parent
    ) as pool:
        for batch in batches:
            pending.append((batch.num_rows, pool.submit(_work, batch, fmap, sha)))
            while len(pending) >= 2 * workers:
                rows, future = pending.popleft()
                yield rows, future.result()
        while pending:
            rows, future = pending.popleft()
            yield rows, future.result()


def _serial(batches: Iterable[pa.RecordBatch], fmap: FieldMap, ctx: ScreenContext,
            sha: str) -> Iterator[tuple[int, list[Hit]]]:  # fmt: skip
    for batch in batches:
        yield batch.num_rows, screen_batch(batch, fmap, ctx, sha)


PREPARED_AHEAD = 16
"""Prepared batches (only the rows that may hold a hit) that may wait for the main thread."""

PARALLEL_MIN_BYTES = 32 << 20
"""Files smaller than this are screened in this process (forking would cost more than it saves)."""


def _batch_results(
    reader: InputReader, ctx: ScreenContext, sha: str, workers: int, size: int
) -> Iterator[tuple[int, list[Hit]]]:
    if workers > 1 and size >= PARALLEL_MIN_BYTES:
        return _parallel(reader.batches(), reader.field_map, ctx, sha, workers)
    return _serial(reader.batches(), reader.field_map, ctx, sha)


def screen_file(
    path: Path,
    ctx: ScreenContext,
    *,
    mapping: Mapping[str, str] | None = None,
    batch_size: int = 65536,
    progress: Progress | None = None,
    workers: int | None = None,
    fast: bool | None = None,
    sheet: str | None = None,
    label: str | None = None,
    head: HeadStart | None = None,
) -> InputResult:
    """Screen one input file: a clean CSV through DuckDB's parallel parser unless ``fast`` is
    False (default: :func:`procurewatch.settings.fast_csv`), anything else on ``workers``
    processes (default: one per core); ``head``: the file opened, its read begun already."""
    fast = settings.fast_csv() if fast is None else fast
    reader, begun = head.take(path, label) if head is not None else (None, None)
    if reader is None:
        reader = open_input(path, mapping=mapping, batch_size=batch_size, sheet=sheet)
    if label is not None and isinstance(reader, XlsxReader):
        reader.label = label
    result = InputResult(label or str(path), reader.format, fingerprint(path), reader.field_map)
    if fast and duckcsv.eligible(reader) and _fast(reader, ctx, result, progress, begun):
        return result
    workers = default_workers() if workers is None else workers
    size = path.stat().st_size
    _collect(result, _batch_results(reader, ctx, result.fingerprint, workers, size), progress)
    result.rejects = list(reader.rejects)
    return result


def _collect(result: InputResult, batches: Iterable[tuple[int, list[Hit]]],
             progress: Progress | None) -> None:  # fmt: skip
    for rows, hits in batches:
        kept, aside = split_set_aside(hits)
        result.hits.extend(kept)
        result.set_aside.extend(aside)
        result.records += rows
        if progress is not None:
            progress(rows)


def _fast(reader: InputReader, ctx: ScreenContext, result: InputResult,
          progress: Progress | None, begun: duckcsv.FastCsv | None = None) -> bool:  # fmt: skip
    """Screen a clean CSV through DuckDB's parallel parser (:mod:`procurewatch.ingest.duckcsv`;
    ``begun``: its read, begun already); False, with ``result`` and ``progress`` as they were,
    when the file needs the careful reader."""
    fmap = reader.field_map
    fast = begun if begun is not None else fast_csv(reader)
    sha = result.fingerprint
    ctx.names_admitted = True
    try:
        # the new names' gate and the prefilter run in the preparing thread (Hyperscan, Arrow
        # and numpy let go of the GIL), which keeps only the rows that may hold a hit; the
        # matcher scores what the gate let through
        ready = fast.prepared(partial(prepare_batch, fmap=fmap, ctx=ctx), PREPARED_AHEAD)
        _collect(result, ((p.rows, screen_batch(p.table, fmap, ctx, sha, p.selected))
                          for p in ready), progress)  # fmt: skip
    except duckcsv.NotFast:
        if progress is not None and result.records:
            progress(-result.records)
        result.hits.clear()
        result.set_aside.clear()
        result.records = 0
        reader.rejects.clear()
        return False
    finally:
        ctx.names_admitted = False
    result.rejects = list(reader.rejects)
    return True


@dataclass(frozen=True)
class Prepared:
    """A batch as the preparing thread leaves it: its row count, the rows that may hold a hit
    and, by text column, which of those the prefilter selected (indices into ``table``)."""

    rows: int
    table: pa.Table
    selected: dict[str, list[int]]


def prepare_batch(
    table: pa.Table, keys: dict[str, Keys], fmap: FieldMap, ctx: ScreenContext
) -> Prepared:
    """The preparing thread's share of a batch: its new names (``keys``: their keys, from the
    scan) through the gate, the rows of its text columns the prefilter selects, and then only
    the rows that may hold a hit: a name queued for the matcher (all a name can be flagged
    for) or a selected text. :func:`screen_batch` of those rows gives the batch's hits, and a
    batch of 131,072 rows shrinks to tens, so the main thread has little to do and the batches
    waiting for it hold little memory. Names gated here but left unscored when the fast path
    gives up stay queued (``ctx.pending``) for the careful reader's pass."""
    admit_names(table, fmap, ctx, keys)
    selected = candidate_rows(table, columns=fmap.text, ctx=ctx)
    keep = np.zeros(table.num_rows, dtype=bool)
    for first, _ in keys.values():
        keep |= ctx.queued_keys.rows(first)
    for rows in selected.values():
        keep[rows] = True
    kept = np.flatnonzero(keep)
    where = {c: np.searchsorted(kept, rows).tolist() for c, rows in selected.items()}
    return Prepared(table.num_rows, take_rows(table, kept.tolist()), where)


def screen_files(
    paths: Sequence[Path],
    ctx: ScreenContext,
    *,
    mapping: Mapping[str, str] | None = None,
    batch_size: int = 65536,
    progress: Progress | None = None,
    workers: int | None = None,
    fast: bool | None = None,
    sheet: str | None = None,
    head: HeadStart | None = None,
) -> list[InputResult]:
    """Screen several input files in order; ``sheet`` picks a workbook's sheet by name or
    number, or (``all``) screens every sheet holding a table as an input of its own
    (``book.xlsx#Sheet2``); ``head``: the first file, opened and its read begun
    (:func:`head_start`)."""
    return [
        screen_file(
            p,
            ctx,
            mapping=mapping,
            batch_size=batch_size,
            progress=progress,
            workers=workers,
            fast=fast,
            sheet=one,
            label=label,
            head=head,
        )
        for p in paths
        for one, label in _sheets(p, sheet)
    ]


def _sheets(path: Path, sheet: str | None) -> list[tuple[str | None, str | None]]:
    """``(sheet, label)`` of each input a path gives: every table sheet of a workbook for
    ``--sheet all`` (labelled ``path#sheet``), else the path itself."""
    if sheet != "all" or path.suffix.lower() not in (".xlsx", ".xlsm"):
        return [(sheet, None)]
    tables = [layout.sheet for layout in sheet_layouts(path) if layout.score[0]]
    if len(tables) < 2:
        return [(tables[0] if tables else None, None)]
    return [(name, f"{path}#{name}") for name in tables]
