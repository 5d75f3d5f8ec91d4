"""The results and outputs of a Spark run (driver).

The executors' rows are collected: hits (the ``hits.csv`` columns plus the full hit as JSON)
become :class:`~procurewatch.screen.hits.Hit` again (:func:`hit_from_json`), and with the
rejects and counts make one :class:`~procurewatch.screen.engines.local.InputResult` per file,
in the local engine's order. Spark writes the hits as Parquet to ``OUT/hits.parquet/`` (the
driver does when the executors cannot reach a local output folder), and
:func:`~procurewatch.screen.run.write_outputs` writes ``hits.csv``, ``hits.jsonl``,
``rejects.csv`` and ``summary.json``, into a local folder or copied to a remote one.
"""

from __future__ import annotations

import json
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

import procurewatch.screen.hits as hits_module
from procurewatch.screen.engines.local import InputResult
from procurewatch.screen.engines.spark_executors import OUT_SCHEMA, PARQUET_COLUMNS
from procurewatch.screen.engines.spark_jobs import Numbering, _reject
from procurewatch.screen.engines.spark_plan import Planned, _Hadoop, local_path
from procurewatch.screen.hits import Hit, split_set_aside
from procurewatch.screen.publish import OUTPUT_FILES, publish_outputs
from procurewatch.screen.run import RunResult, write_outputs

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession


def hit_from_json(text: str) -> Hit:
    """A :class:`Hit` back from its ``json_dict()`` JSON."""
    return hits_module.hit_from_json(json.loads(text))


def _results(plans: list[Planned], rows: list[Any], numbering: Numbering) -> list[InputResult]:
    """One :class:`InputResult` per file, hits and rejects in row order as the local engine."""
    results = {
        p.source.display: InputResult(p.source.display, p.format, p.sha, p.layout.field_map)
        for p in plans
    }
    layouts = {p.source.display: p for p in plans}
    hits: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for row in rows:
        target = results[row["source_file"]]
        if row["kind"] == "hit":
            hits[target.path].append((row["row"], row["seq"], row["json"]))
        elif row["kind"] == "reject":
            plan = layouts[target.path]
            target.rejects.append(_reject(plan, plan.layout, row["line"], row["row"], row["raw"]))
        else:
            target.records += row["records"]
    for plan in plans:
        target = results[plan.source.display]
        target.records += numbering.records.get(plan.source.uri, 0)
        target.rejects += numbering.rejects.get(plan.source.uri, [])
        target.rejects.sort(key=lambda r: r.row or 0)
        found = [hit_from_json(text) for _, _, text in sorted(hits[target.path])]
        target.hits, target.set_aside = split_set_aside(found)
    return list(results.values())


def _hits_parquet(
    spark: SparkSession, out: DataFrame, out_dir: str | Path, rows: list[Any]
) -> None:
    """``OUT/hits.parquet/``: written by Spark, or by the driver when the executors cannot
    reach a local output folder (a cluster master)."""
    target = _out_uri(out_dir) + "/hits.parquet"
    local = local_path(target)
    if local is None or str(spark.sparkContext.master).startswith("local"):
        out.where((out["kind"] == "hit") & (out["set_aside"] == "")).select(
            *PARQUET_COLUMNS
        ).write.mode("overwrite").parquet(target)
        return
    import pyarrow.parquet as pq

    table = pa.Table.from_pylist(
        [
            {k: r[k] for k in PARQUET_COLUMNS}
            for r in rows
            if r["kind"] == "hit" and not r["set_aside"]
        ],
        schema=pa.schema([OUT_SCHEMA.field(k) for k in PARQUET_COLUMNS]),
    )
    local.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, local / "part-00000.parquet")


def _out_uri(out_dir: str | Path) -> str:
    text = str(out_dir)
    local = local_path(text)
    return f"file:{local.resolve()}" if local is not None else text.rstrip("/")  # Hadoop's form


def _write_small(spark: SparkSession, out_dir: str | Path, result: RunResult) -> None:
    """hits.csv, hits.jsonl, rejects.csv, summary.json by the local engine's writers: published
    into a local folder all at once, or copied to a remote one (``summary.json`` last)."""
    local = local_path(str(out_dir))
    if local is not None:
        publish_outputs(local, result)
        return
    with tempfile.TemporaryDirectory(prefix="procurewatch-") as folder:
        write_outputs(Path(folder), result)
        hadoop = _Hadoop(spark)
        for name in OUTPUT_FILES:
            hadoop.put(Path(folder) / name, f"{str(out_dir).rstrip('/')}/{name}")
