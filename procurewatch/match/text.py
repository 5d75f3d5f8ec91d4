"""Find listed makers in free text: names, brands, aliases and model numbers. Pure, no I/O.

:meth:`TextScanner.compile` builds ONE Aho-Corasick automaton (``ahocorasick_rs``) over the
normalized names of the watchlist entities and the literal prefixes of every product-family
regex. A scan normalizes the text (:mod:`procurewatch.normalize.text`), runs the automaton once
(over a whole batch joined together in :meth:`TextScanner.scan_many`) and then

* keeps a name where it stands at word edges (Latin names; CJK names match anywhere);
* runs the family regex where a prefix was found at a model-number start (a word start not
  glued to a foreign prefix by a hyphen) and keeps the match if it also ends a word;
* applies the context rule: a ``weak`` name or a ``needs_context`` family counts only with a
  strong name of the same maker group (brand, subsidiary, owner) or a product word (camera,
  NVR, PTZ, 监控 ...) within ``window`` characters. Otherwise it is DROPPED (default) or, with
  ``keep_uncontexted=True``, kept with score 0.4;
* drops a one-word name used inside another company's name: ``Dahua Electronics Corp`` (a
  company ending follows within a few words, and a word before it is neither in the maker
  group's own names nor a place), unlike ``Hikvision USA Inc`` (kept at 0.4 with
  ``keep_uncontexted``);
* resolves overlaps: the longest span wins; on equal spans a specific model family beats a
  name, which beats a ``needs_context`` family, which beats a weak name. Hits of different
  entities on exactly the same span are all kept.

Every :class:`TextHit` reports the exact original span (``text[start:end] == matched_text``).
Scores: legal name or caption 1.0, brand 0.95, other names 0.9, weak name with context 0.75;
model number 0.9 (0.8 for a ``needs_context`` family), +0.05 with a name of the maker nearby.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

import ahocorasick_rs

from procurewatch.match._mention_cues import MentionCues, load_cues
from procurewatch.match._text_candidates import (
    Cand,
    Entry,
    build_entries,
    model_cand,
    name_cand,
    product_word,
    resolve,
)
from procurewatch.match._text_models import compile_family
from procurewatch.match._text_prefilter import PrefilterParts, build_prefilter, prefilter_parts
from procurewatch.match._text_rules import (
    at_model_start,
    at_word_end,
    at_word_start,
    lookalike_company,
    maker_groups,
    name_rules,
    name_tokens,
    needs_right_edge,
)
from procurewatch.match.mention import judge_mentions
from procurewatch.match.types import TextHit
from procurewatch.model import Watchlist
from procurewatch.normalize.text import NormText, normalize_batch

NAME_SCORES = {"name": 1.0, "brand": 0.95, "alias": 0.9}
WEAK_SCORE = 0.75
MODEL_SCORE = 0.9
CONTEXT_MODEL_SCORE = 0.8
BRAND_BONUS = 0.05
UNCONTEXTED_SCORE = 0.4

Match = tuple[int, int, int]
"""(automaton pattern index, start, end) in one normalized text."""


@dataclass(frozen=True, slots=True)
class _Tables:
    """What a scanner is compiled into."""

    entries: list[Entry]
    groups: dict[str, str]
    """Entity id -> maker group id."""
    captions: dict[str, str]
    tokens: dict[str, frozenset[str]]
    """Maker group id -> words of its names (for the look-alike rule)."""
    cues: MentionCues | None
    """The mention rules' cues (None: every mention is taken as affirmative)."""


class TextScanner:
    """A compiled scanner for names, brands and model numbers of a watchlist."""

    def __init__(self, tables: _Tables, *, window: int, keep_uncontexted: bool) -> None:
        self._t = tables
        self._window = window
        self._keep = keep_uncontexted
        patterns = [e.pattern for e in tables.entries]
        self._automaton: Any = ahocorasick_rs.AhoCorasick(patterns) if patterns else None
        self._prefilter: str | None = None

    @classmethod
    def compile(
        cls,
        watchlist: Watchlist,
        *,
        entity_ids: Collection[str] | None = None,
        window: int = 80,
        keep_uncontexted: bool = False,
        mention_rules: bool = True,
    ) -> TextScanner:
        """Compile the names and product families of ``watchlist`` (or of ``entity_ids``).

        With ``mention_rules`` each hit is also read in its context
        (:mod:`procurewatch.match.mention`): a mention that excludes the maker, refers to it,
        cites it as a banned party or names a place gets ``set_aside`` with the reason.

        Raises :class:`~procurewatch.errors.WatchlistError` for an invalid family pattern.
        """
        selected = None if entity_ids is None else frozenset(entity_ids)
        groups = maker_groups(watchlist)
        families = [
            compile_family(p, i)
            for i, p in enumerate(watchlist.products)
            if selected is None or p.entity_id in selected
        ]
        tables = _Tables(
            entries=build_entries(list(name_rules(watchlist, groups, selected)), families),
            groups=groups,
            captions={e.id: e.caption for e in watchlist.entities.values()},
            tokens=name_tokens(watchlist, groups),
            cues=load_cues() if mention_rules else None,
        )
        return cls(tables, window=window, keep_uncontexted=keep_uncontexted)

    @property
    def patterns(self) -> tuple[str, ...]:
        """The automaton's patterns: normalized names and model-number prefixes."""
        return tuple(e.pattern for e in self._t.entries)

    def prefilter_regex(self) -> str:
        """One RE2 regex (DuckDB ``regexp_matches``, case-insensitive, over raw text) that
        matches every text :meth:`scan` can find a hit in: a superset filter."""
        if self._prefilter is None:
            names = [e.pattern for e in self._t.entries if e.names]
            heads = [h for e in self._t.entries for f in e.families for h in f.heads]
            self._prefilter = build_prefilter(names, heads)
        return self._prefilter

    def prefilter_parts(self, *, ascii_specials: bool = False) -> PrefilterParts:
        """The alternatives of :meth:`prefilter_regex`, for a multi-pattern engine (see
        :func:`~procurewatch.match._text_prefilter.prefilter_parts` for ``ascii_specials``)."""
        names = [e.pattern for e in self._t.entries if e.names]
        heads = [h for e in self._t.entries for f in e.families for h in f.heads]
        return prefilter_parts(names, heads, ascii_specials=ascii_specials)

    def scan(self, text: str) -> list[TextHit]:
        """The hits in one text, in order of position."""
        return self.scan_many([text])[0]

    def scan_many(self, texts: Sequence[str | None]) -> list[list[TextHit]]:
        """The hits of each text (an empty list for None or empty texts). A text that repeats
        in the batch is scanned once (its hit list is shared)."""
        index: dict[str, int] = {}
        order = [index.setdefault(t or "", len(index)) for t in texts]
        found = self._scan_distinct(list(index))
        return [found[i] for i in order]

    def _scan_distinct(self, texts: list[str]) -> list[list[TextHit]]:
        out: list[list[TextHit]] = [[] for _ in texts]
        if self._automaton is None:
            return out
        batch = normalize_batch(texts)
        found: dict[int, list[Match]] = defaultdict(list)
        offsets = batch.offsets
        for pid, start, end in self._automaton.find_matches_as_indexes(
            batch.joined, overlapping=True
        ):
            row = batch.row_of(start)
            found[row].append((pid, start - offsets[row], end - offsets[row]))
        for row, matches in found.items():
            out[row] = self._hits(batch.row(row), matches)
        return out

    def _hits(self, norm: NormText, matches: list[Match]) -> list[TextHit]:
        cands = self._candidates(norm.text, matches)
        cands = [c for c in cands if self._judge(norm.text, c, cands)]
        hits = [self._to_hit(norm, c) for c in resolve(cands)]
        if self._t.cues is None:
            return hits
        return judge_mentions(norm.source, hits, self._t.groups, self._t.cues)

    def _candidates(self, text: str, matches: list[Match]) -> list[Cand]:
        cands: list[Cand] = []
        tried: set[tuple[int, int]] = set()
        for pid, start, end in matches:
            entry = self._t.entries[pid]
            left = not entry.left or at_word_start(text, start)
            if entry.names and left and (not entry.right or at_word_end(text, end)):
                cands.extend(name_cand(r, start, end) for r in entry.names)
            for fam in entry.families:
                if (fam.order, start) in tried or not at_model_start(text, start):
                    continue
                tried.add((fam.order, start))
                found = fam.regex.match(text, start)
                if found is not None:
                    group = self._t.groups.get(fam.family.entity_id, fam.family.entity_id)
                    cands.append(model_cand(fam, start, found.end(), group))
        return cands

    def _judge(self, text: str, cand: Cand, cands: list[Cand]) -> bool:
        """Score a candidate; False drops it (ambiguous without context, or a look-alike)."""
        if cand.name is not None and self._lookalike(text, cand):
            return self._keep
        if cand.name is not None and not cand.name.weak:
            cand.score = NAME_SCORES[cand.name.rule]
            return True
        brand = self._brand_nearby(cand, cands)
        word = None if brand else product_word(text, cand.start, cand.end, self._window)
        if cand.name is not None:
            base = WEAK_SCORE
        else:
            base = CONTEXT_MODEL_SCORE if cand.contextual else MODEL_SCORE
            base += BRAND_BONUS if brand else 0.0
        if brand:
            cand.why = f"; {brand!r} of the same maker nearby"
        elif word and cand.contextual:
            cand.why = f"; product word {word!r} nearby"
        elif cand.contextual:
            if not self._keep:
                return False
            base, cand.why = UNCONTEXTED_SCORE, "; ambiguous and without context nearby"
        cand.score = min(base, 1.0)
        return True

    def _lookalike(self, text: str, cand: Cand) -> bool:
        """A one-word name inside another company's name (``Dahua Electronics Corp``)."""
        matched = text[cand.start : cand.end]
        if " " in matched or not needs_right_edge(matched):
            return False
        known = self._t.tokens.get(cand.group, frozenset())
        phrase = lookalike_company(text, cand.end, known)
        if phrase is None:
            return False
        cand.score = UNCONTEXTED_SCORE
        cand.why = f"; followed by {phrase!r}: probably another company named like it"
        return True

    def _brand_nearby(self, cand: Cand, cands: list[Cand]) -> str | None:
        """A strong name of the same maker group near (or inside) the candidate."""
        for other in cands:
            if other is cand or other.name is None or other.name.weak:
                continue
            near = cand.start - self._window < other.end and other.start < cand.end + self._window
            if near and other.group == cand.group:
                return other.name.value
        return None

    def _to_hit(self, norm: NormText, cand: Cand) -> TextHit:
        start, end = norm.span(cand.start, cand.end)
        matched = norm.source[start:end]
        if cand.name is not None:
            rule, kind, family_id = cand.name.rule, cand.name.kind, None
            caption = self._t.captions.get(cand.name.entity_id, cand.name.entity_id)
            weak = "weak " if cand.name.weak else ""
            detail = f"{weak}{kind} name {cand.name.value!r} of {caption}"
        else:
            assert cand.family is not None
            fam = cand.family.family
            rule, kind, family_id = "model", None, fam.id
            detail = f"model number {matched} matches {fam.name} [{fam.id}]"
        return TextHit(
            start, end, matched, rule, cand.entity_id, kind, family_id,
            round(cand.score, 3), detail + cand.why,
        )  # fmt: skip
