"""Open the DuckDB store: one file holding list versions (and, later, runs, hits, decisions).

One process at a time may write a store file, any number may read it. :func:`open_store` waits
its turn (:mod:`procurewatch.store.filelock`: a writer waits for the readers, new readers wait
for a waiting writer) for up to ``PROCUREWATCH_STORE_WAIT`` seconds, saying what it waits for,
then gives up with a :class:`StoreError` naming the other process. Keep a store open only as
long as needed: a command that holds it makes the others wait.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Self

import duckdb

from procurewatch import settings
from procurewatch.errors import StoreError
from procurewatch.store.filelock import POLL_SECONDS, StoreLock
from procurewatch.store.schema import MIGRATIONS, SCHEMA_VERSION_TABLE, latest_version


class Store:
    """An open store: a DuckDB connection and its file. Use it as a context manager."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        path: Path,
        read_only: bool,
        lock: StoreLock | None = None,
    ) -> None:
        self.con = con
        self.path = path
        self.read_only = read_only
        self.lock = lock

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection (and release the file lock)."""
        try:
            self.con.close()
        finally:
            if self.lock is not None:
                self.lock.release()

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """Run the block in one transaction: committed on success, rolled back on error."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield self.con
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

    def schema_version(self) -> int:
        """The highest migration applied to this store (0 for a new file)."""
        row = self.con.execute("SELECT max(version) FROM schema_version").fetchone()
        return int(row[0]) if row and row[0] is not None else 0


def _connect(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    """Connect; a file held by a process outside the lock protocol is waited for too."""
    config: dict[str, str | bool | int | float | list[str]] = {
        "threads": settings.duckdb_threads(),
        "memory_limit": settings.duckdb_memory(),
    }
    deadline = time.monotonic() + settings.store_wait()
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only, config=config)
        except duckdb.Error as exc:
            error = _store_error(path, exc)
            if "in use by another" not in str(error) or time.monotonic() >= deadline:
                raise error from None
        time.sleep(POLL_SECONDS * 5)


def _store_error(path: Path, exc: duckdb.Error) -> StoreError:
    message = str(exc)
    if "Could not set lock on file" in message:
        pid = re.search(r"PID (\d+)", message)
        who = f"pid {pid.group(1)}" if pid else "pid unknown"
        return StoreError(
            f"store {path} is in use by another procurewatch process ({who}); "
            "wait for it to finish or use --store to pick another file"
        )
    if "not a valid DuckDB database file" in message:
        return StoreError(
            f"{path} is not a procurewatch store (not a DuckDB file); "
            "use --store to pick another file"
        )
    if "different configuration" in message:
        return StoreError(
            f"store {path} is already open in this process in another mode; close it first"
        )
    first_line = message.splitlines()[0] if message else type(exc).__name__
    return StoreError(f"cannot open store {path}: {first_line}")


def _migrate(store: Store) -> None:
    store.con.execute(SCHEMA_VERSION_TABLE)
    current = store.schema_version()
    for migration in MIGRATIONS:
        if migration.version <= current:
            continue
        with store.transaction() as con:
            con.execute(migration.sql)
            con.execute(
                "INSERT INTO schema_version VALUES (?, ?, ?)",
                [migration.version, migration.description, datetime.now(UTC).replace(tzinfo=None)],
            )


def _check_version(store: Store) -> None:
    found, known = store.schema_version(), latest_version()
    if found > known:
        raise StoreError(
            f"store {store.path} was written by a newer procurewatch (schema {found}, this one "
            f"knows {known}); upgrade procurewatch or use --store to pick another file"
        )
    if store.read_only and found < known:
        raise StoreError(
            f"store {store.path} has an older schema ({found} < {known}); run any procurewatch "
            "command that writes to it (e.g. `procurewatch lists import`) to upgrade it"
        )


def open_store(path: Path, read_only: bool = False) -> Store:
    """Open (and create, unless ``read_only``) the store at ``path``; bring its schema up to date.

    Raises :class:`StoreError` if another process holds the file, if it is not a store, or if
    ``read_only`` and there is no store at ``path``.
    """
    path = Path(path)
    if read_only and not path.is_file():
        raise StoreError(
            f"no store at {path}; import a list first (procurewatch lists import FILE)"
        )
    if not read_only:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the folder of store {path}: {exc.strerror}") from None
    lock = StoreLock(path, write=not read_only)
    try:
        con = _connect(path, read_only)
    except BaseException:
        lock.release()
        raise
    store = Store(con, path, read_only, lock)
    try:
        if not read_only:
            _migrate(store)
        _check_version(store)
    except duckdb.Error as exc:
        store.close()
        raise _store_error(path, exc) from None
    except StoreError:
        store.close()
        raise
    return store
