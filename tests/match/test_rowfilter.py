"""Hyperscan and RE2 run the same prefilter: they select the same rows of any column."""

from __future__ import annotations

import platform
import sys
from functools import lru_cache

import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from procurewatch.match.rowfilter import (
    HyperscanFilter,
    Re2Filter,
    build_row_filter,
    hyperscan_available,
)
from procurewatch.match.text import TextScanner
from procurewatch.watchlist.bundled import load_bundled

HYPERSCAN_PLATFORM = platform.machine() in ("x86_64", "AMD64") and sys.platform != "win32"
"""Where the package depends on hyperscan (pyproject): there, its absence is a failure."""

pytestmark = pytest.mark.skipif(
    not HYPERSCAN_PLATFORM and not hyperscan_available(),
    reason="hyperscan is not installed off x86-64 (it is optional there)",
)


def test_hyperscan_is_installed_where_the_package_requires_it() -> None:
    assert hyperscan_available() or not HYPERSCAN_PLATFORM, "hyperscan failed to import on x86-64"


@lru_cache(maxsize=1)
def _filters() -> tuple[Re2Filter, HyperscanFilter, list[str]]:
    watchlist = load_bundled()
    scanner = TextScanner.compile(watchlist)
    words = [n.value for e in watchlist.entities.values() for n in e.names][:400]
    words += [ex for p in watchlist.products for ex in p.examples]
    hyperscan = HyperscanFilter(scanner.prefilter_parts(ascii_specials=True))
    return Re2Filter(scanner.prefilter_regex()), hyperscan, words


FIXED = [
    "Hikvision 4MP turret camera",
    "x\nHIKVISION",
    "30Hikvision",  # no word edge before the name: neither selects it
    "ＨＩＫＶＩＳＩＯＮ NVR",  # full-width letters: the odd-character class
    "ürümqi public security bureau",
    "DS-2CD2143G2-I",
    "visa form DS-2019",
    "AZTEC supplies",
    "ZTE Corporation",
    "杭州海康威视数字技术股份有限公司",
    "Office supplies",
    "",
    None,
]


def _same_or_more(texts: list[str | None]) -> None:
    """Hyperscan selects every row RE2 selects; the same rows where the text is ASCII; any
    extra row holds a non-ASCII character."""
    re2, hs, _ = _filters()
    column = pa.array(texts, pa.string())
    fast, slow = set(hs.rows(column)), set(re2.rows(column))
    assert fast >= slow
    assert all(not (texts[i] or "").isascii() for i in fast - slow)


def test_fixed_texts() -> None:
    re2, _, _ = _filters()
    column = pa.array(FIXED, pa.string())
    _same_or_more(FIXED)
    assert 0 in re2.rows(column) and 10 not in re2.rows(column)


def _texts() -> st.SearchStrategy[str]:
    _, _, words = _filters()
    word = st.sampled_from(words).map(lambda w: w.lower() if len(w) % 2 else w.upper())
    noise = st.text(alphabet=st.sampled_from(list("ab 1-_.,\n\tÜüＨ\u00a0")), max_size=6)
    return st.lists(st.one_of(word, noise), max_size=5).map("".join)


@given(st.lists(st.one_of(_texts(), st.none()), max_size=30))
def test_same_rows_as_re2_or_more(texts: list[str | None]) -> None:
    _same_or_more(texts)


def test_a_no_break_space_selects_the_row() -> None:
    re2, hs, _ = _filters()
    column = pa.array(["Hikvision\u00a0Digital Technology", "plain"], pa.string())
    assert hs.rows(column) == [0] and 0 in re2.rows(column)


def test_chunked_columns_number_rows_across_chunks() -> None:
    _, hs, _ = _filters()
    chunked = pa.chunked_array([["toner", "Dahua NVR"], [], ["paper", "HIKVISION"]])
    assert hs.rows(chunked) == [1, 3]


def test_engine_choice() -> None:
    _, _, _ = _filters()
    scanner = TextScanner.compile(load_bundled())
    parts, regex = scanner.prefilter_parts(), scanner.prefilter_regex()
    assert isinstance(build_row_filter(parts, regex, engine="re2"), Re2Filter)
    assert isinstance(build_row_filter(parts, regex), HyperscanFilter)
    asked: list[str] = []

    def regex_asked() -> str:
        asked.append(regex)
        return regex

    assert isinstance(build_row_filter(parts, regex_asked), HyperscanFilter)
    assert asked == []  # Hyperscan needs no RE2 regex: it is not built
    assert isinstance(build_row_filter(parts, regex_asked, engine="re2"), Re2Filter)
    assert asked == [regex]


class _Memory:
    """A byte cache in memory (the disk one is :class:`procurewatch.cache.DiskCache`)."""

    def __init__(self) -> None:
        self.kept: dict[str, bytes] = {}

    def get(self, name: str) -> bytes | None:
        return self.kept.get(name)

    def put(self, name: str, data: bytes) -> None:
        self.kept[name] = data


def test_a_kept_database_selects_the_same_rows() -> None:
    _, compiled, _ = _filters()
    memory = _Memory()
    first = HyperscanFilter(compiled.parts, memory)
    assert list(memory.kept) == [first.cache_name()] and not first.loaded
    second = HyperscanFilter(compiled.parts, memory)
    assert second.loaded  # from the cache, not compiled again
    column = pa.array(FIXED, pa.string())
    assert second.rows(column) == first.rows(column) == compiled.rows(column)
    memory.kept[first.cache_name()] = b"damaged"
    third = HyperscanFilter(compiled.parts, memory)
    assert not third.loaded and third.rows(column) == compiled.rows(column)
