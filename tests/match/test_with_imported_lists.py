"""Matching against the bundled watchlist plus imported official lists, and the name bench."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from procurewatch.match.matcher import Matcher
from procurewatch.store.db import open_store
from procurewatch.store.lists import save_list
from procurewatch.watchlist.assemble import load_watchlist
from procurewatch.watchlist.importers import parse_file

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def matcher_with_csl(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Matcher:
    store_path = tmp_path_factory.mktemp("store") / "store.duckdb"
    with open_store(store_path) as store:
        save_list(store, parse_file(shared_data / "lists" / "trade_gov_csl_2023_watchman.csv"))
    return Matcher.compile(load_watchlist(store_path))


def test_flushing_dahua_is_the_denied_person_not_zhejiang_dahua(matcher_with_csl: Matcher) -> None:
    results = matcher_with_csl.match_name("DAHUA ELECTRONICS CORPORATION, Flushing NY")
    top = results[0]
    assert matcher_with_csl.is_match(top)
    assert top.entity.id != "dahua"
    assert {d.list.id for d in top.designations} == {"us-bis-dpl"}
    assert "address supports" in top.explanation()
    dahua = [r for r in results if r.entity.id == "dahua"]
    assert not dahua or dahua[0].score < top.score


def test_hikvision_bundled_and_imported_entries_both_found(matcher_with_csl: Matcher) -> None:
    results = matcher_with_csl.match_name("Hangzhou Hikvision Digital Technology Co., Ltd.")
    ids = {r.entity.id for r in results if matcher_with_csl.is_match(r)}
    assert "hikvision" in ids
    assert any(r.entity.dataset != "bundled" for r in results if matcher_with_csl.is_match(r))


def test_name_bench_companies_f1(shared_data: Path) -> None:
    """The evaluation script's figures at the default threshold (see eval/name_bench.py)."""
    sys.path.insert(0, str(REPO / "eval"))
    try:
        import name_bench
    finally:
        sys.path.pop(0)
    result = name_bench.evaluate(shared_data, name_bench.MATCH_THRESHOLD)
    groups = result["groups"]
    assert isinstance(groups, dict)
    ours = groups["companies/organizations"]["procurewatch"]
    baseline = groups["companies/organizations"]["nomenklatura logic-v2 (frozen run)"]
    assert ours["f1"] >= 0.92
    assert ours["f1"] > baseline["f1"]
    agreement = result["ofac_rank_agreement"]
    assert isinstance(agreement, dict) and agreement["spearman"] > 0.5
