"""The exception tree. Every error a user can cause is one of these and prints as one line.

    ProcurewatchError          base: ``str(err)`` is the one line shown to the user
    ├── InputError             a file the user gave cannot be read (what, where, how to fix)
    ├── WatchlistError         a watchlist data file or list file is malformed
    ├── StoreError             the DuckDB store cannot be opened or is in use
    └── UsageError             a command was called with arguments that do not fit

The CLI maps ``InputError``/``WatchlistError``/``StoreError`` to exit status 1 and ``UsageError``
to 2, printing ``error: <message>`` and never a traceback.
"""

from __future__ import annotations


class ProcurewatchError(Exception):
    """Base of all procurewatch errors; the message is a complete sentence for the user."""

    exit_code = 1


class InputError(ProcurewatchError):
    """An input file cannot be read: names the file (and line) and says how to fix it."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        where = ""
        if path is not None:
            where = f"{path}:{line}: " if line is not None else f"{path}: "
        super().__init__(f"{where}{message}")
        self.path = path
        self.line = line


class WatchlistError(ProcurewatchError):
    """Watchlist data (bundled YAML or an imported list file) is malformed."""


class StoreError(ProcurewatchError):
    """The store cannot be opened, is in use by another process, or lacks a record."""


class UsageError(ProcurewatchError):
    """Arguments that do not fit the command."""

    exit_code = 2
