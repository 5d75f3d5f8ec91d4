"""A record dated to the month only (a monthly report's ``2019-08``, ``Aug 2019``, ``2019年8月``):
whether a ban was in force is answered only where the whole month gives one answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from procurewatch.screen.run import run_screen
from procurewatch.screen.values import parse_date, parse_period
from procurewatch.watchlist.bundled import load_bundled


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2019-08", "2019-08-01", "2019-08-31"),
        ("08/2019", "2019-08-01", "2019-08-31"),
        ("Aug 2019", "2019-08-01", "2019-08-31"),
        ("August 2019", "2019-08-01", "2019-08-31"),
        ("Feb-20", "2020-02-01", "2020-02-29"),
        ("2019年8月", "2019-08-01", "2019-08-31"),
        ("令和元年12月", "2019-12-01", "2019-12-31"),
        ("2019-08-20", "2019-08-20", "2019-08-20"),
        ("2019年8月20日", "2019-08-20", "2019-08-20"),
    ],
)
def test_a_period_is_a_day_or_a_whole_month(text: str, first: str, last: str) -> None:
    period = parse_period(text)
    assert period is not None
    assert (period[0].isoformat(), period[1].isoformat()) == (first, last)
    assert parse_date(text) == period[0]


def test_no_period_where_the_text_gives_none() -> None:
    assert parse_period("2019") is None
    assert parse_period("FY2020") is None
    assert parse_period("") is None


def test_in_force_over_a_month(tmp_path: Path) -> None:
    """Hikvision: NDAA sec. 889 in force from 2019-08-13 (its first designation); Huawei: on
    the Entity List since 2019-05-16, so August 2019 is under a ban from its first day."""
    source = tmp_path / "monthly.csv"
    source.write_text(
        "vendor,description,amount,date\n"
        "Hangzhou Hikvision Digital Technology,cameras,100,2019-07\n"
        "Hangzhou Hikvision Digital Technology,cameras,100,2019-08\n"
        "Hangzhou Hikvision Digital Technology,cameras,100,Sep 2019\n"
        "Huawei Technologies Co. Ltd,switches,100,2019-08\n",
        encoding="utf-8",
    )
    hits = {h.row: h for h in run_screen([source], load_bundled()).hits if h.field == "vendor"}
    assert {row: hits[row].in_force for row in hits} == {1: False, 2: None, 3: True, 4: True}
    # DESIGN's contract: ``date`` is YYYY-MM-DD; a month is its first day (as written: record_date)
    assert [hits[row].date for row in (1, 2, 3)] == ["2019-07-01", "2019-08-01", "2019-09-01"]
    assert hits[3].record_date == "Sep 2019"
    ndaa = [d for d in hits[2].designations if d["list"] == "us-ndaa-889-a1a"]
    assert ndaa and all(d["in_force"] is None for d in ndaa)
