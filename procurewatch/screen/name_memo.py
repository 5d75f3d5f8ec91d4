"""What the name matcher and the name gate learnt in earlier runs, kept in the cache folder.

Award data names the same recipients month after month, and a quarter of a million distinct
vendors is an ordinary file. The matcher takes about a millisecond per name, and nearly every
name it is asked about matches nothing; the name gate asks the candidate index (Python) about
each new word. Three entries per matcher are kept in ``$PROCUREWATCH_HOME/cache``
(:mod:`procurewatch.cache`):

- ``names-KEY.arrow``: the names that matched nothing (turned away by the name gate, or scored
  empty by the matcher) and the names that matched (:mod:`.known_names`). A screen takes the
  first as met already (:class:`~procurewatch.screen.seen.SeenValues`), so neither the gate nor
  the matcher sees them again, and takes the second's matches from the next entry;
- ``matches-KEY.pickle``: the matcher's answers for the names that matched, with their evidence
  (pickle, as the compiled matcher is: the cache folder is the user's own);
- ``words-KEY.arrow``: the gate's facts of each word (the index is not asked again).

KEY is a hash of everything those answers follow from: the matching code, data and library
versions (:func:`procurewatch.matcher_cache.code_digest`), the modules that decide how a name
is asked (``screen/core.py``, ``known_names.py``, ``seen.py``), every entity, list and product
family of the watchlist, and the match threshold. Any change names other entries, so a stale
answer is never read. The names and words are Arrow IPC streams (a quarter of a million names
read in milliseconds; JSON took half a second); an entry that cannot be read is ignored.
"""

from __future__ import annotations

import hashlib
import io
import pickle
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from procurewatch.cache import DiskCache

if TYPE_CHECKING:
    from procurewatch.match.matcher import Matcher, NameMatch
    from procurewatch.screen.core import ScreenContext

MAX_NAMES = 2_000_000
"""Names kept at most: beyond, the entry starts over with the run's own names."""


def memo_key(matcher: Matcher) -> str:
    """The hash naming this matcher's entries."""
    from procurewatch.matcher_cache import code_digest

    watchlist = matcher.watchlist
    digest = hashlib.sha256(code_digest().encode())
    for module in ("core.py", "known_names.py", "seen.py"):  # how names are asked
        digest.update(Path(__file__).with_name(module).read_bytes())
    digest.update(f"\0threshold={matcher.threshold!r}".encode())
    for entity_id in sorted(watchlist.entities):
        digest.update(b"\0" + repr(watchlist.entities[entity_id]).encode())
    digest.update(repr(sorted(watchlist.lists.items())).encode())
    digest.update(repr(watchlist.products).encode())
    return digest.hexdigest()[:32]


FACTS = ("weak", "may_match", "legal")
"""The gate's facts of a word, one bool column each in the words entry."""


def _read(cache: DiskCache, name: str) -> pa.Table | None:
    data = cache.get(name)
    if data is None:
        return None
    try:
        return pa.ipc.open_stream(pa.py_buffer(data)).read_all()
    except (pa.ArrowException, OSError):  # a damaged entry is ignored (and written again)
        return None


def _bytes(table: pa.Table) -> bytes:
    sink = io.BytesIO()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue()


def _strings(table: pa.Table | None, column: str) -> pa.Array | None:
    """The column as one string array without nulls, or None when the entry has no such."""
    if table is None or column not in table.column_names:
        return None
    array = table.column(column).combine_chunks()
    if array.type != pa.string() or array.null_count:
        return None
    return array


class NameMemo:
    """The entries of one matcher: read into a screen's context, written back after the run."""

    def __init__(self, key: str, cache: DiskCache | None = None) -> None:
        self.key = key
        self.cache = cache or DiskCache()
        self._words_known = 0

    @property
    def names_entry(self) -> str:
        """The entry of the names that matched nothing."""
        return f"names-{self.key}.arrow"

    @property
    def words_entry(self) -> str:
        """The entry of the gate's word facts."""
        return f"words-{self.key}.arrow"

    @property
    def matches_entry(self) -> str:
        """The entry of the matcher's answers for the names that matched."""
        return f"matches-{self.key}.pickle"

    def load(self, ctx: ScreenContext) -> None:
        """Give ``ctx`` what earlier runs learnt: the names that matched nothing and those that
        matched (with the matcher's answers), the gate's word facts."""
        names = _known_names(_read(self.cache, self.names_entry))
        matches = _matches(self.cache.get_pickled(self.matches_entry))
        if names is not None and matches is not None:
            ctx.known.empty, ctx.known.matched = names
            ctx.known.matches = matches
        words = _word_facts(_read(self.cache, self.words_entry))
        if words is not None:
            ctx.known.word_facts = words
            self._words_known = len(words[0])

    def save(self, ctx: ScreenContext) -> None:
        """Keep what this run added (nothing is written when it added nothing)."""
        known = ctx.known
        empty = _grown(known.empty, [*known.turned_away, _found(ctx, found=False)])
        matched = _grown(known.matched, [_found(ctx, found=True)])
        if len(empty) > len(known.empty) or len(matched) > len(known.matched):
            answers = {**known.matches, **{n: m for n, m in ctx.name_cache.items() if m}}
            wanted = set(matched.to_pylist())
            answers = {n: m for n, m in answers.items() if n in wanted}
            self.cache.put(self.matches_entry, pickle.dumps(answers, pickle.HIGHEST_PROTOCOL))
            flags = np.repeat([False, True], [len(empty), len(matched)])
            table = pa.table({"name": pa.concat_arrays([empty, matched]), "matched": flags})
            self.cache.put(self.names_entry, _bytes(table))
        gate = ctx.matcher.built_gate()
        if gate is not None and len(gate.table.words) > self._words_known:
            facts = {name: gate.table.facts[:, i] for i, name in enumerate(FACTS)}
            self.cache.put(self.words_entry, _bytes(pa.table({"word": gate.table.words, **facts})))


def _found(ctx: ScreenContext, *, found: bool) -> pa.Array:
    """The names this run's matcher scored, with matches (``found``) or without."""
    return pa.array([n for n, hits in ctx.name_cache.items() if bool(hits) is found], pa.string())


def _grown(known: pa.Array, added: list[pa.Array]) -> pa.Array:
    """``known`` with ``added`` (distinct); only this run's names once beyond :data:`MAX_NAMES`."""
    new = [a for a in added if len(a)]
    if not new:
        return known
    run = pc.unique(pa.concat_arrays(new))
    if len(known) + len(run) > MAX_NAMES:
        return run
    return pc.unique(pa.concat_arrays([known, run]))


def _matches(answers: object) -> dict[str, tuple[NameMatch, ...]] | None:
    """The matches entry (unpickled), or None when it is missing or damaged."""
    from procurewatch.match.matcher import NameMatch

    if not isinstance(answers, dict) or not all(
        isinstance(n, str) and isinstance(m, tuple) and all(isinstance(x, NameMatch) for x in m)
        for n, m in answers.items()
    ):
        return None
    return answers


def _known_names(data: pa.Table | None) -> tuple[pa.Array, pa.Array] | None:
    """The names entry as (names that matched nothing, names that matched), or None."""
    names = _strings(data, "name")
    if data is None or names is None or "matched" not in data.column_names:
        return None
    matched = data.column("matched").combine_chunks()
    if matched.type != pa.bool_() or matched.null_count:
        return None
    return names.filter(pc.invert(matched)), names.filter(matched)


def _word_facts(data: pa.Table | None) -> tuple[pa.Array, np.ndarray] | None:
    """The words entry as (words, one row of :data:`FACTS` each), or None when it is damaged."""
    words = _strings(data, "word")
    if data is None or words is None or data.column_names[1:] != list(FACTS):
        return None
    columns = [data.column(name).combine_chunks() for name in FACTS]
    if any(c.type != pa.bool_() or c.null_count for c in columns):
        return None
    if pc.count_distinct(words).as_py() != len(words):
        return None
    return words, np.column_stack([np.asarray(c, dtype=bool) for c in columns]).reshape(-1, 3)
