"""The compiled name matcher: a watchlist turned once into an index, then queried many times.

``Matcher.compile(watchlist)`` normalizes every name of every entity and indexes it.
``matcher.match_name(query)`` finds candidates through the index, scores them with
:func:`procurewatch.match.names.compare_normalized`, and returns the best name of each entity
with its effective designations (own, or through a parent, e.g. Hikvision USA through
Hikvision). Identifiers (USCC, LEI, UEI, CAGE, DUNS, ISIN, stock codes) match exactly and win.
A query like ``DAHUA ELECTRONICS CORPORATION, Flushing NY`` is also tried without what follows
the comma, and an address of the entity that contains those words supports the match.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING

from procurewatch.match.brand_rule import brand_described
from procurewatch.match.index import CandidateIndex
from procurewatch.match.names import Comparison, Pair, compare_normalized
from procurewatch.match.place_rule import PLACE_QUALIFIED_SCORE, place_qualified
from procurewatch.model import EffectiveDesignation, Entity, Name, Watchlist
from procurewatch.normalize.names import NormName, normalize, split_alternatives
from procurewatch.settings import MATCH_THRESHOLD

if TYPE_CHECKING:  # numpy and pyarrow: imported when many names are screened
    from procurewatch.match.name_gate import Gate

CONTAINED_SCORE = 0.9
"""Score of a CJK query that contains a whole watchlist name of 5+ characters (a branch office)."""
CONTAINED_MIN_CHARS = 5
REPORT_FLOOR = 0.5
"""Results scoring below this are not returned at all."""
TRAILER_PENALTY = 0.97
"""Score factor when only the part before a comma matched and no address supports the rest."""
_IDENT = re.compile(r"[^0-9A-Z]")


@dataclass(frozen=True, slots=True)
class Entry:
    """One indexed name of an entity."""

    entity_id: str
    name: Name


@dataclass(frozen=True, slots=True)
class NameMatch:
    """A watchlist entity found for a query name, with the evidence."""

    entity: Entity
    score: float
    matched_name: Name
    rule: str
    """name | identifier"""
    comparison: Comparison | None
    designations: tuple[EffectiveDesignation, ...]
    note: str = ""

    def explanation(self) -> str:
        """Why this entity matched, in one paragraph."""
        if self.rule == "identifier":
            why = f"identifier {self.matched_name.value} is {self.entity.caption}'s"
        else:
            assert self.comparison is not None
            why = (
                f"query {self.comparison.query!r} vs {self.matched_name.kind} name "
                f"{self.matched_name.value!r}: {self.comparison.explain()}"
            )
        return why + (f"; {self.note}" if self.note else "")


def _contained(query: NormName, candidate: NormName) -> Comparison | None:
    """A CJK query holding a whole CJK watchlist name, e.g. a branch bureau (分局) of a listed PSB."""
    name = candidate.original.strip()
    if (
        not (query.cjk and candidate.cjk)
        or len(name) < CONTAINED_MIN_CHARS
        or name not in query.original
    ):
        return None
    if query.original.strip() == name:
        return None
    rest = query.original.replace(name, " … ")
    return Comparison(
        query.original,
        name,
        CONTAINED_SCORE,
        (Pair(name, name, 1.0, "contained"),),
        penalties=(f"the query contains the whole name; rest: {rest.strip()}",),
    )


def _ident_key(value: str) -> str:
    return _IDENT.sub("", value.upper())


class Matcher:
    """Name and identifier matching against one watchlist."""

    def __init__(self, watchlist: Watchlist, threshold: float = MATCH_THRESHOLD) -> None:
        self.watchlist = watchlist
        self.threshold = threshold
        self.entries: list[Entry] = []
        self._norms: list[NormName] = []
        self._index = CandidateIndex()
        self._identifiers: dict[str, list[tuple[str, str]]] = {}
        self._curated = frozenset(
            e.id for e in watchlist.entities.values() if e.dataset == "bundled"
        )
        """Entities of the bundled, curated watchlist: only their names get the place rule
        (:mod:`procurewatch.match.place_rule`); an imported list's one-word names would not
        bear it (``Alfa USA``)."""
        for entity in watchlist.entities.values():
            self._add_entity(entity)

    @classmethod
    def compile(cls, watchlist: Watchlist, threshold: float = MATCH_THRESHOLD) -> Matcher:
        """Normalize and index every name of the watchlist."""
        return cls(watchlist, threshold)

    def _add_entity(self, entity: Entity) -> None:
        seen: set[str] = set()
        names = [
            Name(entity.caption, "legal", source=entity.sources[0] if entity.sources else ""),
            *entity.names,
        ]
        for name in names:
            for value in split_alternatives(name.value):
                norm = normalize(value)
                if not (norm.tokens or norm.letters) or norm.letters + str(norm.tokens) in seen:
                    continue
                seen.add(norm.letters + str(norm.tokens))
                entry_name = (
                    name if value == name.value else Name(value, name.kind, name.lang, name.source)
                )
                self._index.add(len(self.entries), norm)
                self.entries.append(Entry(entity.id, entry_name))
                self._norms.append(norm)
        for ident in entity.identifiers:
            self._identifiers.setdefault(_ident_key(ident.value), []).append(
                (entity.id, ident.scheme)
            )

    def built_gate(self) -> Gate | None:
        """The name gate if something asked for it already (None: never built)."""
        gate: Gate | None = self.__dict__.get("gate")
        return gate

    @cached_property
    def gate(self) -> Gate:
        """Decides for many names at once which ones can match anything
        (:mod:`procurewatch.match.name_gate`)."""
        from procurewatch.match.name_gate import Gate

        return Gate(
            self._index.word_facts,
            self._index.letter_keys(),
            frozenset(self._identifiers),
            self._index.token_keys(),
        )

    def match_identifier(self, value: str) -> list[NameMatch]:
        """Entities carrying this identifier (exact, ignoring case, spaces and dashes)."""
        out = []
        key = _ident_key(value)
        for entity_id, scheme in self._identifiers.get(key, []) if len(key) >= 5 else []:
            entity = self.watchlist.entities[entity_id]
            out.append(
                NameMatch(
                    entity,
                    1.0,
                    Name(value, "alias"),
                    "identifier",
                    None,
                    tuple(self.watchlist.effective_designations(entity_id)),
                    note=f"{scheme} identifier matches exactly",
                )
            )
        return out

    def _score_query(self, query: str) -> dict[str, tuple[float, int, Comparison]]:
        best: dict[str, tuple[float, int, Comparison]] = {}
        if not self._index.may_have_candidates(query):
            return best
        norm = normalize(query)
        for entry_id in self._index.candidates(norm):
            listed = self._norms[entry_id]
            entity_id = self.entries[entry_id].entity_id
            curated = entity_id in self._curated
            comparison = _contained(norm, listed) or compare_normalized(norm, listed, curated)
            if comparison.score < PLACE_QUALIFIED_SCORE and curated:
                comparison = (
                    place_qualified(norm, listed) or brand_described(norm, listed) or comparison
                )
            if entity_id not in best or comparison.score > best[entity_id][0]:
                best[entity_id] = (comparison.score, entry_id, comparison)
        return best

    def _address_supports(self, entity: Entity, trailer: str) -> bool:
        words = [w for w in re.split(r"\W+", trailer.casefold()) if len(w) >= 3]
        text = " ".join(entity.addresses).casefold()
        return bool(words) and all(w in text for w in words)

    def match_name(
        self, query: str, *, limit: int = 5, floor: float = REPORT_FLOOR
    ) -> list[NameMatch]:
        """The best entities for ``query``, best first, each above ``floor``."""
        results = {m.entity.id: m for m in self.match_identifier(query)}
        variants = [(query, "")]
        head, _, trailer = query.partition(",")
        if trailer.strip() and head.strip():
            variants.append((head.strip(), trailer.strip()))
        for text, rest in variants:
            for entity_id, (score, entry_id, comparison) in self._score_query(text).items():
                entity = self.watchlist.entities[entity_id]
                note = ""
                if rest:
                    if self._address_supports(entity, rest):
                        note = f"address supports the rest of the query ({rest})"
                    else:
                        score *= TRAILER_PENALTY
                        note = f"matched without {rest!r}"
                if score < floor or (entity_id in results and results[entity_id].score >= score):
                    continue
                results[entity_id] = NameMatch(
                    entity,
                    round(score, 4),
                    self.entries[entry_id].name,
                    "name",
                    comparison,
                    tuple(self.watchlist.effective_designations(entity_id)),
                    note,
                )
        said = query.strip().casefold()
        ranked = sorted(  # on a tie, the name written exactly so wins (Kaspersky Lab, Inc.)
            results.values(),
            key=lambda m: (-m.score, m.matched_name.value.casefold() != said,
                           -len(m.designations), m.entity.id),
        )  # fmt: skip
        return ranked[:limit]

    def is_match(self, result: NameMatch) -> bool:
        """Whether a result counts as a match at this matcher's threshold."""
        return result.score >= self.threshold


def _latest(days: Iterable[date | None]) -> str | None:
    known = [d for d in days if d is not None]
    return max(known).isoformat() if known else None


def _earliest(days: Iterable[date | None]) -> str | None:
    known = [d for d in days if d is not None]
    return min(known).isoformat() if known else None


def in_force_summary(
    designations: tuple[EffectiveDesignation, ...], day: date | None
) -> list[dict[str, object]]:
    """Designations as plain dicts for output, with ``in_force`` on ``day``. ``via_from`` and
    ``via_until`` bound when every relation to the holder held (Lorex counts only while Dahua
    owned it); None when listed directly or the relations have no dates."""
    out: list[dict[str, object]] = []
    for eff in designations:
        des = eff.designation
        out.append(
            {
                "list": eff.list.id,
                "list_name": eff.list.name,
                "authority": eff.list.authority,
                "listed": des.listed.isoformat() if des.listed else None,
                "in_force_from": des.start.isoformat() if des.start else None,
                "ended": des.ended.isoformat() if des.ended else None,
                "holder": eff.holder,
                "via": [f"{r.kind} {r.target}" for r in eff.via],
                "via_from": _latest(r.start for r in eff.via),
                "via_until": _earliest(r.end for r in eff.via),
                "in_force": eff.in_force_on(day),
                "citation": des.citation or eff.list.citation,
                "source": des.source,
            }
        )
    return out
