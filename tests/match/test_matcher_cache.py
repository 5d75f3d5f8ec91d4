"""The compiled matcher kept between runs (``procurewatch.matcher_cache``): the same answers as
a fresh compile, a new entry when the imported lists change, a damaged entry rebuilt."""

from __future__ import annotations

from pathlib import Path

import pytest

from procurewatch import matcher_cache
from procurewatch.cache import DiskCache, cache_path
from procurewatch.match.matcher import Matcher
from procurewatch.store.db import open_store
from procurewatch.store.lists import save_list
from procurewatch.watchlist.assemble import load_watchlist
from procurewatch.watchlist.importers import parse_file

QUERIES = ["Hikvision USA Inc", "HIKVISON", "海康威视", "Acme, Inc.", "Zhejiang Dahua", "Blue Rivet Ltd"]
CSL_HEADER = (  # the CSL layout (composed row below: an invented company)
    "_id,source,entity_number,type,programs,name,title,addresses,federal_register_notice,"
    "start_date,end_date,standard_order,license_requirement,license_policy,call_sign,vessel_type,"
    "gross_tonnage,gross_registered_tonnage,vessel_flag,vessel_owner,remarks,source_list_url,"
    "alt_names,citizenships,dates_of_birth,nationalities,places_of_birth,source_information_url,ids"
)


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of the test's own."""
    monkeypatch.setenv("PROCUREWATCH_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def _answers(matcher: Matcher) -> list[list[tuple[str, float, str]]]:
    return [
        [(r.entity.id, r.score, r.explanation()) for r in matcher.match_name(q)] for q in QUERIES
    ]


def _store_with_list(path: Path) -> Path:
    csv = path.parent / "csl.csv"
    row = '"1","Entity List (EL) - Bureau of Industry and Security",' + '"",' * 3
    csv.write_text(f'{CSL_HEADER}\n{row}"Blue Rivet Ltd"' + ',""' * 23 + "\n", encoding="utf-8")
    with open_store(path) as store:
        save_list(store, parse_file(csv))
    return path


def test_the_kept_matcher_answers_as_a_fresh_compile(tmp_path: Path) -> None:
    fresh = Matcher.compile(load_watchlist(None))
    first = matcher_cache.load_matcher(None)
    name = matcher_cache.entry_name(None)
    assert cache_path(name).is_file(), "the compiled matcher was not kept"
    kept = matcher_cache.load_matcher(None)
    assert kept is not first
    assert _answers(kept) == _answers(first) == _answers(fresh)


def test_imported_lists_name_another_entry(tmp_path: Path) -> None:
    store = tmp_path / "store.duckdb"
    bundled_only = matcher_cache.entry_name(store)  # no store file yet
    _store_with_list(store)
    assert matcher_cache.entry_name(store) != bundled_only
    matcher = matcher_cache.load_matcher(store)
    assert [r.entity.id for r in matcher.match_name("Blue Rivet Ltd")] == ["csl-1"]
    again = matcher_cache.load_matcher(store)
    assert [r.entity.id for r in again.match_name("Blue Rivet Ltd")] == ["csl-1"]


def test_a_damaged_entry_is_rebuilt() -> None:
    DiskCache().put(matcher_cache.entry_name(None), b"not a pickle")
    matcher = matcher_cache.load_matcher(None)
    assert matcher.match_name("Hikvision")[0].entity.id == "hikvision"
    assert cache_path(matcher_cache.entry_name(None)).read_bytes() != b"not a pickle"


def test_the_entry_name_follows_the_code(monkeypatch: pytest.MonkeyPatch) -> None:
    before = matcher_cache.entry_name(None)
    monkeypatch.setattr(matcher_cache, "LIBRARIES", (*matcher_cache.LIBRARIES, "pyarrow"))
    matcher_cache.code_digest.cache_clear()  # worked out once per process: a new process here
    try:
        assert matcher_cache.entry_name(None) != before
    finally:
        matcher_cache.code_digest.cache_clear()
