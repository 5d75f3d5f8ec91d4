"""Screen on a Spark cluster: the script ``spark-submit`` runs (see ``docs/spark.md``).

    spark-submit --master yarn --py-files procurewatch.zip \\
        procurewatch/screen/engines/spark_submit.py hdfs:///data/awards/ --out hdfs:///screens/run1

INPUT... are files, folders or globs on any file system the cluster knows (hdfs://, s3a://,
file://, plain paths on the driver); ``--out`` is a folder or URI for ``hits.parquet/``,
``hits.csv``, ``hits.jsonl``, ``rejects.csv`` and ``summary.json``. The watchlist is the
bundled one plus the lists imported into ``--store`` (a DuckDB store file readable on the
driver; default ``$PROCUREWATCH_STORE``). Errors print one line; exit status 1 for bad input,
2 for bad arguments.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from procurewatch import settings
from procurewatch.errors import ProcurewatchError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="spark_submit.py",
        description="Screen procurement files on Spark against the procurewatch watchlist.",
    )
    parser.add_argument(
        "inputs", nargs="+", metavar="INPUT", help="CSV/TSV/Parquet files, folders or globs"
    )
    parser.add_argument(
        "--out", required=True, help="output folder or URI (hdfs://, s3a://, file://)"
    )
    parser.add_argument(
        "--store", help="DuckDB store with imported lists (default: $PROCUREWATCH_STORE)"
    )
    parser.add_argument(
        "--map",
        action="append",
        dest="mapping",
        metavar="ROLE=COLUMN",
        help="which column plays a role, e.g. vendor='Payee Name' (repeatable)",
    )
    parser.add_argument("--currency", help="currency of amounts without one (e.g. USD)")
    parser.add_argument(
        "--force", action="store_true", help="replace an earlier run's outputs in a local --out"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one screen; returns the exit status."""
    args = _parser().parse_args(argv)
    from procurewatch.cli_screen import parse_mapping
    from procurewatch.screen.engines.spark import local_path, run_spark
    from procurewatch.screen.publish import check_out_dir
    from procurewatch.watchlist.assemble import load_watchlist

    try:
        out = local_path(args.out)
        if out is not None:
            check_out_dir(out, args.force)
        watchlist = load_watchlist(Path(args.store) if args.store else settings.store_path())
        result = run_spark(
            args.inputs,
            watchlist,
            out_dir=args.out,
            mapping=parse_mapping(args.mapping) or None,
            default_currency=args.currency,
        )
    except ProcurewatchError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return exc.exit_code
    s = result.summary()
    sys.stdout.write(
        f"{s['records']:,} records screened, {s['flagged_records']:,} flagged, "
        f"{s['hits']:,} hits, {s['rejected_rows']:,} rows rejected -> {args.out}\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
