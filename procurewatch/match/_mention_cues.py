"""The cue words of the mention rules (``data/mention_cues.yaml``), compiled, and where they may
stand around a mention. Pure once loaded: :func:`load_cues` reads the bundled file once."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import groupby
from typing import Any

from procurewatch.match._cue_set import WORD_EDGE, CueSet, edges
from procurewatch.yamlload import safe_load

CUES_FILE = "mention_cues.yaml"
_WC = WORD_EDGE.pattern
_CJK = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_WORDS = re.compile(_WC + "+")
_WORD_AFTER = f"(?!(?-i:{_WC}))"
"""No letter or digit next: the class without case folding, in a case-insensitive regex (the
same characters, each code point checked in the tests; folding its CJK ranges is slow)."""
_CLAUSE_MARK = r"[!?;|\t。；！？()（）\[\]{}<>«»“”\"—–]|\.(?=\s|$)|\s-\s|\n\s*\n"
CLAUSE = re.compile(_CLAUSE_MARK)
"""Where a clause ends: sentence marks, brackets, field separators, dashes between spaces, a
blank line (a single line break is taken as a wrapped line)."""
PHRASE = re.compile(_CLAUSE_MARK + r"|[,，、]")
"""Where a phrase ends: a clause mark or a comma."""
LABEL_MARKS = (":", "=", "：")
"""Every field label of ``affirmative_before`` ends with one of these (a cheap first test)."""
REACH = 160
"""How many characters around a mention are read for cues."""
AFTER_GAP_WORDS = 2
"""Words allowed between a list of makers and a cue after it ("Hikvision cameras are not")."""
_NAME_ITEM = re.compile(r"\s*(?:(?:and|et|y|und|e)\s+)?[A-Z][a-z]+(?:[ -][A-Z][a-z]+){1,2}\s*")


def _union(cues: Iterable[str], *, before: str = "", after: str = "") -> re.Pattern[str]:
    """``before`` + one of the cues with their word edges + ``after``: the cues longest first
    (equal lengths in alphabetical order, so the regex does not depend on Python's string
    hashing), grouped, so that ``before`` and ``after`` bind to every cue.

    Runs of cues with the same edges share them (``lead(?:(?:c1)|(?:c2))trail``: the same
    paths in the same order, so the same matches), so that the word-edge class, slow to
    compile, appears a few times per union instead of twice per cue."""
    ordered = sorted(set(cues), key=lambda cue: (-len(cue), cue))
    return re.compile(f"{before}(?:{'|'.join(_shared_edges(ordered))}){after}", re.IGNORECASE)


def _shared_edges(ordered: list[str]) -> list[str]:
    """The alternatives of the cues in this order, each run with the same lead (and within it
    the same trail) written with its edge once."""
    out: list[str] = []
    for lead, run in groupby(ordered, key=lambda c: edges(c)[0]):
        inner = [
            f"(?:{'|'.join(f'(?:{c})' for c in same)}){trail}"
            for trail, same in groupby(run, key=lambda c: edges(c)[1])
        ]
        out.append(f"{lead}(?:{'|'.join(inner)})")
    return out


def _flat(section: Any) -> list[str]:
    """A section's cues: a list, or lists by language."""
    if isinstance(section, Mapping):
        return [str(c) for cues in section.values() for c in cues]
    return [str(c) for c in section]


@dataclass(frozen=True, slots=True)
class Gap:
    """How far a cue may stand from the mention it is about."""

    words: int
    cjk: int

    def allows(self, gap: str, *, adjacent: bool) -> bool:
        """True when ``gap`` (the text between cue and mention) is short enough."""
        if PHRASE.search(gap):
            return False
        if adjacent:
            return gap.strip(" -\u2010\u2011") == ""
        return len(_WORDS.findall(gap)) <= self.words and len(_CJK.findall(gap)) <= self.cjk


@dataclass(frozen=True, slots=True)
class MentionCues:
    """The compiled cues; each method returns the words that decided, or ""."""

    excl_before: CueSet
    excl_after: CueSet
    ref_before: CueSet
    ref_after: CueSet
    compliance_words: CueSet
    numbers: re.Pattern[str]
    """An amount with a currency or a quantity (tried only on texts with a digit)."""
    price_words: CueSet
    adjacent: re.Pattern[str]
    not_cues: re.Pattern[str]
    predicates: CueSet
    negators: frozenset[str]
    number_words: frozenset[str]
    place_after: re.Pattern[str]
    place_before: re.Pattern[str]
    person_before: re.Pattern[str]
    affirm_before: re.Pattern[str]
    affirm_after: re.Pattern[str]
    gap: Gap

    def exclusion(self, text: str, start: int, end: int) -> str:
        """An exclusion cue before ``text[start:end]`` or right after it."""
        cue = self._before(self.excl_before, text, start, self.gap)
        if cue:
            return f"{cue!r} before it"
        cue = self._after(self.excl_after, text, end, AFTER_GAP_WORDS)
        return f"{cue!r} after it" if cue else ""

    def reference(self, text: str, start: int, end: int) -> str:
        """A reference cue ("compatible with") before ``text[start:end]`` or right after it."""
        cue = self._before(self.ref_before, text, start, self.gap)
        if cue:
            return f"{cue!r} before it"
        cue = self._after(self.ref_after, text, end, 1)
        return f"{cue!r} after it" if cue else ""

    def compliance(self, text: str) -> str:
        """A compliance word anywhere in ``text``."""
        found = self.compliance_words.first(text)
        return repr(found) if found else ""

    def purchase_signal(self, text: str) -> str:
        """A price, amount with a currency or quantity anywhere in ``text``."""
        if any(c.isdigit() for c in text):
            found = self.numbers.search(text)
            if found is not None:
                return found.group(0)
        return self.price_words.first(text)

    def affirmative(self, text: str, start: int, end: int) -> bool:
        """A field label naming the maker right before it, or "or equivalent" right after."""
        head = text[max(0, start - 30) : start]
        labelled = any(mark in head for mark in LABEL_MARKS) and self.affirm_before.search(head)
        return bool(labelled or self.affirm_after.match(text, end))

    def place(self, text: str, start: int, end: int) -> str:
        """A street or place word right after the name (or a street word right before it)."""
        found = self.place_after.match(text, end)
        if found is not None:
            return repr(found.group(0).strip(" -"))
        found = self.place_before.search(text[max(0, start - 20) : start])
        return repr(found.group(0).strip()) if found is not None else ""

    def person(self, text: str, start: int, end: int) -> str:
        """A title right before a spaced name, or the name in a comma list of personal names."""
        name = text[start:end]
        if " " not in name.strip() or not name[:1].isupper():
            return ""
        found = self.person_before.search(text[max(0, start - 15) : start])
        if found is not None:
            return f"{found.group(0).strip()!r} before the name"
        return "in a list of personal names" if _in_name_list(text, start, end) else ""

    def _before(self, cues: CueSet, text: str, start: int, gap: Gap) -> str:
        lo = _clause_start(text, start)
        for cue_start, cue_end, cue in reversed(cues.find(text, lo, start)):
            between = text[cue_end:start]
            if self._false_cue(text, lo, cue_start, cue) or self._about_predicate(cue, between):
                continue
            adjacent = self.adjacent.fullmatch(cue) is not None
            if gap.allows(between, adjacent=adjacent):
                return cue
        return ""

    def _after(self, cues: CueSet, text: str, end: int, words: int) -> str:
        for cue_start, _, cue in cues.find(text, end, _clause_end(text, end)):
            adjacent = self.adjacent.fullmatch(cue) is not None
            if Gap(words, words).allows(text[end:cue_start], adjacent=adjacent):
                return cue
        return ""

    def _about_predicate(self, cue: str, between: str) -> bool:
        """A plain negation of a word between it and the maker ("not compliant")."""
        return cue.lower() in self.negators and bool(self.predicates.find(between))

    def _false_cue(self, text: str, lo: int, start: int, cue: str) -> bool:
        """A look-alike of a cue ("sans fil", "No. 5") or "no" after "Part"."""
        if self.not_cues.match(text, start):
            return True
        words = _WORDS.findall(text[lo:start])
        return cue.lower() == "no" and bool(words) and words[-1].lower() in self.number_words


def _clause_start(text: str, start: int) -> int:
    lo = max(0, start - REACH)
    marks = [m.end() for m in CLAUSE.finditer(text, lo, start)]
    return marks[-1] if marks else lo


def _clause_end(text: str, end: int, marks: re.Pattern[str] = PHRASE) -> int:
    """Where the phrase (or, with ``marks=CLAUSE``, the clause) after ``end`` stops."""
    found = marks.search(text, end, min(len(text), end + REACH))
    return found.start() if found else min(len(text), end + REACH)


def _in_name_list(text: str, start: int, end: int) -> bool:
    """The name stands in a comma list where at least two other items are personal names."""
    lo, hi = _clause_start(text, start), _clause_end(text, end, CLAUSE)
    items = re.split(r"[,，]", text[lo:hi])
    names = [i for i in items if _NAME_ITEM.fullmatch(i)]
    return len(items) >= 3 and len(names) >= 3


def compile_cues(data: Mapping[str, Any]) -> MentionCues:
    """Compile the cue file's sections."""
    signals = data["purchase_signals"]
    numbers = f"(?:{signals['amount']})|(?:{signals['quantity']})"
    place_after = "|".join(sorted(_flat(data["place_after"]), key=len, reverse=True))
    return MentionCues(
        excl_before=CueSet(_flat(data["exclusion_before"])),
        excl_after=CueSet(_flat(data["exclusion_after"])),
        ref_before=CueSet(_flat(data["reference_before"])),
        ref_after=CueSet(_flat(data["reference_after"])),
        compliance_words=CueSet(_flat(data["compliance"])),
        numbers=re.compile(numbers, re.IGNORECASE),
        price_words=CueSet(_flat(signals["price_words"])),
        adjacent=re.compile("|".join(f"(?:{c})" for c in _flat(data["adjacent_only"])), re.I),
        not_cues=_union(_flat(data["not_cues"])),
        predicates=CueSet(_flat(data["negated_predicates"])),
        negators=frozenset(w.lower() for w in _flat(data["predicate_negators"])),
        number_words=frozenset(w.lower() for w in _flat(data["number_words"])),
        place_after=re.compile(rf"[\s-]*(?:{place_after}){_WORD_AFTER}", re.I),
        place_before=_union(_flat(data["place_before"]), after=r"\s*$"),
        person_before=_union(_flat(data["person_before"]), after=r"\s*$"),
        affirm_before=_union(_flat(data["affirmative_before"]), after=r"\s*$"),
        affirm_after=_union(_flat(data["affirmative_after"]), before=r"\s*,?\s*"),
        gap=Gap(int(data["max_gap_words"]), int(data["max_gap_cjk"])),
    )


@cache
def load_cues() -> MentionCues:
    """The bundled cues (read and compiled once)."""
    path = resources.files("procurewatch.match") / "data" / CUES_FILE
    return compile_cues(safe_load(path.read_text(encoding="utf-8")))
