"""The one place that reads environment variables and defaults.

``PROCUREWATCH_HOME``    folder of the default store (default ``~/.procurewatch``)
``PROCUREWATCH_STORE``   path of the DuckDB store file (default ``$PROCUREWATCH_HOME/store.duckdb``)
``PROCUREWATCH_THREADS`` DuckDB threads (default: all cores)
``PROCUREWATCH_MEMORY``  DuckDB memory limit (default ``256MB``)
``PROCUREWATCH_TOKEN``   the write token of ``procurewatch serve`` (default: generated at start)
``PROCUREWATCH_FAST_CSV`` ``0`` reads every CSV with the careful reader, never DuckDB's (default ``1``)
"""

from __future__ import annotations

import os
from pathlib import Path

MATCH_THRESHOLD = 0.80
"""Default score at or above which a name comparison counts as a match."""


def home() -> Path:
    """The procurewatch home folder."""
    return Path(os.environ.get("PROCUREWATCH_HOME", Path.home() / ".procurewatch"))


def store_path() -> Path:
    """Where the DuckDB store lives unless ``--store`` says otherwise."""
    explicit = os.environ.get("PROCUREWATCH_STORE")
    return Path(explicit) if explicit else home() / "store.duckdb"


def decisions_store(out_dir: Path, given: Path | None = None) -> Path | None:
    """The store with the review decisions of a screen's output folder, the same for every
    command that reads them (report, export, ...): ``--store``, else ``DIR/store.duckdb``,
    else the default store (:func:`store_path`); None when none of these exists."""
    if given is not None:
        return given
    local = out_dir / "store.duckdb"
    if local.is_file():
        return local
    default = store_path()
    return default if default.is_file() else None


def duckdb_threads() -> int:
    """DuckDB worker threads."""
    return int(os.environ.get("PROCUREWATCH_THREADS", str(os.cpu_count() or 1)))


def duckdb_memory() -> str:
    """DuckDB memory limit."""
    return os.environ.get("PROCUREWATCH_MEMORY", "256MB")


def fast_csv() -> bool:
    """Whether clean CSV files may be read by DuckDB's parallel parser."""
    return os.environ.get("PROCUREWATCH_FAST_CSV", "1") != "0"


def service_token() -> str | None:
    """The configured write token of the web service, if any."""
    return os.environ.get("PROCUREWATCH_TOKEN") or None


def store_wait() -> float:
    """Seconds a command waits for a store another process holds before giving up
    (``PROCUREWATCH_STORE_WAIT``, default 600)."""
    try:
        return max(0.0, float(os.environ.get("PROCUREWATCH_STORE_WAIT", "600")))
    except ValueError:
        return 600.0


def job_memory_mb() -> int:
    """Address-space cap in MiB of the service's screening processes
    (``PROCUREWATCH_JOB_MEMORY_MB``; 0, the default: no cap)."""
    try:
        return max(0, int(os.environ.get("PROCUREWATCH_JOB_MEMORY_MB", "0")))
    except ValueError:
        return 0
