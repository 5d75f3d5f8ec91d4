"""Which names can match anything, decided for many names at once. Pure (Arrow compute).

A file of five million payments may hold fifty thousand distinct vendor names, and nearly all
of them share no word with the watchlist. :meth:`CandidateIndex.may_have_candidates` says so
for one name in about 15 µs of Python; this module says it for a whole array of names in Arrow,
asking the index only about each distinct *word* (names share their words).

It is conservative by construction: a name is let through (``True``) whenever any test that
:meth:`~procurewatch.match.matcher.Matcher.match_name` makes could find something, and whenever
this module does not model a case exactly (a name that is not ASCII). Only the ``False`` names
skip the matcher, and for them the matcher would have returned nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from procurewatch.arrowtake import bool_array, int_array, map_bytes

RUN_MAX = 4
"""The longest run of adjacent words tried as one token (as the index's ``RUN_MAX``)."""
NON_WORD = r"[^a-z0-9]+"
"""What separates words (the index's words are runs of ``[a-z0-9]``)."""
NOT_IDENT = r"[^0-9A-Z]"
"""What an identifier key drops (as :func:`procurewatch.match.matcher._ident_key`)."""


def _byte_map(keep: bytes) -> np.ndarray:
    """A byte map keeping the bytes of ``keep`` and making every other a space."""
    table = np.full(256, ord(" "), dtype=np.uint8)
    kept = np.frombuffer(keep, dtype=np.uint8)
    table[kept] = kept
    return table


_KEEP_WORD = _byte_map(b"abcdefghijklmnopqrstuvwxyz0123456789")
"""Byte map: a word byte stays, any other (each byte of a non-ASCII character too) becomes a
space. Split at spaces, that is a split at :data:`NON_WORD`, without a regex."""
_KEEP_IDENT = _byte_map(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
"""Byte map: an identifier byte stays, any other becomes a space (then dropped): the
deletion of :data:`NOT_IDENT`, without a regex."""
IDENT_MIN = 5


@dataclass(frozen=True)
class WordFacts:
    """What the index says of one word: weak (generic, legal, a number...), near an indexed
    word, a legal-form word."""

    weak: bool
    may_match: bool
    legal: bool


WordOracle = Callable[[str], WordFacts]


class WordTable:
    """The facts of every word asked about so far, in arrays Arrow can index: words recur
    across the batches of a file, and the oracle (Python) is asked once per word."""

    def __init__(self) -> None:
        self.words: pa.Array = pa.array([], pa.string())
        self.facts = np.zeros((0, 3), dtype=bool)
        """One row per word: weak, may_match, legal."""

    def lookup(self, words: pa.Array, oracle: WordOracle) -> np.ndarray:
        """The facts of each of ``words`` (one row each, as :attr:`facts`)."""
        where = pc.index_in(words, value_set=self.words)
        if where.null_count:
            new = pc.unique(words.filter(pc.is_null(where)))
            facts = [oracle(w) for w in new.to_pylist()]
            rows = np.array([(f.weak, f.may_match, f.legal) for f in facts], dtype=bool)
            self.words = pa.concat_arrays([self.words, new])
            self.facts = np.concatenate([self.facts, rows.reshape(-1, 3)])
            where = pc.index_in(words, value_set=self.words)
        return self.facts[np.asarray(where, dtype=np.int64)]


@dataclass(frozen=True)
class Gate:
    """The index's answers the gate needs: per word (``oracle``), the keys of whole names run
    together (``letters``), the identifier keys (``identifiers``) and the indexed tokens
    (``pieces``), which runs of 2-4 adjacent words may spell."""

    oracle: WordOracle
    letters: Collection[str]
    identifiers: Collection[str]
    pieces: Collection[str] = frozenset()
    """Indexed tokens that adjacent words written together may make (``hik vision``)."""
    table: WordTable = field(default_factory=WordTable, compare=False, repr=False)
    _pieces_cache: tuple[pa.Array, pa.Array] | None = field(
        default=None, init=False, compare=False, repr=False
    )

    def may_match(self, names: Sequence[str] | pa.Array) -> np.ndarray:
        """One bool per name (a list, or an Arrow string array without nulls): False only where
        the matcher would find nothing at all."""
        if not len(names):
            return np.zeros(0, dtype=bool)
        array = names if isinstance(names, pa.Array) else pa.array(names, pa.string())
        wide = np.asarray(pc.invert(pc.string_is_ascii(array)), dtype=bool)
        found: np.ndarray = wide | self._words_may_match(array) | self._identifier(array)
        heads = pc.split_pattern(array, ",", max_splits=1)
        comma = np.asarray(pc.greater(pc.list_value_length(heads), 1), dtype=bool)
        if comma.any():  # the matcher also tries the part before the first comma alone
            head = pc.utf8_trim_whitespace(pc.list_element(heads, 0))
            found |= comma & self._words_may_match(head)
        return found

    def _identifier(self, names: pa.Array) -> np.ndarray:
        if not self.identifiers:
            return np.zeros(len(names), dtype=bool)
        keys = pc.replace_substring(map_bytes(pc.ascii_upper(names), _KEEP_IDENT), " ", "")
        known = pc.is_in(keys, value_set=pa.array(list(self.identifiers), pa.string()))
        long = pc.greater_equal(pc.utf8_length(keys), IDENT_MIN)
        return np.asarray(pc.and_(known, long), dtype=bool)

    def _words_may_match(self, names: pa.Array) -> np.ndarray:
        """The one-name test of the index (ASCII names; others are let through anyway)."""
        lowered = pc.replace_substring(pc.ascii_lower(names), "'", "")
        parts = pc.split_pattern(map_bytes(lowered, _KEEP_WORD), " ")
        flat = pc.list_flatten(parts)
        parents = np.asarray(pc.list_parent_indices(parts), dtype=np.int64)
        real = np.asarray(pc.greater(pc.binary_length(flat), 0), dtype=bool)
        words, owner = flat.filter(bool_array(real)), parents[real]
        facts = self.table.lookup(words, self.oracle)
        weak, near, legal = facts[:, 0], facts[:, 1], facts[:, 2]
        count = len(names)
        strong = np.bincount(owner[~weak], minlength=count)
        hits = np.bincount(owner[near], minlength=count)
        single = np.asarray(pc.binary_length(words)) == 1
        initials = self._initials(words, owner, single, count)
        joined = self._joined(words, owner, np.ones(len(words), dtype=bool), count)
        content = self._joined(words, owner, ~legal, count)
        found: np.ndarray = (strong == 0) | (hits > 0) | initials | joined | content
        found |= self._runs(words, owner, count)
        return found

    def _runs(self, words: pa.Array, owner: np.ndarray, count: int) -> np.ndarray:
        """Whether 2-4 adjacent words of a name, written together, are an indexed token
        (as :func:`procurewatch.match.index.joined_runs`)."""
        found = np.zeros(count, dtype=bool)
        if not self.pieces:
            return found
        pieces, heads = self._piece_arrays()
        # a run spells a piece only if its first word is the start of one: join only those
        starts = np.flatnonzero(np.asarray(pc.is_in(words, value_set=heads), dtype=bool))
        total = len(words)
        for size in range(2, RUN_MAX + 1):
            at = starts[starts + size <= total]
            same = np.ones(len(at), dtype=bool)
            for k in range(1, size):
                same &= owner[at + k] == owner[at]
            at = at[same]
            if not len(at):
                continue
            parts = [words.take(int_array(at + k)) for k in range(size)]
            run = pc.binary_join_element_wise(*parts, "")
            known = np.asarray(pc.is_in(run, value_set=pieces), dtype=bool)
            found[owner[at[known]]] = True
        return found

    def _piece_arrays(self) -> tuple[pa.Array, pa.Array]:
        """The pieces, and every start of one (a proper prefix), as Arrow value sets."""
        cached = self._pieces_cache
        if cached is None:
            heads = {p[:i] for p in self.pieces for i in range(1, len(p))}
            cached = (
                pa.array(sorted(self.pieces), pa.string()),
                pa.array(sorted(heads), pa.string()),
            )
            object.__setattr__(self, "_pieces_cache", cached)
        return cached

    def _initials(self, words: pa.Array, owner: np.ndarray, single: np.ndarray,
                  count: int) -> np.ndarray:  # fmt: skip
        """Whether the one-letter words of each name (two or more), run together, are a word
        the index knows (``B.V.`` -> ``bv``), as the one-name test asks."""
        several = np.bincount(owner[single], minlength=count) >= 2
        if not several.any():
            return several
        runs = _run_together(words, owner, single, count).filter(bool_array(several))
        unique = pc.unique(runs)
        near = np.array([self.oracle(w).may_match for w in unique.to_pylist()], dtype=bool)
        where = np.asarray(pc.index_in(runs, value_set=unique), dtype=np.int64)
        several[several] = near[where]
        return several

    def _joined(self, words: pa.Array, owner: np.ndarray, keep: np.ndarray,
                count: int) -> np.ndarray:  # fmt: skip
        """Whether the kept words of each name, run together, are a whole indexed name."""
        if not self.letters:
            return np.zeros(count, dtype=bool)
        runs = _run_together(words, owner, keep, count)
        known = pc.is_in(runs, value_set=pa.array(list(self.letters), pa.string()))
        return np.asarray(pc.fill_null(known, False), dtype=bool)


def _run_together(words: pa.Array, owner: np.ndarray, keep: np.ndarray, count: int) -> pa.Array:
    """The kept words of each of ``count`` names run together (``owner``: each word's name)."""
    offsets = np.concatenate([[0], np.cumsum(np.bincount(owner[keep], minlength=count))])
    lists = pa.ListArray.from_arrays(int_array(offsets, np.int32), words.filter(bool_array(keep)))
    return pc.binary_join(lists, "")
