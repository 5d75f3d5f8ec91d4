"""Writing variants of brands and look-alikes of them (issue 14)."""

from __future__ import annotations

import pytest

from procurewatch.match.matcher import Matcher
from procurewatch.match.names import compare
from procurewatch.normalize.vocab import VOCAB


@pytest.mark.parametrize(
    ("query", "entity_id"),
    [
        ("Hik Vision Systems", "hikvision"),
        ("Hai Kang Wei Shi", "hikvision"),
        ("Hǎi Kāng Wēi Shì", "hikvision"),
        ("Haikang Weishi", "hikvision"),
        ("Hik-Vision", "hikvision"),
        ("Ｈｉｋｖｉｓｉｏｎ", "hikvision"),
        ("Ｈｉｋ Ｖｉｓｉｏｎ", "hikvision"),
        ("Da-Hua Technology", "dahua"),
        ("Da Hua Technology", "dahua"),
        ("Hua Wei Technologies", "huawei"),
        ("Zhong Xing", "zte"),
    ],
)
def test_writing_variants_match(matcher: Matcher, query: str, entity_id: str) -> None:
    found = matcher.match_name(query)
    assert found and found[0].entity.id == entity_id, [(m.entity.id, m.score) for m in found]
    assert matcher.is_match(found[0])


def test_the_gate_lets_split_brands_through(matcher: Matcher) -> None:
    names = ["Hik Vision Systems", "Hai Kang Wei Shi", "Harbor Systems Co 72"]
    assert list(matcher.gate.may_match(names)) == [True, True, False]


def test_a_brand_with_generic_words_says_so(matcher: Matcher) -> None:
    found = matcher.match_name("Hikvision Systems")[0]
    assert found.entity.id == "hikvision" and matcher.is_match(found)
    assert "generic words added (systems)" in found.explanation()


@pytest.mark.parametrize("query", ["Dahua Systems", "Dahua Electronics Corporation"])
def test_a_short_brand_with_generic_words_is_not_enough(matcher: Matcher, query: str) -> None:
    assert not [m for m in matcher.match_name(query) if matcher.is_match(m)]


LOOKALIKES = ["Hytech", "Hytech Inc", "ZTEK", "ZTEK Co", "Hikari", "Hytec Industries", "Hyster",
              "Prima Technologies", "Honor Device Co., Ltd.", "ZTA Corporation"]  # fmt: skip


@pytest.mark.parametrize("query", LOOKALIKES)
def test_lookalikes_are_not_matches(matcher: Matcher, query: str) -> None:
    assert not [m for m in matcher.match_name(query) if matcher.is_match(m)]


def test_the_lookalike_feature_is_said_and_weighs() -> None:
    result = compare("ZTEK Corporation", "ZTE Corporation")
    assert any("look-alike (ztek is not zte)" in p for p in result.penalties)
    assert result.score < 0.5
    assert "hytech" in VOCAB.lookalikes
    assert compare("Hytech", "Hytera").score < 0.5


@pytest.mark.parametrize(("query", "listed"), [("Hikvison", "Hikvision"),
                                               ("Dahau Technology", "Dahua Technology")])  # fmt: skip
def test_a_typo_in_a_longer_brand_still_matches(query: str, listed: str) -> None:
    assert compare(query, listed).score >= 0.8


def test_a_person_is_never_shown_as_a_roman_numeral(matcher: Matcher) -> None:
    for name in ["Li Wei", "Wei Li", "Zhang Li"]:
        assert "51" not in compare(name, "Li Wei Trading").explain()


# Round 2: a short brand word of the curated watchlist takes no edit but a swap. Each of these
# matched before the rule (Imoux 0.86 -> imou, Lorax 0.86 -> lorex, CCTC 0.82 -> cetc).
CURATED_LOOKALIKES = [
    "Imoux Ltd",  # composed: one added letter
    "Lorax Inc",  # lorax, a word; Lorex is a listed brand
    "CCTC",  # DoD 1260H list: China Construction Technology Co., Ltd.
    "CSTC",  # DoD 1260H list: China Shipbuilding Trading Co., Ltd.
    "Comet Ltd",  # comet, a word; ComNet is listed
]


@pytest.mark.parametrize("query", CURATED_LOOKALIKES)
def test_an_edit_in_a_short_curated_brand_is_a_lookalike(matcher: Matcher, query: str) -> None:
    found = matcher.match_name(query)
    assert not [m for m in found if matcher.is_match(m)], [(m.entity.id, m.score) for m in found]


def test_the_curated_lookalike_is_explained(matcher: Matcher) -> None:
    from procurewatch.match.names import compare_normalized
    from procurewatch.normalize.names import normalize

    result = compare_normalized(normalize("Imoux Ltd"), normalize("Imou"), curated=True)
    assert any("imoux is not imou" in p for p in result.penalties)
    assert compare_normalized(normalize("Imoux Ltd"), normalize("Imou")).score >= 0.8


@pytest.mark.parametrize(("query", "entity_id"), [("Imuo Co., Ltd.", "imou"),
                                                  ("Ezivz", "ezviz"), ("Lorxe", "lorex"),
                                                  ("Hauwei Technologies", "huawei")])  # fmt: skip
def test_swapped_letters_in_a_short_curated_brand_still_match(
    matcher: Matcher, query: str, entity_id: str
) -> None:
    found = matcher.match_name(query)
    assert found and found[0].entity.id == entity_id and matcher.is_match(found[0])


def test_ordinary_names_keep_their_edit_allowance() -> None:
    """The name bench reads Fjord Motor as a misspelling of Ford Motor: not a curated brand."""
    assert compare("Fjord Motor Company", "Ford Motor Company").score >= 0.8


@pytest.mark.parametrize(("a", "b", "expected"), [("dahau", "dahua", True),
                                                  ("imoux", "imou", False),
                                                  ("ezvic", "ezviz", False),
                                                  ("hauwei", "huawei", True),
                                                  ("abcd", "badc", False)])  # fmt: skip
def test_swapped(a: str, b: str, expected: bool) -> None:
    from procurewatch.match.names import swapped

    assert swapped(a, b) is expected
