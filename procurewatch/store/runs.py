"""Screening runs in the store: each run with its inputs, list versions, parameters, counts and hits."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import orjson
import pyarrow as pa

from procurewatch.errors import StoreError
from procurewatch.screen.hits import HIT_COLUMNS, Hit, set_aside_row
from procurewatch.store.attempts import mark_complete, unfinished_runs
from procurewatch.store.db import open_store

if TYPE_CHECKING:
    from procurewatch.screen.run import RunResult

RUN_FIELDS = (
    "run_id",
    "started_at",
    "finished_at",
    "engine",
    "out_dir",
    "records",
    "flagged_records",
    "rejected_rows",
    "hits",
)


CHUNK = 5000
"""Hits inserted per statement (bounds the memory of large runs)."""


class _Designations:
    """Designation summaries of a run, stored once each: hits name them by key."""

    def __init__(self) -> None:
        self.by_object: dict[int, str] = {}
        self.texts: dict[str, str] = {}
        self.keep: list[tuple[dict[str, Any], ...]] = []

    def key(self, hit: Hit) -> str:
        found = self.by_object.get(id(hit.designations))
        if found is None:
            text = orjson.dumps(list(hit.designations), default=str).decode()
            found = hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]
            self.texts.setdefault(found, text)
            self.by_object[id(hit.designations)] = found
            self.keep.append(hit.designations)  # ids stay valid while kept
        return found

    def rows(self, run_id: str) -> list[tuple[str, str, str]]:
        return [(run_id, key, text) for key, text in self.texts.items()]


def _data(hit: Hit, designations: _Designations) -> str:
    data = hit.json_dict()
    del data["designations"]
    data["designations_key"] = designations.key(hit)
    return orjson.dumps(data, default=str).decode()


def _hits_table(run_id: str, hits: Sequence[Hit], designations: _Designations) -> pa.Table:
    """The hits as ``hits.csv`` has them, plus ``data`` (their JSON); Arrow infers the types,
    the INSERT casts them."""
    table = pa.Table.from_pylist([h.row_dict() for h in hits])
    table = table.append_column("data", pa.array([_data(h, designations) for h in hits]))
    return table.append_column("run_id", pa.array([run_id] * len(hits), pa.string()))


_NUMERIC = {"row": "BIGINT", "score": "DOUBLE", "in_force": "BOOLEAN", "lead": "BOOLEAN"}


def _insert_hits_sql() -> str:
    """INSERT from the registered ``new_hits``: empty text becomes NULL, typed columns cast."""
    columns = [
        f"CAST(NULLIF(CAST(\"{c}\" AS VARCHAR), '') AS {_NUMERIC.get(c, 'VARCHAR')})"
        for c in HIT_COLUMNS
    ]
    return f"INSERT INTO hits SELECT run_id, {', '.join(columns)}, data FROM new_hits"


def load_hit_data(
    con: duckdb.DuckDBPyConnection, run_id: str, hit_ids: Sequence[str] | None = None
) -> dict[str, dict[str, Any]]:
    """The full JSON form of every hit of a run (as in hits.jsonl), by hit id; only of
    ``hit_ids`` when given (a page of a run with 50,000 hits reads 50, not all)."""
    shared = dict(
        con.execute(
            "SELECT key, designations FROM hit_designations WHERE run_id = ?", [run_id]
        ).fetchall()
    )
    sql = "SELECT hit_id, data FROM hits WHERE run_id = ?"
    params: list[object] = [run_id]
    if hit_ids is not None:
        sql += " AND list_contains(?, hit_id)"
        params.append(list(hit_ids))
    out: dict[str, dict[str, Any]] = {}
    for hit_id, raw in con.execute(sql, params).fetchall():
        data: dict[str, Any] = json.loads(raw or "{}")
        key = data.pop("designations_key", None)
        if key is not None:
            data["designations"] = json.loads(shared.get(key, "[]"))
        out[str(hit_id)] = data
    return out


def save_run(path: Path, result: RunResult, out_dir: Path) -> None:
    """Record ``result`` (its outputs go to ``out_dir``) in the store at ``path``, and mark its
    attempt complete (:mod:`procurewatch.store.attempts`); call it before publishing the outputs."""
    summary = result.summary()
    with open_store(path) as store, store.transaction() as con:
        con.execute(
            "INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                result.run_id,
                result.started_at,
                result.finished_at,
                result.engine,
                str(out_dir.resolve()),
                summary["records"],
                summary["flagged_records"],
                summary["rejected_rows"],
                summary["hits"],
                json.dumps(list(result.lists)),
                json.dumps(result.parameters, default=str),
                json.dumps(summary, default=str),
            ],
        )
        for item in result.inputs:
            con.execute(
                "INSERT INTO run_inputs VALUES (?, ?, ?, ?, ?, ?)",
                [
                    result.run_id,
                    item.path,
                    item.format,
                    item.fingerprint,
                    item.records,
                    len(item.rejects),
                ],
            )
        hits = result.hits
        designations = _Designations()
        for start in range(0, len(hits), CHUNK):
            chunk = _hits_table(result.run_id, hits[start : start + CHUNK], designations)
            con.register("new_hits", chunk)
            con.execute(_insert_hits_sql())
            con.unregister("new_hits")
        shared = designations.rows(result.run_id)
        if shared:  # executemany refuses an empty list
            con.executemany("INSERT INTO hit_designations VALUES (?, ?, ?)", shared)
        save_set_aside(con, result.run_id, result.set_aside)
        mark_complete(con, result.run_id)


SET_ASIDE_INSERT = "INSERT INTO set_aside VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"


def save_set_aside(con: duckdb.DuckDBPyConnection, run_id: str, mentions: Sequence[Hit]) -> None:
    """Record a run's set-aside mentions (in the caller's transaction): a reviewer can confirm
    one into a hit (:func:`procurewatch.store.set_aside.restore`)."""
    rows = [_set_aside_values(run_id, hit) for hit in mentions]
    if rows:  # executemany refuses an empty list
        con.executemany(SET_ASIDE_INSERT, rows)


def _set_aside_values(run_id: str, hit: Hit) -> list[Any]:
    row = set_aside_row(hit)
    return [
        run_id, row["hit_id"], row["source_file"], row["row"], row["field"], row["matched_text"],
        row["entity_id"], row["entity_name"], row["reason"], row["text"],
        json.dumps(hit.json_dict(), default=str),
    ]  # fmt: skip


def list_runs(path: Path) -> list[dict[str, Any]]:
    """Every complete run in the store, newest first, with the input files it screened
    (``inputs``)."""
    if not path.is_file():
        return []
    with open_store(path, read_only=True) as store:
        rows = store.con.execute(
            f"SELECT {', '.join(RUN_FIELDS)}, summary FROM runs ORDER BY started_at DESC"
        ).fetchall()
    return [
        {**dict(zip(RUN_FIELDS, row[:-1], strict=True)), "inputs": input_paths(row[-1])}
        for row in rows
    ]


def input_paths(summary_text: str | None) -> list[str]:
    """The input files a run's ``summary.json`` names (none when it is unreadable)."""
    try:
        summary = json.loads(summary_text or "{}")
    except json.JSONDecodeError:
        return []
    inputs = summary.get("inputs") if isinstance(summary, dict) else None
    return [str(i["path"]) for i in inputs or [] if isinstance(i, dict) and i.get("path")]


def list_unfinished(path: Path) -> list[dict[str, Any]]:
    """Runs that started but are not complete: ``running``, ``killed`` or ``failed``."""
    if not path.is_file():
        return []
    with open_store(path, read_only=True) as store:
        return unfinished_runs(store.con)


def get_run(path: Path, run_id: str) -> dict[str, Any]:
    """One run's summary, or StoreError naming the known runs."""
    with open_store(path, read_only=True) as store:
        row = store.con.execute("SELECT summary FROM runs WHERE run_id = ?", [run_id]).fetchone()
    if row is None:
        raise StoreError(f"no run {run_id!r} in {path}; list the runs with `procurewatch runs`")
    data: dict[str, Any] = json.loads(row[0])
    return data
