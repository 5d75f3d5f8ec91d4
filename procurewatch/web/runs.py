"""Runs as the service shows them: their output files, an up-to-date report, review decisions."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi import HTTPException

from procurewatch.report.html import write_report
from procurewatch.review import HitStatus, confirm, dismiss
from procurewatch.screen.publish import folder_run_id
from procurewatch.store.db import open_store
from procurewatch.web.models_runs import DecisionIn
from procurewatch.web.state import ServiceState

FILES = {
    "hits.csv": "text/csv; charset=utf-8",
    "hits.jsonl": "application/x-ndjson; charset=utf-8",
    "summary.json": "application/json",
    "report.html": "text/html; charset=utf-8",
    "rejects.csv": "text/csv; charset=utf-8",
}
"""The output files that can be downloaded, with their media types."""
REPORT_CSP = (
    "sandbox allow-scripts allow-popups; default-src 'none'; script-src 'unsafe-inline' "
    "'unsafe-eval'; style-src 'unsafe-inline'; img-src data: blob:; font-src data:"
)
"""The self-contained report runs its inline chart code in a sandbox without this origin."""


def _out_dir(store_path: Path, run: str) -> tuple[str, Path] | None:
    with open_store(store_path, read_only=True) as store:
        row = store.con.execute(
            "SELECT run_id, out_dir FROM runs WHERE run_id = ? OR (? = 'latest' AND run_id = "
            "(SELECT run_id FROM runs ORDER BY started_at DESC, rowid DESC LIMIT 1))",
            [run, run],
        ).fetchone()
    return (str(row[0]), Path(row[1])) if row else None


def _last_review(store_path: Path) -> datetime | None:
    with open_store(store_path, read_only=True) as store:
        row = store.con.execute('SELECT max("at") FROM audit_log').fetchone()
    value = row[0] if row else None
    return value.replace(tzinfo=UTC) if isinstance(value, datetime) else None


def run_folder(state: ServiceState, run: str) -> tuple[str, Path]:
    """``(run id, output folder)`` of run ``run`` (an id or ``latest``), or 404."""
    found = state.read(_out_dir, state.store_path, run)
    if found is None:
        raise HTTPException(404, f"no run {run!r}; list the runs with GET /runs")
    return found


def available_files(folder: Path) -> list[str]:
    """The downloadable files present in a run's folder (the report can always be made)."""
    present = [name for name in FILES if (folder / name).is_file()]
    if "report.html" not in present and (folder / "summary.json").is_file():
        present.append("report.html")
    return [name for name in FILES if name in present]


_building: dict[Path, threading.Lock] = {}
_building_guard = threading.Lock()


def _build_lock(folder: Path) -> threading.Lock:
    """One lock per run folder: a report is built by one request while the others wait."""
    with _building_guard:
        return _building.setdefault(folder, threading.Lock())


def _report_stale(state: ServiceState, path: Path) -> bool:
    """Missing, older than the run's ``summary.json`` (a newer run in the folder), or older
    than the latest review decision."""
    return _stale(path, lambda: state.read(_last_review, state.store_path))


def _stale(path: Path, last_review: Callable[[], datetime | None]) -> bool:
    if not path.is_file():
        return True
    made = os.stat(path).st_mtime
    summary = path.parent / "summary.json"
    if summary.is_file() and os.stat(summary).st_mtime > made:
        return True
    last = last_review()
    return last is not None and last >= datetime.fromtimestamp(made, UTC).replace(microsecond=0)


def _fresh_report(state: ServiceState, folder: Path, path: Path) -> None:
    """Build the report if it is stale; single-flight per folder, the file is the cache."""
    if not _report_stale(state, path):
        return
    with _build_lock(folder):
        if _report_stale(state, path):  # another request may have built it meanwhile
            _remake_report(state, folder, path)


def _remake_report(state: ServiceState, folder: Path, path: Path) -> None:
    def fresh() -> bool:  # a CLI `report` may have built it while this waited
        return not _stale(path, lambda: _last_review(state.store_path))  # the lock is held

    try:
        state.read(write_report, folder, store=state.store_path, unless=fresh)
    except OSError as exc:
        if not path.is_file():  # an older report is better than none
            raise HTTPException(
                409, f"cannot write the report in the run's folder: {exc.strerror or exc}"
            ) from None


def file_path(state: ServiceState, run_id: str, name: str) -> Path:
    """The path of an output file of a run; the report is (re)made when missing, older than
    the run's outputs or older than the latest review decision (by one request at a time). 404 for names outside :data:`FILES` and for missing files."""
    if name not in FILES:
        raise HTTPException(404, f"no file {name!r}; one of: {', '.join(FILES)}")
    run_id, folder = run_folder(state, run_id)
    folder = folder.resolve()
    path = (folder / name).resolve()
    if path.parent != folder:
        raise HTTPException(404, f"no file {name!r}")
    holder = folder_run_id(folder)
    if holder is not None and holder != run_id:
        raise HTTPException(
            404, f"the outputs of run {run_id} were replaced by run {holder} in the same folder"
        )
    if name == "report.html" and (folder / "summary.json").is_file():
        _fresh_report(state, folder, path)
    if not path.is_file():
        raise HTTPException(404, f"run {run_id} has no {name} in its output folder")
    return path


def decide_hit(state: ServiceState, hit_id: str, body: DecisionIn) -> dict[str, Any]:
    """Record a decision (and maybe a dismiss rule); the hit's review status after it."""
    rule = None
    if body.decision in ("confirm", "confirmed"):
        if body.rule:
            raise HTTPException(400, "a rule can only dismiss; send rule: false with confirm")
        decision = state.write(
            confirm,
            state.store_path,
            body.run_id,
            hit_id,
            reviewer=body.reviewer,
            reason=body.reason,
        )
    else:
        decision, rule = state.write(
            dismiss,
            state.store_path,
            body.run_id,
            hit_id,
            reviewer=body.reviewer,
            reason=body.reason,
            rule=body.rule,
            any_vendor=body.any_vendor,
        )
    status = HitStatus(hit_id, decision.decision, decision=decision)
    return {
        "decision": decision.to_dict(),
        "rule": rule.to_dict() if rule else None,
        "review": status.to_dict(),
    }
