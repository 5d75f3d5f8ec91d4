"""The plan of a Spark run (driver): which files to read, and how.

Every input (a file, folder or glob on any file system Hadoop knows: local, ``file://``,
``hdfs://``, ``s3a://`` ...) is listed; the first MiB of each file goes through the local
engine's own sniffing (:func:`~procurewatch.ingest.base.open_input`: format, encoding,
delimiter, header, field map, ``--map``) and its fingerprint is taken the same way. Files with
the same layout are read together. CSV files whose quoted values span lines in their first MiB
are read whole (``multiLine``), one task per file. Hadoop's FileSystem is reached through the
driver's JVM; PySpark is only imported for type checking.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import tempfile
from collections.abc import Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from procurewatch.errors import InputError
from procurewatch.ingest.base import FieldMap, open_input, unique_names
from procurewatch.ingest.columns import apply_mapping, guess_field_map, require_screenable
from procurewatch.ingest.encoding import SAMPLE_BYTES, decode_sample
from procurewatch.ingest.tabular import DelimitedReader
from procurewatch.screen.engines.local import SAMPLE, fingerprint

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

PARQUET, CSV_LINES, CSV_WHOLE = "parquet", "csv", "csv-multiline"
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


Groups = list[tuple[Layout, list[Planned]]]
"""Files read together, with their layout."""


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
