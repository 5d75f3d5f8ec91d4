"""The Spark engine: the pure core of :mod:`procurewatch.screen.core`, run on Spark executors.

Nothing here matches names or scans text: Spark reads the files, the executors hand Arrow
batches to :func:`~procurewatch.screen.core.screen_batch`, the driver collects the few hits and
writes the same outputs as the local engine. Same input, same hits (``tests/screen/test_spark.py``
proves it). A run goes:

1. **Plan (driver).** Every input (a file, folder or glob on any file system Hadoop knows:
   local, ``file://``, ``hdfs://``, ``s3a://`` ...) is listed; the first MiB of each file goes
   through the local engine's own sniffing (:func:`~procurewatch.ingest.base.open_input`: format,
   encoding, delimiter, header, field map, ``--map``) and its fingerprint is taken the same way.
   Files with the same layout are read together.
2. **Row numbers.** Spark splits files into blocks and knows no line numbers, and its CSV reader
   drops blank lines that the local reader counts. One JVM-only pass over the files as text
   counts each block's lines and finds its blank lines; with it every executor turns "record
   *k* of block *b*" into the file's data-row number (``_row``) without a shuffle. Parquet
   blocks are counted the same way. CSV files whose quoted values span lines are read whole
   (``multiLine``), one task per file.
3. **Screen (executors).** CSV is read as text columns in ``PERMISSIVE`` mode with a
   corrupt-record column: a row Spark cannot parse (too few or too many fields) becomes a
   reject with its line, as in the local reader. ``mapInArrow`` runs :class:`_Screen` over the
   batches; the watchlist is broadcast once and compiled lazily once per Python worker.
4. **Outputs.** Hits become flat rows (the ``hits.csv`` columns plus the full hit as JSON),
   written by Spark as Parquet to ``OUT/hits.parquet/``; hits, rejects and counts are
   collected and :func:`~procurewatch.screen.run.write_outputs` writes ``hits.csv``,
   ``hits.jsonl``, ``rejects.csv`` and ``summary.json``.

Differences from the local engine: a UTF-8 file with bytes that are not UTF-8 gets U+FFFD where
the local reader decodes the value as Windows-1252; UTF-16/32 files are refused (convert them);
in a file read whole (quoted line breaks in its first MiB) empty lines are not counted, so rows
below one are numbered one lower, and rejects carry no line; quoted line breaks first seen after
the first MiB make that record's pieces rejects. PySpark is optional: importing this module does
not import it, and :func:`run_spark` without it raises :class:`SparkUnavailableError`.
"""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import io
import json
import os
import re
import sys
import tempfile
import time
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import reduce
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import unquote

import pyarrow as pa
import pyarrow.compute as pc

from procurewatch import settings
from procurewatch.errors import InputError, ProcurewatchError
from procurewatch.ingest.base import FieldMap, Reject, excerpt, open_input, unique_names
from procurewatch.ingest.columns import apply_mapping, guess_field_map, require_screenable
from procurewatch.ingest.csvcells import count_fields
from procurewatch.ingest.encoding import SAMPLE_BYTES, decode_sample
from procurewatch.ingest.parquetfile import _as_text as parquet_text  # the local reader's rule
from procurewatch.ingest.tabular import DelimitedReader
from procurewatch.model import Watchlist
from procurewatch.screen.core import ScreenContext, screen_batch
from procurewatch.screen.engines.local import SAMPLE, InputResult, fingerprint
from procurewatch.screen.hits import HIT_COLUMNS, Hit
from procurewatch.screen.publish import OUTPUT_FILES, publish_outputs
from procurewatch.screen.run import RunResult, build_context, new_run_id, write_outputs

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

__all__ = ["SparkUnavailableError", "local_path", "require_pyspark", "run_spark"]

PYSPARK_MISSING = "the Spark engine needs PySpark: pip install 'procurewatch[spark]'"
PANDAS_MISSING = (
    "the Spark engine needs pandas for PySpark's Arrow functions: pip install 'pandas>=2.2,<3'"
)
JAVA_MISSING = "the Spark engine needs Java 17 or newer: install a JDK and set JAVA_HOME"
RUN_CONF = {
    # a ragged row is malformed only when the parser sees all of its fields
    "spark.sql.csv.parser.columnPruning.enabled": "false",
    # GB18030, Windows-1252 ... besides the UTF-8/16/32 and Latin-1 Spark 4 allows by default
    "spark.sql.legacy.javaCharsets": "true",
    "spark.sql.execution.arrow.maxRecordsPerBatch": "32768",
}
"""Session settings a run needs; set for the run and restored after it."""

CORRUPT = "_corrupt"
PARQUET, CSV_LINES, CSV_WHOLE = "parquet", "csv", "csv-multiline"
_JAVA_BLANK = r"^[\x00-\x20]*$"  # a line Java's String.trim() empties
_LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")  # lines as Arrow and Hadoop split them
_CHARSETS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8",
    "gb18030": "GB18030",
    "cp1252": "windows-1252",
    "iso8859-1": "ISO-8859-1",
    "big5": "Big5",
    "big5hkscs": "Big5-HKSCS",
    "cp950": "x-windows-950",
    "cp932": "windows-31j",
    "shift_jis": "Shift_JIS",
    "euc_jp": "EUC-JP",
    "euc_kr": "EUC-KR",
    "cp949": "x-windows-949",
    "cp1251": "windows-1251",
    "koi8-r": "KOI8-R",
    "cp1253": "windows-1253",
    "cp1254": "windows-1254",
    "cp1255": "windows-1255",
    "cp1256": "windows-1256",
    "cp874": "x-windows-874",
    "iso8859-5": "ISO-8859-5",
    "iso8859-7": "ISO-8859-7",
}
"""Python codec (from :func:`~procurewatch.ingest.encoding.detect_encoding`) → Java charset."""


class SparkUnavailableError(ProcurewatchError, ImportError):
    """PySpark or Java is missing; the message says what to install."""


def require_pyspark() -> None:
    """Raise :class:`SparkUnavailableError` unless PySpark (and the pandas its ``mapInArrow``
    insists on) can be imported."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        raise SparkUnavailableError(PYSPARK_MISSING) from None
    if importlib.util.find_spec("pandas") is None:
        raise SparkUnavailableError(PANDAS_MISSING)


# ---------------------------------------------------------------- the plan (driver)


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One input file: ``display`` names it in hits, ``uri`` as Spark names it (decoded)."""

    display: str
    uri: str
    size: int
    local: Path | None  # set when the driver can open the file itself


@dataclass(frozen=True, slots=True)
class Layout:
    """How Spark reads a file; files with equal layouts are read together."""

    kind: str  # PARQUET, CSV_LINES or CSV_WHOLE
    columns: tuple[str, ...]
    field_map: FieldMap
    delimiter: str = ","
    charset: str = "UTF-8"


@dataclass(frozen=True, slots=True)
class Planned:
    """One file, ready to read: its layout, format name, lines above the data and fingerprint."""

    source: SourceFile
    format: str
    layout: Layout
    skip: int  # physical lines (CSV) or records (CSV read whole) up to the header
    sha: str


class _Hadoop:
    """Hadoop's FileSystem through the driver's JVM: lists and reads any configured scheme."""

    def __init__(self, spark: SparkSession) -> None:
        self._jvm: Any = spark.sparkContext._jvm
        self._conf: Any = spark.sparkContext._jsc.hadoopConfiguration()

    def _fs(self, uri: str) -> tuple[Any, Any]:
        path = self._jvm.org.apache.hadoop.fs.Path(uri)
        return path.getFileSystem(self._conf), path

    def files(self, given: str) -> tuple[list[Any], bool]:
        """Statuses of the files ``given`` names (itself, a folder's data files, a glob's
        matches), and whether it names one file directly."""
        fs, path = self._fs(given)
        if fs.exists(path):
            status = fs.getFileStatus(path)
            if status.isFile():
                return [status], True
            matches = [status]
        else:
            matches = sorted(fs.globStatus(path) or [], key=lambda s: s.getPath().toString())
        found: list[Any] = []
        for status in matches:
            if status.isFile():
                found.append(status)
                continue
            children = sorted(fs.listStatus(status.getPath()), key=lambda s: s.getPath().toString())
            found += [c for c in children if c.isFile() and c.getPath().getName()[:1] not in "._"]
        return found, False

    def read(self, uri: str, offset: int, size: int) -> bytes:
        """Up to ``size`` bytes from ``offset``."""
        fs, path = self._fs(uri)
        stream = fs.open(path)
        try:
            stream.seek(offset)
            return bytes(stream.readNBytes(size))
        finally:
            stream.close()

    def put(self, local: Path, uri: str) -> None:
        """Copy a local file to ``uri`` (replacing it)."""
        fs, path = self._fs(uri)
        fs.copyFromLocalFile(False, True, self._jvm.org.apache.hadoop.fs.Path(str(local)), path)


def _scheme(uri: str) -> str:
    match = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*):", uri)
    return match.group(1).lower() if match and len(match.group(1)) > 1 else ""


def local_path(uri: str) -> Path | None:
    """The driver-side path of a ``file:`` URI or a plain path, else None."""
    scheme = _scheme(uri)
    if scheme == "file":
        return Path("/" + unquote(uri[5:]).lstrip("/"))
    return Path(uri) if not scheme else None


def list_inputs(spark: SparkSession, paths: Sequence[str]) -> list[SourceFile]:
    """The files behind ``paths`` (files, folders, globs; local or remote), each once.

    A path without a scheme that exists on the driver is that local file; other plain paths
    resolve against the cluster's default file system."""
    hadoop, files, seen = _Hadoop(spark), [], set()
    for given in paths:
        local = local_path(given)
        name = f"file:{local.resolve()}" if local is not None and local.exists() else given
        statuses, direct = hadoop.files(name)
        if not statuses:
            raise InputError("no such file; check the path", path=given)
        for status in statuses:
            uri = status.getPath().toString()
            if uri in seen:
                continue
            seen.add(uri)
            on_driver = local_path(uri) if _scheme(uri) == "file" else None
            display = given if direct else str(on_driver or uri)
            files.append(SourceFile(display, uri, int(status.getLen()), on_driver))
    return files


def _head(hadoop: _Hadoop, source: SourceFile) -> bytes:
    if source.local is not None:
        with source.local.open("rb") as handle:
            return handle.read(SAMPLE_BYTES)
    return hadoop.read(source.uri, 0, SAMPLE_BYTES)


def _fingerprint(hadoop: _Hadoop, source: SourceFile) -> str:
    """:func:`~procurewatch.screen.engines.local.fingerprint`, for files only Hadoop can open."""
    if source.local is not None:
        return fingerprint(source.local)
    digest, size = hashlib.sha256(), source.size
    digest.update(str(size).encode())
    for offset in sorted({0, max(0, size // 2 - SAMPLE // 2), max(0, size - SAMPLE)}):
        digest.update(hadoop.read(source.uri, offset, SAMPLE))
    return digest.hexdigest()


def _sniff(source: SourceFile, head: bytes, mapping: Mapping[str, str] | None) -> Any:
    """The local engine's reader for the file (remote files: for a copy of their first MiB)."""
    if source.local is not None:
        return open_input(source.local, mapping=mapping)
    with tempfile.TemporaryDirectory(prefix="procurewatch-") as folder:
        copy = Path(folder) / (source.uri.rstrip("/").rsplit("/", 1)[-1] or "input.csv")
        copy.write_bytes(head)
        try:
            return open_input(copy, mapping=mapping)
        except InputError as err:
            raise InputError(
                str(err).replace(f"{copy}: ", "")[:1000], path=source.display
            ) from None


def _charset(encoding: str, display: str) -> str:
    import codecs

    charset = _CHARSETS.get(codecs.lookup(encoding).name)
    if charset is None:
        raise InputError(
            f"the Spark engine cannot read {encoding} text line by line; convert the "
            "file to UTF-8 (iconv -t UTF-8) or use --engine local",
            path=display,
        )
    return charset


def _data_records(
    head: bytes, encoding: str, skip: int, delimiter: str
) -> tuple[list[str], list[list[str]]]:
    """The lines of the sample and the complete records below the header."""
    text = decode_sample(head, encoding).lstrip("\ufeff")
    lines = _LINES.findall(text)
    records: list[list[str]] = []
    data = io.StringIO("".join(lines[skip:]), newline="")
    with suppress(csv.Error):  # a quote left open at the end of the sample
        records.extend(csv.reader(data, delimiter=delimiter))
    return lines, records if len(head) < SAMPLE_BYTES else records[:-1]


def _plan_csv(source: SourceFile, head: bytes, mapping: Mapping[str, str] | None) -> Planned:
    reader = _sniff(source, head, mapping)
    if not isinstance(reader, DelimitedReader) or reader.layout is None:
        raise InputError(
            f"the Spark engine reads CSV, TSV and Parquet files, not {reader.format}; "
            "screen this file with --engine local",
            path=source.display,
        )
    layout = reader.layout
    charset = _charset(layout.encoding, source.display)
    lines, records = _data_records(head, layout.encoding, layout.skip_lines, layout.delimiter)
    whole = any("\n" in value or "\r" in value for row in records for value in row)
    skip = layout.skip_lines
    if whole:  # Spark's parser skips empty lines; count the records above the data instead
        skip = sum(1 for row in csv.reader(lines[:skip], delimiter=layout.delimiter) if row)
    kind = CSV_WHOLE if whole else CSV_LINES
    plan = Layout(kind, reader.columns, reader.field_map, layout.delimiter, charset)
    return Planned(source, reader.format, plan, skip, "")


def _plan_parquet(
    spark: SparkSession, source: SourceFile, mapping: Mapping[str, str] | None
) -> Planned:
    names = unique_names(spark.read.parquet(source.uri).columns)
    field_map = apply_mapping(guess_field_map(names), mapping, names, source.display)
    require_screenable(field_map, names, source.display)
    return Planned(source, "parquet", Layout(PARQUET, names, field_map), 0, "")


def plan_inputs(
    spark: SparkSession, paths: Sequence[str], mapping: Mapping[str, str] | None
) -> list[Planned]:
    """Every input file with how to read it (errors name the file, as in the local engine)."""
    hadoop, plans = _Hadoop(spark), []
    for source in list_inputs(spark, paths):
        head = _head(hadoop, source)
        if head.startswith(b"PAR1"):
            planned = _plan_parquet(spark, source, mapping)
        else:
            planned = _plan_csv(source, head, mapping)
        plans.append(replace(planned, sha=_fingerprint(hadoop, source)))
    return plans


# ---------------------------------------------------------------- the executors


Groups = list[tuple[Layout, list[Planned]]]
"""Files read together, with their layout."""
Block = tuple[int, tuple[int, ...]]
"""Where a block starts (0-based line or record of its file) and its blank lines (0-based)."""

_CONTEXTS: dict[tuple[int, str | None], ScreenContext] = {}
"""The compiled watchlist of this Python worker, by broadcast id: compiled once per worker."""


def worker_context(broadcast: Any, broadcast_id: int, currency: str | None) -> ScreenContext:
    """The screen context of ``broadcast`` (a Spark broadcast of a Watchlist), compiled once."""
    key = (broadcast_id, currency)
    ctx = _CONTEXTS.get(key)
    if ctx is None:
        _CONTEXTS.clear()  # a new run: drop the last one's matcher
        ctx = _CONTEXTS[key] = build_context(broadcast.value, currency)
    return ctx


@dataclass(frozen=True, slots=True)
class FilePlan:
    """What an executor needs to know about one file."""

    display: str
    sha: str
    skip: int


def _positions(offset: int, start: int, count: int, blanks: tuple[int, ...]) -> pa.Array:
    """0-based lines of records ``start ..`` of a block, Spark's CSV reader having skipped
    ``blanks``: the k-th record lies after every blank line ``b_i`` with ``b_i - i <= k``."""
    if not blanks:
        return pa.array(range(offset + start, offset + start + count), pa.int64())
    shifted = [b - i for i, b in enumerate(blanks)]
    ks = range(start, start + count)
    return pa.array([offset + k + bisect_right(shifted, k) for k in ks], pa.int64())


BlockKey = tuple[int, int]
"""A block: the index of its file in its read, and the byte where it starts."""


def _runs(batch: pa.RecordBatch) -> Iterator[tuple[BlockKey, pa.RecordBatch]]:
    """The batch cut into runs of one block each (a block's rows are contiguous)."""
    files, starts = batch.column("_fi"), batch.column("_b")
    last = batch.num_rows - 1
    if files[0] == files[last] and starts[0] == starts[last]:
        yield (files[0].as_py(), starts[0].as_py()), batch
        return
    keys = list(zip(files.to_pylist(), starts.to_pylist(), strict=True))
    begin = 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i] != keys[begin]:
            yield keys[begin], batch.slice(begin, i - begin)
            begin = i


OUT_FIELDS: tuple[tuple[str, pa.DataType], ...] = (
    ("kind", pa.string()),
    ("hit_id", pa.string()),
    ("source_file", pa.string()),
    ("row", pa.int64()),
    ("field", pa.string()),
    ("matched_text", pa.string()),
    ("rule", pa.string()),
    ("entity_id", pa.string()),
    ("entity_name", pa.string()),
    ("score", pa.float64()),
    ("lists", pa.list_(pa.string())),
    ("in_force", pa.bool_()),
    *(
        (name, pa.string())
        for name in ("record_date", "vendor", "buyer", "amount", "currency", "description", "via")
    ),
    ("lead", pa.bool_()),
    ("explanation", pa.string()),
    ("json", pa.string()),
    ("line", pa.int64()),
    ("raw", pa.string()),
    ("records", pa.int64()),
    ("seq", pa.int64()),
)
"""The rows the executors emit: hits (``kind`` "hit": the hits.csv columns and the hit as JSON),
rejects ("reject": ``row``, ``line``, ``raw``) and counts ("records": ``records``)."""
OUT_SCHEMA = pa.schema(OUT_FIELDS)
PARQUET_COLUMNS = (*HIT_COLUMNS, "json")


def _hit_row(hit: Hit, seq: int) -> dict[str, Any]:
    row: dict[str, Any] = {name: getattr(hit, name) for name in HIT_COLUMNS if name != "hit_id"}
    row.update(
        kind="hit",
        hit_id=hit.hit_id,
        lists=list(hit.lists),
        seq=seq,
        json=json.dumps(hit.json_dict(), ensure_ascii=False, default=str),
    )
    return row


@dataclass
class _Screen:
    """What ``mapInArrow`` runs: numbers the rows, rejects the bad ones, screens the rest."""

    watchlist: Any  # Broadcast[Watchlist]
    broadcast_id: int  # the key of the worker's cache (a worker-side Broadcast knows no id)
    currency: str | None
    kind: str
    names: tuple[str, ...]  # the real names of the shipped columns c0, c1 ...
    field_map: FieldMap
    files: dict[int, FilePlan]
    blocks: dict[BlockKey, Block] = field(default_factory=dict)

    def __call__(self, batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        ctx = worker_context(self.watchlist, self.broadcast_id, self.currency)
        seen: dict[BlockKey, int] = {}
        for batch in batches:
            if not batch.num_rows:
                continue
            for key, part in _runs(batch):
                start = seen.get(key, 0)
                seen[key] = start + part.num_rows
                yield self._screen(ctx, key, part, start)

    def _screen(
        self, ctx: ScreenContext, key: BlockKey, part: pa.RecordBatch, start: int
    ) -> pa.RecordBatch:
        plan, block = self.files[key[0]], self.blocks.get(key)
        if block is None:
            raise RuntimeError(f"procurewatch: block {key} was not counted; splits differ")
        lines = _positions(block[0], start, part.num_rows, block[1])
        rows = pc.subtract(lines, pa.scalar(plan.skip - 1, pa.int64()))
        data = pc.greater_equal(rows, 1)
        out: list[dict[str, Any]] = []
        keep = data
        if self.kind != PARQUET:
            bad = pc.and_(data, pc.is_valid(part.column(CORRUPT)))
            keep = pc.and_(data, pc.invert(pc.or_(bad, part.column("_blank"))))
            out += self._rejects(part, bad, rows, lines, plan)
        kept = part.filter(keep)
        arrays = [self._text(kept.column(f"c{i}")) for i in range(len(self.names))]
        arrays += [pa.repeat(pa.scalar(plan.display), kept.num_rows), rows.filter(keep)]
        screened = pa.RecordBatch.from_arrays(arrays, [*self.names, "_source_file", "_row"])
        hits = screen_batch(screened, self.field_map, ctx, plan.sha)
        out += [_hit_row(hit, seq) for seq, hit in enumerate(hits)]
        out.append({"kind": "records", "source_file": plan.display, "records": kept.num_rows})
        return pa.RecordBatch.from_pylist(out, schema=OUT_SCHEMA)

    def _text(self, column: pa.Array) -> pa.Array:
        if self.kind == PARQUET:
            return parquet_text(column)
        return pc.fill_null(column, "")  # an empty field: null in Spark, "" in the local reader

    def _rejects(
        self, part: pa.RecordBatch, bad: pa.Array, rows: pa.Array, lines: pa.Array, plan: FilePlan
    ) -> list[dict[str, Any]]:
        if not pc.any(bad).as_py():
            return []
        raw = part.column(CORRUPT).filter(bad).to_pylist()
        numbers, places = rows.filter(bad).to_pylist(), lines.filter(bad).to_pylist()
        whole = self.kind == CSV_WHOLE  # records are not lines there
        return [
            {
                "kind": "reject",
                "source_file": plan.display,
                "row": row,
                "raw": text,
                "line": None if whole else place + 1,
            }
            for row, place, text in zip(numbers, places, raw, strict=True)
        ]


# ---------------------------------------------------------------- the Spark jobs (driver)


def _quoted(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def _read(spark: SparkSession, layout: Layout, uris: list[str], names: list[str]) -> DataFrame:
    """The files as a DataFrame of c0, c1 ... (the columns the field map uses), the corrupt
    record and blank flags (CSV), and the block of every row."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import StringType, StructField, StructType

    wanted = [layout.columns.index(name) for name in layout.field_map.columns()]
    if layout.kind == PARQUET:
        frame = spark.read.parquet(*uris)
        picked = [F.col(_quoted(frame.columns[i])).alias(f"c{n}") for n, i in enumerate(wanted)]
        extra = []
    else:
        fields = [StructField(f"c{i}", StringType()) for i in range(len(layout.columns))]
        schema = StructType([*fields, StructField(CORRUPT, StringType())])
        frame = spark.read.schema(schema).csv(
            uris,
            sep=layout.delimiter,
            encoding=layout.charset,
            quote='"',
            escape='"',
            header=False,
            mode="PERMISSIVE",
            columnNameOfCorruptRecord=CORRUPT,
            multiLine=layout.kind == CSV_WHOLE,
        )
        picked = [F.col(f"c{i}").alias(f"c{n}") for n, i in enumerate(wanted)]
        # every field empty: coalesce stops at the first field that is not
        blank = F.coalesce(*(F.nullif(F.col(f.name), F.lit("")) for f in fields)).isNull()
        extra = [F.col(CORRUPT), blank.alias("_blank")]
    path = F.col("_metadata.file_path")
    index = F.lit(0)  # the file's place in ``uris``: cheaper to ship than its path
    if len(uris) > 1:
        index = F.element_at(
            F.create_map(*(F.lit(x) for i, n in enumerate(names) for x in (n, i))), path
        )
    return frame.select(
        *picked, *extra, index.alias("_fi"), F.col("_metadata.file_block_start").alias("_b")
    )


def _lines(spark: SparkSession, layout: Layout, uris: list[str]) -> DataFrame:
    """Every line (CSV) or record (Parquet) of the files: block, id, blank or not, text."""
    from pyspark.sql import functions as F

    where = [
        F.col("_metadata.file_path").alias("f"),
        F.col("_metadata.file_block_start").alias("b"),
    ]
    if layout.kind == PARQUET:
        return spark.read.parquet(*uris).select(
            *where, F.lit(0).alias("id"), F.lit(False).alias("blank"), F.lit("").alias("value")
        )
    # Spark's CSV reader skips the lines that Java's trim() empties; the local reader counts them
    text = spark.read.text(uris).select(
        *where, F.monotonically_increasing_id().alias("id"), "value"
    )
    value = F.col("value")  # a cheap first test: a blank line starts with a character <= " "
    return text.withColumn("blank", (value < F.lit("!")) & value.rlike(_JAVA_BLANK))


def _block_counts(lines: DataFrame) -> DataFrame:
    """Per block: its first row id, its lines or records, its blank lines."""
    from pyspark.sql import functions as F

    return lines.groupBy("f", "b").agg(
        F.min("id").alias("first"),
        F.count(F.lit(1)).alias("lines"),
        F.sum(F.col("blank").cast("long")).alias("blanks"),
    )


def _blank_lines(lines: DataFrame) -> DataFrame:
    """The blank lines with their block, id and (the start of their) text."""
    from pyspark.sql import functions as F

    return lines.where("blank").select("f", "b", "id", F.substring("value", 1, 1000).alias("value"))


@dataclass
class Numbering:
    """The blocks of every file and what the blank lines hold (rejects, records)."""

    blocks: dict[tuple[str, int], Block] = field(default_factory=dict)
    paths: dict[str, str] = field(default_factory=dict)  # uri → Spark's _metadata.file_path
    rejects: dict[str, list[Reject]] = field(default_factory=lambda: defaultdict(list))
    records: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def number_blocks(spark: SparkSession, groups: Groups) -> Numbering:
    """Count the blocks of every file in one Spark job, and find the blank lines in a second
    one when there are any (files read whole are one block)."""
    numbering = Numbering()
    for layout, plans in groups:
        if layout.kind == CSV_WHOLE:
            numbering.blocks.update({(p.source.uri, 0): (0, ()) for p in plans})
    frames = [
        _lines(spark, layout, [p.source.uri for p in plans])
        for layout, plans in groups
        if layout.kind != CSV_WHOLE
    ]
    if not frames:
        return numbering
    counts = reduce(lambda a, b: a.unionByName(b), [_block_counts(f) for f in frames]).collect()
    blanks: dict[tuple[str, int], list[tuple[int, str]]] = defaultdict(list)
    if any(row["blanks"] for row in counts):
        found = reduce(lambda a, b: a.unionByName(b), [_blank_lines(f) for f in frames])
        for line in found.collect():
            blanks[(unquote(line["f"]), line["b"])].append((line["id"], line["value"]))
    per_file: dict[str, list[Any]] = defaultdict(list)
    for row in counts:
        per_file[unquote(row["f"])].append(row)
        numbering.paths[unquote(row["f"])] = row["f"]
    plans_by_uri = {p.source.uri: (layout, p) for layout, ps in groups for p in ps}
    for uri, rows in per_file.items():
        layout, plan = plans_by_uri[uri]
        offset = 0
        for row in sorted(rows, key=lambda r: r["b"]):
            found_here = sorted((i - row["first"], text) for i, text in blanks[(uri, row["b"])])
            numbering.blocks[(uri, row["b"])] = (offset, tuple(i for i, _ in found_here))
            for index, text in found_here:
                _blank_line(numbering, layout, plan, offset + index, text)
            offset += row["lines"]
    return numbering


def _blank_line(numbering: Numbering, layout: Layout, plan: Planned, index: int, text: str) -> None:
    """What the local reader makes of a line Spark's CSV reader skips: nothing (empty or
    empty fields), a record (whitespace values), or a reject (the wrong number of fields)."""
    row = index + 1 - plan.skip
    if row < 1 or not text:
        return
    fields = next(csv.reader([text], delimiter=layout.delimiter), [])
    if len(fields) != len(layout.columns):
        numbering.rejects[plan.source.uri].append(_reject(plan, layout, index + 1, row, text))
    elif any(fields):
        numbering.records[plan.source.uri] += 1


def _reject(plan: Planned, layout: Layout, line: int | None, row: int, raw: str) -> Reject:
    fields = count_fields(raw, layout.delimiter)
    reason = (
        f"row has {fields} fields, the header has {len(layout.columns)}; fix the row or its quoting"
    )
    return Reject(plan.source.display, line, reason, excerpt(raw), row)


@contextmanager
def _settings(spark: SparkSession, values: Mapping[str, str]) -> Iterator[None]:
    """Session settings for the duration of a run, restored after it."""
    before: dict[str, str | None] = {key: spark.conf.get(key, None) for key in values}
    for key, value in values.items():
        spark.conf.set(key, value)
    try:
        yield
    finally:
        for key, old in before.items():
            if old is None:
                spark.conf.unset(key)
            else:
                spark.conf.set(key, old)


@contextmanager
def _session(master: str | None, spark: SparkSession | None) -> Iterator[SparkSession]:
    """The given session, or a new one (stopped at the end)."""
    require_pyspark()
    if spark is not None:
        yield spark
        return
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("procurewatch")
    if master:
        builder = builder.master(master)
    launched_here = "PYSPARK_GATEWAY_PORT" not in os.environ  # not under spark-submit
    if (
        launched_here
        and not os.environ.get("PYSPARK_PYTHON")
        and (master or "local").startswith("local")
    ):
        builder = builder.config("spark.pyspark.python", sys.executable)
    try:
        session = builder.getOrCreate()
    except Exception as err:  # the JVM did not start
        if "JAVA" in str(err).upper():
            raise SparkUnavailableError(JAVA_MISSING) from None
        raise
    try:
        yield session
    finally:
        session.stop()


def _grouped(plans: list[Planned]) -> Groups:
    """Files with equal layouts, read by one Spark read each (a file read whole alone)."""
    groups: dict[tuple[Layout, str], list[Planned]] = defaultdict(list)
    for plan in plans:
        alone = plan.source.uri if plan.layout.kind == CSV_WHOLE else ""
        groups[(plan.layout, alone)].append(plan)
    return [(layout, members) for (layout, _), members in groups.items()]


def _screen_all(
    spark: SparkSession,
    groups: Groups,
    numbering: Numbering,
    watchlist: Any,
    currency: str | None,
) -> DataFrame:
    """The executors' output rows for every file (a lazy DataFrame)."""
    frames = []
    for layout, members in groups:
        uris = [p.source.uri for p in members]
        place = {uri: i for i, uri in enumerate(uris)}
        fn = _Screen(
            watchlist,
            watchlist._jbroadcast.id(),  # on the driver only: a worker's Broadcast has no id
            currency,
            layout.kind,
            layout.field_map.columns(),
            layout.field_map,
            {i: FilePlan(p.source.display, p.sha, p.skip) for i, p in enumerate(members)},
            {(place[uri], b): v for (uri, b), v in numbering.blocks.items() if uri in place},
        )
        names = [numbering.paths.get(uri, uri) for uri in uris]
        frames.append(_read(spark, layout, uris, names).mapInArrow(fn, _spark_schema()))
    return reduce(lambda a, b: a.unionByName(b), frames)


def _spark_schema() -> Any:
    from pyspark.sql.pandas.types import from_arrow_schema

    return from_arrow_schema(OUT_SCHEMA)


# ---------------------------------------------------------------- results and outputs


def hit_from_json(text: str) -> Hit:
    """A :class:`Hit` back from its ``json_dict()`` JSON."""
    data = json.loads(text)
    data.pop("hit_id", None)
    data["lists"] = tuple(data["lists"])
    data["span"] = tuple(data["span"]) if data["span"] is not None else None
    data["designations"] = tuple(data["designations"])
    return Hit(**data)


def _results(plans: list[Planned], rows: list[Any], numbering: Numbering) -> list[InputResult]:
    """One :class:`InputResult` per file, hits and rejects in row order as the local engine."""
    results = {
        p.source.display: InputResult(p.source.display, p.format, p.sha, p.layout.field_map)
        for p in plans
    }
    layouts = {p.source.display: p for p in plans}
    hits: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for row in rows:
        target = results[row["source_file"]]
        if row["kind"] == "hit":
            hits[target.path].append((row["row"], row["seq"], row["json"]))
        elif row["kind"] == "reject":
            plan = layouts[target.path]
            target.rejects.append(_reject(plan, plan.layout, row["line"], row["row"], row["raw"]))
        else:
            target.records += row["records"]
    for plan in plans:
        target = results[plan.source.display]
        target.records += numbering.records.get(plan.source.uri, 0)
        target.rejects += numbering.rejects.get(plan.source.uri, [])
        target.rejects.sort(key=lambda r: r.row or 0)
        target.hits = [hit_from_json(text) for _, _, text in sorted(hits[target.path])]
    return list(results.values())


def _hits_parquet(
    spark: SparkSession, out: DataFrame, out_dir: str | Path, rows: list[Any]
) -> None:
    """``OUT/hits.parquet/``: written by Spark, or by the driver when the executors cannot
    reach a local output folder (a cluster master)."""
    target = _out_uri(out_dir) + "/hits.parquet"
    local = local_path(target)
    if local is None or str(spark.sparkContext.master).startswith("local"):
        out.where(out["kind"] == "hit").select(*PARQUET_COLUMNS).write.mode("overwrite").parquet(
            target
        )
        return
    import pyarrow.parquet as pq

    table = pa.Table.from_pylist(
        [{k: r[k] for k in PARQUET_COLUMNS} for r in rows if r["kind"] == "hit"],
        schema=pa.schema([OUT_SCHEMA.field(k) for k in PARQUET_COLUMNS]),
    )
    local.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, local / "part-00000.parquet")


def _out_uri(out_dir: str | Path) -> str:
    text = str(out_dir)
    local = local_path(text)
    return f"file:{local.resolve()}" if local is not None else text.rstrip("/")  # Hadoop's form


def _write_small(spark: SparkSession, out_dir: str | Path, result: RunResult) -> None:
    """hits.csv, hits.jsonl, rejects.csv, summary.json by the local engine's writers: published
    into a local folder all at once, or copied to a remote one (``summary.json`` last)."""
    local = local_path(str(out_dir))
    if local is not None:
        publish_outputs(local, result)
        return
    with tempfile.TemporaryDirectory(prefix="procurewatch-") as folder:
        write_outputs(Path(folder), result)
        hadoop = _Hadoop(spark)
        for name in OUTPUT_FILES:
            hadoop.put(Path(folder) / name, f"{str(out_dir).rstrip('/')}/{name}")


T = TypeVar("T")


@dataclass
class _Clock:
    """Seconds per phase of a run (``summary.json`` → ``parameters.timings``)."""

    laps: dict[str, float] = field(default_factory=dict)

    def lap(self, name: str, step: Callable[[], T]) -> T:
        started = time.perf_counter()
        value = step()
        self.laps[name] = round(time.perf_counter() - started, 2)
        return value


def run_spark(
    paths: Sequence[str],
    watchlist: Watchlist,
    *,
    out_dir: str | Path,
    master: str | None = None,
    mapping: Mapping[str, str] | None = None,
    spark: SparkSession | None = None,
    default_currency: str | None = None,
) -> RunResult:
    """Screen ``paths`` (files, folders or globs; local, ``file://``, ``hdfs://``, ``s3a://``
    ...) on Spark and write every output to ``out_dir`` (a local folder or a URI).

    Uses ``spark`` when given (left running), else starts a session on ``master`` (default:
    the Spark configuration's, e.g. ``spark-submit --master``, else ``local[*]``) and stops it.
    Raises :class:`SparkUnavailableError` without PySpark or Java, :class:`InputError` for a
    file that cannot be read.
    """
    started = datetime.now(UTC)
    clock = _Clock()
    with _session(master, spark) as session, _settings(session, RUN_CONF):
        plans = clock.lap("plan_s", lambda: plan_inputs(session, paths, mapping))
        groups = _grouped(plans)
        numbering = clock.lap("count_s", lambda: number_blocks(session, groups))
        broadcast = session.sparkContext.broadcast(watchlist)
        from pyspark import StorageLevel

        out = _screen_all(session, groups, numbering, broadcast, default_currency)
        out = out.persist(StorageLevel.MEMORY_AND_DISK)
        try:
            rows = clock.lap("screen_s", lambda: [r.asDict() for r in out.collect()])
            clock.lap("parquet_s", lambda: _hits_parquet(session, out, out_dir, rows))
        finally:
            out.unpersist()
            broadcast.unpersist()
        result = RunResult(
            run_id=new_run_id(started),
            started_at=started.isoformat(timespec="seconds"),
            finished_at=datetime.now(UTC).isoformat(timespec="seconds"),
            engine="spark",
            inputs=_results(plans, rows, numbering),
            lists=watchlist.versions,
            parameters={
                "threshold": settings.MATCH_THRESHOLD,
                "mapping": dict(mapping or {}),
                "default_currency": default_currency,
                "master": session.sparkContext.master,
                "timings": clock.laps,
            },
        )
        _write_small(session, out_dir, result)
    return result
