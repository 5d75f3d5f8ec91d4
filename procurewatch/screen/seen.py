"""The distinct values of a column met so far in a run. Pure but for DuckDB's hashing.

A file of five million payments may name a quarter of a million distinct vendors, some hundred
thousand in each batch, and a screen must find each batch's new ones. Each value is known by its
64-bit hash and its length (:mod:`procurewatch.ingest.name_keys`), and the keys met so far sit
in a numpy hash table (:mod:`.keyset`): one look-up per row, all rows at once, whatever the
number met. Arrow's ``is_in`` or ``index_in`` against the values met would hash them all again
for every batch, and a Python set asks one value at a time; both cost several times more.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from procurewatch.arrowtake import int_array
from procurewatch.ingest.name_keys import Keys, name_keys
from procurewatch.screen.keyset import KeySet


class SeenValues:
    """Distinct non-null strings, added batch by batch; ``seed``: the keys of strings taken as
    met before (a screen's names known to match nothing; copied, so one seed serves every
    column), never returned by :meth:`fresh` and counted in neither ``len`` nor
    :meth:`to_pylist`."""

    def __init__(self, seed: KeySet | None = None) -> None:
        self._keys = seed.copy() if seed is not None else KeySet()
        self._chunks: list[pa.Array] = []
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def fresh(self, values: pa.Array | pa.ChunkedArray, keys: Keys | None = None) -> pa.Array:
        """The distinct non-null values of ``values`` not met before (now remembered), in the
        order of their first appearance; ``keys``: their keys, when the caller has them."""
        return self.fresh_keyed(values, keys)[0]

    def fresh_keyed(
        self, values: pa.Array | pa.ChunkedArray, keys: Keys | None = None
    ) -> tuple[pa.Array, np.ndarray]:
        """:meth:`fresh`, and the first key of each value it returns."""
        if keys is None:
            values = _one_string_array(values)
            keys = name_keys(values)
        k1, k2 = keys
        new = ~self._keys.contains(k1, k2)
        if not new.any():  # most batches of a rescreen: the values need not be touched
            return pa.nulls(0, pa.string()), k1[:0]
        values = _one_string_array(values)
        if values.null_count:
            new &= np.asarray(values.is_valid(), dtype=bool)
        rows = _first_rows(np.flatnonzero(new), k1, k2)
        if not len(rows):
            return values.slice(0, 0), k1[:0]
        self._keys.add(k1[rows], k2[rows])
        unique = values.take(int_array(rows))
        self._chunks.append(unique)
        self._count += len(unique)
        return unique, k1[rows]

    def to_pylist(self) -> list[str]:
        """Every value met so far."""
        return [v for chunk in self._chunks for v in chunk.to_pylist() if v is not None]


def _one_string_array(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    """``values`` as one array of strings (a chunked array is glued: a copy)."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    return values if values.type == pa.string() else values.cast(pa.string())


def _first_rows(rows: np.ndarray, k1: np.ndarray, k2: np.ndarray) -> np.ndarray:
    """Of ``rows``, the first row of each distinct key, in row order. Rows are grouped by the
    hash; a row whose length differs from its group's first row (two values sharing one hash)
    is grouped again with the others like it."""
    picked: list[np.ndarray] = []
    while len(rows):
        _, first, inverse = np.unique(k1[rows], return_index=True, return_inverse=True)
        chosen = rows[first]
        picked.append(chosen)
        rows = rows[k2[rows] != k2[chosen][inverse.reshape(-1)]]
    return np.sort(np.concatenate(picked)) if picked else rows


def met_keys(values: pa.Array) -> KeySet:
    """The keys of distinct non-null ``values``, to seed a :class:`SeenValues`."""
    k1, k2 = name_keys(pc.drop_null(values))
    keys = KeySet(4 * len(k1))
    keys.add(k1, k2)
    return keys
