"""Compare the names of two public bodies: the place must agree, the level weighs little. Pure.

A government body's name is its place plus its kind: ``Kashgar Prefecture Public Security
Bureau`` is the place Kashgar and the kind *public security bureau*. Records name the same body
in many ways: another romanization of the place (Kashi, Qeshqer, 喀什), another level word or
none (Prefecture, City, 地区), an abbreviation (PSB, XUAR). The general comparer counts each
of those words as a difference; this one reads both names as (place, kind, level words, other
words), with the spellings of ``normalize/data/public_bodies.yaml``, and scores:

* different places: :data:`DIFFERENT_PLACES` (Hotan is never Tacheng), whatever else agrees;
* the same place and kind: 1.0, less :data:`LEVEL_ONE_SIDE` for each level word on one side
  only, :data:`LEVEL_CONFLICT` when both sides name a level and they differ (the city's bureau
  may not be the prefecture's), and :data:`OTHER_WORD` for each other word the query adds
  (a candidate's own extra words cost :data:`CANDIDATE_SHARE` of that).

Names that are not both bodies of one kind with a known place are left to the general comparer
(``None``). A region (Xinjiang) named next to a place inside it is read as the parent, not as a
second place.
"""

from __future__ import annotations

from dataclasses import dataclass

from procurewatch.normalize.names import LEGAL, PLACE, NormName
from procurewatch.normalize.vocab import VOCAB

DIFFERENT_PLACES = 0.1
LEVEL_ONE_SIDE = 0.02
LEVEL_CONFLICT = 0.06
OTHER_WORD = 0.2
CANDIDATE_SHARE = 0.6
PARENTS = frozenset({"xinjiang"})
"""Regions whose name beside a place inside them only says where that place is."""


@dataclass(frozen=True, slots=True)
class Body:
    """A public body's name read as its parts."""

    places: frozenset[str]
    """Place ids (``kashgar``), the parent region dropped when a place inside it is named."""
    kind: str
    levels: frozenset[str]
    others: tuple[str, ...]
    place_words: tuple[str, ...]
    """The place words as written (for the explanation)."""


@dataclass(frozen=True, slots=True)
class Verdict:
    """The score of two bodies' names and what made it."""

    score: float
    pairs: tuple[tuple[str, str], ...]
    unmatched_query: tuple[str, ...]
    unmatched_candidate: tuple[str, ...]
    penalties: tuple[str, ...]


def _parts(places: list[tuple[str, str]], kinds: list[str], levels: set[str],
           others: list[str]) -> Body | None:  # fmt: skip
    if len(set(kinds)) != 1 or not places:
        return None
    ids = {pid for _, pid in places}
    if len(ids) > 1:
        levels |= {pid for pid in ids & PARENTS}
        ids -= PARENTS
    return Body(frozenset(ids), kinds[0], frozenset(levels), tuple(others),
                tuple(word for word, pid in places if pid in ids))  # fmt: skip


def _latin_body(norm: NormName) -> Body | None:
    places: list[tuple[str, str]] = []
    kinds: list[str] = []
    levels: set[str] = set()
    others: list[str] = []
    for token in norm.tokens:
        if token.kind == LEGAL:
            continue
        if token.text in VOCAB.bodies.kinds:
            kinds.append(token.text)
        elif token.text in VOCAB.bodies.levels or token.text in VOCAB.bodies.syllable_levels:
            levels.add(token.text)
        elif token.kind == PLACE and token.text in VOCAB.bodies.places:
            places.append((token.text, token.key))
        else:
            others.append(token.text)
    return _parts(places, kinds, levels, others)


def _cjk_body(text: str) -> Body | None:
    text = "".join(text.split())
    places: list[tuple[str, str]] = []
    kinds: list[str] = []
    levels: set[str] = set()
    others: list[str] = []
    i = 0
    while i < len(text):
        for part, what, ident in VOCAB.bodies.zh_parts:
            if text.startswith(part, i):
                if what == "place":
                    places.append((part, ident))
                elif what == "kind":
                    kinds.append(ident)
                else:
                    levels.add(ident)
                i += len(part)
                break
        else:
            others.append(text[i])
            i += 1
    if others:  # a branch (分局) or a unit of the body is another body: leave it
        return None
    return _parts(places, kinds, levels, others)


def read_body(norm: NormName) -> Body | None:
    """The parts of a public body's name, or None if it is not one with a known place."""
    return _cjk_body(norm.original) if norm.cjk else _latin_body(norm)


def _level_cost(query: Body, candidate: Body) -> tuple[float, list[str]]:
    only = query.levels ^ candidate.levels
    if query.levels - candidate.levels and candidate.levels - query.levels:
        said = f"{'/'.join(sorted(query.levels))} vs {'/'.join(sorted(candidate.levels))}"
        return LEVEL_CONFLICT, [f"levels differ ({said}): perhaps another level's bureau"]
    if only:
        return LEVEL_ONE_SIDE * len(only), [
            f"level words on one side only: {' '.join(sorted(only))}"
        ]
    return 0.0, []


def compare_bodies(query: NormName, candidate: NormName) -> Verdict | None:
    """The verdict on two public bodies' names, or None when the general comparer decides."""
    q, c = read_body(query), read_body(candidate)
    if q is None or c is None or q.kind != c.kind:
        return None
    if q.places != c.places:
        said = f"{' '.join(q.place_words)} / {' '.join(c.place_words)}"
        return Verdict(DIFFERENT_PLACES, ((q.kind, c.kind),), q.place_words, c.place_words,
                       (f"public bodies of different places ({said})",))  # fmt: skip
    cost, penalties = _level_cost(q, c)
    extra_q = tuple(w for w in q.others if w not in c.others)
    extra_c = tuple(w for w in c.others if w not in q.others)
    cost += OTHER_WORD * len(extra_q) + OTHER_WORD * CANDIDATE_SHARE * len(extra_c)
    pairs = (("/".join(q.place_words), "/".join(c.place_words)), (q.kind, c.kind))
    return Verdict(round(max(0.0, 1.0 - cost), 4), pairs, extra_q, extra_c,
                   ("the same place and kind of public body", *penalties))  # fmt: skip
