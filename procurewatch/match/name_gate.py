"""Which names can match anything, decided for many names at once. Pure (Arrow compute).

A file of five million payments may hold fifty thousand distinct vendor names, and nearly all
of them share no word with the watchlist. :meth:`CandidateIndex.may_have_candidates` says so
for one name in about 15 µs of Python; this module says it for a whole array of names in Arrow,
asking the index only about each distinct *word* (names share their words).

It is conservative by construction: a name is let through (``True``) whenever any test that
:meth:`~procurewatch.match.matcher.Matcher.match_name` makes could find something, and whenever
this module does not model a case exactly (a name that is not ASCII, two or more one-letter
words that might be initials). Only the ``False`` names skip the matcher, and for them the
matcher would have returned nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from procurewatch.arrowtake import int_array

RUN_MAX = 4
"""The longest run of adjacent words tried as one token (as the index's ``RUN_MAX``)."""
NON_WORD = r"[^a-z0-9]+"
"""What separates words (the index's words are runs of ``[a-z0-9]``)."""
NOT_IDENT = r"[^0-9A-Z]"
"""What an identifier key drops (as :func:`procurewatch.match.matcher._ident_key`)."""
IDENT_MIN = 5


@dataclass(frozen=True)
class WordFacts:
    """What the index says of one word: weak (generic, legal, a number...), near an indexed
    word, a legal-form word."""

    weak: bool
    may_match: bool
    legal: bool


WordOracle = Callable[[str], WordFacts]


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

    def may_match(self, names: Sequence[str]) -> np.ndarray:
        """One bool per name: False only where the matcher would find nothing at all."""
        if not names:
            return np.zeros(0, dtype=bool)
        array = pa.array(names, pa.string())
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
        keys = pc.replace_substring_regex(pc.ascii_upper(names), NOT_IDENT, "")
        known = pc.is_in(keys, value_set=pa.array(list(self.identifiers), pa.string()))
        long = pc.greater_equal(pc.utf8_length(keys), IDENT_MIN)
        return np.asarray(pc.and_(known, long), dtype=bool)

    def _words_may_match(self, names: pa.Array) -> np.ndarray:
        """The one-name test of the index (ASCII names; others are let through anyway)."""
        lowered = pc.replace_substring(pc.ascii_lower(names), "'", "")
        parts = pc.split_pattern_regex(lowered, NON_WORD)
        flat = pc.list_flatten(parts)
        parents = np.asarray(pc.list_parent_indices(parts), dtype=np.int64)
        real = np.asarray(pc.greater(pc.binary_length(flat), 0), dtype=bool)
        words, owner = flat.filter(pa.array(real)), parents[real]
        unique = pc.unique(words)
        facts = [self.oracle(w) for w in unique.to_pylist()]
        where = np.asarray(pc.index_in(words, value_set=unique), dtype=np.int64)
        weak = np.array([f.weak for f in facts], dtype=bool)[where]
        near = np.array([f.may_match for f in facts], dtype=bool)[where]
        legal = np.array([f.legal for f in facts], dtype=bool)[where]
        count = len(names)
        strong = np.bincount(owner[~weak], minlength=count)
        hits = np.bincount(owner[near], minlength=count)
        single = np.bincount(owner[np.asarray(pc.binary_length(words)) == 1], minlength=count)
        joined = self._joined(words, owner, np.ones(len(words), dtype=bool), count)
        content = self._joined(words, owner, ~legal, count)
        found: np.ndarray = (strong == 0) | (hits > 0) | (single >= 2) | joined | content
        found |= self._runs(words, owner, count)
        return found

    def _runs(self, words: pa.Array, owner: np.ndarray, count: int) -> np.ndarray:
        """Whether 2-4 adjacent words of a name, written together, are an indexed token
        (as :func:`procurewatch.match.index.joined_runs`)."""
        found = np.zeros(count, dtype=bool)
        if not self.pieces:
            return found
        pieces = pa.array(list(self.pieces), pa.string())
        total = len(words)
        for size in range(2, RUN_MAX + 1):
            width = total - size + 1
            if width <= 0:
                break
            same = np.ones(width, dtype=bool)
            for k in range(1, size):
                same &= owner[k : k + width] == owner[:width]
            if not same.any():
                continue
            parts = [words.slice(k, width) for k in range(size)]
            run = pc.binary_join_element_wise(*parts, "")
            known = np.asarray(pc.is_in(run, value_set=pieces), dtype=bool) & same
            found[owner[:width][known]] = True
        return found

    def _joined(self, words: pa.Array, owner: np.ndarray, keep: np.ndarray,
                count: int) -> np.ndarray:  # fmt: skip
        """Whether the kept words of each name, run together, are a whole indexed name."""
        if not self.letters:
            return np.zeros(count, dtype=bool)
        offsets = np.concatenate([[0], np.cumsum(np.bincount(owner[keep], minlength=count))])
        lists = pa.ListArray.from_arrays(int_array(offsets, np.int32), words.filter(pa.array(keep)))
        runs = pc.binary_join(lists, "")
        known = pc.is_in(runs, value_set=pa.array(list(self.letters), pa.string()))
        return np.asarray(pc.fill_null(known, False), dtype=bool)
