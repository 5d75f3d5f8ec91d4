"""Fixtures shared by the matching tests: the bundled watchlist and its compiled matcher."""

from __future__ import annotations

import pytest

from procurewatch.match.matcher import Matcher
from procurewatch.model import Watchlist
from procurewatch.watchlist.bundled import load_bundled


@pytest.fixture(scope="module")
def watchlist() -> Watchlist:
    """The bundled watchlist."""
    return load_bundled()


@pytest.fixture(scope="module")
def matcher(watchlist: Watchlist) -> Matcher:
    """The matcher compiled over the bundled watchlist."""
    return Matcher.compile(watchlist)
