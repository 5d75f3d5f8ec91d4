"""Mentions the context rules set aside, kept in the store so that a reviewer can turn one back
into a hit (``review confirm RUN HIT_ID``)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import duckdb

from procurewatch.screen.hits import Hit, hit_from_json
from procurewatch.store.db import open_store
from procurewatch.store.runs import _Designations, _hits_table, _insert_hits_sql


def set_aside_mentions(con: duckdb.DuckDBPyConnection, run_id: str) -> list[dict[str, Any]]:
    """A run's mentions still set aside (not confirmed into hits), in source and row order."""
    cursor = con.execute(
        'SELECT hit_id, source_file, "row", field, matched_text, entity_id, entity_name, reason, '
        "text FROM set_aside s WHERE run_id = ? AND NOT EXISTS (SELECT 1 FROM hits h "
        "WHERE h.run_id = s.run_id AND h.hit_id = s.hit_id) "
        'ORDER BY source_file, "row", hit_id',
        [run_id],
    )
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]


def open_mentions(path: Path, run_id: str) -> list[dict[str, Any]]:
    """:func:`set_aside_mentions` of a run, read from the store at ``path``."""
    if not path.is_file():
        return []
    with open_store(path, read_only=True) as store:
        return set_aside_mentions(store.con, run_id)


def restore(con: duckdb.DuckDBPyConnection, run_id: str, hit_id: str) -> Hit | None:
    """Make the set-aside mention ``hit_id`` of ``run_id`` a hit of the run (in the caller's
    transaction); None when it is not a set-aside mention or is already a hit."""
    row = con.execute(
        "SELECT data, reason FROM set_aside WHERE run_id = ? AND hit_id = ?", [run_id, hit_id]
    ).fetchone()
    known = con.execute(
        "SELECT 1 FROM hits WHERE run_id = ? AND hit_id = ?", [run_id, hit_id]
    ).fetchone()
    if row is None or known is not None:
        return None
    hit = restored_hit(json.loads(row[0]), str(row[1]))
    designations = _Designations()
    con.register("new_hits", _hits_table(run_id, [hit], designations))
    con.execute(_insert_hits_sql())
    con.unregister("new_hits")
    shared = designations.rows(run_id)
    if shared:
        con.executemany("INSERT OR IGNORE INTO hit_designations VALUES (?, ?, ?)", shared)
    return hit


def restored_hit(data: dict[str, Any], reason: str) -> Hit:
    """The hit a reviewer confirmed out of the set-aside list: its explanation says so."""
    hit = hit_from_json(data)
    note = f"set aside ({reason}); confirmed as a hit by a reviewer"
    return dataclasses.replace(hit, set_aside="", explanation=f"{hit.explanation}; {note}")
