"""Golden cases for the name comparer (pure): what must match and what must not."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from procurewatch.match.names import allowance, compare
from procurewatch.normalize.names import normalize
from procurewatch.settings import MATCH_THRESHOLD

MATCHES = [
    ("海康威视", "杭州海康威视数字技术股份有限公司"),
    ("大华股份", "浙江大华技术股份有限公司"),
    ("HIKVISON", "Hikvision"),
    ("Hikvision", "HIKVISION"),
    ("Zhejiang Dahua Technology Co Ltd", "Zhejiang Dahua Technology Co., Ltd."),
    (
        "Hangzhou Hikvision Digital Technology Company",
        "Hangzhou Hikvision Digital Technology Co., Ltd.",
    ),
    ("Siemens Aktiengesellschaft", "Siemens AG"),
    ("Good Will Company", "Goodwill Company"),
    ("U.S. Department of State", "United States Department of State"),
    ("Brigade Forty-Four", "Brigade 44"),
    ("OAO Gazprom", "Open Joint Stock Company Gazprom"),
    ("Deutsche Bank (Schweiz) AG", "Deutsche Bank AG"),
    ("PLA", "People's Liberation Army"),
    ("Al Qaeda", "Al-Qa'ida/Islamic Army"),
    ("Huawei Technologies Co Ltd", "HUAWEI TECHNOLOGIES CO., LTD."),
    ("Hangzhou Haikang Weishi", "杭州海康威视"),
]

NON_MATCHES = [
    ("Zhejiang Uniview Technologies", "Zhejiang Dahua Technology Co., Ltd."),
    ("Uniview", "Dahua"),
    ("Axis Communications AB", "Hangzhou Hikvision Digital Technology Co., Ltd."),
    ("Deutsche Bank AG", "Deutsche Bank GmbH"),
    ("China Construction Trust Corporation", "China Construction Bank Corporation"),
    ("Bowne Global Solutions (France), S.A.R.L.", "Bowne Global Solutions (Germany), G.m.b.H."),
    ("Management Company 23", "Management Company"),
    ("Government of Estonia", "Government of Ethiopia"),
    ("LXC Aviation", "LAU Aviation"),
    ("Hikari", "Hikvision"),
    ("Honor Device Co., Ltd.", "Huawei Technologies Co., Ltd."),
    ("Tiandy Technologies", "Dahua Technology"),
]


@pytest.mark.parametrize(("query", "candidate"), MATCHES)
def test_matches(query: str, candidate: str) -> None:
    result = compare(query, candidate)
    assert result.score >= MATCH_THRESHOLD, result.explain()


@pytest.mark.parametrize(("query", "candidate"), NON_MATCHES)
def test_non_matches(query: str, candidate: str) -> None:
    result = compare(query, candidate)
    assert result.score < MATCH_THRESHOLD, result.explain()


def test_explanation_names_the_parts() -> None:
    text = compare("HIKVISON USA", "Hikvision").explain()
    assert "hikvison=hikvision (typo" in text
    assert "unmatched in query: us" in text


def test_allowance_grows_with_length() -> None:
    assert [allowance(n) for n in (1, 2, 3, 5, 6, 12)] == [0, 0, 1, 1, 2, 2]


def test_legal_forms_are_not_name_words() -> None:
    tokens = normalize("Hangzhou Hikvision Digital Technology Co., Ltd.").tokens
    assert [t.kind for t in tokens] == ["place", "word", "generic", "generic", "legal"]


def test_chinese_core_is_segmented() -> None:
    tokens = {t.text: t.kind for t in normalize("杭州海康威视数字技术股份有限公司").tokens}
    assert tokens == {
        "杭州": "place",
        "海康威视": "word",
        "数字": "generic",
        "技术": "generic",
        "股份有限公司": "legal",
    }


@given(st.text(max_size=40), st.text(max_size=40))
def test_scores_are_bounded_and_total(a: str, b: str) -> None:
    score = compare(a, b).score
    assert 0.0 <= score <= 1.0


@given(st.text(alphabet=st.characters(categories=["L", "N", "Zs"]), min_size=1, max_size=30))
def test_a_name_matches_itself(name: str) -> None:
    norm = normalize(name)
    if norm.tokens or norm.letters:
        assert compare(name, name).score >= MATCH_THRESHOLD


@pytest.mark.parametrize(
    "name", ["Wei Li", "Zhang Li Trading", "Mix Di Ltd", "Jun CV Holdings", "Chen Lv"]
)
def test_short_words_and_persons_are_not_roman_numerals(name: str) -> None:
    texts = [t.text for t in normalize(name).tokens]
    assert not any(t.isdigit() for t in texts), texts
    assert "51" not in compare(name, name).explain()


@pytest.mark.parametrize(("name", "number"), [("Fund II", "2"), ("Louis XIV Holdings", "14"),
                                              ("Partners IX", "9"), ("Capital V", "5")])  # fmt: skip
def test_roman_numerals_of_i_v_x_are_numbers(name: str, number: str) -> None:
    assert number in [t.text for t in normalize(name).tokens]
