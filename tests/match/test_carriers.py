"""The Chinese carriers' group companies (DoD 1260H, OFAC NS-CMIC): their short names as vendors,
and in free text only with a word of telecom context."""

from __future__ import annotations

import pytest

from procurewatch.match.matcher import Matcher
from procurewatch.match.text import TextScanner
from procurewatch.model import Watchlist


@pytest.mark.parametrize(
    ("vendor", "entity"),
    [
        ("China Unicom", "china-unicom"),
        ("CHINA MOBILE LTD", "china-mobile"),
        ("China Telecommunications Corporation", "china-telecom-group"),
        ("China Telecom Corp Ltd", "china-telecom"),
        ("China Unicom Americas", "china-unicom-americas"),
    ],
)
def test_a_carrier_vendor_resolves_to_its_listed_company(
    vendor: str, entity: str, matcher: Matcher
) -> None:
    best = matcher.match_name(vendor)[0]
    assert best.entity.id == entity and matcher.is_match(best)


def test_the_group_companies_carry_their_designations(watchlist: Watchlist) -> None:
    for entity_id in ("china-mobile", "china-telecom-group", "china-unicom"):
        lists = {d.list_id for d in watchlist.entities[entity_id].designations}
        assert {"us-dod-1260h", "us-ofac-ns-cmic"} <= lists, entity_id


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("China Mobile SIM cards x10", {"china-mobile"}),
        ("China Unicom MPLS leased line", {"china-unicom"}),
        ("made in China mobile phone holder", set()),
        ("report on China telecom sector", set()),
    ],
)
def test_a_carrier_in_text_needs_telecom_context(
    text: str, found: set[str], watchlist: Watchlist
) -> None:
    scanner = TextScanner.compile(watchlist)
    assert {h.entity_id for h in scanner.scan(text)} == found
