"""Reading review data from the store: runs, their hits, decisions and dismiss rules."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb

from procurewatch.errors import StoreError
from procurewatch.review.model import Decision, DismissRule, HitRef
from procurewatch.screen.hits import HIT_COLUMNS
from procurewatch.store.db import Store, open_store

RULE_FIELDS = (
    "rule_id",
    "entity_id",
    "matched_text",
    "vendor",
    "field",
    "reason",
    "reviewer",
    "created_at",
    "active",
    "matched_text_raw",
    "vendor_raw",
    "hit_id",
    "run_id",
)
DECISION_FIELDS = (
    "decision_id",
    "hit_id",
    "run_id",
    "decision",
    "reason",
    "reviewer",
    "decided_at",
    "list_versions",
)
HIT_FIELDS = tuple(c for c in HIT_COLUMNS if c not in ("via", "lead"))
"""The hit columns ``review list`` shows."""


def reader(path: Path) -> Store:
    """Open the store read-only, first bringing an older store's schema up to date."""
    if not path.is_file():
        raise StoreError(f"no store at {path}; screen something first (procurewatch screen ...)")
    try:
        return open_store(path, read_only=True)
    except StoreError as exc:
        if "older schema" not in str(exc):
            raise
    open_store(path).close()
    return open_store(path, read_only=True)


def resolve_run(con: duckdb.DuckDBPyConnection, run: str, path: Path) -> str:
    """The run id for ``run``: a run id, or ``latest`` (latest start; of equals, the last saved)."""
    if run == "latest":
        row = con.execute(
            "SELECT run_id FROM runs ORDER BY started_at DESC, rowid DESC LIMIT 1"
        ).fetchone()
        if row is None:
            raise StoreError(f"no runs in {path}; screen something first (procurewatch screen ...)")
        return str(row[0])
    if con.execute("SELECT 1 FROM runs WHERE run_id = ?", [run]).fetchone() is None:
        raise StoreError(f"no run {run!r} in {path}; list the runs with `procurewatch runs`")
    return run


def run_list_versions(con: duckdb.DuckDBPyConnection, run_id: str) -> tuple[str, ...]:
    """The list versions the run screened against."""
    row = con.execute("SELECT lists_json FROM runs WHERE run_id = ?", [run_id]).fetchone()
    return tuple(json.loads(row[0])) if row else ()


def hit_ref(con: duckdb.DuckDBPyConnection, run_id: str, hit_id: str) -> HitRef:
    """One hit of one run, or a StoreError saying how to find the right id."""
    row = con.execute(
        "SELECT hit_id, entity_id, matched_text, field, vendor FROM hits "
        "WHERE run_id = ? AND hit_id = ?",
        [run_id, hit_id],
    ).fetchone()
    if row is None:  # a mention the context rules set aside
        row = con.execute(
            "SELECT hit_id, entity_id, matched_text, field, NULL FROM set_aside "
            "WHERE run_id = ? AND hit_id = ?",
            [run_id, hit_id],
        ).fetchone()
    if row is None:
        raise StoreError(
            f"no hit {hit_id!r} in run {run_id}; list its hits with "
            f"`procurewatch review list {run_id}`"
        )
    return HitRef(row[0], row[1] or "", row[2] or "", row[3] or "", row[4])


def run_hits(con: duckdb.DuckDBPyConnection, run_id: str) -> list[dict[str, Any]]:
    """The hits of a run (the columns of :data:`HIT_FIELDS`), in source and row order."""
    rows = con.execute(
        f"SELECT {', '.join(_quote(f) for f in HIT_FIELDS)} FROM hits WHERE run_id = ? "
        'ORDER BY source_file, "row", hit_id',
        [run_id],
    ).fetchall()
    return [dict(zip(HIT_FIELDS, r, strict=True)) for r in rows]


def _quote(name: str) -> str:
    return f'"{name}"'


def decisions(con: duckdb.DuckDBPyConnection, hit_id: str | None = None) -> list[Decision]:
    """Every decision (or those on ``hit_id``), oldest first."""
    where, params = ("WHERE hit_id = ?", [hit_id]) if hit_id else ("", [])
    rows = con.execute(
        f"SELECT {', '.join(DECISION_FIELDS)} FROM decisions {where} "
        "ORDER BY decided_at, decision_id",
        params,
    ).fetchall()
    return [
        Decision(int(r[0]), r[1], r[2], r[3], r[4], r[5], r[6], tuple(json.loads(r[7])))
        for r in rows
    ]


def rules(con: duckdb.DuckDBPyConnection, rule_id: int | None = None) -> list[DismissRule]:
    """Every dismiss rule (or the one with ``rule_id``), by id."""
    where, params = ("WHERE rule_id = ?", [rule_id]) if rule_id is not None else ("", [])
    rows = con.execute(
        f"SELECT {', '.join(RULE_FIELDS)} FROM dismiss_rules {where} ORDER BY rule_id", params
    ).fetchall()
    return [
        DismissRule(
            int(r[0]),
            r[1],
            r[2],
            r[3],
            r[4],
            r[5],
            r[6],
            r[7],
            bool(r[8]),
            r[9],
            r[10],
            r[11],
            r[12],
        )
        for r in rows
    ]
