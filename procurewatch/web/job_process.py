"""The service screens each job in a child process, so the memory a job takes goes back to the
system when it ends (a process per job: ``max_tasks_per_child=1``), and can be capped
(``PROCUREWATCH_JOB_MEMORY_MB``: a job over it fails, the service does not). A child dies with
the service. The store is written by the service itself, not by the child.
"""

from __future__ import annotations

import multiprocessing
import resource
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from procurewatch import settings
from procurewatch.errors import InputError
from procurewatch.model import Watchlist
from procurewatch.nopandas import skip_pandas_probe
from procurewatch.screen.engines.local import _die_with_parent
from procurewatch.screen.run import RunResult, run_screen


def _start(limit_mb: int) -> None:
    _die_with_parent()
    skip_pandas_probe()
    if limit_mb:
        limit = limit_mb << 20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _screen(
    inputs: list[Path],
    watchlist: Watchlist,
    mapping: dict[str, str],
    currency: str | None,
    sheet: str | None = None,
) -> RunResult:
    return run_screen(
        inputs, watchlist, mapping=mapping or None, default_currency=currency, sheet=sheet
    )


class JobProcesses:
    """A pool of one-job processes (started on first use)."""

    def __init__(self, workers: int) -> None:
        self._workers = max(1, workers)
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def _get(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(
                    max_workers=self._workers,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_start,
                    initargs=(settings.job_memory_mb(),),
                    max_tasks_per_child=1,
                )
            return self._pool

    def screen(
        self, inputs: list[Path], watchlist: Watchlist, mapping: dict[str, str],
        currency: str | None, sheet: str | None = None,
    ) -> RunResult:  # fmt: skip
        """Screen in a child process; its errors are raised here."""
        pool = self._get()
        try:
            return pool.submit(_screen, inputs, watchlist, mapping, currency, sheet).result()
        except BrokenProcessPool:
            with self._lock:
                if self._pool is pool:
                    self._pool = None
            raise InputError(
                "the screening process stopped (out of memory, or killed); split the files "
                "or ask the operator to raise PROCUREWATCH_JOB_MEMORY_MB"
            ) from None

    def close(self) -> None:
        """Stop the processes (a running job is abandoned)."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
