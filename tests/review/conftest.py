"""Fixtures: an empty store, and a first run recorded in it (see ``review_factory``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from review_factory import Env, base_hits, make_run

from procurewatch.screen.run import RunResult


@pytest.fixture
def env(tmp_path: Path) -> Env:
    """An empty store in ``tmp_path``."""
    return Env(tmp_path / "store.duckdb", tmp_path)


@pytest.fixture
def first_run(env: Env) -> RunResult:
    """``run-1`` with :func:`base_hits`, recorded in the store."""
    run = make_run("run-1", base_hits(), started="2026-01-01T10:00:00+00:00")
    env.record(run)
    return run
