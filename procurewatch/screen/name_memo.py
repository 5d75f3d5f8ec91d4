"""What the name matcher and the name gate learnt in earlier runs, kept in the cache folder.

Award data names the same recipients month after month, and a quarter of a million distinct
vendors is an ordinary file. The matcher takes about a millisecond per name, and nearly every
name it is asked about matches nothing; the name gate asks the candidate index (Python) about
each new word. Two entries per matcher are kept in ``$PROCUREWATCH_HOME/cache``
(:mod:`procurewatch.cache`):

- ``names-KEY.json``: the names the matcher found nothing for (not asked again);
- ``words-KEY.json``: the gate's facts of each word (the index is not asked again).

KEY is a hash of everything those answers follow from: the matching code, data and library
versions (:func:`procurewatch.matcher_cache.code_digest`), ``screen/core.py`` (how a name is
asked), every entity, list and product
family of the watchlist, and the match threshold. Any change names other entries, so a stale
answer is never read. Names that matched are not kept: they are scored again (few), so hits
carry their full evidence. JSON, not pickle; an entry that cannot be read is ignored.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa

from procurewatch.cache import DiskCache

if TYPE_CHECKING:
    from procurewatch.match.matcher import Matcher
    from procurewatch.screen.core import ScreenContext

MAX_NAMES = 2_000_000
"""Names kept at most: beyond, the entry starts over with the run's own names."""


def memo_key(matcher: Matcher) -> str:
    """The hash naming this matcher's entries."""
    from procurewatch.matcher_cache import code_digest

    watchlist = matcher.watchlist
    digest = hashlib.sha256(code_digest().encode())
    digest.update(Path(__file__).with_name("core.py").read_bytes())  # how names are asked
    digest.update(f"\0threshold={matcher.threshold!r}".encode())
    for entity_id in sorted(watchlist.entities):
        digest.update(b"\0" + repr(watchlist.entities[entity_id]).encode())
    digest.update(repr(sorted(watchlist.lists.items())).encode())
    digest.update(repr(watchlist.products).encode())
    return digest.hexdigest()[:32]


def _read(cache: DiskCache, name: str) -> Any:
    data = cache.get(name)
    if data is None:
        return None
    try:
        return json.loads(data)
    except ValueError:  # a damaged entry is ignored (and written again)
        return None


class NameMemo:
    """The entries of one matcher: read into a screen's context, written back after the run."""

    def __init__(self, key: str, cache: DiskCache | None = None) -> None:
        self.key = key
        self.cache = cache or DiskCache()
        self._words_known = 0

    @property
    def names_entry(self) -> str:
        """The entry of the names that matched nothing."""
        return f"names-{self.key}.json"

    @property
    def words_entry(self) -> str:
        """The entry of the gate's word facts."""
        return f"words-{self.key}.json"

    def load(self, ctx: ScreenContext) -> None:
        """Give ``ctx`` what earlier runs learnt: names known to match nothing, word facts."""
        names = _read(self.cache, self.names_entry)
        if isinstance(names, list) and all(isinstance(n, str) for n in names):
            ctx.known_empty = frozenset(names)
        words = _read(self.cache, self.words_entry)
        if isinstance(words, dict) and self._load_words(ctx, words):
            self._words_known = len(ctx.matcher.gate.table.words)

    @staticmethod
    def _load_words(ctx: ScreenContext, data: dict[str, Any]) -> bool:
        words, facts = data.get("words"), data.get("facts")
        if not isinstance(words, list) or not isinstance(facts, list) or len(words) != len(facts):
            return False
        table = ctx.matcher.gate.table
        if len(table.words):  # the gate was asked already: keep what it knows
            return False
        try:
            rows = np.array(facts, dtype=bool).reshape(-1, 3)
            array = pa.array(words, pa.string())
        except (ValueError, TypeError, pa.ArrowException):
            return False
        if array.null_count or len(set(words)) != len(words):
            return False
        table.words, table.facts = array, rows
        return True

    def save(self, ctx: ScreenContext) -> None:
        """Keep what this run added (nothing is written when it added nothing)."""
        known = ctx.known_empty
        new = {n for n, found in ctx.name_cache.items() if not found and n not in known}
        if new:
            kept = new | known if len(new) + len(known) <= MAX_NAMES else new
            self.cache.put(self.names_entry, json.dumps(sorted(kept)).encode())
        table = ctx.matcher.gate.table
        if len(table.words) > self._words_known:
            data = {"words": table.words.to_pylist(), "facts": table.facts.tolist()}
            self.cache.put(self.words_entry, json.dumps(data).encode())
