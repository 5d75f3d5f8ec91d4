"""The compiled matcher against the bundled watchlist: the cases the foundation issue requires."""

from __future__ import annotations

from datetime import date

import pytest

from procurewatch.match.matcher import Matcher, NameMatch
from procurewatch.model import Watchlist
from procurewatch.normalize.names import has_cjk
from procurewatch.watchlist.bundled import load_bundled

EL_2019 = date(2019, 10, 9)


def best(matcher: Matcher, query: str) -> NameMatch:
    results = matcher.match_name(query)
    assert results, f"no result for {query!r}"
    assert matcher.is_match(results[0]), results[0].explanation()
    return results[0]


def _lists_from(result: NameMatch) -> dict[str, date | None]:
    return {d.list.id: d.designation.start for d in result.designations}


@pytest.mark.parametrize(
    "query", ["海康威视", "杭州海康威视数字技术股份有限公司", "HIKVISON", "Hikvision"]
)
def test_hikvision_names(matcher: Matcher, query: str) -> None:
    result = best(matcher, query)
    assert result.entity.id == "hikvision"
    lists = _lists_from(result)
    assert lists["us-ndaa-889-a1a"] == date(2019, 8, 13)
    assert lists["us-bis-entity-list"] == EL_2019
    assert lists["us-fcc-covered-list"] == date(2021, 3, 12)


def test_explanation_says_why(matcher: Matcher) -> None:
    text = best(matcher, "海康威视").explanation()
    assert "海康威视" in text and "name" in text


def test_subsidiary_is_covered_through_parent(matcher: Matcher) -> None:
    result = best(matcher, "Hikvision USA Inc")
    assert result.entity.id == "hikvision-usa"
    via_parent = [d for d in result.designations if d.holder == "hikvision" and d.via]
    assert any(d.list.id == "us-ndaa-889-a1a" for d in via_parent)
    assert via_parent[0].via[0].kind == "subsidiary_of"


def test_dahua_stock_name(matcher: Matcher) -> None:
    assert best(matcher, "大华股份").entity.id == "dahua"


@pytest.mark.parametrize(
    "query",
    [
        "Zhejiang Uniview Technologies",
        "Axis Communications AB",
        "Tiandy Technologies",
        "Honor Device Co., Ltd.",
        "Hikari Sushi",
    ],
)
def test_look_alikes_are_not_listed(matcher: Matcher, query: str) -> None:
    assert not [r for r in matcher.match_name(query) if matcher.is_match(r)]


def _entity_list_2019(watchlist: Watchlist) -> list[str]:
    return sorted(
        e.id
        for e in watchlist.entities.values()
        if any(d.list_id == "us-bis-entity-list" and d.start == EL_2019 for d in e.designations)
    )


def test_all_28_entities_are_bundled(watchlist: Watchlist) -> None:
    assert len(_entity_list_2019(watchlist)) == 28


def _names_of(watchlist: Watchlist, entity_id: str, cjk: bool) -> list[str]:
    entity = watchlist.entities[entity_id]
    return [
        n.value for n in entity.names if n.kind in ("legal", "local") and has_cjk(n.value) == cjk
    ]


@pytest.mark.parametrize("entity_id", _entity_list_2019(load_bundled()))
def test_entity_list_2019_found_by_english_and_chinese_name(
    watchlist: Watchlist, matcher: Matcher, entity_id: str
) -> None:
    for cjk in (False, True):
        names = _names_of(watchlist, entity_id, cjk)
        assert names, f"{entity_id} has no {'Chinese' if cjk else 'English'} legal name"
        for name in names:
            assert best(matcher, name).entity.id == entity_id, name


def test_identifier_wins(matcher: Matcher, watchlist: Watchlist) -> None:
    uscc = next(i.value for i in watchlist.entities["hikvision"].identifiers if i.scheme == "uscc")
    result = matcher.match_name(uscc)[0]
    assert result.entity.id == "hikvision"
    assert result.rule == "identifier" and result.score == 1.0


def test_in_force_depends_on_date(matcher: Matcher) -> None:
    result = best(matcher, "Hikvision")
    a1a = next(d for d in result.designations if d.list.id == "us-ndaa-889-a1a")
    assert a1a.in_force_on(date(2019, 8, 12)) is False
    assert a1a.in_force_on(date(2019, 8, 13)) is True


@pytest.mark.parametrize("query", ["海" * 1000, "x" * 5000, "Hikvision " * 300])
def test_very_long_queries_are_answered(matcher: Matcher, query: str) -> None:
    """Words longer than any indexed word skip the typo search (it grows with the square of
    the length); such queries used to take minutes."""
    results = matcher.match_name(query)
    assert all(0.0 <= r.score <= 1.0 for r in results)
