"""Parquet files, read batch by batch; every column is turned into text.

Numbers, dates and timestamps become their usual text form; nested columns (structs, lists,
maps) become JSON text; binary values that are not UTF-8 are read as Windows-1252.
``_row`` is the row's place in the file, from 1.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from procurewatch.errors import InputError
from procurewatch.ingest.base import BaseReader, unique_names


def parquet_columns(path: Path) -> tuple[str, ...]:
    """The (renamed where needed) column names of a Parquet file."""
    handle = _open(path)
    try:
        return unique_names(handle.schema_arrow.names)
    finally:
        handle.close()


def _open(path: Path) -> Any:
    try:
        return pq.ParquetFile(path)
    except (pa.ArrowException, OSError, UnicodeDecodeError) as err:  # (column names not UTF-8)
        raise InputError(
            f"not a readable Parquet file ({' '.join(str(err).split())[:200]}); "
            "check the file or pass the right format",
            path=str(path),
        ) from None


@dataclass
class ParquetReader(BaseReader):
    """A Parquet file, ``batch_size`` rows at a time."""

    def batches(self) -> Iterator[pa.RecordBatch]:
        """Batches of text columns."""
        self.rejects.clear()
        handle = _open(self.path)
        start = 1
        try:
            for batch in handle.iter_batches(batch_size=self.batch_size):
                arrays = [_as_text(column) for column in batch.columns]
                rows = pa.array(range(start, start + batch.num_rows), pa.int64())
                start += batch.num_rows
                yield self.make_batch(arrays, rows)
        except (pa.ArrowException, OSError) as err:
            raise InputError(
                f"cannot read the Parquet data after row {start - 1} "
                f"({' '.join(str(err).split())[:200]}); check the file",
                path=str(self.path),
            ) from None
        finally:
            handle.close()


def _as_text(column: pa.Array) -> pa.Array:
    """Any Arrow array as a string array."""
    kind = column.type
    if pa.types.is_dictionary(kind):
        return _as_text(column.dictionary_decode())
    if pa.types.is_nested(kind):
        return pa.array([_json(value) for value in column.to_pylist()], pa.string())
    try:
        return pc.cast(column, pa.string())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        values = column.to_pylist()
        return pa.array([None if v is None else _text(v) for v in values], pa.string())


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            return value.decode("cp1252", errors="replace")
    return str(value)


def _json(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, default=str)
