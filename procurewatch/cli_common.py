"""The Typer application object and options shared by every command module."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from procurewatch import settings

app = typer.Typer(
    name="procurewatch",
    help="Find purchases of blacklisted surveillance and telecom equipment, with evidence.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _group() -> None:
    """Keeps ``procurewatch`` a group of commands even when only the one named on the command
    line has been imported (:func:`procurewatch.cli._register`)."""


StoreOption = Annotated[
    Path | None,
    typer.Option(
        "--store",
        help="DuckDB store file (default: $PROCUREWATCH_STORE or ~/.procurewatch/store.duckdb).",
    ),
]


def resolve_store(path: Path | None) -> Path:
    """The store path from ``--store`` or the settings."""
    return path if path is not None else settings.store_path()


def print_json(data: Any) -> None:
    """Print ``data`` as pretty UTF-8 JSON on stdout."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")
