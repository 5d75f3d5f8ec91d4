"""Real names for Huawei seen on the speed bench file (issue 14, round 2)."""

from __future__ import annotations

import pytest

from procurewatch.match.matcher import Matcher
from procurewatch.match.names import compare, singular


@pytest.mark.parametrize(
    ("query", "entity_id"),
    [
        ("Huawei Technology", "huawei"),  # 0.71 before: technology / technologies did not pair
        ("Huawei Technology Co., Ltd.", "huawei"),
        ("Huawei Device Co., Ltd.", "huawei-device"),  # 0.50 against Huawei before
    ],
)
def test_real_huawei_names_match(matcher: Matcher, query: str, entity_id: str) -> None:
    found = matcher.match_name(query)
    assert found and found[0].entity.id == entity_id, [(m.entity.id, m.score) for m in found]
    assert matcher.is_match(found[0])


def test_huawei_device_reaches_huaweis_designations(matcher: Matcher) -> None:
    found = matcher.match_name("Huawei Device Co., Ltd.")[0]
    lists = {d.designation.list_id for d in found.designations}
    assert "us-ndaa-889-a1a" in lists
    assert any(d.via for d in found.designations)  # through the subsidiary relation


def test_a_chinese_city_before_huawei_is_not_the_listed_company(matcher: Matcher) -> None:
    """The listing data seat Huawei Technologies in Shenzhen; a Hangzhou company of that name is
    shown as a candidate below the threshold, for review, not as a match."""
    found = matcher.match_name("Hangzhou Huawei Technology Co., Ltd.")
    assert found and found[0].entity.id == "huawei"
    assert not matcher.is_match(found[0])


def test_singular_and_plural_of_a_generic_word_pair() -> None:
    result = compare("Acme Technology", "Acme Technologies")
    assert result.score >= 0.95 and "plural" in result.explain()
    assert singular("technologies") == "technology"
    assert singular("systems") == "system"
    assert singular("business") == "business"
