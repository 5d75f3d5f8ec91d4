"""The report's list of mentions the context rules set aside (``DIR/set_aside.csv``), and the
ones a reviewer confirmed back into hits (kept in the store's ``set_aside`` table)."""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from procurewatch.review import store as rs
from procurewatch.review.decisions import status_of
from procurewatch.review.model import CONFIRMED, HitRef
from procurewatch.screen.hits import SET_ASIDE_COLUMNS
from procurewatch.store.set_aside import restored_hit

SET_ASIDE_FILE = "set_aside.csv"


@dataclass(frozen=True, slots=True)
class SetAside:
    """The set-aside mentions of a run and the review status of each."""

    rows: list[dict[str, str]]
    """``set_aside.csv`` rows, each with a ``status`` (``pending`` or ``confirmed``)."""
    restored: list[dict[str, Any]]
    """Full hit dicts (``hits.jsonl`` form) of the mentions a reviewer confirmed."""

    @property
    def open_rows(self) -> list[dict[str, str]]:
        """The mentions still set aside (not confirmed into hits)."""
        return [r for r in self.rows if r["status"] != CONFIRMED]


def read_set_aside(out_dir: Path) -> list[dict[str, str]]:
    """The rows of ``DIR/set_aside.csv`` (none when the file is absent)."""
    path = out_dir / SET_ASIDE_FILE
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        return [{k: row.get(k) or "" for k in SET_ASIDE_COLUMNS} for row in csv.DictReader(fh)]


def load_set_aside(out_dir: Path, store: Path | None, run_id: str) -> SetAside:
    """The run's set-aside list with review statuses; confirmed mentions as hit dicts."""
    rows = read_set_aside(out_dir)
    refs = [HitRef(r["hit_id"], r["entity_id"], r["matched_text"], r["field"], None) for r in rows]
    statuses = status_of(store, refs) if rows else {}
    for row in rows:
        found = statuses.get(row["hit_id"])
        row["status"] = found.status if found is not None else "pending"
    confirmed = [r for r in rows if r["status"] == CONFIRMED]
    return SetAside(rows, _restored(store, run_id, confirmed))


def _restored(
    store: Path | None, run_id: str, confirmed: Sequence[dict[str, str]]
) -> list[dict[str, Any]]:
    if store is None or not store.is_file() or not confirmed:
        return []
    ids = [r["hit_id"] for r in confirmed]
    with rs.reader(store) as db:
        found = db.con.execute(
            "SELECT data, reason FROM set_aside WHERE run_id = ? AND list_contains(?, hit_id)",
            [run_id, ids],
        ).fetchall()
    return [restored_hit(json.loads(data), str(reason)).json_dict() for data, reason in found]
