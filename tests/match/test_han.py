"""Traditional Chinese folds to simplified: names, texts, the prefilter and column headers.

The traditional spellings are the makers' names as Taiwan's and Hong Kong's records write them
(the same characters as the official simplified names, each in its traditional form)."""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow as pa
import pytest

from procurewatch.ingest.columns import guess_field_map
from procurewatch.match.rowfilter import HyperscanFilter, Re2Filter, hyperscan_available
from procurewatch.match.text import TextScanner
from procurewatch.model import Watchlist
from procurewatch.normalize.han import han_table, to_simplified
from procurewatch.normalize.text import normalize_text
from tests.conftest import CliRun

TRADITIONAL = {
    "華為技術有限公司": "huawei",
    "杭州海康威視數字技術股份有限公司": "hikvision",
    "浙江大華技術股份有限公司": "dahua",
    "中興通訊股份有限公司": "zte",
    "海能達通信股份有限公司": "hytera",
}


def test_the_table_maps_one_character_to_one_other() -> None:
    table = han_table()
    assert len(table) > 2800
    assert all(len(simple) == 1 and chr(code) != simple for code, simple in table.items())
    assert to_simplified("華為技術有限公司") == "华为技术有限公司"
    assert to_simplified("Hikvision 摄像机") == "Hikvision 摄像机"


@pytest.mark.parametrize(("name", "entity"), sorted(TRADITIONAL.items()))
def test_a_traditional_legal_name_resolves_to_its_maker(
    name: str, entity: str, cli: CliRun
) -> None:
    code, out, _ = cli("match", name, "--json")
    assert code == 0
    assert f'"entity_id": "{entity}"' in out.split('"results"')[1].split("}")[0]


def test_a_hit_in_traditional_text_points_at_the_original_characters() -> None:
    text = "採購海康威視網路攝影機20台"
    norm = normalize_text(text)
    start = norm.text.index("海康威视")
    assert norm.span(start, start + 4) == (2, 6)
    assert text[2:6] == "海康威視"


def test_the_prefilter_selects_a_text_written_in_traditional_characters(
    watchlist: Watchlist,
) -> None:
    scanner = TextScanner.compile(watchlist)
    texts = ["辦公桌椅", "採購海康威視網路攝影機", "華為交換機 5台", "為了中華民國的數位發展"]
    column = pa.array(texts, pa.string())
    assert list(Re2Filter(scanner.prefilter_regex()).rows(column)) == [1, 2]
    if hyperscan_available():  # the last text has 華, 為, 數 but no maker's name: not selected
        hyperscan = HyperscanFilter(scanner.prefilter_parts(ascii_specials=True))
        assert list(hyperscan.rows(column)) == [1, 2]
    found = {h.entity_id for h in scanner.scan("採購海康威視網路攝影機 華為交換機")}
    assert found >= {"hikvision", "huawei"}


def test_traditional_headers_take_their_roles() -> None:
    fmap = guess_field_map(["機關名稱", "標案名稱", "得標廠商", "決標金額", "決標日期"])
    assert (fmap.buyer, fmap.vendor, fmap.text) == (("機關名稱",), ("得標廠商",), ("標案名稱",))
    assert (fmap.amount, fmap.date) == ("決標金額", "決標日期")


def test_a_taiwanese_award_table_is_screened(tmp_path: Path, cli: CliRun) -> None:
    data = tmp_path / "awards.csv"
    data.write_text(
        "機關名稱,標案名稱,得標廠商,決標金額,決標日期\n"
        "臺北市政府警察局,網路攝影機採購,杭州海康威視數字技術股份有限公司,1200000,2021-03-04\n"
        "新北市政府,採購海康威視網路攝影機20台,某某科技股份有限公司,800000,2021-05-06\n"
        "桃園市政府,辦公桌椅,某某資訊有限公司,50000,2021-07-08\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    code, _, err = cli("screen", str(data), "--out", str(out), "--quiet")
    assert code == 0, err
    with (out / "hits.csv").open(encoding="utf-8", newline="") as handle:
        hits = list(csv.DictReader(handle))
    assert {(h["row"], h["field"], h["entity_id"]) for h in hits} == {
        ("1", "得標廠商", "hikvision"),
        ("2", "標案名稱", "hikvision"),
    }
