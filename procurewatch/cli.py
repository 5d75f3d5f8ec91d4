"""The ``procurewatch`` command line: parse arguments, call the library, print. No logic here.

Each command group lives in its own ``cli_*.py`` module and is added to :data:`app` below.
Errors from the library (:class:`procurewatch.errors.ProcurewatchError`) print as one line
``error: ...`` with exit status 1 (bad input) or 2 (usage); never a traceback.
"""

from __future__ import annotations

import importlib
import sys

import typer

from procurewatch.cli_common import app
from procurewatch.errors import ProcurewatchError

COMMAND_MODULES = {
    "compare": "cli_match",
    "demo": "cli_screen",
    "export": "cli_export",
    "inventory": "cli_inventory",
    "lists": "cli_lists",
    "match": "cli_match",
    "report": "cli_report",
    "rescreen": "cli_rescreen",
    "review": "cli_review",
    "runs": "cli_screen",
    "screen": "cli_screen",
    "serve": "cli_serve",
}
"""The module that adds each command to :data:`app`."""


def _register(argv: list[str] | None = None) -> None:
    """Import the command modules so that they add their commands to :data:`app`: only the
    named command's module when ``argv`` names one (start-up stays short), else all of them
    (for the list of commands in ``--help``)."""
    argv = argv or []
    named = next((a for a in argv if not a.startswith("-")), None)
    modules = [COMMAND_MODULES[named]] if named in COMMAND_MODULES else COMMAND_MODULES.values()
    for module in dict.fromkeys(modules):
        importlib.import_module(f"procurewatch.{module}")


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``procurewatch`` script."""
    _register(sys.argv[1:] if argv is None else argv)
    try:
        app(args=argv, standalone_mode=False)
    except ProcurewatchError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except typer.Abort:
        typer.echo("aborted", err=True)
        sys.exit(1)
    except SystemExit:
        raise
    except Exception as exc:  # usage errors of the command-line parser
        if _is_click_error(exc):
            exc.show()  # type: ignore[attr-defined]
            sys.exit(exc.exit_code)  # type: ignore[attr-defined]
        raise


def _is_click_error(exc: Exception) -> bool:
    """Typer carries its own copy of click; accept usage errors from either."""
    import click

    bases: list[type] = [click.exceptions.ClickException]
    try:
        from typer._click.exceptions import ClickException as TyperClickException

        bases.append(TyperClickException)
    except ImportError:
        pass
    return isinstance(exc, tuple(bases))


if __name__ == "__main__":
    main()
