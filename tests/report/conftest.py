"""Fixtures of the report tests: a run folder with composed hits (see ``composed.py``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .composed import sample_hits, write_run
from .test_browser import CHROMIUM, CHROMIUM_ARGS


@pytest.fixture
def run_dir(tmp_path: Path) -> Path:
    """A run folder with the composed hits."""
    return write_run(tmp_path / "run", sample_hits())


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """A headless Debian Chromium, or a skip saying what is missing."""
    if not CHROMIUM.is_file():
        pytest.skip(f"needs Debian's Chromium at {CHROMIUM} (apt-get install -y chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="needs the playwright package")
    with sync_api.sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()
