"""Fixtures shared by the whole test suite."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Property tests: no per-example deadline (the machines are shared and noisy; timings never
# decide a test). HYPOTHESIS_PROFILE=thorough runs many more examples.
settings.register_profile(
    "default", deadline=None, max_examples=100, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "thorough", deadline=None, max_examples=2000, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

CliRun = Callable[..., tuple[int, str, str]]
"""``run(*args)`` -> ``(exit status, stdout, stderr)`` of ``procurewatch ARGS...``."""

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"
"""Real list, matching and device files (see ``shared/data/PROVENANCE.md``), next to the repo."""


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The ``shared/data`` folder next to the repository; skips the test when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"needs the shared test data folder {SHARED_DATA}, which is absent")
    return SHARED_DATA


@pytest.fixture(autouse=True)
def _own_default_store(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each test's default store is a fresh file of its own, never the user's
    ``~/.procurewatch/store.duckdb`` (which another procurewatch may have written)."""
    folder = tmp_path_factory.mktemp("default-store")
    monkeypatch.setenv("PROCUREWATCH_STORE", str(folder / "store.duckdb"))


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> CliRun:
    """Run ``procurewatch ARGS...`` in this process (the real entry point ``cli.main``);
    returns ``(exit status, stdout, stderr)``."""
    from procurewatch.cli import main

    def _run(*args: str) -> tuple[int, str, str]:
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        out = capsys.readouterr()
        return code, out.out, out.err

    return _run
