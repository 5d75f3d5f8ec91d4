"""Take turns on one store file across processes: many readers or one writer, writers first.

DuckDB lets one process write a file, or any number read it, and refuses (it does not wait)
an open that conflicts. So every :func:`~procurewatch.store.db.open_store` first takes an
advisory lock on two files beside the store, ``<store>.lock`` and ``<store>.gate``:

* a reader passes the gate (held for an instant) and takes ``.lock`` shared;
* a writer takes the gate exclusively (so no new reader starts), waits for the readers to
  finish, takes ``.lock`` exclusively and then opens the gate again.

A waiting command says once what it waits for (and again every :data:`NOTICE_EVERY` seconds),
and gives up after ``PROCUREWATCH_STORE_WAIT`` seconds with a :class:`StoreError` naming the
process holding the store. ``flock`` locks belong to an open file, so threads of one process
(the service) take turns too; a lock is released by the kernel when its process dies.
"""

from __future__ import annotations

import fcntl
import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from procurewatch import settings
from procurewatch.errors import StoreError

POLL_SECONDS = 0.02
NOTICE_EVERY = 30.0
"""Seconds between two progress lines of a waiting command."""

_held = threading.local()


def _depth() -> int:
    return int(getattr(_held, "depth", 0))


def _notice(message: str) -> None:
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


def holders(lock_file: Path) -> list[int]:
    """The process ids holding a lock on ``lock_file`` (Linux ``/proc/locks``; else none known)."""
    try:
        inode = os.stat(lock_file).st_ino
        lines = Path("/proc/locks").read_text().splitlines()
    except OSError:
        return []
    found: list[int] = []
    for line in lines:
        parts = line.split()
        if len(parts) > 5 and parts[1] == "FLOCK" and parts[5].rsplit(":", 1)[-1] == str(inode):
            pid = int(parts[4]) if parts[4].isdigit() else 0
            if pid and pid != os.getpid() and pid not in found:
                found.append(pid)
    return found


def describe(pid: int) -> str:
    """``pid 123 (procurewatch screen ...)`` as far as it is known."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return f"pid {pid}"
    words = [w.decode(errors="replace") for w in raw.split(b"\0") if w]
    if any(w.endswith("procurewatch") or w == "procurewatch.cli" for w in words[:3]):
        command = [w for w in words[1:] if not w.startswith("-") and w != "procurewatch.cli"]
        return f"pid {pid} (procurewatch {' '.join(command[:1])})".replace(" )", ")")
    return f"pid {pid} ({Path(words[0]).name})" if words else f"pid {pid}"


def in_use_error(store: Path, pids: list[int], waited: float) -> StoreError:
    """The error of a store still held after the wait."""
    who = f"pid {pids[0]}" if pids else "pid unknown"
    return StoreError(
        f"store {store} is in use by another procurewatch process ({who}); waited {waited:.0f} s; "
        "wait for it to finish or use --store to pick another file "
        "(PROCUREWATCH_STORE_WAIT sets the wait in seconds)"
    )


class _Waiter:
    """Polls one lock until taken or the deadline; prints what it waits for."""

    def __init__(self, store: Path, notice: Callable[[str], None]) -> None:
        self.store = store
        self.notice = notice
        self.wait = settings.store_wait()
        self.start = time.monotonic()
        self.next_notice = self.start + min(1.0, self.wait)

    def take(self, fd: int, mode: int, lock_file: Path) -> None:
        while True:
            try:
                fcntl.flock(fd, mode | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                pass
            now = time.monotonic()
            if now - self.start >= self.wait:
                raise in_use_error(self.store, holders(lock_file), now - self.start)
            if now >= self.next_notice:
                who = ", ".join(describe(p) for p in holders(lock_file)) or "another process"
                self.notice(
                    f"waiting for the store {self.store}: held by {who}; "
                    f"{now - self.start:.0f} s of at most {self.wait:.0f} s"
                )
                self.next_notice = now + NOTICE_EVERY
            time.sleep(POLL_SECONDS)


def _open(path: Path) -> int | None:
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError:
        return None  # a read-only folder: nobody can write there, readers need no lock


class StoreLock:
    """The cross-process lock of one store; :meth:`release` when the store is closed."""

    def __init__(self, store: Path, write: bool, notice: Callable[[str], None] = _notice) -> None:
        self.store = store
        self.write = write
        self._fd: int | None = None
        self._acquire(notice)

    def _acquire(self, notice: Callable[[str], None]) -> None:
        lock_file = self.store.with_name(self.store.name + ".lock")
        gate_file = self.store.with_name(self.store.name + ".gate")
        fd, gate = _open(lock_file), _open(gate_file)
        if fd is None or gate is None:
            for handle in (fd, gate):
                if handle is not None:
                    os.close(handle)
            if self.write:
                raise StoreError(
                    f"cannot create the lock file {lock_file}; check that the folder is writable"
                )
            return
        waiter = _Waiter(self.store, notice)
        try:
            self._take(waiter, fd, gate, lock_file, gate_file)
        except BaseException:
            os.close(fd)
            raise
        finally:
            os.close(gate)  # closing releases the gate
        self._fd = fd
        _held.depth = _depth() + 1

    def _take(self, waiter: _Waiter, fd: int, gate: int, lock_file: Path, gate_file: Path) -> None:
        if self.write:
            waiter.take(gate, fcntl.LOCK_EX, gate_file)
            waiter.take(fd, fcntl.LOCK_EX, lock_file)
        elif _depth():  # already reading in this thread: passing the gate could deadlock
            waiter.take(fd, fcntl.LOCK_SH, lock_file)
        else:
            waiter.take(gate, fcntl.LOCK_SH, gate_file)
            waiter.take(fd, fcntl.LOCK_SH, lock_file)

    def release(self) -> None:
        """Let the next process in (idempotent)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
            _held.depth = max(0, _depth() - 1)
