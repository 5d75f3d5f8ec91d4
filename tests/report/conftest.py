"""Fixtures of the report tests: a run folder with composed hits (see ``composed.py``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .composed import sample_hits, write_run


@pytest.fixture
def run_dir(tmp_path: Path) -> Path:
    """A run folder with the composed hits."""
    return write_run(tmp_path / "run", sample_hits())
