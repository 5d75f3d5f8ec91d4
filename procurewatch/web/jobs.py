"""Screening jobs: uploaded files screened by background worker threads, one run per job.

A job is ``queued`` until a worker takes it, then ``running``, then ``done`` (its ``run_id``
names the run recorded in the store) or ``failed`` (``error`` is the one-line reason). Jobs live
in memory: after a restart the runs stay in the store but the job ids are forgotten.
"""

from __future__ import annotations

import logging
import queue
import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from procurewatch.errors import ProcurewatchError
from procurewatch.report.html import write_report
from procurewatch.screen.publish import publish_outputs
from procurewatch.screen.run import new_run_id
from procurewatch.store.attempts import begin_run, mark_failed
from procurewatch.store.runs import save_run
from procurewatch.web.job_process import JobProcesses
from procurewatch.web.paths import scrub
from procurewatch.web.retention import sweep

if TYPE_CHECKING:
    from procurewatch.web.state import ServiceState

log = logging.getLogger("procurewatch.web")

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
KEEP_JOBS = 1000
"""Jobs remembered; older ones are forgotten (their runs stay in the store)."""
SUMMARY_KEYS = ("records", "flagged_records", "rejected_rows", "hits", "hits_in_force")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def new_job_id() -> str:
    """``job-`` and 16 random hex digits."""
    return f"job-{secrets.token_hex(8)}"


@dataclass
class Job:
    """One screening request and what became of it."""

    job_id: str
    inputs: list[Path]
    out_dir: Path
    files: list[str]
    mapping: dict[str, str] = field(default_factory=dict)
    currency: str | None = None
    sheet: str | None = None
    """``--sheet`` of a workbook upload (a name, a number from 1, or ``all``)."""
    status: str = QUEUED
    created_at: str = field(default_factory=_now)
    started_at: str | None = None
    finished_at: str | None = None
    run_id: str | None = None
    error: str | None = None
    warning: str | None = None
    summary: dict[str, Any] | None = None
    finished: threading.Event = field(default_factory=threading.Event, repr=False, compare=False)
    """Set once the job is done or failed: something to wait on instead of polling."""

    def public(self) -> dict[str, Any]:
        """What the API shows (no server paths)."""
        return {
            "job_id": self.job_id,
            "status": self.status,
            "run_id": self.run_id,
            "error": scrub(self.error) if self.error else None,
            "warning": scrub(self.warning) if self.warning else None,
            "files": list(self.files),
            "created_at": self.created_at,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "summary": self.summary,
        }


def _one_line(exc: BaseException) -> str:
    if isinstance(exc, ProcurewatchError):
        return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    text = str(exc).splitlines()[0] if str(exc) else ""
    return (
        f"unexpected error ({type(exc).__name__}{': ' + text if text else ''}); see the server log"
    )


def screen_job(state: ServiceState, job: Job) -> None:
    """Record the run as running, screen the job's files, save the run, then write the outputs
    and the report (outputs appear only once the store records their run)."""
    watchlist = state.watchlist()
    run_id = new_run_id(datetime.now(UTC))
    state.write(begin_run, state.store_path, run_id, job.out_dir, "service")
    try:
        result = state.jobs.processes.screen(
            job.inputs, watchlist, job.mapping, job.currency, job.sheet
        )
        result.run_id = run_id
        state.write(save_run, state.store_path, result, job.out_dir)
    except Exception as exc:
        state.write(mark_failed, state.store_path, run_id, _one_line(exc))
        raise
    publish_outputs(job.out_dir, result)
    job.run_id = result.run_id
    summary = result.summary()
    job.summary = {k: summary[k] for k in SUMMARY_KEYS}
    try:
        state.read(write_report, job.out_dir, store=state.store_path)
    except Exception as exc:  # the run is recorded; the report can be made again later
        log.exception("report of %s failed", result.run_id)
        job.warning = f"the report could not be written: {_one_line(exc)}"


class JobQueue:
    """Jobs by id, and the worker threads that run them in order."""

    def __init__(self, state: ServiceState, workers: int = 1) -> None:
        self._state = state
        self._workers = max(1, workers)
        self._queue: queue.Queue[Job | None] = queue.Queue()
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self.processes = JobProcesses(self._workers)

    def submit(self, job: Job) -> Job:
        """Queue ``job``; start the workers on first use."""
        with self._lock:
            self._jobs[job.job_id] = job
            while len(self._jobs) > KEEP_JOBS:
                self._jobs.popitem(last=False)
            while len(self._threads) < self._workers:
                thread = threading.Thread(
                    target=self._work, name=f"procurewatch-screen-{len(self._threads)}", daemon=True
                )
                thread.start()
                self._threads.append(thread)
        self._queue.put(job)
        return job

    def get(self, job_id: str) -> Job | None:
        """The job with this id, if remembered."""
        with self._lock:
            return self._jobs.get(job_id)

    def recent(self, limit: int = 20) -> list[Job]:
        """The newest jobs first."""
        with self._lock:
            return list(reversed(self._jobs.values()))[:limit]

    def close(self, timeout: float = 5.0) -> None:
        """Stop the workers after the job each is running (queued jobs are dropped)."""
        with self._lock:
            threads, self._threads = self._threads, []
        while True:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                break
        for _ in threads:
            self._queue.put(None)
        for thread in threads:
            thread.join(timeout)
        self.processes.close()

    def _work(self) -> None:
        while True:
            job = self._queue.get()
            if job is None:
                return
            self._run(job)

    def _run(self, job: Job) -> None:
        job.status, job.started_at = RUNNING, _now()
        error, status = None, DONE
        try:
            screen_job(self._state, job)
        except Exception as exc:
            if not isinstance(exc, ProcurewatchError):
                log.exception("screening job %s failed", job.job_id)
            error, status = _one_line(exc), FAILED
        try:
            self.tidy(ended=job.job_id)  # before the job is seen finished
        finally:
            job.finished_at, job.error = _now(), error
            job.status = status
            job.finished.set()

    def tidy(self, ended: str | None = None) -> None:
        """Remove uploads and staging no longer needed (:mod:`procurewatch.web.retention`);
        ``ended``: a job that has just ended (its files are no longer in use)."""
        with self._lock:
            active = {j.job_id for j in self._jobs.values() if j.status in (QUEUED, RUNNING)}
        active.discard(ended or "")
        config = self._state.config
        sweep(config.data_dir, config.keep_uploads_days, active)
