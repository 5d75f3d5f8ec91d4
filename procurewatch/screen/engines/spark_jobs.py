"""The Spark jobs of a run (driver): counting blocks, then reading and screening the files.

Spark splits files into blocks and knows no line numbers, and its CSV reader drops blank lines
that the local reader counts. One JVM-only pass over the files as text (:func:`number_blocks`)
counts each block's lines and finds its blank lines; with it every executor turns "record *k*
of block *b*" into the file's data-row number without a shuffle. Parquet blocks are counted the
same way; a CSV file read whole is one block.

:func:`_read` reads CSV as text columns in ``PERMISSIVE`` mode with a corrupt-record column, so
that a row Spark cannot parse (too few or too many fields) becomes a reject with its line, as
in the local reader. :func:`_screen_all` runs the executors' ``_Screen``
(:mod:`~procurewatch.screen.engines.spark_executors`) over every read. PySpark is imported
inside the functions only.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass, field
from functools import reduce
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from procurewatch.ingest.base import Reject, excerpt
from procurewatch.ingest.csvcells import count_fields
from procurewatch.screen.engines.spark_executors import (
    CORRUPT,
    OUT_SCHEMA,
    Block,
    FilePlan,
    _Screen,
)
from procurewatch.screen.engines.spark_plan import CSV_WHOLE, PARQUET, Groups, Layout, Planned

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

_JAVA_BLANK = r"^[\x00-\x20]*$"  # a line Java's String.trim() empties


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
