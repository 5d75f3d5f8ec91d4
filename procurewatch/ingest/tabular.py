"""CSV and TSV files, streamed through Arrow's CSV reader.

Every column is read as text. A row with more or fewer
fields than the header is rejected with its line number and the reading goes on; a quoted value
may span lines (``_row`` stays the record number, ``Reject.line`` the line an editor shows).
Empty lines and rows whose every field is empty carry nothing and are skipped (they keep their
numbers). A row that repeats the header line (two exports joined) is rejected with its line.
A bad row that is not UTF-8 cannot reach the row handler (Arrow decodes its text first and
fails); the file is then read again through a stream that decodes such bytes as Windows-1252. Values that are not valid UTF-8 in a UTF-8 file are read as Windows-1252.
A line too long to read (over 32 MiB, two reading blocks) is cut out of the stream and its row
rejected with its line; the rest of the file is read (:mod:`.longlines`).
The layout (delimiter, header) comes from :mod:`.csvlayout`; other formats live in :mod:`.xlsx`,
:mod:`.jsonfiles` and :mod:`.parquetfile`.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from procurewatch.errors import InputError
from procurewatch.ingest.base import BaseReader
from procurewatch.ingest.csvcells import count_fields, not_blank, repeated_header, to_string
from procurewatch.ingest.csvlayout import CsvLayout
from procurewatch.ingest.encoding import CP1252_FALLBACK, TranscodingStream, is_utf8
from procurewatch.ingest.longlines import CUT_BYTES, KEEP, MARKER_PREFIX, MAX_LINE, LineCutStream
from procurewatch.ingest.prefetch import Prefetcher
from procurewatch.ingest.rownum import Located, RowTracker

MIN_BLOCK = 256 << 10
MAX_BLOCK = 2 << 20
"""Arrow reads blocks of about ``batch_size`` rows but at most 2 MiB (memory stays low), so a
batch has at most ``batch_size`` rows and often fewer."""


RETRY_BLOCK = 16 << 20
"""The block for a second pass when a row is longer than a block (a very long value)."""


class _NotUtf8(Exception):
    """A value of a UTF-8 file is not UTF-8 (raised inside the reader, never outside)."""


class _RowTooLong(Exception):
    """A row does not fit in one block (raised inside the reader, never outside)."""


class _CutLongLines(Exception):
    """A row is longer than even the bigger block: read again with long lines cut out."""


class _RowNotUtf8(Exception):
    """A bad row is not UTF-8, so Arrow could not hand it over (raised inside, never outside)."""


_HANDLER_FAILED = re.compile(r"Expected \d+ columns, got \d+")
"""Arrow's message when the row handler could not take a bad row (it skips every other)."""


@dataclass
class _Done:
    """What a pass has handed out: the last data row yielded, the last bad row reported."""

    rows: int = 0
    rejected: int = 0
    headers: int = 0  # the last repeated header line reported

    def give(self, batch: pa.RecordBatch) -> pa.RecordBatch:
        """Note ``batch`` as handed out."""
        self.rows = batch.column(batch.num_columns - 1)[batch.num_rows - 1].as_py()
        return batch


@dataclass
class DelimitedReader(BaseReader):
    """CSV/TSV, USAspending and checkbook exports, streamed in batches of at most 2 MiB."""

    layout: CsvLayout | None = None
    _cutting: bool = False
    """Whether lines longer than :data:`.longlines.MAX_LINE` are cut out (the last resort)."""

    def batches(self) -> Iterator[pa.RecordBatch]:
        """Batches of the good rows; bad rows land in ``rejects`` just before their batch.

        Should a value prove not UTF-8, or a row longer than a block, the file is read again
        from where it stopped, as bytes or in bigger blocks.
        """
        layout = self._layout()
        self.rejects.clear()
        done = _Done()
        text, block = True, min(MAX_BLOCK, max(MIN_BLOCK, self.batch_size * layout.row_bytes))
        clean = False
        while True:
            try:
                yield from self._pass(layout, done, text, block, clean)
                return
            except _NotUtf8:
                text = False
            except _RowTooLong:
                block = RETRY_BLOCK
            except _CutLongLines:
                self._cutting = True
            except _RowNotUtf8:
                clean = True

    def _pass(self, layout: CsvLayout, done: _Done, text: bool, block: int, clean: bool
              ) -> Iterator[pa.RecordBatch]:
        """One pass over the file; rows and rejects up to ``done`` are not handed out again."""
        tracker = RowTracker(layout.skip_lines, layout.newline)
        handler = _handler(tracker)
        with _quiet(handler):
            reader = self._open(layout, handler, text, block, clean)
        prefetch = Prefetcher(partial(_quietly, handler, partial(next_batch, reader)))
        held: pa.RecordBatch | None = None  # the last batch is checked before it goes out
        try:
            for batch in prefetch:
                converted = self._convert(batch, tracker, done)
                for start in range(0, converted.num_rows, self.batch_size):
                    if held is not None:
                        yield done.give(held)
                    held = converted.slice(start, self.batch_size)
            if held is not None:
                self._check_end(held, tracker)
                yield done.give(held)
            self._report(tracker.finish(), done)
        except (pa.ArrowException, OSError) as err:
            raise self._failure(err, text, block, tracker) from None
        finally:
            prefetch.close()

    def _layout(self) -> CsvLayout:
        if self.layout is None:
            raise InputError("internal: no CSV layout", path=str(self.path))
        return self.layout

    def _open(
        self, layout: CsvLayout, handler: Callable[[Any], str], text: bool, block: int,
        clean: bool = False,
    ) -> Any:
        """Arrow's streaming reader of the file; the reader owns the file or stream it reads.

        Neither is closed here: when a pass ends early (a parse error, or the caller stops),
        Arrow may still be reading ahead. Closing the file then frees its descriptor for the
        next open, and the rest of that read comes out of the next pass's file: its first
        bytes are lost, and rows with them, without a trace (seen on a file with a 60 MB line,
        read again in bigger blocks). Arrow lets go of the file once its last read is done."""
        kind = pa.string() if text else pa.binary()  # string: Arrow checks UTF-8 as it parses
        if is_utf8(layout.encoding) and not clean:
            source: Any = pa.OSFile(str(self.path), "r")
        elif is_utf8(layout.encoding):  # every byte reaches Arrow as valid UTF-8
            source = TranscodingStream(self.path.open("rb"), layout.encoding,
                                       errors=CP1252_FALLBACK)
        else:
            source = TranscodingStream(self.path.open("rb"), layout.encoding)
        if self._cutting:
            source = LineCutStream(source)
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
                column_types=dict.fromkeys(layout.columns, kind),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
        try:
            return pacsv.open_csv(source, *options)
        except (pa.ArrowException, OSError) as err:
            raise self._failure(err, text, block, None) from None

    def _convert(self, batch: pa.RecordBatch, tracker: RowTracker, done: _Done) -> pa.RecordBatch:
        columns = list(batch.columns)
        rows, located = tracker.number(columns, batch.num_rows)
        self._report(located, done)
        strings = [to_string(column) for column in columns]
        keep = not_blank(columns)
        again = repeated_header(strings, self._layout().header)
        if again is not None:
            self._report_headers(again, columns, rows, tracker, done)
            keep = pc.invert(again) if keep is None else pc.and_(keep, pc.invert(again))
        if self._cutting:
            cut = self._reject_cut(strings, columns, rows, tracker, done)
            if cut is not None:
                keep = cut if keep is None else pc.and_(keep, cut)
        if done.rows:
            later = pc.greater(rows, done.rows)
            keep = later if keep is None else pc.and_(keep, later)
        if keep is not None:
            strings = [column.filter(keep) for column in strings]
            rows = rows.filter(keep)
        return self.make_batch(strings, rows)

    def _reject_cut(self, strings: list[pa.Array], columns: list[pa.Array], rows: pa.Array,
                    tracker: RowTracker, done: _Done) -> pa.Array | None:
        """Reject the rows a long line was cut out of; the mask of the others (None: all)."""
        marked: pa.Array | None = None
        for column in strings:
            found = pc.fill_null(pc.match_substring(column, MARKER_PREFIX), False)
            marked = found if marked is None else pc.or_(marked, found)
        if marked is None or not pc.any(marked).as_py():
            return None
        for position, line, row in _located(marked, columns, rows, tracker):
            if row <= done.rejected:
                continue  # reported by an earlier pass
            done.rejected = row
            values = [str(column[position].as_py() or "") for column in strings]
            cut = sum(int(m) for v in values for m in CUT_BYTES.findall(v))
            self.reject(line, f"a line of {cut + 2 * KEEP:,} bytes is too long to read (over "
                        f"{MAX_LINE >> 20} MiB); the row is left out: split or shorten the value",
                        self._layout().delimiter.join(values)[:300], row)
        return pc.invert(marked)

    def _report(self, located: list[Located], done: _Done) -> None:
        width = len(self.columns)
        for item in located:
            if item.row <= done.rejected:
                continue  # reported by an earlier pass
            done.rejected = item.row
            fields = count_fields(item.text, self._layout().delimiter)
            reason = f"row has {fields} fields, the header has {width}; fix the row or its quoting"
            if "\n" in item.text:
                spans = item.text.count("\n") + 1
                reason += f" (it runs over {spans} lines: is a quote never closed?)"
            self.reject(item.line, reason, item.text, item.row)

    def _report_headers(self, mask: pa.Array, columns: list[pa.Array], rows: pa.Array,
                        tracker: RowTracker, done: _Done) -> None:
        layout = self._layout()
        for _, line, row in _located(mask, columns, rows, tracker):
            if row <= done.headers:
                continue  # reported by an earlier pass
            done.headers = row
            raw = layout.delimiter.join(layout.header)
            self.reject(line, "the header line again (were two files joined?); the row is "
                        "left out", raw, row)

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

    def _failure(self, err: Exception, text: bool, block: int, tracker: RowTracker | None
                 ) -> Exception:
        """What an Arrow error means: read again (as bytes, in bigger blocks) or give up."""
        message = " ".join(str(err).split())[:300]
        if text and "invalid UTF8" in message:
            return _NotUtf8()
        if _HANDLER_FAILED.search(message) and is_utf8(self._layout().encoding):
            return _RowNotUtf8()
        if "straddling" in message:
            if block < RETRY_BLOCK:
                return _RowTooLong()
            if not self._cutting:
                return _CutLongLines()
            message = f"a row is longer than {RETRY_BLOCK >> 20} MiB"
            if tracker is not None:
                message = (
                    f"data row {tracker.records + 1}, which starts on line "
                    f"{tracker.next_line()}, is longer than {RETRY_BLOCK >> 20} MiB"
                )
        done = ""
        if tracker is not None:
            done = f" after {tracker.rows_out} good row{'' if tracker.rows_out == 1 else 's'}"
        return InputError(
            f"cannot parse the file as delimited text{done}: {message}; "
            "check for a quote character that is never closed, or pass the right format",
            path=str(self.path),
        )


def _located(mask: pa.Array, columns: list[pa.Array], rows: pa.Array, tracker: RowTracker
             ) -> Iterator[tuple[int, int, int]]:
    """``(position, physical line, row number)`` of each row of the batch that ``mask`` marks."""
    positions = pc.indices_nonzero(mask).to_pylist()
    lines = tracker.lines_of(columns, rows, positions)
    for position, line in zip(positions, lines, strict=True):
        yield position, line, rows[position].as_py()


@contextmanager
def _quiet(handler: Callable[[Any], str]) -> Iterator[None]:
    """Keep Python from printing "Exception ignored in" with a traceback when Arrow fails to
    decode a bad row's text for ``handler`` (the failure surfaces as a parse error)."""
    previous = sys.unraisablehook

    def hook(unraisable: Any) -> None:
        if unraisable.object is handler and isinstance(unraisable.exc_value, UnicodeError):
            return
        previous(unraisable)

    sys.unraisablehook = hook
    try:
        yield
    finally:
        if sys.unraisablehook is hook:
            sys.unraisablehook = previous


def _quietly(handler: Callable[[Any], str], produce: Callable[[], pa.RecordBatch | None]
             ) -> pa.RecordBatch | None:
    with _quiet(handler):
        return produce()


def next_batch(reader: Any) -> pa.RecordBatch | None:
    """The reader's next batch, or None at the end."""
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
