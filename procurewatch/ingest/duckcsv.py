"""The fast path for clean CSV: DuckDB's parallel CSV parser in place of Arrow's streaming one.

:class:`~procurewatch.ingest.tabular.DelimitedReader` reads every file, however odd (bad rows,
other encodings, values that are not UTF-8, a quote never closed), on one thread. Most large
exports are clean, and DuckDB parses those on every core, several times faster. :class:`FastCsv`
reads a file that way with the layout the careful reader found (delimiter, header, columns), and
gives the same batches, but with only the columns the field map uses: the same values, ``_row``
numbers, blank rows left out, a repeated header rejected. From :meth:`FastCsv.start` on, a
thread of its own waits for DuckDB's batches (DuckDB parses only while one does) and keeps two
ahead; another converts and prepares each while the caller screens the last.

It keeps to what it can prove. It takes only UTF-8 files with LF or CRLF line ends. DuckDB runs
in strict mode, so a ragged row, a stray quote or a byte that is not UTF-8 stops it. Meanwhile a
background thread counts the file's line breaks and looks for what the two parsers read
differently (:mod:`procurewatch.ingest.csvbytes`: a lone carriage return, a quoted value with
spaces beside it). At the end, the lines must equal the header lines plus the rows DuckDB gave
plus the blank lines at the end: then there was no blank line inside (DuckDB skips those
silently) and no value spanning lines, so counting rows gave every row its true number.
Whenever it cannot prove that, :class:`NotFast` is raised and the caller throws away what it
got and reads the file with the careful reader.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TypeVar

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from procurewatch import settings
from procurewatch.arrowtake import int_array
from procurewatch.ingest.base import output_schema
from procurewatch.ingest.csvbytes import ByteFacts
from procurewatch.ingest.csvcells import header_checked
from procurewatch.ingest.csvlayout import CsvLayout
from procurewatch.ingest.encoding import is_utf8
from procurewatch.ingest.name_keys import KEY_SQL, Keys, key_array
from procurewatch.ingest.prefetch import Prefetcher
from procurewatch.ingest.quotescan import chunk_prescan
from procurewatch.ingest.tabular import DelimitedReader, next_batch

NULL_TEXT = "\ue000procurewatch-never-null\ue001"
"""DuckDB's null string, which no real field holds: every empty field stays ``""`` (as the
careful reader gives it) instead of becoming NULL."""

TAIL_BYTES = 1 << 16
FETCH_AHEAD = 8
"""DuckDB's batches taken ahead of the preparing thread. While the screen still imports and
compiles on one core, DuckDB parses this many on the other; on the budget's file 8 instead of 2
was 0.19 s faster (median of 16 alternating pairs) for 46 MB more peak memory."""
COUNT_STEP = 1 << 22
"""Bytes read at a time to count line feeds (read, not mapped: the file's pages do not count
as this process's memory)."""


BLANK, AGAIN = '"_pw_blank"', '"_pw_header_again"'
"""The two flags the scan adds to every row."""


T = TypeVar("T")


def _table(table: pa.Table, _: dict[str, Keys]) -> pa.Table:
    return table


class NotFast(Exception):
    """The fast path cannot vouch for this file; read it with the careful reader."""


def eligible(reader: object) -> bool:
    """True when ``reader`` is a CSV reader whose file the fast path may take."""
    if not isinstance(reader, DelimitedReader) or reader.layout is None:
        return False
    layout = reader.layout
    return is_utf8(layout.encoding) and layout.newline == b"\n"  # LF or CR LF (not lone CR)


def _quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class _LineCounter(threading.Thread):
    """Counts the line breaks of a file and looks for what DuckDB reads differently
    (:mod:`procurewatch.ingest.csvbytes`), with numpy, which lets go of the GIL."""

    def __init__(self, path: Path, delimiter: str) -> None:
        super().__init__(daemon=True)
        self.path = path
        self.stopping = threading.Event()
        self.facts = ByteFacts(ord(delimiter), prescan=chunk_prescan())
        self.done = False
        self.ends_with_newline = False
        self.trailing_blank = 0

    def run(self) -> None:
        buffer = bytearray(COUNT_STEP)
        data = np.frombuffer(buffer, np.uint8)
        tail = b""
        try:
            with self.path.open("rb", buffering=0) as handle:
                while (read := handle.readinto(buffer)) and not self.stopping.is_set():
                    self.facts.add(data[:read])
                    tail = (tail + bytes(buffer[max(0, read - TAIL_BYTES) : read]))[-TAIL_BYTES:]
        except OSError:
            return
        if self.stopping.is_set():
            return
        self.facts.finish()
        self._tail(tail)
        self.done = True

    def _tail(self, tail: bytes) -> None:
        self.ends_with_newline = tail.endswith(b"\n")
        run = len(tail) - len(tail.rstrip(b"\r\n"))
        breaks = tail[len(tail) - run :].count(b"\n")
        self.trailing_blank = max(0, breaks - 1)

    def lines(self) -> int:
        """Physical lines of the file (a last line without a line break counts)."""
        return self.facts.lf if self.ends_with_newline else self.facts.lf + 1


@dataclass
class _Reading:
    """A started read: the line counter, DuckDB's connection and the tables of its query (or
    the error DuckDB gave at once)."""

    counter: _LineCounter
    con: duckdb.DuckDBPyConnection
    batches: Prefetcher[pa.RecordBatch] | None = None
    """DuckDB's batches, taken as they come in a thread of their own from the start: DuckDB
    parses only while a thread waits for its next batch. That thread does nothing else, so it
    seldom waits for the GIL."""
    error: NotFast | None = None


def _not_fast(err: BaseException) -> NotFast:
    return NotFast(" ".join(str(err).split())[:200])


@dataclass
class FastCsv:
    """Batches of a clean CSV file read by DuckDB, checked at the end (see the module)."""

    reader: DelimitedReader
    batch_size: int = 131072
    keyed: tuple[str, ...] = ()
    """Name columns whose keys (:mod:`procurewatch.ingest.name_keys`) the scan works out too."""
    rows_seen: int = 0
    _rejects: list[tuple[int, int]] = field(default_factory=list)
    _out_schema: pa.Schema | None = None
    _reading: _Reading | None = None

    def kept_columns(self) -> list[str]:
        """The columns the field map uses, in file order: the only ones handed over (a
        USAspending file has some 300, a screen reads about ten)."""
        used = set(self.reader.field_map.columns())
        return [c for c in self._layout().columns if c in used]

    def _layout(self) -> CsvLayout:
        layout = self.reader.layout
        assert layout is not None, "the fast path needs the careful reader's layout"
        return layout

    def _query(self) -> tuple[str, list[object]]:
        """DuckDB's scan: the kept columns, and whether each row is blank or repeats the header
        (worked out over every column in DuckDB, so the others need not come out)."""
        layout = self._layout()
        names = [_quote_ident(c) for c in layout.columns]
        types = ", ".join(f"{n}: 'VARCHAR'" for n in names)
        blank = " AND ".join(f"{n} = ''" for n in names)
        params: list[object] = [str(self.reader.path), layout.delimiter, NULL_TEXT]
        again = "false"
        if header_checked(layout.header, len(layout.columns)):
            again = " AND ".join(f"{n} = ?" for n in names)
            params = list(layout.header) + params
        kept = "".join(f"{_quote_ident(c)}, " for c in self.kept_columns())
        keys = "".join(f", {sql.format(_quote_ident(c))}" for c in self._keyed() for sql in KEY_SQL)
        sql = (
            f"SELECT {kept}({blank}) AS {BLANK}, ({again}) AS {AGAIN}{keys} "
            "FROM read_csv(?, header = false, auto_detect = false, strict_mode = true, "
            f"skip = {int(layout.skip_lines)}, delim = ?, quote = '\"', escape = '\"', "
            f"columns = {{{types}}}, nullstr = ?, allow_quoted_nulls = false, "
            "null_padding = false, parallel = true)"
        )
        return sql, params

    def _keyed(self) -> list[str]:
        kept = self.kept_columns()
        return [c for c in self.keyed if c in kept]

    def batches(self) -> Iterator[pa.Table]:
        """The good rows, as the careful reader would give them, in tables of about
        ``batch_size`` rows (DuckDB hands out smaller batches); raises :class:`NotFast`."""
        yield from self.prepared(_table)

    def start(self) -> None:
        """Begin reading now, ahead of :meth:`prepared`: the line count, and DuckDB's batches
        taken ahead (a screen starts its first file while it imports and compiles its
        matchers). Called again: nothing. :meth:`close` stops it."""
        if self._reading is not None:
            return
        con = duckdb.connect(
            config={"threads": settings.duckdb_threads(), "memory_limit": settings.duckdb_memory()}
        )
        counter = _LineCounter(self.reader.path, self._layout().delimiter)
        counter.start()
        self._reading = _Reading(counter, con)
        try:
            sql, params = self._query()
            stream = con.sql(sql, params=params).to_arrow_reader(self.batch_size)
        except (duckdb.Error, pa.ArrowException, OSError) as err:  # raised by :meth:`prepared`
            self._reading.error = _not_fast(err)
            return
        self._reading.batches = Prefetcher(partial(next_batch, stream), FETCH_AHEAD)
        self._reading.batches.start()

    def close(self, abandon: bool = False) -> None:
        """Stop reading; the line count runs to its end (:meth:`prepared` checks it) unless
        ``abandon``."""
        reading = self._reading
        if reading is None:
            return
        if abandon:
            reading.counter.stopping.set()
        if reading.batches is not None:
            reading.batches.close()
        reading.con.close()
        reading.counter.join()
        self._reading = None

    def prepared(
        self, prepare: Callable[[pa.Table, dict[str, Keys]], T], ahead: int = 2
    ) -> Iterator[T]:
        """``prepare(table, keys)`` of each table of :meth:`batches` (``keys``: those of the
        :attr:`keyed` columns), worked out in the reading thread, up to ``ahead`` ready (work
        that lets go of the GIL, such as DuckDB's parse or a Hyperscan pass, overlaps with what
        the caller does with the one before)."""
        self.start()
        reading = self._reading
        assert reading is not None
        try:
            if reading.error is not None:
                raise reading.error
            assert reading.batches is not None
            tables = self._tables(iter(reading.batches))
            yield from Prefetcher(partial(self._next_prepared, tables, prepare), ahead)
        except (duckdb.Error, pa.ArrowException, OSError) as err:  # DuckDB's, through Arrow
            raise _not_fast(err) from None
        finally:
            self.close()
        self._verify(reading.counter)
        self._report()

    def _next_prepared(
        self, tables: Iterator[pa.Table], prepare: Callable[[pa.Table, dict[str, Keys]], T]
    ) -> T | None:
        table = next(tables, None)
        return None if table is None else self._split(table, prepare)

    def _split(self, table: pa.Table, prepare: Callable[[pa.Table, dict[str, Keys]], T]) -> T:
        """``prepare`` of the table without its key columns, with its keys."""
        width = len(self._schema())
        keys = {
            name: (key_array(table.column(width + 2 * i)), key_array(table.column(width + 2 * i + 1)))
            for i, name in enumerate(self._keyed())
        }  # fmt: skip
        return prepare(table.select(range(width)), keys)

    def _tables(self, batches: Iterator[pa.RecordBatch]) -> Iterator[pa.Table]:
        group: list[pa.RecordBatch] = []
        for batch in batches:
            group.append(self._convert(batch))
            if sum(b.num_rows for b in group) >= self.batch_size:
                yield pa.Table.from_batches(group)
                group = []
        if any(b.num_rows for b in group):
            yield pa.Table.from_batches(group)

    def _convert(self, batch: pa.RecordBatch) -> pa.RecordBatch:
        kept = len(self.kept_columns())
        columns = [
            c if c.type == pa.string() else pc.cast(c, pa.string()) for c in batch.columns[:kept]
        ]
        keys = list(batch.columns[kept + 2 :])
        first = self.rows_seen + 1
        self.rows_seen += batch.num_rows
        rows = int_array(np.arange(first, self.rows_seen + 1))
        blank, again = batch.column(kept), batch.column(kept + 1)
        for index in pc.indices_nonzero(again).to_pylist():
            self._rejects.append((self._layout().skip_lines + first + index, first + index))
        keep = pc.invert(pc.or_(blank, again))
        if not pc.all(keep).as_py():
            columns = [c.filter(keep) for c in columns]
            keys = [k.filter(keep) for k in keys]
            rows = rows.filter(keep)
        source = pa.repeat(pa.scalar(str(self.reader.path), pa.string()), len(rows))
        return pa.RecordBatch.from_arrays(
            [*columns, source, rows, *keys], schema=self._keyed_schema()
        )

    def _schema(self) -> pa.Schema:
        if self._out_schema is None:
            self._out_schema = output_schema(self.kept_columns())
        return self._out_schema

    def _keyed_schema(self) -> pa.Schema:
        """:meth:`_schema` and two uint64 key columns per keyed column."""
        keys = [pa.field(f"_pw_key{j}_{i}", pa.uint64()) for i in range(len(self._keyed()))
                for j in range(len(KEY_SQL))]  # fmt: skip
        return pa.schema([*self._schema(), *keys])

    def _verify(self, counter: _LineCounter) -> None:
        layout = self._layout()
        if not counter.done:
            raise NotFast("could not count the file's lines")
        facts = counter.facts
        if facts.cr and not facts.cr == facts.crlf == facts.lf:  # neither all LF nor all CR LF
            raise NotFast("a carriage return that is not part of the file's line breaks")
        if facts.spaced_quote:
            raise NotFast("a quoted value with spaces before or after it")
        data_lines = counter.lines() - layout.skip_lines - counter.trailing_blank
        if data_lines != self.rows_seen:
            raise NotFast(
                f"{data_lines} data lines but {self.rows_seen} rows: blank lines inside, or "
                "values spanning lines"
            )

    def _report(self) -> None:
        layout = self._layout()
        raw = layout.delimiter.join(layout.header)
        for line, row in self._rejects:
            self.reader.reject(
                line, "the header line again (were two files joined?); the row is left out",
                raw, row,
            )  # fmt: skip
