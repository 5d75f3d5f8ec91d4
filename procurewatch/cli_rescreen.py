"""``procurewatch rescreen``: screen a stored run's inputs again against other list versions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from procurewatch.cli_common import StoreOption, app, print_json, resolve_store
from procurewatch.cli_screen import progress_bar
from procurewatch.errors import UsageError

if TYPE_CHECKING:  # imported by the command (start-up stays short)
    from procurewatch.screen.rescreen import Rescreen


def parse_versions(text: str | None) -> list[str] | None:
    """``"csl-2025-1a2b3c4d,ofac-sdn-2024-..."`` -> the ids; None for the newest of each kind."""
    if text is None:
        return None
    versions = [part.strip() for part in text.split(",") if part.strip()]
    if not versions:
        raise UsageError(
            "--lists needs list version ids, comma-separated (see procurewatch lists versions), "
            "or 'bundled' for the bundled lists alone"
        )
    return versions


@app.command("rescreen")
def rescreen_command(
    run: Annotated[str, typer.Argument(help="The run to screen again: a run id or 'latest'.")],
    lists: Annotated[
        str | None,
        typer.Option(
            "--lists",
            help="List versions to screen against, comma-separated (ids from `procurewatch lists "
            "versions`; 'bundled' alone: the bundled lists only). Default: the newest of each.",
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Output folder (default: rescreen-RUN_ID in the run's folder)."),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace an earlier run's outputs in --out.")
    ] = False,
    limit: Annotated[
        int, typer.Option("--limit", help="Hits shown per table (0: all).", min=0)
    ] = 20,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    store: StoreOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
) -> None:
    """Screen a run's input files again with other list versions: report new and vanished hits.

    The inputs must be unchanged (same fingerprint). The new run is recorded in the store;
    review decisions follow the hit ids, so their statuses carry over and are shown.
    """
    from procurewatch.nopandas import skip_pandas_probe
    from procurewatch.screen.publish import check_out_dir, publish_outputs
    from procurewatch.screen.rescreen import load_run, rescreen, review_statuses, watchlist_for
    from procurewatch.screen.run import new_run_id
    from procurewatch.store.attempts import recording
    from procurewatch.store.runs import save_run

    skip_pandas_probe()  # before any thread starts
    versions = parse_versions(lists)
    store_path = resolve_store(store)
    previous = load_run(store_path, run)
    if out is not None:
        check_out_dir(out, force)
    watchlist = watchlist_for(store_path, versions)
    run_id = new_run_id(datetime.now(UTC))
    folder = out if out is not None else Path(previous.out_dir) / f"rescreen-{run_id}"
    with recording(store_path, run_id, folder, "rescreen"):
        with progress_bar(quiet or as_json) as progress:
            done = rescreen(store_path, previous, watchlist, progress)
        done.result.run_id = run_id
        save_run(store_path, done.result, folder)
    publish_outputs(folder, done.result)  # after the store records the run
    review_statuses(store_path, done)
    if as_json:
        print_json({**done.to_dict(), "out_dir": str(folder)})
        return
    _print(Console(), done, folder, limit)


def _print(console: Console, done: Rescreen, folder: Path, limit: int) -> None:
    data = done.to_dict()
    counts = data["counts"]
    kept = ", ".join(f"{n:,} {status}" for status, n in counts["kept_by_status"].items())
    console.print(
        f"{done.result.run_id} re-screened {done.previous.run_id}: {counts['new']:,} new hits, "
        f"{counts['vanished']:,} vanished, {counts['kept']:,} kept"
        + (f" ({kept})" if kept else "") + f" -> {folder}",
        markup=False, soft_wrap=True,
    )  # fmt: skip
    console.print(f"lists before: {', '.join(done.previous.lists)}", markup=False, soft_wrap=True)
    console.print(f"lists now:    {', '.join(done.result.lists)}", markup=False, soft_wrap=True)
    for title, key in (
        ("New hits", "new"),
        ("Vanished hits", "vanished"),
        ("Kept hits with a review decision", "kept_reviewed"),
    ):
        rows = [_cells(done, hit) for hit in data[key]]
        _table(console, f"{title} ({len(rows):,})", rows, limit)


COLUMNS = ("hit id", "where", "entity", "matched text", "rule", "review")


def _cells(done: Rescreen, hit: dict[str, Any]) -> tuple[str, ...]:
    where = f"{Path(str(hit['source_file'])).name}:{hit['row']}"
    entity = f"{hit['entity_name']} [{hit['entity_id']}]"
    review = done.status(hit["hit_id"])
    if "previous" in hit:
        earlier = hit["previous"]
        review += (
            f" (same evidence as {earlier['hit_id']}, {earlier['review']['label']}, "
            f"entity id was {earlier['entity_id']})"
        )
    return (hit["hit_id"], where, entity, str(hit["matched_text"] or ""), str(hit["rule"]),
            review)  # fmt: skip


def _table(console: Console, title: str, rows: Sequence[tuple[str, ...]], limit: int) -> None:
    if not rows:
        return
    table = Table(title=title, title_justify="left")
    for column in COLUMNS:
        table.add_column(column, overflow="fold")
    for row in rows if limit == 0 else rows[:limit]:
        table.add_row(*(Text(value) for value in row))
    console.print(table)
    if limit and len(rows) > limit:
        console.print(f"  ... and {len(rows) - limit:,} more (see --json)")
