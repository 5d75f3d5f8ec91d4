"""Screen a stored run's inputs again, against other list versions, and tell what changed.

The inputs are the files the run read (``run_inputs``): each must still be there with the same
fingerprint, or the hit ids (which hash the file's fingerprint) would not line up and the
comparison would mean nothing. The mapping, batch size and default currency are the run's. The
new run is recorded like any other; hits are compared by hit id: *new* (only in the new run),
*vanished* (only in the old one) and *kept*. Review decisions are keyed by hit id, so a kept
hit keeps its status, and a new hit may already be dismissed by a rule.

A list may give an entity a new id (the 2025 CSL layout did): the same evidence (file, row,
field, rule, matched text) pointing at an entity of the same normalized name then yields a new
hit id. Such a new hit is shown with the vanished hit it replaces (``previous``) and that hit's
status; the decision itself does not move, an analyst confirms the new hit.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from procurewatch.errors import InputError, StoreError
from procurewatch.model import Watchlist
from procurewatch.review.model import HitRef, HitStatus
from procurewatch.screen.engines.local import Progress, fingerprint
from procurewatch.screen.hits import Hit
from procurewatch.screen.run import RunResult, run_screen

HIT_FIELDS = ("hit_id", "source_file", "row", "field", "matched_text", "rule", "entity_id",
              "entity_name", "vendor", "in_force")  # fmt: skip
"""The columns of a stored hit that the comparison shows."""


@dataclass(frozen=True, slots=True)
class StoredInput:
    """One input file of a stored run."""

    path: str
    format: str
    fingerprint: str


@dataclass(frozen=True)
class StoredRun:
    """What a rescreen needs of a stored run."""

    run_id: str
    out_dir: str
    lists: tuple[str, ...]
    parameters: dict[str, Any]
    inputs: tuple[StoredInput, ...]
    hits: tuple[dict[str, Any], ...]


@dataclass
class Rescreen:
    """A rescreen: the old run, the new one, and their hits compared by id."""

    previous: StoredRun
    result: RunResult
    new: list[Hit]
    vanished: list[dict[str, Any]]
    kept: list[Hit]
    statuses: dict[str, HitStatus] = field(default_factory=dict)
    previous_of: dict[str, dict[str, Any]] = field(default_factory=dict)
    """New hit id -> the vanished hit with the same evidence and entity name (id changed)."""

    def status(self, hit_id: str) -> str:
        """``pending``, ``confirmed``, ``dismissed`` or ``dismissed (rule N)``."""
        found = self.statuses.get(hit_id)
        return found.label if found else "pending"

    def kept_by_status(self) -> dict[str, int]:
        """How many kept hits have each status."""
        return dict(Counter(self.statuses[h.hit_id].status for h in self.kept
                            if h.hit_id in self.statuses).most_common())  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form (``--json``)."""
        reviewed = [h for h in self.kept if self.status(h.hit_id) != "pending"]
        return {
            "run_id": self.result.run_id,
            "rescreen_of": self.previous.run_id,
            "lists_before": list(self.previous.lists),
            "lists_after": list(self.result.lists),
            "counts": {
                "hits_before": len(self.previous.hits),
                "hits_after": len(self.result.hits),
                "new": len(self.new),
                "vanished": len(self.vanished),
                "kept": len(self.kept),
                "kept_by_status": self.kept_by_status(),
            },
            "new": [self._hit(hit_row(h)) for h in self.new],
            "vanished": [self._hit(h) for h in self.vanished],
            "kept_reviewed": [self._hit(hit_row(h)) for h in reviewed],
        }

    def _hit(self, row: dict[str, Any]) -> dict[str, Any]:
        out = {**row, "review": self._review(row["hit_id"])}
        earlier = self.previous_of.get(row["hit_id"])
        if earlier is not None:
            out["previous"] = {"hit_id": earlier["hit_id"], "entity_id": earlier["entity_id"],
                               "review": self._review(earlier["hit_id"])}  # fmt: skip
        return out

    def _review(self, hit_id: str) -> dict[str, Any]:
        found = self.statuses.get(hit_id)
        return found.to_dict() if found else {"status": "pending", "label": "pending"}


def hit_row(hit: Hit) -> dict[str, Any]:
    """The compared fields of a hit."""
    return {name: getattr(hit, name) for name in HIT_FIELDS}


def load_run(store_path: Path, run: str) -> StoredRun:
    """The run ``run`` (an id or ``latest``) with its inputs and hits, from the store."""
    from procurewatch.review import store as review_store

    with review_store.reader(store_path) as store:
        con = store.con
        run_id = review_store.resolve_run(con, run, store_path)
        row = con.execute(
            "SELECT out_dir, lists_json, parameters_json FROM runs WHERE run_id = ?", [run_id]
        ).fetchone()
        if row is None:  # resolve_run found it: only a concurrent change gets here
            raise StoreError(f"run {run_id} vanished from {store_path}")
        inputs = con.execute(
            "SELECT path, format, fingerprint FROM run_inputs WHERE run_id = ? ORDER BY rowid",
            [run_id],
        ).fetchall()
        names = ", ".join(f'"{name}"' for name in HIT_FIELDS)
        hits = con.execute(
            f'SELECT {names} FROM hits WHERE run_id = ? ORDER BY source_file, "row", hit_id',
            [run_id],
        ).fetchall()
    return StoredRun(
        run_id=run_id,
        out_dir=row[0],
        lists=tuple(json.loads(row[1])),
        parameters=json.loads(row[2]),
        inputs=tuple(StoredInput(*item) for item in inputs),
        hits=tuple(dict(zip(HIT_FIELDS, hit, strict=True)) for hit in hits),
    )


def check_inputs(run: StoredRun) -> list[Path]:
    """The run's input files, each checked to be there and unchanged; else an InputError."""
    if not run.inputs:
        raise InputError(f"run {run.run_id} has no recorded input files; screen them again")
    paths = []
    for item in run.inputs:
        path = Path(item.path)
        if not path.is_file():
            hint = "" if path.is_absolute() else f" (a relative path: from {Path.cwd()})"
            raise InputError(
                f"an input of run {run.run_id} is gone{hint}; put the file back, or run "
                "rescreen from the folder the run was screened in",
                path=item.path,
            )
        if fingerprint(path) != item.fingerprint:
            raise InputError(
                f"the file changed since run {run.run_id} read it (its fingerprint differs), so "
                "its hits cannot be compared; screen it as a new run with procurewatch screen",
                path=item.path,
            )
        paths.append(path)
    return paths


def watchlist_for(store_path: Path, versions: Sequence[str] | None) -> Watchlist:
    """The bundled watchlist plus ``versions`` (``bundled`` may be named; None: the newest)."""
    from procurewatch.watchlist.assemble import load_watchlist
    from procurewatch.watchlist.bundled import load_bundled

    if versions is None:
        return load_watchlist(store_path)
    imported = [v for v in versions if v != "bundled"]
    return load_watchlist(store_path, imported) if imported else load_bundled()


def compare_hits(
    old: Sequence[dict[str, Any]], new: Sequence[Hit]
) -> tuple[list[Hit], list[dict[str, Any]], list[Hit]]:
    """(new, vanished, kept) by hit id, each in its run's order."""
    old_ids = {h["hit_id"] for h in old}
    new_ids = {h.hit_id for h in new}
    return (
        [h for h in new if h.hit_id not in old_ids],
        [h for h in old if h["hit_id"] not in new_ids],
        [h for h in new if h.hit_id in old_ids],
    )


def _evidence(hit: dict[str, Any]) -> tuple[str, ...]:
    from procurewatch.watchlist.diff import name_key

    fields = ("source_file", "row", "field", "rule", "matched_text")
    return (*(str(hit[f]) for f in fields), name_key(str(hit["entity_name"] or "")))


def pair_reidentified(
    new: Sequence[Hit], vanished: Sequence[dict[str, Any]]
) -> dict[str, dict[str, Any]]:
    """New hit id -> the vanished hit with the same evidence and entity name, where one only."""
    gone: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for old in vanished:
        gone.setdefault(_evidence(old), []).append(old)
    pairs: dict[str, dict[str, Any]] = {}
    for hit in new:
        found = gone.get(_evidence(hit_row(hit)), [])
        if len(found) == 1:
            pairs[hit.hit_id] = found[0]
    return pairs


def rescreen(
    store_path: Path,
    previous: StoredRun,
    watchlist: Watchlist,
    progress: Progress | None = None,
) -> Rescreen:
    """Screen ``previous``'s inputs against ``watchlist`` and compare the hits (nothing is
    written: the caller publishes the outputs and records the run)."""
    paths = check_inputs(previous)
    params = previous.parameters
    result = run_screen(
        paths,
        watchlist,
        mapping=params.get("mapping") or None,
        batch_size=int(params.get("batch_size") or 65536),
        progress=progress,
        default_currency=params.get("default_currency"),
    )
    for item, stored in zip(result.inputs, previous.inputs, strict=True):
        if item.fingerprint != stored.fingerprint:
            raise InputError(
                f"the file changed while it was read; run rescreen {previous.run_id} again",
                path=stored.path,
            )
    result.parameters["rescreen_of"] = previous.run_id
    new, vanished, kept = compare_hits(previous.hits, result.hits)
    done = Rescreen(previous, result, new, vanished, kept)
    done.previous_of = pair_reidentified(new, vanished)
    return done


def review_statuses(store_path: Path, done: Rescreen) -> None:
    """Fill ``done.statuses`` for the new, vanished and kept hits from the store's decisions."""
    from procurewatch.review.decisions import status_of

    refs = [
        HitRef(h["hit_id"], h["entity_id"] or "", h["matched_text"] or "", h["field"] or "",
               h["vendor"])
        for h in done.vanished
    ]  # fmt: skip
    done.statuses = status_of(store_path, [*done.new, *done.kept, *refs])
