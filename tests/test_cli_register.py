"""The command line imports only the module of the command it runs: the map must stay whole."""

from __future__ import annotations

import subprocess
import sys

import pytest
import typer

from procurewatch.cli import COMMAND_MODULES, _register
from procurewatch.cli_common import app


def test_every_command_is_in_the_map() -> None:
    _register()
    group = typer.main.get_command(app)
    assert isinstance(group, typer.core.TyperGroup)
    assert set(group.commands) == set(COMMAND_MODULES)


@pytest.mark.parametrize("command", sorted(COMMAND_MODULES))
def test_a_command_runs_with_only_its_module_imported(command: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "procurewatch.cli", command, "--help"],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert f"procurewatch.cli {command}" in " ".join(done.stdout.split())


HEAVY = ("pypinyin", "rigour", "duckdb", "openpyxl", "pyarrow", "procurewatch.match.matcher")
"""What ``procurewatch --help`` must not import (start-up stays short)."""


def test_help_imports_no_heavy_library() -> None:
    code = (
        "import sys\nfrom procurewatch import cli\ntry:\n    cli.main(['--help'])\n"
        "except SystemExit:\n    pass\nprint(' '.join(sorted(sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    loaded = set(done.stdout.strip().splitlines()[-1].split())
    assert "typer" in loaded, "the help was not printed by Typer"
    assert not [m for m in HEAVY if m in loaded]


def test_export_format_names_are_the_exporters() -> None:
    from procurewatch.cli_export import FORMAT_NAMES
    from procurewatch.report.export import FORMATS

    assert tuple(FORMATS) == FORMAT_NAMES
