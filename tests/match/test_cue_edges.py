"""The cue regexes' word edges: the short forms find exactly what the full form finds."""

from __future__ import annotations

import re

import pytest

from procurewatch.match._cue_set import WORD_EDGE, CueSet, edged

W = WORD_EDGE.pattern
CUES = [
    "list",
    "lists?",
    "no\\.",
    "exclud(?:e|es|ed|ing)",
    "(?:is|are) not",
    "a|an",
    "\\bsans fil",
    "地址",
    "不含",
    "x\\s",
    "[ab]c",
    "c[ab]",
    "-free",
    "brand-",
]
TEXTS = [
    "the list lists listed items; not listed",
    "No. 5 and no.5, Part No.6",
    "excluding Hikvision, excluded, exclude",
    "cameras are not Dahua; is not; isnot",
    "a an ab an_ na",
    "sans fil sansfil",
    "地址：杭州 不含海康 the 地址x",
    "x y xz ac bc cab _ac",
    "lead-free brand- brand-new -free",
]


def _full(cue: str) -> re.Pattern[str]:
    return re.compile(f"(?:(?<!{W})|(?!{W}))(?:{cue})(?:(?!{W})|(?<!{W}))", re.IGNORECASE)


@pytest.mark.parametrize("cue", CUES)
def test_short_edges_find_what_the_full_edges_find(cue: str) -> None:
    short = re.compile(edged(cue), re.IGNORECASE)
    for text in TEXTS + [t.upper() for t in TEXTS]:
        want = [m.span() for m in _full(cue).finditer(text)]
        assert [m.span() for m in short.finditer(text)] == want, (cue, text)


def test_a_bad_cue_fails_when_loaded_not_when_first_used() -> None:
    with pytest.raises(re.error):
        CueSet(["exclud(e"])


def test_cue_set_finds_with_regexes_compiled_on_first_use() -> None:
    found = CueSet(["exclud(?:e|es|ed|ing)", "not"]).find("Excluding Hikvision, not Dahua")
    assert [f[2] for f in found] == ["Excluding", "not"]
