"""The key of each name, by DuckDB: its 64-bit hash and its length in bytes.

A screen knows the names it has met by these keys (:class:`procurewatch.screen.keyset.KeySet`).
The fast CSV path asks DuckDB's scan for them (:data:`KEY_SQL`, worked out on every core while
the file is parsed, at no measurable cost); anything else asks :func:`name_keys` about an Arrow
array. Both are DuckDB's ``hash`` and ``strlen`` of the same ``VARCHAR``, so the keys agree,
whichever way a name came in.

Two distinct names are taken as one only when they have the same length and the same 64-bit
hash. For the 260,000 distinct names of the budget's file the chance that any such pair exists
is below 2 in a billion (the birthday bound, n²/2⁶⁵), and the later name would then not be
scored. A second hash of each name (of the name with a character appended) cost 0.4–0.5
CPU-seconds on that file, a tenth of the whole screen, so it is not taken.
"""

from __future__ import annotations

import threading

import duckdb
import numpy as np
import pyarrow as pa

Keys = tuple[np.ndarray, np.ndarray]
"""The key of each value: its hash and its length in bytes (uint64 arrays)."""

KEY_SQL = ("hash({0})", "CAST(coalesce(strlen({0}), 0) AS UBIGINT)")
"""The key of the column ``{0}`` (a quoted identifier): hash and length, as DuckDB expressions."""

_local = threading.local()


def _connection() -> duckdb.DuckDBPyConnection:
    """This thread's own in-memory connection (connecting takes some 25 ms)."""
    con: duckdb.DuckDBPyConnection | None = getattr(_local, "con", None)
    if con is None:
        con = _local.con = duckdb.connect(config={"threads": 1})
    return con


def name_keys(values: pa.Array | pa.ChunkedArray) -> Keys:
    """The key of each value (a null value gets the key of null)."""
    if not len(values):
        return np.zeros(0, np.uint64), np.zeros(0, np.uint64)
    table = pa.table({"v": values.cast(pa.string())})
    keys = _connection().from_arrow(table).project(
        ", ".join(f"{sql.format('v')} AS k{i}" for i, sql in enumerate(KEY_SQL))
    ).to_arrow_table()  # fmt: skip
    return key_array(keys.column(0)), key_array(keys.column(1))


def key_array(column: pa.ChunkedArray) -> np.ndarray:
    """A key column of DuckDB's (UBIGINT, through Arrow) as one numpy uint64 array."""
    return np.asarray(column.combine_chunks(), dtype=np.uint64)
