"""The distinct values of a column met so far in a run, kept in Arrow. Pure.

A file of five million payments may name a quarter of a million distinct vendors, some tens
of thousands in each batch. Which of a batch's names are new is decided in Arrow, without a
Python string: the batch's distinct values are hashed (few), and the values met before (many)
are looked up among them, chunk by chunk. Arrow's ``is_in`` the other way round would build a
hash table of every value met so far again for each batch, and a Python set would turn each
batch's distinct values into Python strings; both cost several times more.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from procurewatch.arrowtake import bool_array


class SeenValues:
    """Distinct non-null strings, added batch by batch; ``seed``: distinct strings taken as met
    before (a screen's names known to match nothing), never returned by :meth:`fresh` and
    counted in neither ``len`` nor :meth:`to_pylist`."""

    def __init__(self, seed: pa.Array | None = None) -> None:
        self._seed = [seed] if seed is not None and len(seed) else []
        self._chunks: list[pa.Array] = []
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def fresh(self, values: pa.Array | pa.ChunkedArray) -> pa.Array:
        """The distinct non-null values of ``values`` not met before (now remembered), in the
        order of their first appearance."""
        unique = pc.unique(values).drop_null()
        if unique.type != pa.string():
            unique = unique.cast(pa.string())
        met_before = self._seed + self._chunks
        if met_before and len(unique):
            met = pc.index_in(pa.chunked_array(met_before, pa.string()), value_set=unique)
            old = np.zeros(len(unique), dtype=bool)
            old[np.asarray(met.drop_null(), dtype=np.int64)] = True
            unique = unique.filter(bool_array(~old))
        if len(unique):
            self._chunks.append(unique)
            self._count += len(unique)
        return unique

    def to_pylist(self) -> list[str]:
        """Every value met so far."""
        return [v for chunk in self._chunks for v in chunk.to_pylist() if v is not None]
