"""A listed name with a country added or its home city left out is the listed company (or its
national subsidiary): the vendor names of real purchases, e.g. ``ZTE USA Inc``."""

from __future__ import annotations

import dataclasses

import pytest

from procurewatch.match.matcher import Matcher
from procurewatch.match.place_rule import PLACE_QUALIFIED_SCORE, place_qualified
from procurewatch.model import Entity, Name, Watchlist
from procurewatch.normalize.names import normalize


def _matched(matcher: Matcher, query: str) -> list[str]:
    return [r.entity.id for r in matcher.match_name(query) if matcher.is_match(r)]


@pytest.mark.parametrize(
    ("query", "entity_id", "words"),
    [
        ("ZTE USA Inc", "zte", "added us"),
        ("Huawei Technologies USA", "huawei", "added us"),
        ("Hytera America Inc", "hytera", "added america"),
        ("Lorex Canada", "lorex", "added canada"),
        ("Hikvision Digital Technology Co", "hikvision", "left out hangzhou"),
        ("Kaspersky Lab UK", "kaspersky", "added uk"),
    ],
)
def test_a_place_qualified_name_is_the_listed_company(
    matcher: Matcher, query: str, entity_id: str, words: str
) -> None:
    results = {r.entity.id: r for r in matcher.match_name(query)}
    assert entity_id in results
    found = results[entity_id]
    assert matcher.is_match(found) and found.score == PLACE_QUALIFIED_SCORE
    assert words in found.explanation() and "subsidiary" in found.explanation()


@pytest.mark.parametrize(
    "query",
    [
        "Beijing Dahua Radio Instrument",  # another company: a Chinese city is never added
        "Dahua Trading Co",  # a generic word added, not a place
        "Li Huawei",  # a person
        "Hytera Communications America (West) Inc",  # "west" is not a place
        "Honor Device USA",  # shares no distinctive word
    ],
)
def test_other_words_than_places_do_not_qualify(matcher: Matcher, query: str) -> None:
    assert not [e for e in _matched(matcher, query) if e in ("dahua", "huawei", "hytera")]


def test_a_country_is_never_swapped_for_another(matcher: Matcher) -> None:
    assert "hikvision-usa" not in _matched(matcher, "Hikvision Canada")
    assert "hikvision" in _matched(matcher, "Hikvision Canada")


def test_the_same_words_are_left_to_the_comparer() -> None:
    assert place_qualified(normalize("ZTE Corporation"), normalize("ZTE Corp")) is None
    assert place_qualified(normalize("中兴通讯美国"), normalize("中兴通讯")) is None


def test_an_imported_lists_names_do_not_get_the_rule(watchlist: Watchlist) -> None:
    alfa = Entity("sdn-alfa", "Company", "ALFA", names=(Name("ALFA", "legal"),), dataset="sdn-x")
    both = dataclasses.replace(watchlist, entities={**watchlist.entities, alfa.id: alfa})
    curated = dataclasses.replace(alfa, id="curated-alfa", dataset="bundled")
    mine = dataclasses.replace(watchlist, entities={**watchlist.entities, curated.id: curated})
    assert "sdn-alfa" not in _matched(Matcher.compile(both), "Alfa USA Inc")
    assert "curated-alfa" in _matched(Matcher.compile(mine), "Alfa USA Inc")
