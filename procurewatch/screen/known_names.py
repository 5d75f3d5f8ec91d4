"""What earlier screens with the same matcher learnt about names, and what this one adds. Pure.

A monthly award file names mostly the recipients of last month's. :mod:`.name_memo` keeps, per
matcher, the names that matched nothing (turned away by the name gate or scored empty) and the
names that matched with the matcher's answers; a screen then takes the first as met already and
reuses the answers for the second (with their evidence), and only names never met before meet
the gate.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from procurewatch.screen.keyset import KeySet
from procurewatch.screen.seen import met_keys

if TYPE_CHECKING:
    from procurewatch.match.matcher import NameMatch


def _no_names() -> pa.Array:
    return pa.nulls(0, pa.string())


@dataclass
class KnownNames:
    """Names known from earlier runs, and the names this run's gate turned away."""

    empty: pa.Array = field(default_factory=_no_names)
    """Names that matched nothing: every name column takes them as met already."""
    matched: pa.Array = field(default_factory=_no_names)
    """Names that matched: queued for the matcher's answers in :attr:`matches`, without
    asking the gate first."""
    matches: dict[str, tuple[NameMatch, ...]] = field(default_factory=dict)
    """The matcher's answers for the names that matched (with their evidence), as it gave
    them: a rescreen does not score them again."""
    word_facts: tuple[pa.Array, np.ndarray] | None = None
    """The gate's word facts (words, and a row of three bools each), handed to the gate when
    it is first needed (building it takes a quarter of a second)."""
    turned_away: list[pa.Array] = field(default_factory=list)
    """This run's names the gate turned away (they match nothing)."""
    _empty_keys: tuple[pa.Array, KeySet] | None = field(default=None, repr=False)

    def empty_keys(self) -> KeySet:
        """The keys of :attr:`empty` (hashed once, and copied into every name column's seen
        set)."""
        if self._empty_keys is None or self._empty_keys[0] is not self.empty:
            self._empty_keys = (self.empty, met_keys(self.empty))
        return self._empty_keys[1]

    def matched_mask(self, names: pa.Array) -> np.ndarray:
        """Which of ``names`` (distinct, never met before in this run) are known to match:
        for the matcher at once (the others are for the gate)."""
        if not len(self.matched) or not len(names):
            return np.zeros(len(names), dtype=bool)
        return np.asarray(pc.is_in(names, value_set=self.matched), dtype=bool)


class QueuedKeys:
    """The first keys of the names queued for the matcher in a run (few: the names that may
    match), appended by the thread that admits names and read by the one that keeps rows."""

    def __init__(self) -> None:
        self._all: pa.Array = pa.array(np.zeros(0, np.uint64))

    def add(self, keys: np.ndarray) -> None:
        """Remember more queued names' first keys."""
        if len(keys):
            self._all = pa.concat_arrays([self._all, pa.array(keys)])

    def rows(self, keys: np.ndarray) -> np.ndarray:
        """Where ``keys`` (a name column's first keys) are among the queued names' (a bool per
        row; a superset of the rows whose name is queued, since only one key is compared)."""
        if not len(self._all):
            return np.zeros(len(keys), dtype=bool)
        found = pc.is_in(pa.array(keys), value_set=self._all)
        return np.asarray(found, dtype=bool)
