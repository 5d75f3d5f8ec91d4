"""Taking a few rows out of Arrow data that comes in chunks, without copying all of it.

Arrow's ``take`` on a chunked array first glues the chunks into one array: a copy of the whole
column to pick a few hundred rows out of it. :func:`take_rows` takes chunk by chunk instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pyarrow as pa


def int_array(values: Any, dtype: type[np.signedinteger[Any]] = np.int64) -> pa.Array:
    """An Arrow int32 or int64 array of ``values`` (numpy array or ints), without the import of
    pandas that ``pa.array`` makes for a numpy argument (a quarter of a second)."""
    data = np.ascontiguousarray(values, dtype=dtype)
    kind = pa.int32() if data.dtype == np.int32 else pa.int64()
    return pa.Array.from_buffers(kind, len(data), [None, pa.py_buffer(data)])


def bool_array(values: Any) -> pa.Array:
    """An Arrow boolean array of ``values`` (numpy bools), without the import of pandas that
    ``pa.array`` makes for a numpy argument."""
    data = np.ascontiguousarray(values, dtype=bool)
    bits = np.packbits(data, bitorder="little")
    return pa.Array.from_buffers(pa.bool_(), len(data), [None, pa.py_buffer(bits)])


def take_rows(data: Any, rows: Sequence[int]) -> Any:
    """``data`` (array, chunked array, record batch or table) at ``rows`` (ascending)."""
    if isinstance(data, pa.Table):
        columns = [take_rows(column, rows) for column in data.columns]
        return pa.Table.from_arrays(columns, schema=data.schema)
    wanted = np.asarray(rows, dtype=np.int64)
    if not isinstance(data, pa.ChunkedArray) or (wanted.size > 1 and np.any(np.diff(wanted) < 0)):
        return data.take(int_array(wanted))
    bounds = np.cumsum([0, *(len(chunk) for chunk in data.chunks)])
    cuts = np.searchsorted(wanted, bounds)
    pieces = [
        chunk.take(int_array(wanted[cuts[i] : cuts[i + 1]] - bounds[i]))
        for i, chunk in enumerate(data.chunks)
        if cuts[i + 1] > cuts[i]
    ]
    return pa.chunked_array(pieces, data.type)


def map_bytes(strings: pa.Array, table: np.ndarray) -> pa.Array:
    """``strings`` (an Arrow string array) with every byte ``b`` replaced by ``table[b]`` (a
    uint8 array of 256 ASCII bytes), in one pass over the data buffer: what a regex replacement
    of single characters does, at memory speed. The offsets and validity are shared."""
    if isinstance(strings, pa.ChunkedArray):
        strings = strings.combine_chunks()
    if strings.type != pa.string():
        strings = strings.cast(pa.string())
    validity, offsets, data = strings.buffers()
    mapped = b"" if data is None else table[np.frombuffer(data, dtype=np.uint8)].tobytes()
    return pa.StringArray.from_buffers(
        len(strings), offsets, pa.py_buffer(mapped), validity, strings.null_count, strings.offset
    )
