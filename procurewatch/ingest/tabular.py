"""CSV and TSV files, streamed through Arrow's CSV reader.

The header is the first non-blank line. Every column is read as text. A row with more or fewer
fields than the header is rejected with its line number and the reading goes on; a quoted value
may span lines (``_row`` stays the record number, ``Reject.line`` the line an editor shows).
Empty lines and rows whose every field is empty carry nothing and are skipped (they keep their
numbers). Values that are not valid UTF-8 in a UTF-8 file are read as Windows-1252.
The layout (delimiter, header) comes from :mod:`.csvlayout`; other formats live in :mod:`.xlsx`,
:mod:`.jsonfiles` and :mod:`.parquetfile`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from procurewatch.errors import InputError
from procurewatch.ingest.base import BaseReader
from procurewatch.ingest.csvlayout import CsvLayout
from procurewatch.ingest.encoding import TranscodingStream, is_utf8
from procurewatch.ingest.prefetch import Prefetcher
from procurewatch.ingest.rownum import Located, RowTracker

MIN_BLOCK = 256 << 10
MAX_BLOCK = 2 << 20
"""Arrow reads blocks of this size (about ``batch_size`` rows, at most 2 MiB: memory stays low)."""


@dataclass
class DelimitedReader(BaseReader):
    """CSV/TSV, USAspending and checkbook exports, streamed (batches of at most ~2 MiB)."""

    layout: CsvLayout | None = None

    def batches(self) -> Iterator[pa.RecordBatch]:
        """Batches of the good rows; bad rows land in ``rejects`` just before their batch."""
        layout = self._layout()
        self.rejects.clear()
        tracker = RowTracker(layout.skip_lines, layout.newline)
        source, reader = self._open(layout, _handler(tracker))
        prefetch = Prefetcher(partial(_next_batch, reader))
        held: pa.RecordBatch | None = None  # the last batch is checked before it goes out
        try:
            for batch in prefetch:
                converted = self._convert(batch, tracker)
                if converted.num_rows:
                    if held is not None:
                        yield held
                    held = converted
            if held is not None:
                self._check_end(held, tracker)
                yield held
            self._report(tracker.finish())
        except (pa.ArrowInvalid, OSError) as err:
            raise self._parse_error(err, tracker) from None
        finally:
            prefetch.close()
            source.close()

    def _layout(self) -> CsvLayout:
        if self.layout is None:
            raise InputError("internal: no CSV layout", path=str(self.path))
        return self.layout

    def _open(self, layout: CsvLayout, handler: Callable[[Any], str]) -> tuple[Any, Any]:
        block = min(MAX_BLOCK, max(MIN_BLOCK, self.batch_size * layout.row_bytes))
        if is_utf8(layout.encoding):
            source: Any = pa.OSFile(str(self.path), "r")
        else:
            source = TranscodingStream(self.path.open("rb"), layout.encoding)
        options = (
            pacsv.ReadOptions(
                use_threads=False,  # keeps the record numbers of bad rows
                block_size=block,
                column_names=list(layout.columns),
                skip_rows=layout.skip_lines,
            ),
            pacsv.ParseOptions(
                delimiter=layout.delimiter,
                newlines_in_values=True,
                ignore_empty_lines=False,
                invalid_row_handler=handler,
            ),
            pacsv.ConvertOptions(
                column_types={name: pa.binary() for name in layout.columns},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
        try:
            return source, pacsv.open_csv(source, *options)
        except (pa.ArrowInvalid, OSError) as err:
            source.close()
            raise self._parse_error(err, None) from None

    def _convert(self, batch: pa.RecordBatch, tracker: RowTracker) -> pa.RecordBatch:
        columns = list(batch.columns)
        rows, located = tracker.number(columns, batch.num_rows)
        self._report(located)
        strings = [_to_string(column) for column in columns]
        keep = _not_blank(columns)
        if keep is not None:
            strings = [column.filter(keep) for column in strings]
            rows = rows.filter(keep)
        return self.make_batch(strings, rows)

    def _report(self, located: list[Located]) -> None:
        width = len(self.columns)
        for item in located:
            fields = _count_fields(item.text, self._layout().delimiter)
            reason = f"row has {fields} fields, the header has {width}; fix the row or its quoting"
            if "\n" in item.text:
                spans = item.text.count("\n") + 1
                reason += f" (it runs over {spans} lines: is a quote never closed?)"
            self.reject(item.line, reason, item.text, item.row)

    def _check_end(self, last: pa.RecordBatch, tracker: RowTracker) -> None:
        """Fail if the file ends inside a quoted value: a quote that is never closed."""
        value = last.column(len(self.columns) - 1)[last.num_rows - 1].as_py() or ""
        final = last.column(len(self.columns) + 1)[last.num_rows - 1].as_py()
        if final != tracker.records or ("\n" not in value and "\r" not in value):
            return
        with self.path.open("rb") as handle:
            handle.seek(max(0, self.path.stat().st_size - 64))
            tail = handle.read().decode(self._layout().encoding, errors="replace")
        if not tail.rstrip("\r\n\x00").endswith('"'):
            lines = value.count("\n") + 1
            raise InputError(
                f"data row {final} runs to the end of the file over {lines} lines: a quote "
                "character in it is never closed; fix the quoting",
                path=str(self.path),
            )

    def _parse_error(self, err: Exception, tracker: RowTracker | None) -> InputError:
        message = " ".join(str(err).split())[:300]
        done = f" after {tracker.rows_out} good rows" if tracker is not None else ""
        return InputError(
            f"cannot parse the file as delimited text{done}: {message}; "
            "check for a quote character that is never closed, or pass the right format",
            path=str(self.path),
        )


def _next_batch(reader: Any) -> pa.RecordBatch | None:
    try:
        return reader.read_next_batch()
    except StopIteration:
        return None


def _handler(tracker: RowTracker) -> Callable[[Any], str]:
    """Arrow's invalid-row callback: note the row for numbering and skip it."""

    def handle(row: Any) -> str:
        number = row.number if row.number is not None else tracker.skip_lines + tracker.rows_out + 1
        tracker.drop(number, row.text)
        return "skip"

    return handle


def _to_string(column: pa.Array) -> pa.Array:
    """Binary → string; a value that is not UTF-8 is decoded as Windows-1252."""
    try:
        return pc.cast(column, pa.string())
    except pa.ArrowInvalid:
        values = column.to_pylist()
        return pa.array([None if v is None else _decode(v) for v in values], pa.string())


def _decode(value: bytes) -> str:
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return value.decode("cp1252", errors="replace")


def _not_blank(columns: list[pa.Array]) -> pa.Array | None:
    """A mask of rows with some non-empty field, or None when every row has one."""
    if not columns or pc.min(pc.binary_length(columns[0])).as_py() != 0:
        return None
    empty = pc.equal(pc.binary_length(columns[0]), 0)
    for column in columns[1:]:
        empty = pc.and_(empty, pc.equal(pc.binary_length(column), 0))
    return pc.invert(empty) if pc.any(empty).as_py() else None


def _count_fields(text: str, delimiter: str) -> int:
    """How many fields the raw text of a rejected row has."""
    try:
        return len(next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), []))
    except csv.Error:
        return text.count(delimiter) + 1
