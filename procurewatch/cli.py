"""The ``procurewatch`` command line: parse arguments, call the library, print. No logic here.

Each command group lives in its own ``cli_*.py`` module and is added to :data:`app` below.
Errors from the library (:class:`procurewatch.errors.ProcurewatchError`) print as one line
``error: ...`` with exit status 1 (bad input) or 2 (usage); never a traceback.
"""

from __future__ import annotations

import sys

import typer

from procurewatch.cli_common import app
from procurewatch.errors import ProcurewatchError


def _register() -> None:
    """Import the command modules so that they add their commands to :data:`app`."""
    import procurewatch.cli_export
    import procurewatch.cli_inventory
    import procurewatch.cli_lists
    import procurewatch.cli_match
    import procurewatch.cli_report
    import procurewatch.cli_rescreen
    import procurewatch.cli_review
    import procurewatch.cli_screen
    import procurewatch.cli_serve  # noqa: F401


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``procurewatch`` script."""
    _register()
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
