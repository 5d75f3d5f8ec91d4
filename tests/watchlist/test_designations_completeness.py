"""Every designation of the NDAA companies with its dates, and Dahua's Imou maker (issue 14)."""

from __future__ import annotations

from datetime import date

import pytest

from procurewatch.match.matcher import Matcher
from procurewatch.match.oui import OuiAttributor
from procurewatch.match.oui_registry import load_index
from procurewatch.model import Watchlist
from procurewatch.watchlist.bundled import load_bundled


@pytest.fixture(scope="module")
def watchlist() -> Watchlist:
    return load_bundled()


def _in_force(watchlist: Watchlist, entity_id: str, list_id: str, day: date) -> bool:
    return any(
        eff.list.id == list_id and eff.in_force_on(day)
        for eff in watchlist.effective_designations(entity_id)
    )


def test_a_purchase_from_huawei_in_june_2019_shows_the_entity_list(watchlist: Watchlist) -> None:
    assert _in_force(watchlist, "huawei", "us-bis-entity-list", date(2019, 6, 15))
    assert not _in_force(watchlist, "huawei", "us-bis-entity-list", date(2019, 5, 15))
    listed = {
        d.listed
        for d in watchlist.entities["huawei"].designations
        if d.list_id == "us-bis-entity-list"
    }
    assert {date(2019, 5, 16), date(2019, 8, 19), date(2020, 8, 17)} <= listed


@pytest.mark.parametrize(
    ("list_id", "day", "expected"),
    [
        ("us-bis-entity-list", date(2016, 3, 7), False),
        ("us-bis-entity-list", date(2016, 3, 8), True),
        ("us-bis-entity-list", date(2017, 3, 28), True),
        ("us-bis-entity-list", date(2017, 3, 29), False),
        ("us-bis-dpl", date(2018, 4, 14), False),
        ("us-bis-dpl", date(2018, 4, 15), True),
        ("us-bis-dpl", date(2018, 7, 12), True),
        ("us-bis-dpl", date(2018, 7, 13), False),
    ],
)
def test_zte_entity_list_and_denial_order_windows(
    watchlist: Watchlist, list_id: str, day: date, expected: bool
) -> None:
    assert _in_force(watchlist, "zte", list_id, day) is expected


def test_huacheng_is_a_dahua_subsidiary(watchlist: Watchlist) -> None:
    lists = {eff.list.id for eff in watchlist.effective_designations("huacheng-network")}
    assert {"us-ndaa-889-a1a", "us-fcc-covered-list"} <= lists
    found = Matcher.compile(watchlist).match_name("Hangzhou Huacheng Network Technology Co., Ltd.")
    assert found[0].entity.id == "huacheng-network"


def test_the_imou_mac_block_is_dahuas(watchlist: Watchlist) -> None:
    attributor = OuiAttributor(load_index(), Matcher.compile(watchlist))
    result = attributor.lookup("A8:31:62:12:34:56")
    assert result.block is not None
    assert "Huacheng" in result.block.organization
    assert any(r.entity.id == "huacheng-network" for r in result.registrants)
