"""``procurewatch screen``, ``procurewatch demo`` and ``procurewatch runs``."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from procurewatch.cli_common import StoreOption, app, print_json, resolve_store
from procurewatch.errors import InputError, UsageError

if TYPE_CHECKING:  # the screening modules are imported by the commands that use them
    from procurewatch.screen.engines.head import HeadStart
    from procurewatch.screen.engines.local import Progress as ProgressFn
    from procurewatch.screen.run import RunResult


class Engine(StrEnum):
    """Where ``screen`` runs: in this process, or on Spark."""

    local = "local"
    spark = "spark"


DEMO_FILES = (
    "city_checkbook_payments.csv",
    "usaspending_contracts_award.csv",
    "xinjiang_bidding_results.csv",
)


def parse_mapping(items: list[str] | None) -> dict[str, str]:
    """``["vendor=Payee", "text=Memo"]`` -> ``{"vendor": "Payee", "text": "Memo"}``."""
    mapping: dict[str, str] = {}
    for item in items or []:
        role, sep, column = item.partition("=")
        if not sep or not role.strip() or not column.strip():
            raise UsageError(f"--map {item!r}: write ROLE=COLUMN, e.g. --map vendor='Payee Name'")
        key = role.strip()
        mapping[key] = f"{mapping[key]},{column.strip()}" if key in mapping else column.strip()
    return mapping


@contextmanager
def progress_bar(quiet: bool) -> Iterator[ProgressFn | None]:
    """A Rich progress display of records screened, on a terminal unless ``quiet``."""
    if quiet or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (
        SpinnerColumn(),
        TextColumn("screening"),
        BarColumn(),
        TextColumn("{task.completed:,} records"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("screen", total=None)
        yield lambda n: bar.advance(task, n)


def _check_inputs(inputs: list[Path]) -> None:
    for path in inputs:
        if not path.is_file():
            raise InputError("no such file; check the path", path=str(path))


def _report_line(result: RunResult, out: Path) -> str:
    s = result.summary()
    return (
        f"{s['records']:,} records screened, {s['flagged_records']:,} flagged, {s['hits']:,} hits "
        f"({s['hits_in_force']:,} with a ban in force), {s['set_aside']:,} "
        f"mention{'' if s['set_aside'] == 1 else 's'} set aside, "
        f"{s['rejected_rows']:,} rows rejected -> {out}"
    )


def field_map_lines(result: RunResult) -> list[str]:
    """For each input, the columns taken for each role (and the amount's unit and currency),
    then any note on a format that could not be decided."""
    from procurewatch.ingest.columns import describe_field_map

    lines = []
    for item in result.inputs:
        lines.append(f"{item.path}: {describe_field_map(item.field_map)}")
        lines.extend(f"  note: {note}" for note in result.notes(item))
    return lines


def execute(
    inputs: list[Path],
    out: Path,
    store: Path | None,
    mapping: dict[str, str],
    quiet: bool,
    currency: str | None = None,
    force: bool = False,
    sheet: str | None = None,
) -> RunResult:
    """Record the run as running, screen, save the run as complete, then write the outputs.

    An ``out`` folder holding an earlier run's outputs is refused unless ``force``; the outputs
    appear in ``out`` all at once (:mod:`procurewatch.screen.publish`), and only once the store
    records the run, so a killed run never leaves outputs the store does not know.
    """
    from procurewatch.nopandas import skip_pandas_probe
    from procurewatch.screen.engines.head import head_start  # the readers only
    from procurewatch.screen.publish import check_out_dir

    skip_pandas_probe()  # before any thread starts
    _check_inputs(inputs)
    check_out_dir(out, force)
    head, unopened = None, None
    try:  # the first input's read begins before the screen's modules load and compile
        head = head_start(inputs, mapping=mapping or None, sheet=sheet)
    except Exception as err:  # raised in the recorded block below: the run is marked failed
        unopened = err
    try:
        result = _screen_recorded(inputs, out, store, mapping, quiet, currency, sheet, head,
                                  unopened)  # fmt: skip
    finally:
        if head is not None:
            head.close()
    from procurewatch.screen.publish import publish_outputs

    publish_outputs(out, result)
    return result


def _screen_recorded(inputs: list[Path], out: Path, store: Path | None, mapping: dict[str, str],
                     quiet: bool, currency: str | None, sheet: str | None, head: HeadStart | None,
                     unopened: Exception | None) -> RunResult:  # fmt: skip
    """The run recorded as running, screened (``head``: its first input opened; ``unopened``:
    the error opening it, raised in the record), and saved."""
    from procurewatch.screen.run import new_run_id, run_screen
    from procurewatch.store.attempts import recording
    from procurewatch.store.runs import save_run
    from procurewatch.watchlist.assemble import load_watchlist

    store_path = resolve_store(store)
    watchlist = load_watchlist(store_path)
    run_id = new_run_id(datetime.now(UTC))
    with recording(store_path, run_id, out, "screen"):
        if unopened is not None:
            raise unopened
        with progress_bar(quiet) as progress:
            result = run_screen(
                inputs,
                watchlist,
                mapping=mapping or None,
                progress=progress,
                default_currency=currency,
                sheet=sheet,
                head=head,
            )
        result.run_id = run_id
        save_run(store_path, result, out)
    return result


def execute_spark(
    inputs: list[str],
    out: Path,
    store: Path | None,
    mapping: dict[str, str],
    currency: str | None,
    master: str | None,
    spark: Any = None,
) -> RunResult:
    """Screen on Spark in the order the local engine keeps: the run is recorded as running,
    the engine writes its outputs into a hidden staging folder, the run is saved, and only then
    do the outputs appear in ``out`` (so a killed run leaves none the store does not know)."""
    from procurewatch.screen.engines.spark import require_pyspark, run_spark
    from procurewatch.screen.publish import publish_staged, staging_folder
    from procurewatch.screen.run import new_run_id
    from procurewatch.store.attempts import recording
    from procurewatch.store.runs import save_run
    from procurewatch.watchlist.assemble import load_watchlist

    require_pyspark()
    store_path = resolve_store(store)
    watchlist = load_watchlist(store_path)
    run_id = new_run_id(datetime.now(UTC))
    with recording(store_path, run_id, out, "screen"):
        staging = staging_folder(out)
        try:
            result = run_spark(
                inputs,
                watchlist,
                out_dir=staging,
                master=master,
                mapping=mapping or None,
                default_currency=currency,
                spark=spark,
                run_id=run_id,
            )
            save_run(store_path, result, out)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    publish_staged(staging, out)
    return result


@app.command("screen")
def screen_command(
    inputs: Annotated[
        list[str],
        typer.Argument(
            help="Procurement files: CSV/TSV/XLSX/JSON/JSONL/Parquet, USAspending, OCDS (Spark: CSV/TSV/Parquet files, folders, globs, hdfs://, s3a:// ...)."
        ),
    ],
    out: Annotated[
        Path,
        typer.Option("--out", help="Folder for hits.csv, hits.jsonl, rejects.csv, summary.json."),
    ],
    map_: Annotated[
        list[str] | None,
        typer.Option("--map", help="ROLE=COLUMN, e.g. vendor='Payee Name' (repeatable)."),
    ] = None,
    currency: Annotated[
        str | None, typer.Option(help="Currency of amounts without one (e.g. USD).")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    store: StoreOption = None,
    engine: Annotated[
        Engine,
        typer.Option(
            "--engine",
            help="local: in this process; spark: on Spark (pip install 'procurewatch\\[spark]').",
        ),
    ] = Engine.local,
    spark_master: Annotated[
        str | None,
        typer.Option(
            "--spark-master",
            help="Spark master URL for --engine spark (local[*], yarn, spark://HOST:7077, k8s://...).",
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option("--force", help="Replace the outputs of an earlier run in the --out folder."),
    ] = False,
    sheet: Annotated[
        str | None,
        typer.Option(
            "--sheet",
            help="Workbook sheet to read: NAME, a number from 1, or all (default: the sheet "
            "whose header names a vendor or description column).",
        ),
    ] = None,
) -> None:
    """Screen procurement records against the watchlist and write the hits with their evidence.

    A --out folder that already holds a run's outputs is refused unless --force.
    """
    from procurewatch.screen.publish import check_out_dir

    mapping = parse_mapping(map_)
    check_out_dir(out, force)
    if engine is Engine.spark:
        if sheet is not None:
            raise UsageError("--sheet needs the local engine (Spark reads CSV, TSV and Parquet)")
        result = execute_spark(inputs, out, store, mapping, currency, spark_master)
    else:
        if spark_master is not None:
            raise UsageError("--spark-master needs --engine spark")
        result = execute(
            [Path(i) for i in inputs], out, store, mapping, quiet, currency, force, sheet
        )
    if not quiet:
        for line in field_map_lines(result):
            typer.echo(line)
    typer.echo(_report_line(result, out), err=quiet)


def demo_folder() -> Path:
    """The bundled example: ``examples/demo`` of the source tree."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "examples" / "demo", here.parent / "examples" / "demo"):
        if (candidate / DEMO_FILES[0]).is_file():
            return candidate
    raise InputError(
        "the demo files are not installed; run from a source checkout (pip install -e .)"
    )


@app.command("demo")
def demo_command(
    out: Annotated[Path, typer.Option("--out", help="Output folder.")] = Path("demo-out"),
    quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False,
    store: StoreOption = None,
) -> None:
    """Screen the bundled example end to end (a checkbook, a USAspending file, Chinese bids).

    Replaces the outputs of an earlier demo in the --out folder.
    """
    folder = demo_folder()
    store_path = store if store is not None else out / "store.duckdb"
    result = execute([folder / f for f in DEMO_FILES], out, store_path, {}, quiet, force=True)
    from procurewatch.report.html import write_report

    report = write_report(out, store=store_path)
    typer.echo(_report_line(result, out) + f"; report: {report}")


@app.command("runs")
def runs_command(
    as_json: Annotated[bool, typer.Option("--json")] = False,
    every: Annotated[
        bool,
        typer.Option("--all", help="Also runs that did not complete: running, killed, failed."),
    ] = False,
    store: StoreOption = None,
) -> None:
    """List the screening runs recorded in the store (--all: also those that did not complete)."""
    from procurewatch.store.runs import list_runs, list_unfinished

    path = resolve_store(store)
    runs = list_runs(path)
    unfinished = list_unfinished(path)
    if as_json:
        print_json([{**r, "status": "complete"} for r in runs] + unfinished if every else runs)
        return
    for line in runs_table(runs):
        typer.echo(line)
    for item in unfinished if every else []:
        why = f": {item['error']}" if item["error"] else ""
        typer.echo(
            f"{item['run_id']}  {item['started_at']}  {item['status']}{why}  {item['out_dir']}"
        )
    if unfinished and not every:
        typer.echo(f"({len(unfinished):,} runs did not complete; see procurewatch runs --all)")


RUNS_HEADER = ("run id", "finished", "records", "flagged", "rejected", "inputs", "output folder")


def runs_table(runs: list[dict[str, Any]]) -> list[str]:
    """The run list as aligned lines under a header line (numbers right-aligned)."""
    if not runs:
        return ["no runs recorded yet; screen a file with `procurewatch screen FILE`"]
    rows = [
        (
            str(r["run_id"]),
            str(r["finished_at"])[:19],
            f"{r['records']:,}",
            f"{r['flagged_records']:,}",
            f"{r['rejected_rows']:,}",
            ", ".join(Path(str(p)).name for p in r.get("inputs") or []) or "-",
            str(r["out_dir"]),
        )
        for r in runs
    ]
    widths = [max(len(row[i]) for row in (RUNS_HEADER, *rows)) for i in range(len(RUNS_HEADER))]
    numeric = {2, 3, 4}
    return [
        "  ".join(
            cell.rjust(widths[i]) if i in numeric else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ).rstrip()
        for row in (RUNS_HEADER, *rows)
    ]
