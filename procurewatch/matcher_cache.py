"""The compiled name matcher, kept between runs of ``procurewatch match``, ``compare`` and
``screen``.

Compiling the watchlist normalizes every name (Chinese names through pypinyin, whose import
alone takes 0.15 s) and builds the candidate index: most of what a one-name ``procurewatch
match`` costs. The compiled matcher is kept in the cache folder (:mod:`procurewatch.cache`)
under a name made from everything it was built from:

- the bytes of procurewatch's matching code and data (``match/``, ``normalize/``,
  ``watchlist/``, ``model.py``), so an edited rule or alias builds it again;
- the versions of the libraries that normalize names (rigour, pypinyin, rapidfuzz) and of Python;
- the imported list versions the watchlist takes from the store (id and SHA-256 of each).

A screen, which is handed a watchlist, looks its matcher up by the watchlist itself instead
(:func:`compiled_for`: a hash of its pickled form, with the code digest and the threshold).

A stale entry is never read: it is simply not asked for again. The cache folder is the user's
own (``$PROCUREWATCH_HOME/cache``); an entry that cannot be read is rebuilt.
"""

from __future__ import annotations

import hashlib
import pickle
import sys
from collections.abc import Iterator
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

from procurewatch.cache import DiskCache

if TYPE_CHECKING:
    from procurewatch.match.matcher import Matcher
    from procurewatch.model import Watchlist

PACKAGE = Path(__file__).resolve().parent
SOURCES = ("match", "normalize", "watchlist", "model.py", "settings.py")
"""What the compiled matcher is built from, inside the package."""
SUFFIXES = {".py", ".yaml", ".yml", ".csv", ".json", ".txt"}
LIBRARIES = ("rigour", "pypinyin", "rapidfuzz")


def _files() -> Iterator[Path]:
    for part in SOURCES:
        path = PACKAGE / part
        if path.is_file():
            yield path
        else:
            yield from sorted(p for p in path.rglob("*") if p.suffix in SUFFIXES and p.is_file())


@cache
def code_digest() -> str:
    """A hash of the matching code and data and the libraries' versions (worked out once per
    process)."""
    digest = hashlib.sha256(sys.version.encode())
    for library in LIBRARIES:
        digest.update(f"{library}={version(library)}".encode())
    for path in _files():
        digest.update(str(path.relative_to(PACKAGE)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _imported_versions(store_path: Path | None) -> list[str]:
    """Id and SHA-256 of each list version :func:`load_watchlist` takes from the store."""
    if store_path is None or not Path(store_path).is_file():
        return []
    from procurewatch.store.db import open_store
    from procurewatch.store.lists import latest_versions

    with open_store(Path(store_path), read_only=True) as store:
        return [f"{v.id}:{v.sha256}" for v in latest_versions(store)]


def entry_name(store_path: Path | None) -> str:
    """The cache entry of the matcher for this code and this store's lists."""
    digest = hashlib.sha256(code_digest().encode())
    for item in _imported_versions(store_path):
        digest.update(b"\0" + item.encode())
    return f"matcher-{digest.hexdigest()[:32]}.pickle"


def load_matcher(store_path: Path | None, cache: DiskCache | None = None) -> Matcher:
    """The matcher over the bundled watchlist and the newest imported lists of the store: from
    the cache when it was compiled from the same code, data and lists, else compiled (and kept)."""
    from procurewatch.match.matcher import Matcher

    cache = cache or DiskCache()
    name = entry_name(store_path)
    matcher = _kept(cache, name)
    if matcher is None:
        from procurewatch.watchlist.assemble import load_watchlist

        matcher = Matcher.compile(load_watchlist(store_path))
        cache.put(name, pickle.dumps(matcher, protocol=pickle.HIGHEST_PROTOCOL))
    return matcher


def compiled_for(watchlist: Watchlist, threshold: float, cache: DiskCache | None = None) -> Matcher:
    """The matcher of ``watchlist`` at ``threshold``: from the cache when this code compiled
    the same watchlist before (its pickled bytes are hashed: 3 ms against 0.3 s to compile),
    else compiled and kept."""
    from procurewatch.match.matcher import Matcher

    cache = cache or DiskCache()
    digest = hashlib.sha256(code_digest().encode())
    digest.update(f"\0{threshold!r}\0".encode())
    digest.update(pickle.dumps(watchlist, protocol=pickle.HIGHEST_PROTOCOL))
    name = f"matcher-list-{digest.hexdigest()[:32]}.pickle"
    matcher = _kept(cache, name)
    if matcher is None:
        matcher = Matcher.compile(watchlist, threshold)
        cache.put(name, pickle.dumps(matcher, protocol=pickle.HIGHEST_PROTOCOL))
    return matcher


def _kept(cache: DiskCache, name: str) -> Matcher | None:
    """The matcher kept as ``name``, or None (missing, or damaged: then it is rebuilt)."""
    from procurewatch.match.matcher import Matcher

    matcher = cache.get_pickled(name)
    return matcher if isinstance(matcher, Matcher) else None
