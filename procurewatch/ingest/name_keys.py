"""Two 64-bit hashes of each name, by DuckDB: the keys of a screen's seen names
(:class:`procurewatch.screen.keyset.KeySet`).

DuckDB's ``hash`` of the name and of the name with a unit separator appended (the second hash
starts from another length, so it does not follow from the first). The fast CSV path asks
DuckDB's scan for them (:data:`KEY_SQL`, worked out on every core while the file is parsed);
anything else asks :func:`name_keys` about an Arrow array. Both are DuckDB's ``hash`` of the
same ``VARCHAR``, so the keys agree, whichever way a name came in.
"""

from __future__ import annotations

import threading

import duckdb
import numpy as np
import pyarrow as pa

Keys = tuple[np.ndarray, np.ndarray]
"""The two uint64 keys of each value."""

KEY_SQL = ("hash({0})", "hash({0} || chr(31))")
"""The two keys of the column ``{0}`` (a quoted identifier), as DuckDB expressions."""

_local = threading.local()


def _connection() -> duckdb.DuckDBPyConnection:
    """This thread's own in-memory connection (connecting takes some 25 ms)."""
    con: duckdb.DuckDBPyConnection | None = getattr(_local, "con", None)
    if con is None:
        con = _local.con = duckdb.connect(config={"threads": 1})
    return con


def name_keys(values: pa.Array | pa.ChunkedArray) -> Keys:
    """The two keys of each value (uint64 arrays; a null value gets the keys of null)."""
    if not len(values):
        return np.zeros(0, np.uint64), np.zeros(0, np.uint64)
    table = pa.table({"v": values.cast(pa.string())})
    keys = _connection().from_arrow(table).project(
        ", ".join(f"{sql.format('v')} AS k{i}" for i, sql in enumerate(KEY_SQL))
    ).to_arrow_table()  # fmt: skip
    return _numpy(keys.column(0)), _numpy(keys.column(1))


def _numpy(column: pa.ChunkedArray) -> np.ndarray:
    return np.asarray(column.combine_chunks(), dtype=np.uint64)
