"""Run attempts: a run is in the store (as ``running``) before it screens and before any output
of it appears, ``complete`` in the same transaction that saves its hits, ``failed`` with its
reason when it stops on an error. A ``running`` attempt whose process is gone was killed.

So an output folder never holds a run the store does not know, and ``procurewatch runs`` shows
killed and failed runs beside the complete ones.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from procurewatch.store.db import open_store

RUNNING, COMPLETE, FAILED, KILLED = "running", "complete", "failed", "killed"
ATTEMPT_FIELDS = ("run_id", "command", "started_at", "out_dir", "status", "ended_at", "error")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True, slots=True)
class Attempt:
    """A run that has started: its id and where its outputs go."""

    run_id: str
    out_dir: Path
    command: str


def begin_run(store_path: Path, run_id: str, out_dir: Path, command: str) -> Attempt:
    """Record ``run_id`` as running (a short write: the store is free again at once)."""
    with open_store(store_path) as store, store.transaction() as con:
        con.execute(
            "INSERT INTO run_attempts VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL)",
            [run_id, command, _now(), str(out_dir.resolve()), socket.gethostname(),
             os.getpid(), RUNNING],
        )  # fmt: skip
    return Attempt(run_id, out_dir, command)


def mark_complete(con: duckdb.DuckDBPyConnection, run_id: str) -> None:
    """Within the transaction that saves the run: its attempt is complete."""
    con.execute(
        "UPDATE run_attempts SET status = ?, ended_at = ? WHERE run_id = ?",
        [COMPLETE, _now(), run_id],
    )


def mark_failed(store_path: Path, run_id: str, error: str) -> None:
    """Record why the attempt stopped (best effort: the error the user sees matters more)."""
    try:
        with open_store(store_path) as store, store.transaction() as con:
            con.execute(
                "UPDATE run_attempts SET status = ?, ended_at = ?, error = ? "
                "WHERE run_id = ? AND status = ?",
                [FAILED, _now(), error.splitlines()[0] if error else "", run_id, RUNNING],
            )
    except Exception:  # the original error is re-raised by the caller
        return


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def _status(status: str, host: str, pid: int) -> str:
    if status == RUNNING and host == socket.gethostname() and not _alive(pid):
        return KILLED
    return status


def unfinished_runs(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Attempts that are not complete (running, killed or failed), newest first."""
    rows = con.execute(
        "SELECT run_id, command, started_at, out_dir, status, ended_at, error, host, pid "
        "FROM run_attempts WHERE status <> ? ORDER BY started_at DESC",
        [COMPLETE],
    ).fetchall()
    out = []
    for row in rows:
        data = dict(zip(ATTEMPT_FIELDS, row[:7], strict=True))
        data["status"] = _status(str(row[4]), str(row[7]), int(row[8]))
        out.append(data)
    return out


@contextmanager
def recording(store_path: Path, run_id: str, out_dir: Path, command: str) -> Iterator[Attempt]:
    """Record the run as running for the block; an error in the block marks it failed."""
    attempt = begin_run(store_path, run_id, out_dir, command)
    try:
        yield attempt
    except Exception as exc:
        mark_failed(store_path, run_id, str(exc) or type(exc).__name__)
        raise
