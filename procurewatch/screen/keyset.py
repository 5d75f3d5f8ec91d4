"""A set of two-part keys in numpy arrays, asked about and added to many keys at a time. Pure.

A screen asks, for every batch of a name column, which of its names it has met before: about a
hundred thousand names per batch, against a quarter of a million met. Arrow has no hash set that
lasts between calls, and a Python set asks one name at a time. This is an open-addressing table
(linear probing) whose every step is a numpy operation over all the keys still looking. A key
is a name's 64-bit hash and its length (:mod:`procurewatch.ingest.name_keys`); two names are
taken as the same when both agree.
"""

from __future__ import annotations

import numpy as np

MIN_SLOTS = 1 << 16
EMPTY = np.uint64(np.iinfo(np.uint64).max)
"""The second key of an empty slot (a length no string has)."""


class KeySet:
    """Distinct (k1, k2) pairs of uint64 (k2 below :data:`EMPTY`), at most half the slots
    filled."""

    def __init__(self, slots: int = MIN_SLOTS) -> None:
        size = max(MIN_SLOTS, 1 << max(0, int(slots) - 1).bit_length())
        self._k1 = np.zeros(size, np.uint64)
        self._k2 = np.full(size, EMPTY, np.uint64)
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def copy(self) -> KeySet:
        """A set of its own with the same keys (copying the table beats adding them again)."""
        twin = KeySet.__new__(KeySet)
        twin._k1, twin._k2 = self._k1.copy(), self._k2.copy()
        twin._count = self._count
        return twin

    def contains(self, k1: np.ndarray, k2: np.ndarray) -> np.ndarray:
        """One bool per key: whether the set holds it. Every key is looked up in its home slot
        at once; only those whose home slot holds another key probe further (few, with the
        table at most half full)."""
        mask = np.uint64(len(self._k2) - 1)
        slot = k1 & mask
        held = np.take(self._k2, slot)
        found: np.ndarray = (held == k2) & (np.take(self._k1, slot) == k1)
        probing = np.flatnonzero((held != EMPTY) & ~found)
        while len(probing):
            at = (slot[probing] + np.uint64(1)) & mask
            slot[probing] = at
            held = np.take(self._k2, at)
            same = (held == k2[probing]) & (np.take(self._k1, at) == k1[probing])
            found[probing[same]] = True
            probing = probing[(held != EMPTY) & ~same]  # held by another key: the next slot
        return found

    def add(self, k1: np.ndarray, k2: np.ndarray) -> None:
        """Add keys that are distinct and not in the set yet."""
        if 2 * (self._count + len(k1)) > len(self._k2):
            self._grow(2 * (self._count + len(k1)))
        self._place(k1, k2)
        self._count += len(k1)

    def _place(self, k1: np.ndarray, k2: np.ndarray) -> None:
        mask = np.uint64(len(self._k2) - 1)
        waiting = np.arange(len(k1))
        slot = k1 & mask
        while len(waiting):
            at = slot[waiting]
            free = self._k2[at] == EMPTY
            # of the keys that found a free slot, the first one for each slot takes it
            _, first = np.unique(at[free], return_index=True)
            taking = waiting[free][first]
            spot = slot[taking]
            self._k1[spot], self._k2[spot] = k1[taking], k2[taking]
            waiting = np.setdiff1d(waiting, taking, assume_unique=True)
            slot[waiting] = (slot[waiting] + np.uint64(1)) & mask

    def _grow(self, needed: int) -> None:
        used = self._k2 != EMPTY
        k1, k2 = self._k1[used], self._k2[used]
        size = max(MIN_SLOTS, 1 << (needed - 1).bit_length())
        self._k1 = np.zeros(size, np.uint64)
        self._k2 = np.full(size, EMPTY, np.uint64)
        self._place(k1, k2)
