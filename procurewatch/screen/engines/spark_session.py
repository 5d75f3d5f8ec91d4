"""PySpark being optional, and the Spark session a run uses (driver).

Importing this module does not import PySpark: :func:`require_pyspark` checks for it (and for
the pandas that ``mapInArrow`` needs) when a run starts and raises :class:`SparkUnavailableError`
saying what to install. :func:`_session` uses the caller's session or starts one (stopped at the
end), and :func:`_settings` applies :data:`RUN_CONF` for a run and restores the session's own
settings after it.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING

from procurewatch.errors import ProcurewatchError

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

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
