"""Names the matcher found nothing for, and the gate's word facts, kept between runs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from procurewatch.match.matcher import Matcher
from procurewatch.match.text import TextScanner
from procurewatch.screen.core import ScreenContext
from procurewatch.screen.name_memo import NameMemo, memo_key
from procurewatch.watchlist.bundled import load_bundled

NOTHING = "Kasper Plumbing LLC"  # composed names; this one shares a word with the list
TURNED_AWAY = "Acme Widgets Holdings LLC"  # shares none: the gate turns it away
MAKER = "Hangzhou Hikvision Digital Technology Co., Ltd."


@pytest.fixture(scope="module")
def parts() -> tuple[Matcher, TextScanner]:
    watchlist = load_bundled()
    return Matcher.compile(watchlist), TextScanner.compile(watchlist, mention_rules=False)


def _context(parts: tuple[Matcher, TextScanner]) -> ScreenContext:
    matcher, scanner = parts
    fresh = Matcher.compile(matcher.watchlist)  # a gate of its own (its word table starts empty)
    return ScreenContext(fresh, scanner)


@pytest.fixture(autouse=True)
def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROCUREWATCH_HOME", str(tmp_path))


def test_known_names_skip_the_gate_and_the_matcher(
    parts: tuple[Matcher, TextScanner], monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _context(parts)
    first.score_new([NOTHING, MAKER, TURNED_AWAY])
    assert first.names(MAKER), "the listed maker matches"
    words = len(first.matcher.gate.table.words)
    assert words > 0
    NameMemo(memo_key(first.matcher)).save(first)

    second = _context(parts)
    NameMemo(memo_key(second.matcher)).load(second)
    assert sorted(second.known.empty.to_pylist()) == sorted([NOTHING, TURNED_AWAY])
    assert second.known.matched.to_pylist() == [MAKER]  # scored again, with its evidence
    assert second.matcher.built_gate() is None  # not built until a name is new

    asked: list[str] = []
    match_name = second.matcher.match_name

    def spy(name: str, **kwargs: Any) -> Any:
        asked.append(name)
        return match_name(name, **kwargs)

    monkeypatch.setattr(second.matcher, "match_name", spy)
    second.score_new([NOTHING, MAKER, TURNED_AWAY])
    assert asked == []  # the maker's answer, with its evidence, is the one the matcher gave
    assert second.seen[""].to_pylist() == [MAKER]
    assert second.flagged_names[MAKER] == first.flagged_names[MAKER]
    assert second.flagged_names[MAKER][0].explanation() == first.names(MAKER)[0].explanation()
    assert second.matcher.built_gate() is None  # no name was new: the gate was never needed

    second.score_new(["Kasper Plumbing Supply LLC"])  # a new name: the gate, with its words
    gate = second.matcher.built_gate()
    assert gate is not None and len(gate.table.words) >= words


def test_another_threshold_names_another_entry(parts: tuple[Matcher, TextScanner]) -> None:
    matcher = parts[0]
    assert memo_key(matcher) == memo_key(Matcher(matcher.watchlist, matcher.threshold))
    assert memo_key(matcher) != memo_key(Matcher(matcher.watchlist, matcher.threshold - 0.05))


def test_a_damaged_entry_is_ignored(parts: tuple[Matcher, TextScanner]) -> None:
    ctx = _context(parts)
    memo = NameMemo(memo_key(ctx.matcher))
    memo.cache.put(memo.names_entry, b"[not json")
    memo.cache.put(memo.words_entry, b'{"words": ["a"], "facts": []}')
    memo.cache.put(memo.matches_entry, b"not a pickle")
    memo.load(ctx)
    assert len(ctx.known.empty) == len(ctx.known.matched) == len(ctx.known.matches) == 0
    assert ctx.known.word_facts is None
