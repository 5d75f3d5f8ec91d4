"""Things worth keeping between runs, in ``$PROCUREWATCH_HOME/cache``: a compiled prefilter
database, rigour's territory table. Every entry is named by what it was built from (a hash of
its inputs, a library version), so a stale one is never read: it is simply not asked for again.
Writing is atomic and best-effort: where the folder cannot be written, nothing is kept."""

from __future__ import annotations

import pickle
from pathlib import Path

from procurewatch import settings
from procurewatch.atomic import atomic_write_bytes


def cache_path(name: str) -> Path:
    """Where the entry ``name`` lives."""
    return settings.home() / "cache" / name


class DiskCache:
    """Bytes by name in the cache folder."""

    def get(self, name: str) -> bytes | None:
        """The entry, or None when it is missing or unreadable."""
        try:
            return cache_path(name).read_bytes()
        except OSError:
            return None

    def get_pickled(self, name: str) -> object:
        """The entry unpickled, or None when it is missing or damaged (any error unpickling it:
        the caller builds it again). Pickle only here: the cache folder is the user's own."""
        data = self.get(name)
        if data is None:
            return None
        try:
            return pickle.loads(data)
        except Exception:  # a damaged entry, whatever the error
            return None

    def put(self, name: str, data: bytes) -> None:
        """Keep ``data`` as ``name`` (silently nothing where the folder cannot be written)."""
        try:
            atomic_write_bytes(cache_path(name), data)
        except OSError:
            return
