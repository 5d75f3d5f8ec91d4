"""What one running service holds: its configuration, the store lock and the compiled matcher.

The store is opened per request (never held open between requests), so the command line can
use the same store file while the service runs. Calls into the library that open the store go
through :meth:`ServiceState.read` or :meth:`ServiceState.write`, which hold the
:class:`~procurewatch.web.locks.RWLock` and retry for a moment when another process holds the
file. The watchlist and its matcher are compiled once and recompiled when the store's list
versions change (checked at most every :data:`LIST_CHECK_SECONDS`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import ParamSpec, TypeVar

from procurewatch.errors import StoreError
from procurewatch.match.matcher import Matcher
from procurewatch.model import Watchlist
from procurewatch.store.db import open_store
from procurewatch.store.lists import latest_versions
from procurewatch.watchlist.assemble import load_watchlist
from procurewatch.web.jobs import JobQueue
from procurewatch.web.locks import RWLock

MiB = 1024 * 1024
LIST_CHECK_SECONDS = 10.0
"""How often (at most) the service looks for newly imported list versions."""
BUSY_RETRY_SECONDS = 3.0
"""How long a request waits for a store file held by another process before giving up."""

P = ParamSpec("P")
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class WebConfig:
    """How the service was started."""

    store_path: Path
    data_dir: Path
    token: str
    read_token: str | None = None
    max_upload_bytes: int = 200 * MiB
    max_body_bytes: int = 2 * MiB
    """Limit of every request body except uploads (JSON batches, forms)."""
    workers: int = 1
    """Screening jobs run at the same time."""
    allowed_hosts: tuple[str, ...] = ()
    """Host header values accepted (empty: any), against DNS rebinding on a loopback bind."""
    keep_uploads_days: float = 30.0
    """Days the uploads of a completed job are kept (for re-screens); see web.retention."""


def _busy(exc: StoreError) -> bool:
    return "in use by another" in str(exc)


class ServiceState:
    """Shared by every request of one app."""

    def __init__(self, config: WebConfig) -> None:
        self.config = config
        self.lock = RWLock()
        self._compile_lock = threading.Lock()
        self._matcher: Matcher | None = None
        self._versions: tuple[str, ...] | None = None
        self._checked = 0.0
        self.jobs = JobQueue(self, config.workers)

    @property
    def store_path(self) -> Path:
        """The store file."""
        return self.config.store_path

    def _retry(
        self,
        hold: Callable[[], AbstractContextManager[None]],
        fn: Callable[P, T],
        *a: P.args,
        **k: P.kwargs,
    ) -> T:
        deadline = time.monotonic() + BUSY_RETRY_SECONDS
        while True:
            try:
                with hold():
                    return fn(*a, **k)
            except StoreError as exc:
                if not _busy(exc) or time.monotonic() > deadline:
                    raise
            time.sleep(0.1)

    def read(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """``fn(*args, **kwargs)`` holding the store lock shared (for read-only opens)."""
        return self._retry(self.lock.read, fn, *args, **kwargs)

    def write(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """``fn(*args, **kwargs)`` holding the store lock exclusively (for read-write opens)."""
        return self._retry(self.lock.write, fn, *args, **kwargs)

    def ensure_store(self) -> None:
        """Create the store (or bring its schema up to date) so that reads always find one."""
        self.write(lambda: open_store(self.store_path).close())

    def _list_versions(self) -> tuple[str, ...]:
        if not self.store_path.is_file():
            return ()
        with open_store(self.store_path, read_only=True) as store:
            return tuple(v.id for v in latest_versions(store))

    def matcher(self) -> Matcher:
        """The matcher over the bundled watchlist plus the newest imported list versions."""
        now = time.monotonic()
        current = self._matcher
        if current is not None and now - self._checked < LIST_CHECK_SECONDS:
            return current
        with self._compile_lock:
            if self._matcher is not None and time.monotonic() - self._checked < LIST_CHECK_SECONDS:
                return self._matcher
            versions = self.read(self._list_versions)
            if self._matcher is None or versions != self._versions:
                watchlist = self.read(load_watchlist, self.store_path)
                self._matcher = Matcher.compile(watchlist)
                self._versions = versions
            self._checked = time.monotonic()
            return self._matcher

    def watchlist(self) -> Watchlist:
        """The watchlist the matcher was compiled from."""
        return self.matcher().watchlist
