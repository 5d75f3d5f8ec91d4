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
