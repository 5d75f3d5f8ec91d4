"""Public bodies: the place must agree, the level and abbreviations weigh little (issue 14)."""

from __future__ import annotations

import pytest

from procurewatch.match.matcher import Matcher
from procurewatch.match.names import compare
from procurewatch.match.public_body import DIFFERENT_PLACES, read_body
from procurewatch.model import Watchlist
from procurewatch.normalize.names import normalize
from procurewatch.normalize.vocab import VOCAB

PLACE_OF = {
    "psb-aksu": "aksu",
    "psb-altay": "altay",
    "psb-bayingolin": "bayingolin",
    "psb-boertala": "bortala",
    "psb-changji": "changji",
    "psb-hami": "hami",
    "psb-hetian": "hotan",
    "psb-kashgar": "kashgar",
    "psb-kelamayi": "karamay",
    "psb-kezilesu": "kizilsu",
    "psb-shihezi": "shihezi",
    "psb-tacheng": "tacheng",
    "psb-tumushuke": "tumxuk",
    "psb-turfan": "turpan",
    "psb-urumqi": "urumqi",
    "psb-wujiaqu": "wujiaqu",
    "psb-yili": "ili",
    "psb-xpcc": "xpcc",
    "xuar-psb": "xinjiang",
}


def _top(matcher: Matcher, query: str) -> tuple[str, float]:
    found = matcher.match_name(query)
    assert found, f"no candidate for {query!r}"
    return found[0].entity.id, found[0].score


@pytest.mark.parametrize(
    ("query", "entity_id"),
    [
        ("Kashgar Public Security Bureau", "psb-kashgar"),
        ("Tulufan Public Security Bureau", "psb-turfan"),
        ("Aletai City PSB", "psb-altay"),
        ("XUAR Public Security Department", "xuar-psb"),
    ],
)
def test_the_issues_bodies_match(matcher: Matcher, query: str, entity_id: str) -> None:
    found, score = _top(matcher, query)
    assert found == entity_id
    assert matcher.is_match(matcher.match_name(query)[0]), score


def test_entity_ids_of_the_table_exist(watchlist: Watchlist) -> None:
    assert set(PLACE_OF) <= set(watchlist.entities)


def _spellings(place: str) -> list[str]:
    latin = [s for s, p in VOCAB.bodies.places.items() if p == place]
    latin += [s for s, p in VOCAB.bodies.phrases if p == place]
    zh = [z for z, what, p in VOCAB.bodies.zh_parts if what == "place" and p == place]
    return latin + zh


@pytest.mark.parametrize("entity_id", sorted(PLACE_OF))
def test_every_spelling_and_abbreviation_of_every_listed_body(
    matcher: Matcher, entity_id: str
) -> None:
    place = PLACE_OF[entity_id]
    spellings = _spellings(place)
    assert len(spellings) >= 2
    misses = []
    for spelling in spellings:
        zh = not spelling.isascii()
        forms = (
            [f"{spelling}公安局", f"{spelling}市公安局"]
            if zh
            else [f"{spelling} PSB", f"{spelling} Public Security Bureau",
                  f"{spelling} Prefecture Public Security Bureau", f"{spelling} City BPS"]
        )  # fmt: skip
        for form in forms:
            found = matcher.match_name(form)
            if not found or found[0].entity.id != entity_id or not matcher.is_match(found[0]):
                misses.append((form, [(m.entity.id, m.score) for m in found[:2]]))
    assert not misses


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Hotan Prefecture Public Security Bureau", "Tacheng Prefecture Public Security Bureau"),
        ("Hetian PSB", "Tacheng PSB"),
        ("和田地区公安局", "塔城地区公安局"),
        ("Ghulja PSB", "Ili Prefecture Public Security Bureau"),
        ("XPCC PSB", "XUAR PSB"),
    ],
)
def test_bodies_of_different_places_never_match(a: str, b: str) -> None:
    result = compare(a, b)
    assert result.score == DIFFERENT_PLACES
    assert "different places" in result.penalties[0]


def test_the_level_weighs_little_but_is_said() -> None:
    city = compare("Kashgar City PSB", "Kashgar Prefecture Public Security Bureau")
    assert 0.85 <= city.score < 1.0
    assert any("levels differ" in p for p in city.penalties)
    assert compare("Kashi PSB", "喀什地区公安局").score >= 0.95


def test_a_branch_is_not_the_body_itself() -> None:
    assert read_body(normalize("喀什地区公安局疏附县分局")) is None
    assert compare("Kashgar PSB Shufu Branch", "Kashgar PSB").score < 0.8


def test_xinjiang_beside_a_place_is_its_parent(matcher: Matcher) -> None:
    found = matcher.match_name("Xinjiang Kashgar Public Security Bureau")
    assert found[0].entity.id == "psb-kashgar"
    assert all(m.entity.id != "xuar-psb" or not matcher.is_match(m) for m in found)


@pytest.mark.parametrize("query", ["PSB", "Public Security Bureau", "Gansu Public Security Bureau",
                                   "Beijing PSB", "Harbor Public Security"])  # fmt: skip
def test_a_body_without_a_listed_place_is_no_match(matcher: Matcher, query: str) -> None:
    assert not [m for m in matcher.match_name(query) if matcher.is_match(m)]
