"""``procurewatch export DIR --format csv|json|xlsx|md|ftm --out FILE``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from procurewatch.cli_common import app
from procurewatch.errors import InputError

NOUN = {"ftm": "entities"}
FORMAT_NAMES = ("csv", "json", "xlsx", "md", "ftm")
"""The names of :data:`procurewatch.report.export.FORMATS`, for the help text without importing
the exporters (and openpyxl) at start-up; a test keeps the two the same."""


@app.command("export")
def export_command(
    out_dir: Annotated[Path, typer.Argument(help="The output folder of `procurewatch screen`.")],
    fmt: Annotated[str, typer.Option("--format", help=f"One of: {', '.join(FORMAT_NAMES)}.")],
    out: Annotated[Path, typer.Option("--out", help="The file to write.")],
    store: Annotated[
        Path | None,
        typer.Option(
            "--store",
            help="Store file with review decisions (default: DIR/store.duckdb, else the "
            "default store, as for report).",
        ),
    ] = None,
) -> None:
    """Export a screen's hits with review status: CSV, JSON, XLSX, Markdown summary or FtM."""
    from procurewatch.report.export import export

    if not out_dir.is_dir():
        raise InputError(
            "no such folder; give the --out folder of `procurewatch screen`", path=str(out_dir)
        )
    count = export(out_dir, fmt, out, store)
    typer.echo(f"{count:,} {NOUN.get(fmt, 'hits')} -> {out}")
