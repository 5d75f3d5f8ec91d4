"""Fixtures for the reader tests: the shared real data, and helpers to read a whole file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from procurewatch.ingest.base import InputReader

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"


@pytest.fixture
def shared_data() -> Path:
    """``../shared/data``; tests that need it are skipped where it is absent."""
    if not SHARED.is_dir():
        pytest.skip(f"shared data not found at {SHARED} (needs the ../shared checkout)")
    return SHARED


@pytest.fixture
def procurement(shared_data: Path) -> Path:
    """The real OCDS files and USAspending column lists."""
    folder = shared_data / "procurement"
    if not folder.is_dir():
        pytest.skip(f"{folder} not found")
    return folder


def rows(reader: InputReader) -> list[dict[str, Any]]:
    """Every row of every batch, as dicts."""
    out: list[dict[str, Any]] = []
    for batch in reader.batches():
        out += batch.to_pylist()
    return out
