"""Fixtures shared by the whole test suite."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"
"""Real list, matching and device files (see ``shared/data/PROVENANCE.md``), next to the repo."""


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The ``shared/data`` folder next to the repository; skips the test when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"needs the shared test data folder {SHARED_DATA}, which is absent")
    return SHARED_DATA
