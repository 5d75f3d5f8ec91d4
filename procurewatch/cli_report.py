"""``procurewatch report``: the self-contained HTML findings report of a run."""

from __future__ import annotations

import webbrowser
from pathlib import Path
from typing import Annotated

import typer

from procurewatch.cli_common import StoreOption, app, resolve_store
from procurewatch.errors import InputError


def resolve_target(target: str, store: Path | None) -> Path:
    """The output folder of ``target``: the folder itself, else that of a run id in the store."""
    folder = Path(target)
    if folder.is_dir():
        return folder
    store_path = resolve_store(store)
    if not store_path.is_file():
        raise InputError(
            "neither an output folder nor a run id (no store here); give the --out folder "
            "of `procurewatch screen`, or a run id from `procurewatch runs`",
            path=target,
        )
    from procurewatch.store.runs import list_runs

    runs = {run["run_id"]: run for run in list_runs(store_path)}
    if target not in runs:
        raise InputError(
            f"not a folder and not a run id in {store_path}; list runs with `procurewatch runs`",
            path=target,
        )
    out_dir = Path(str(runs[target]["out_dir"]))
    if not out_dir.is_dir():
        raise InputError(
            f"the outputs of run {target} are gone; re-run the screen", path=str(out_dir)
        )
    return out_dir


@app.command("report")
def report_command(
    target: Annotated[
        str,
        typer.Argument(help="An output folder of `procurewatch screen`, or a run id in the store."),
    ],
    open_: Annotated[
        bool, typer.Option("--open", help="Open the report in the default browser.")
    ] = False,
    store: StoreOption = None,
) -> None:
    """Write TARGET/report.html: one self-contained findings report that works offline."""
    from procurewatch.report.html import write_report

    folder = resolve_target(target, store)
    path = write_report(folder, store=store)
    typer.echo(str(path))
    if open_:
        webbrowser.open(path.resolve().as_uri())
