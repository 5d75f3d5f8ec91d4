"""The Spark engine: the pure core of :mod:`procurewatch.screen.core`, run on Spark executors.

Nothing here matches names or scans text: Spark reads the files, the executors hand Arrow
batches to :func:`~procurewatch.screen.core.screen_batch`, the driver collects the few hits and
writes the same outputs as the local engine. Same input, same hits (``tests/screen/test_spark.py``
proves it). :func:`run_spark` runs the steps of a run, one module each:

1. **Plan (driver)**, :mod:`~procurewatch.screen.engines.spark_plan`: every input (a file,
   folder or glob on any file system Hadoop knows: local, ``file://``, ``hdfs://``, ``s3a://``
   ...) is listed and sniffed by the local engine's own code; files with the same layout are
   read together.
2. **Row numbers (driver)**, :mod:`~procurewatch.screen.engines.spark_jobs`: one JVM-only pass
   over the files counts each block's lines and blank lines, so that the executors number the
   rows as the local reader does, without a shuffle.
3. **Screen (executors)**, :mod:`~procurewatch.screen.engines.spark_executors`:
   ``mapInArrow`` numbers the rows, rejects those Spark cannot parse and screens the rest; the
   watchlist is broadcast once and compiled lazily once per Python worker.
4. **Outputs (driver)**, :mod:`~procurewatch.screen.engines.spark_outputs`: Spark writes the
   hits as Parquet to ``OUT/hits.parquet/``; hits, rejects and counts are collected and
   :func:`~procurewatch.screen.run.write_outputs` writes ``hits.csv``, ``hits.jsonl``,
   ``rejects.csv`` and ``summary.json``.

:mod:`~procurewatch.screen.engines.spark_session` checks for PySpark and Java and starts the
session. The names other code uses from the engine are importable from this module.

Differences from the local engine: a UTF-8 file with bytes that are not UTF-8 gets U+FFFD where
the local reader decodes the value as Windows-1252; UTF-16/32 files are refused (convert them);
in a file read whole (quoted line breaks in its first MiB) empty lines are not counted, so rows
below one are numbered one lower, and rejects carry no line; quoted line breaks first seen after
the first MiB make that record's pieces rejects. PySpark is optional: importing this module does
not import it, and :func:`run_spark` without it raises :class:`SparkUnavailableError`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from procurewatch import settings
from procurewatch.model import Watchlist

# the engine's modules; ``name as name`` re-exports what other code and the tests use
from procurewatch.screen.engines.spark_executors import PARQUET_COLUMNS as PARQUET_COLUMNS
from procurewatch.screen.engines.spark_executors import _positions as _positions
from procurewatch.screen.engines.spark_executors import worker_context as worker_context
from procurewatch.screen.engines.spark_jobs import Numbering as Numbering
from procurewatch.screen.engines.spark_jobs import _grouped, _screen_all
from procurewatch.screen.engines.spark_jobs import number_blocks as number_blocks
from procurewatch.screen.engines.spark_outputs import _hits_parquet as _hits_parquet
from procurewatch.screen.engines.spark_outputs import _results, _write_small
from procurewatch.screen.engines.spark_outputs import hit_from_json as hit_from_json
from procurewatch.screen.engines.spark_plan import list_inputs as list_inputs
from procurewatch.screen.engines.spark_plan import local_path
from procurewatch.screen.engines.spark_plan import plan_inputs as plan_inputs
from procurewatch.screen.engines.spark_session import (
    RUN_CONF,
    SparkUnavailableError,
    _session,
    require_pyspark,
)
from procurewatch.screen.engines.spark_session import _settings as _settings
from procurewatch.screen.run import RunResult, new_run_id

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

__all__ = ["SparkUnavailableError", "local_path", "require_pyspark", "run_spark"]


T = TypeVar("T")


@dataclass
class _Clock:
    """Seconds per phase of a run (``summary.json`` → ``parameters.timings``)."""

    laps: dict[str, float] = field(default_factory=dict)

    def lap(self, name: str, step: Callable[[], T]) -> T:
        started = time.perf_counter()
        value = step()
        self.laps[name] = round(time.perf_counter() - started, 2)
        return value


def run_spark(
    paths: Sequence[str],
    watchlist: Watchlist,
    *,
    out_dir: str | Path,
    master: str | None = None,
    mapping: Mapping[str, str] | None = None,
    spark: SparkSession | None = None,
    default_currency: str | None = None,
    run_id: str | None = None,
) -> RunResult:
    """Screen ``paths`` (files, folders or globs; local, ``file://``, ``hdfs://``, ``s3a://``
    ...) on Spark and write every output to ``out_dir`` (a local folder or a URI).

    Uses ``spark`` when given (left running), else starts a session on ``master`` (default:
    the Spark configuration's, e.g. ``spark-submit --master``, else ``local[*]``) and stops it.
    Raises :class:`SparkUnavailableError` without PySpark or Java, :class:`InputError` for a
    file that cannot be read.
    """
    started = datetime.now(UTC)
    clock = _Clock()
    with _session(master, spark) as session, _settings(session, RUN_CONF):
        plans = clock.lap("plan_s", lambda: plan_inputs(session, paths, mapping))
        groups = _grouped(plans)
        numbering = clock.lap("count_s", lambda: number_blocks(session, groups))
        broadcast = session.sparkContext.broadcast(watchlist)
        from pyspark import StorageLevel

        out = _screen_all(session, groups, numbering, broadcast, default_currency)
        out = out.persist(StorageLevel.MEMORY_AND_DISK)
        try:
            rows = clock.lap("screen_s", lambda: [r.asDict() for r in out.collect()])
            clock.lap("parquet_s", lambda: _hits_parquet(session, out, out_dir, rows))
        finally:
            out.unpersist()
            broadcast.unpersist()
        result = RunResult(
            run_id=run_id or new_run_id(started),
            started_at=started.isoformat(timespec="seconds"),
            finished_at=datetime.now(UTC).isoformat(timespec="seconds"),
            engine="spark",
            inputs=_results(plans, rows, numbering),
            lists=watchlist.versions,
            parameters={
                "threshold": settings.MATCH_THRESHOLD,
                "mapping": dict(mapping or {}),
                "default_currency": default_currency,
                "master": session.sparkContext.master,
                "timings": clock.laps,
            },
        )
        _write_small(session, out_dir, result)
    return result
