"""Model-number family regexes compiled cheaply (the pattern, with the word-end lookahead tried
beside it) match exactly what ``(?:pattern)WORD_END`` compiled as one regex matched."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from procurewatch.match._text_models import WORD_END, CompiledFamily, compile_family
from procurewatch.model import Watchlist

TAILS = [  # composed: what may follow a model prefix in a text
    "", "1", "2143G0-IS", "2143G0-ISX", "2143G0_", "2143G0中", "2143G0 ", "1234", "12345678",
    "A", "AB-1", "-1", "-", "_", "中", "é", "Ä1", "2142FWD-I", "2CD2143G0-I", "HFW1230S-0280B",
    "5MP", "XX", "(4K)", "/V2", ".1", "0", "00-", "K2", "C8PRO",
]  # fmt: skip


def _families(watchlist: Watchlist) -> list[CompiledFamily]:
    return [compile_family(p, i) for i, p in enumerate(watchlist.products)]


def _check(family: CompiledFamily, texts: list[str]) -> int:
    """Compare at every position of each text; returns how many positions matched."""
    full = re.compile(f"(?:{family.family.pattern}){WORD_END}")
    hits = 0
    for text in texts:
        for pos in range(len(text) + 1):
            new, old = family.regex.match(text, pos), full.match(text, pos)
            assert (new and new.span()) == (old and old.span()), (family.family.id, text, pos)
            hits += old is not None
    return hits


def test_families_match_what_the_full_regex_matched(watchlist: Watchlist) -> None:
    families = _families(watchlist)
    assert len(families) > 20
    hits = 0
    for family in families:
        texts = [f"{p}{t}" for p in sorted(family.prefixes) for t in TAILS]
        hits += _check(family, texts + [f"x {t} y" for t in texts[:40]])
    assert hits > 0  # some composed texts are model numbers, so both sides were exercised


def test_families_on_real_model_lists(watchlist: Watchlist, shared_data: Path) -> None:
    """The makers' published model numbers (``shared/data/models``, test data only)."""
    texts: list[str] = []
    for path in sorted((shared_data / "models").glob("*.json")):
        found = json.loads(path.read_text(encoding="utf-8"))
        items = found if isinstance(found, list) else list(found)
        texts += [str(m).upper() for m in items if isinstance(m, str)][:800]
    if not texts:
        pytest.skip("no model lists in shared/data/models")
    hits = sum(_check(f, texts[::3]) for f in _families(watchlist))
    assert hits > 100


def test_a_bad_family_pattern_still_fails_when_compiled(watchlist: Watchlist) -> None:
    from dataclasses import replace

    from procurewatch.errors import WatchlistError

    bad = replace(watchlist.products[0], pattern="DS-2CD(")
    with pytest.raises(WatchlistError, match="not a valid regular expression"):
        compile_family(bad, 0)
