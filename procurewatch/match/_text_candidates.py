"""Automaton entries and candidate hits of the text scanner, and how overlaps are resolved."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from procurewatch.match._text_models import CompiledFamily
from procurewatch.match._text_rules import (
    PRODUCT_WORDS,
    NameRule,
    needs_left_edge,
    needs_right_edge,
)

RANK_MODEL = 0
"""A model number of a family that needs no context: the most specific."""
RANK_NAME = 1
RANK_CONTEXT_MODEL = 2
RANK_WEAK_NAME = 3


@dataclass(frozen=True, slots=True)
class Entry:
    """What one automaton pattern stands for: names, and families it is a prefix of."""

    pattern: str
    left: bool
    """The pattern must start at a word edge."""
    right: bool
    """The pattern must end at a word edge (names only; model regexes check their own end)."""
    names: tuple[NameRule, ...]
    families: tuple[CompiledFamily, ...]


@dataclass(slots=True)
class Cand:
    """A candidate hit, in normalized coordinates."""

    start: int
    end: int
    rank: int
    order: int
    group: str
    name: NameRule | None = None
    family: CompiledFamily | None = None
    score: float = 0.0
    why: str = ""

    @property
    def entity_id(self) -> str:
        """The entity of the name, or the maker of the family."""
        if self.name is not None:
            return self.name.entity_id
        assert self.family is not None
        return self.family.family.entity_id

    @property
    def contextual(self) -> bool:
        """A weak name or a ``needs_context`` family: counts only with context nearby."""
        if self.name is not None:
            return self.name.weak
        return self.family is not None and self.family.family.needs_context


def build_entries(names: list[tuple[str, NameRule]], families: list[CompiledFamily]) -> list[Entry]:
    """One entry per distinct automaton pattern (a normalized name or a model prefix)."""
    by_pattern: dict[str, tuple[list[NameRule], list[CompiledFamily]]] = defaultdict(
        lambda: ([], [])
    )
    for pattern, rule in names:
        by_pattern[pattern][0].append(rule)
    for fam in families:
        for prefix in fam.prefixes:
            by_pattern[prefix][1].append(fam)
    return [
        Entry(p, needs_left_edge(p), needs_right_edge(p), tuple(n), tuple(f))
        for p, (n, f) in sorted(by_pattern.items())
    ]


def name_cand(rule: NameRule, start: int, end: int) -> Cand:
    """A name candidate."""
    rank = RANK_WEAK_NAME if rule.weak else RANK_NAME
    return Cand(start, end, rank, rule.order, rule.group, name=rule)


def model_cand(fam: CompiledFamily, start: int, end: int, group: str) -> Cand:
    """A model-number candidate."""
    rank = RANK_CONTEXT_MODEL if fam.family.needs_context else RANK_MODEL
    return Cand(start, end, rank, fam.order, group, family=fam)


def product_word(text: str, start: int, end: int, window: int) -> str | None:
    """A product word within ``window`` characters before or after ``[start, end)``."""
    for piece in (text[max(0, start - window) : start], text[end : end + window]):
        found = PRODUCT_WORDS.search(piece)
        if found is not None:
            return found.group(0)
    return None


def resolve(cands: list[Cand]) -> list[Cand]:
    """Keep the longest of overlapping candidates; on equal spans the better rank, then the
    earlier name or family. Candidates of other entities on exactly the same span and of the
    same rank are all kept (two entities sharing a name)."""
    kept: list[Cand] = []
    for cand in sorted(cands, key=lambda c: (c.start - c.end, c.rank, c.order)):
        if not any(_clash(cand, other) for other in kept):
            kept.append(cand)
    return sorted(kept, key=lambda c: (c.start, c.end, c.rank))


def _clash(cand: Cand, other: Cand) -> bool:
    if cand.end <= other.start or cand.start >= other.end:
        return False
    same_span = (cand.start, cand.end) == (other.start, other.end)
    return not same_span or other.entity_id == cand.entity_id or other.rank != cand.rank
