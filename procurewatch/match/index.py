"""Candidate blocking for name matching: find the few watchlist names worth scoring. Pure.

Every watchlist name is indexed by its distinctive tokens, by the first five letters of each
token (``hikvisionusa`` meets ``hikvision``), by the CJK character pairs of its core, and by
all of its letters run together. Typos are found through a symmetric-deletion index (the
SymSpell idea): a query token and a list token within the edit allowance share a deletion
variant, so no query is compared with every list token.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from functools import lru_cache

from rapidfuzz.distance import OSA

from procurewatch.match.name_gate import RUN_MAX as RUNS_IN_GATE
from procurewatch.match.name_gate import WordFacts
from procurewatch.match.names import allowance
from procurewatch.match.public_body import read_body
from procurewatch.normalize.names import (
    GENERIC,
    LEGAL,
    NUMBER,
    PLACE,
    NormName,
    Token,
    is_place,
    place_key,
)
from procurewatch.normalize.vocab import VOCAB

SIMILAR_CACHE = 200_000
"""Query words whose near neighbours are remembered (the cache is emptied when full)."""
_WORDS = re.compile(r"[a-z0-9]+")
PREFIX = 5
MAX_CANDIDATES = 32
RUN_MAX = RUNS_IN_GATE
RELATIVE_FLOOR = 0.5
"""Candidates sharing less than this fraction of the best candidate's key weight are dropped."""


def _deletions(token: str, depth: int) -> set[str]:
    """The token and every string made by deleting up to ``depth`` characters (min. length 2)."""
    found = {token}
    frontier = {token}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier if len(w) > 2 for i in range(len(w))}
        found |= frontier
    return found


def joined_runs(words: list[str]) -> Iterator[str]:
    """Runs of 2 to :data:`RUN_MAX` adjacent words written together (``hik vision`` ->
    ``hikvision``; ``hai kang wei shi`` -> ``haikangweishi``): a brand written in parts."""
    for size in range(2, RUN_MAX + 1):
        for start in range(len(words) - size + 1):
            yield "".join(words[start : start + size])


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)} or {text}


WEAK_KINDS = (GENERIC, NUMBER)
"""Token kinds that alone never make a candidate (a shared "Systems" or "72" says nothing)."""


def _weak(token: Token) -> bool:
    """A generic word, a number, a public body's kind (``psb``) or level (``prefecture``)."""
    return (
        token.kind in WEAK_KINDS
        or token.text in VOCAB.bodies.levels
        or token.text in VOCAB.bodies.kinds
    )


def _keys(token: Token, cjk: bool) -> Iterator[str]:
    if cjk:
        for gram in _bigrams(token.text):
            yield "b:" + gram
        return
    if _weak(token):
        yield "w:" + (token.key or token.text)
        return
    yield "t:" + (token.key or token.text)
    if len(token.text) > PREFIX:
        yield "p:" + token.text[:PREFIX]


def _name_tokens(norm: NormName) -> list[tuple[Token, bool]]:
    tokens = [(t, norm.cjk) for t in norm.tokens if t.kind != LEGAL]
    tokens += [(t, False) for t in norm.pinyin if t.kind != LEGAL]
    body = read_body(norm) if norm.cjk else None
    if body is not None:  # 吐鲁番公安局 meets Turfan Municipality Public Security Bureau
        tokens += [(Token(place, PLACE, key=place), False) for place in sorted(body.places)]
    return tokens


class CandidateIndex:
    """Maps query names to the ids of the indexed names worth scoring."""

    def __init__(self) -> None:
        self._postings: dict[str, list[int]] = defaultdict(list)
        self._deletes: dict[str, set[str]] = defaultdict(set)
        self._expanded: set[str] = set()
        self._similar: dict[str, frozenset[str]] = {}
        self._longest = 0
        self._size = 0
        self._word_answers: dict[str, bool] = {}  # words asked about since the last add

    def add(self, entry_id: int, norm: NormName) -> None:
        """Index one name under ``entry_id``."""
        self._word_answers.clear()
        keys: set[str] = set()
        for token, cjk in _name_tokens(norm):
            keys.update(_keys(token, cjk))
            if not cjk and not _weak(token) and token.text not in self._expanded:
                self._expanded.add(token.text)
                self._longest = max(self._longest, len(token.text))
                for variant in _deletions(token.text, allowance(len(token.text))):
                    self._deletes[variant].add(token.text)
        if norm.letters:
            keys.add("l:" + norm.letters)
        for key in keys:
            self._postings[key].append(entry_id)
        self._size += 1

    def _similar_tokens(self, text: str) -> frozenset[str]:
        """Indexed tokens within the edit allowance of ``text`` (cached per token)."""
        cached = self._similar.get(text)
        if cached is not None:
            return cached
        limit = allowance(len(text))
        if len(text) > self._longest + limit:  # longer than any indexed word: nothing is near
            return frozenset()
        if len(self._similar) >= SIMILAR_CACHE:
            self._similar.clear()
        found: set[str] = set()
        for variant in _deletions(text, limit):
            for token in self._deletes.get(variant, ()):
                if abs(len(token) - len(text)) <= limit and OSA.distance(token, text) <= limit:
                    found.add(token)
        self._similar[text] = frozenset(found)
        return self._similar[text]

    def _query_keys(self, norm: NormName) -> Iterable[str]:
        yield from ("t:" + joined for joined in joined_runs([t.text for t in norm.content]))
        for token, cjk in _name_tokens(norm):
            yield from _keys(token, cjk)
            if cjk or _weak(token):
                continue
            for similar in self._similar_tokens(token.text):
                yield "t:" + similar
            if len(token.text) >= PREFIX:
                yield "p:" + token.text[:PREFIX]
        if norm.letters:
            yield "l:" + norm.letters

    @staticmethod
    @lru_cache(maxsize=1 << 16)
    def _weak_word(word: str) -> bool:
        word = VOCAB.abbreviations.get(word, word)
        return (
            word in VOCAB.stopwords
            or word in VOCAB.generic
            or word in VOCAB.bodies.levels
            or word in VOCAB.bodies.kinds
            or word.isdigit()
            or word in VOCAB.legal_class
            or VOCAB.is_legal_word(word)
        )

    def _word_may_match(self, word: str) -> bool:
        """Whether ``word`` is indexed or near an indexed word (remembered: names share words)."""
        found = self._word_answers.get(word)
        if found is None:
            found = self._word_answers[word] = self._word_lookup(word)
        return found

    def _word_lookup(self, word: str) -> bool:
        word = VOCAB.abbreviations.get(word, word)
        if self._weak_word(word):
            return False
        if "t:" + word in self._postings or "p:" + word[:PREFIX] in self._postings:
            return True
        if is_place(word) and "t:" + place_key(word) in self._postings:
            return True
        return bool(self._similar_tokens(word))

    def may_have_candidates(self, name: str) -> bool:
        """A cheap, conservative test on the raw name: False only when :meth:`candidates`
        would find nothing (no word of it, alone, run together or spelled with initials, is
        indexed or within the edit allowance of an indexed word). Non-ASCII names answer True.
        :mod:`procurewatch.match.name_gate` makes the same test for many names at once: change
        both together."""
        if not name.isascii():
            return True
        words = _WORDS.findall(name.casefold().replace("'", ""))
        if all(self._weak_word(w) for w in words) or any(self._word_may_match(w) for w in words):
            return True
        if any(self._run_indexed(joined) for joined in joined_runs(words)):
            return True
        initials = "".join(w for w in words if len(w) == 1)
        if len(initials) > 1 and self._word_may_match(initials):
            return True
        joined = "".join(words)
        content = "".join(
            w for w in words if w not in VOCAB.legal_class and not VOCAB.is_legal_word(w)
        )
        return "l:" + joined in self._postings or "l:" + content in self._postings

    def word_facts(self, word: str) -> WordFacts:
        """What :meth:`may_have_candidates` needs to know of one word (for
        :mod:`procurewatch.match.name_gate`, which asks once per distinct word)."""
        legal = word in VOCAB.legal_class or VOCAB.is_legal_word(word)
        return WordFacts(self._weak_word(word), self._word_may_match(word), legal)

    def _run_indexed(self, joined: str) -> bool:
        """Whether words written together are an indexed token, or a spelling of an indexed
        place (``tu lu fan`` -> ``tulufan`` -> ``turpan``)."""
        if "t:" + joined in self._postings:
            return True
        return joined in VOCAB.bodies.places and "t:" + place_key(joined) in self._postings

    def token_keys(self) -> frozenset[str]:
        """Every indexed distinctive token (``hikvision``, ``haikangweishi``), and every spelling
        of an indexed place of ``public_bodies.yaml`` (``tulufan``)."""
        tokens = {k[2:] for k in self._postings if k.startswith("t:")}
        tokens |= {s for s, place in VOCAB.bodies.places.items() if place in tokens}
        return frozenset(tokens)

    def letter_keys(self) -> frozenset[str]:
        """Every indexed name with its letters run together (``hikvision``)."""
        return frozenset(k[2:] for k in self._postings if k.startswith("l:"))

    def candidates(self, norm: NormName, limit: int = MAX_CANDIDATES) -> list[int]:
        """Ids of the indexed names sharing the rarest keys with ``norm``, best first."""
        weights: dict[int, float] = defaultdict(float)
        keys = set(self._query_keys(norm))
        strong = {k for k in keys if not k.startswith("w:")}
        if any(k in self._postings for k in strong):
            keys = strong
        elif strong - {"l:" + norm.letters}:
            return []
        for key in keys:
            posting = self._postings.get(key)
            if not posting:
                continue
            idf = math.log(1 + self._size / len(posting))
            for entry_id in posting:
                weights[entry_id] += idf
        if not weights:
            return []
        floor = max(weights.values()) * RELATIVE_FLOOR
        ranked = sorted(
            ((k, v) for k, v in weights.items() if v >= floor), key=lambda kv: (-kv[1], kv[0])
        )
        found = self._body_entries(norm)
        found += [entry_id for entry_id, _ in ranked if entry_id not in found]
        return found[:limit]

    def _body_entries(self, norm: NormName) -> list[int]:
        """For a public body's name, every indexed name of its place, whatever the script:
        ``新疆公安局`` shares more character pairs with ``新疆警察学院`` than with ``XUAR PSB``."""
        body = read_body(norm)
        if body is None:
            return []
        found: list[int] = []
        for place in sorted(body.places):
            found += [e for e in self._postings.get("t:" + place, ()) if e not in found]
        return found
