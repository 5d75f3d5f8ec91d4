"""The cue regexes compiled cheaply (:class:`Guarded`, unions with shared edges) find exactly
what the plain regexes with their edges compiled in found: every bundled cue, every union
section, on the mention tests' texts, the fresh wild-text set, the shared dev set (when
present) and composed edge cases (prefixes of longer words, CJK neighbours, underscores,
digits, the ends of the text, pos/endpos windows)."""

from __future__ import annotations

import ast
import csv
import os
import re
import subprocess
import sys
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from procurewatch.match._cue_set import WORD_EDGE, CueSet, cue_regex, edged
from procurewatch.match._guarded import Guarded
from procurewatch.match._mention_cues import CUES_FILE, _flat, _union, load_cues
from procurewatch.yamlload import safe_load

HERE = Path(__file__).parent
REPO = HERE.parent.parent
SHARED_WILD = REPO.parent / "shared" / "data" / "wild" / "wild_text_dev.csv"

CUE_SETS = {
    "exclusion_before": "excl_before",
    "exclusion_after": "excl_after",
    "reference_before": "ref_before",
    "reference_after": "ref_after",
    "compliance": "compliance_words",
    "negated_predicates": "predicates",
}
UNIONS = {
    "not_cues": ("not_cues", "", ""),
    "place_before": ("place_before", "", r"\s*$"),
    "person_before": ("person_before", "", r"\s*$"),
    "affirmative_before": ("affirm_before", "", r"\s*$"),
    "affirmative_after": ("affirm_after", r"\s*,?\s*", ""),
}
"""Cue file section -> (field of MentionCues, text before the union, text after it), as the
cue compiler wrote them before the unions shared their edges."""

EDGE_TEXTS = [  # composed for these tests
    "not", " not ", "notable", "knot", "not_", "_not", "not1", "1not", "NOT", "Not.", "no",
    "no.", "No.5", "no5", "5no", "nos", "non-stop", "nonstop", "non stop", "listed", "lists",
    "list_", "excluded", "excludes", "excluding", "excludex", "不含海康", "海康不含", "地址x", "x地址",
    "除了大华", "非常好", "非洲", "非Hikvision", "не только", "нетолько", "ohne Kabel", "sans fils",
    "sans filsx", "sin cables", "or equivalent", "or equivalentx", ", or approved equal", "或同等",
    "或同等品", "brand: Hikvision", "Brand=Dahua", "brand :", "mfr:", "制造商：海康", "品牌:",
    "calle Huawei", "rue Dahua", "av. Dahua", "ул. Хуавей", "via Dahua", "viaduct", "Dr. Zhang",
    "dr Zhang", "Mrs. Li", "by Huawei", "bypass", "authors Huawei", "compatible with Hikvision",
    "compatiblewith", "equivalent to", "replaces Dahua", "É not é", "ñno", "noñ", "\u00b2not",
    "not\u00b2", "ーnot", "notー", "\tnot\n",
]  # fmt: skip


def _old(cue: str) -> re.Pattern[str]:
    """The reference: the cue with its edges compiled in, as before."""
    return re.compile(edged(cue), re.IGNORECASE)


def _old_union(cues: Iterable[str], before: str, after: str) -> re.Pattern[str]:
    """Every cue with its own edges, longest first (ties alphabetical), in one group."""
    ordered = sorted(set(cues), key=lambda cue: (-len(cue), cue))
    joined = "|".join(edged(c) for c in ordered)
    return re.compile(f"{before}(?:{joined}){after}", re.IGNORECASE)


def _cue_data() -> Mapping[str, Any]:
    path = resources.files("procurewatch.match") / "data" / CUES_FILE
    data: Mapping[str, Any] = safe_load(path.read_text(encoding="utf-8"))
    return data


def _all_cues() -> list[str]:
    data = _cue_data()
    sections = [data[s] for s in [*CUE_SETS, *UNIONS]]
    sections.append(data["purchase_signals"]["price_words"])
    return list(dict.fromkeys(c for s in sections for c in _flat(s)))


def _mention_test_texts() -> list[str]:
    """Every string in the mention and text tests."""
    out: list[str] = []
    for name in ("test_mention.py", "test_text.py", "test_place_rule.py"):
        tree = ast.parse((HERE / name).read_text(encoding="utf-8"))
        constants = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)]
        out += [s for s in constants if isinstance(s, str) and 2 < len(s) < 400]
    return out


def _csv_texts(path: Path) -> list[str]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return [row["text"] for row in csv.DictReader(handle)]


def _texts() -> list[str]:
    found = EDGE_TEXTS + _mention_test_texts()
    found += _csv_texts(REPO / "eval" / "data" / "wild_text_fresh.csv")
    found += _csv_texts(SHARED_WILD)
    return list(dict.fromkeys(found))


CUES = _all_cues()
TEXTS = _texts()


def _spans(matches: Iterable[re.Match[str]]) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group(0)) for m in matches]


def _same_as_full(regex: Guarded, full: re.Pattern[str], text: str) -> None:
    """match at every position (with the end of the text and a window), finditer in windows."""
    size = len(text)
    for pos in range(size + 1):
        for endpos in {size, min(size, pos + 3), pos}:
            new, old = regex.match(text, pos, endpos), full.match(text, pos, endpos)
            assert (new and new.span()) == (old and old.span()), (full.pattern, text, pos, endpos)
    for lo, hi in {(0, size), (1, size), (0, size - 1), (size // 2, size), (2, size // 2)}:
        want = _spans(full.finditer(text, lo, hi))
        assert _spans(regex.finditer(text, lo, hi)) == want, (full.pattern, text, lo, hi)


def test_the_texts_are_there() -> None:
    """The sources of the texts below were found (so the tests below are not vacuous)."""
    assert len(_mention_test_texts()) > 50
    assert len(_csv_texts(REPO / "eval" / "data" / "wild_text_fresh.csv")) > 10
    assert len(CUES) > 200


@pytest.mark.parametrize("cue", CUES)
def test_a_cue_finds_what_its_edged_regex_finds(cue: str) -> None:
    regex = cue_regex(cue)
    assert regex.source == edged(cue)
    full = _old(cue)
    for text in EDGE_TEXTS + [t.upper() for t in EDGE_TEXTS]:
        _same_as_full(regex, full, text)
    for text in TEXTS:
        assert _spans(regex.finditer(text)) == _spans(full.finditer(text)), text


@pytest.mark.parametrize("section", [*CUE_SETS, "price_words"])
def test_a_cue_set_finds_what_it_found_with_the_edged_regexes(section: str) -> None:
    data = _cue_data()
    cues = _flat(data["purchase_signals"][section] if section == "price_words" else data[section])
    new, old = CueSet(cues), CueSet(cues, regex=_old)
    for text in TEXTS + [t.upper() for t in EDGE_TEXTS]:
        size = len(text)
        for lo, hi in {(0, size), (size // 3, size), (0, size // 2), (5, size - 5)}:
            assert new.find(text, lo, hi) == old.find(text, lo, hi), (section, text, lo, hi)


def test_the_cue_sets_in_use_are_the_new_ones() -> None:
    """The loaded cues use the edges-beside regexes (so the tests above test what runs)."""
    cues = load_cues()
    for field in CUE_SETS.values():
        regexes = [r for group in getattr(cues, field)._regexes for r in group]
        assert regexes and all(isinstance(r, Guarded) for r in regexes)


@pytest.mark.parametrize("section", list(UNIONS))
def test_a_union_finds_what_the_union_of_edged_cues_found(section: str) -> None:
    field, before, after = UNIONS[section]
    new: re.Pattern[str] = getattr(load_cues(), field)
    old = _old_union(_flat(_cue_data()[section]), before, after)
    assert new.pattern != old.pattern  # the edges are shared now
    for text in TEXTS + [t.upper() for t in EDGE_TEXTS]:
        assert _spans(new.finditer(text)) == _spans(old.finditer(text)), text
        for pos in range(len(text) + 1):
            tail = text[max(0, pos - 20) : pos]
            assert _spans([m for m in [new.search(tail)] if m]) == _spans(
                [m for m in [old.search(tail)] if m]
            ), (text, pos)
            got, want = new.match(text, pos), old.match(text, pos)
            assert (got and got.span()) == (want and want.span()), (text, pos)


PIECES = sorted({p for c in CUES for p in re.split(r"[\\()\[\]{}?*+|.^$:=]+", c) if p})
PIECES += ["_", "1", " ", "x", "X", "中", "ー", ".", ",", "-", "\n", "é", "s", "ed", "ing"]


@settings(max_examples=200)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=6).map("".join))
def test_cue_sets_agree_on_texts_made_of_cue_pieces(text: str) -> None:
    """Texts glued from pieces of the cues and edge characters (property test)."""
    size = len(text)
    for new_set, old_set in _cue_sets():
        for lo, hi in {(0, size), (1, size), (0, size - 1)}:
            assert new_set.find(text, lo, hi) == old_set.find(text, lo, hi)
    for new, old in _unions():
        assert _spans(new.finditer(text)) == _spans(old.finditer(text))


@cache
def _cue_sets() -> list[tuple[CueSet, CueSet]]:
    data = _cue_data()
    return [(CueSet(_flat(data[s])), CueSet(_flat(data[s]), regex=_old)) for s in CUE_SETS]


@cache
def _unions() -> list[tuple[re.Pattern[str], re.Pattern[str]]]:
    data = _cue_data()
    return [
        (getattr(load_cues(), field), _old_union(_flat(data[section]), before, after))
        for section, (field, before, after) in UNIONS.items()
    ]


CASES = ["list", "lists?", "a|an", "x\\s", "-free", "brand-", "(?:is|are) not", "地址", "[ab]c"]


@pytest.mark.parametrize(("before", "after"), [("", ""), ("", r"\s*$"), (r"\s*,?\s*", "")])
def test_union_keeps_what_the_affixes_bind_to(before: str, after: str) -> None:
    """``before`` binds to the first cue and ``after`` to the last, as in the plain union."""
    for count in range(1, len(CASES) + 1):
        new = _union(CASES[:count], before=before, after=after)
        old = _old_union(CASES[:count], before, after)
        for text in [*EDGE_TEXTS, "a list", "lists a", "  an", " x ", "brand- free", "is not"]:
            for pos in range(len(text) + 1):
                got, want = new.search(text, pos), old.search(text, pos)
                assert (got and got.span()) == (want and want.span()), (count, text, pos)


def test_edges_beside_see_before_pos_and_stop_at_endpos() -> None:
    """A lookbehind sees the text before ``pos``; a lookahead stops at ``endpos``."""
    regex = cue_regex("list")
    assert regex.match("alist", 1, 5) is None  # "a" before pos is a word character
    found = regex.match("listed", 0, 4)  # "ed" is past endpos
    assert found is not None and found.span() == (0, 4)
    assert regex.match("listed", 0, 6) is None
    later = cue_regex("exclud(?:e|es|ed|ing)").match("excluded", 0, 8)
    assert later is not None and later.group(0) == "excluded"  # a later path of the body


def test_the_word_class_folded_or_not_is_the_same_for_every_code_point() -> None:
    """``place_after`` ends in the word class without case folding: the same characters."""
    folded = re.compile(f"(?!{WORD_EDGE.pattern})", re.IGNORECASE)
    unfolded = re.compile(f"(?!(?-i:{WORD_EDGE.pattern}))", re.IGNORECASE)
    differ = [
        c for c in range(0x110000) if bool(folded.match(chr(c))) != bool(unfolded.match(chr(c)))
    ]
    assert differ == []
    places = "|".join(sorted(_flat(_cue_data()["place_after"]), key=len, reverse=True))
    old = re.compile(rf"[\s-]*(?:{places})(?!{WORD_EDGE.pattern})", re.IGNORECASE)
    new = load_cues().place_after
    assert new.pattern != old.pattern
    for text in TEXTS:
        for pos in range(len(text) + 1):
            got, want = new.match(text, pos), old.match(text, pos)
            assert (got and got.span()) == (want and want.span()), (text, pos)


def test_what_stands_before_or_after_a_union_binds_to_every_cue() -> None:
    """``person_before`` is a title right before the mention (``\\s*$``): a title further
    back does not count, whichever cue it is (the anchor once bound to the shortest cue only)."""
    cues = load_cues()
    assert cues.person_before.search("Dr. Wang met ") is None
    assert cues.person_before.search("met with Dr. ") is not None
    assert cues.place_before.search("Calle 12 near ") is None
    assert cues.affirm_after.match(" , or equivalent", 0) is not None


def test_the_unions_do_not_depend_on_string_hashing() -> None:
    code = (
        "from procurewatch.match._mention_cues import load_cues; c = load_cues(); "
        "import hashlib; print(hashlib.sha256((c.place_before.pattern + c.person_before.pattern"
        " + c.not_cues.pattern).encode()).hexdigest())"
    )
    patterns = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(patterns) == 1
