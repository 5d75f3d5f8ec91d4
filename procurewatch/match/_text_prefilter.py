"""One RE2 regular expression that selects every raw text the scanner could find a hit in.

The scanner works on normalized text (NFKC, upper case, unified dashes, collapsed spaces); the
prefilter runs on raw text inside DuckDB (``regexp_matches``, RE2 syntax). It is a superset:

* names and model-number heads (the leading character sets of each family regex) are matched
  case-insensitively, with every raw character that
  normalizes to ``-``, a quote or a space accepted in their place, and ``\\b`` only where the
  scanner itself demands a word edge (RE2's ASCII ``\\b`` is never stricter than the scanner's);
* any raw character that normalizes to something else the patterns use (full-width letters,
  ligatures, compatibility ideographs, zero-width characters ...) selects the text outright.

Names that contain a shorter selected name at word edges, and heads covered by a shorter or
wider head, are left out: the other one already selects those texts. The odd-character class
sits outside the case-insensitive group: under ``(?i)`` RE2 would fold ``ſ`` to ``s``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import ahocorasick_rs

from procurewatch.match._text_models import Atom, Head
from procurewatch.match._text_rules import is_word_char
from procurewatch.normalize.han import han_table
from procurewatch.normalize.text import fold

_EXTRA_RANGES = ((0x1D400, 0x1D800), (0x1F100, 0x1F200), (0x2F800, 0x2FA20))
_META = set("\\.+*?()|[]{}^$")
_SPECIAL_FOLDS = ("-", " ", "'", '"')
NEVER = "[^\\x{0}-\\x{10ffff}]"
"""An RE2 expression that matches nothing (RE2 has no lookaround)."""


@lru_cache(maxsize=1)
def _fold_table() -> dict[str, str]:
    """Every non-ASCII character whose normalized form differs from itself."""
    table: dict[str, str] = {}
    ranges = ((0x80, 0xD800), (0xE000, 0x10000), *_EXTRA_RANGES)
    for low, high in ranges:
        for code in range(low, high):
            char = chr(code)
            folded = fold.__wrapped__(char)
            if folded != char:
                table[char] = folded
    return table


def _hex(char: str) -> str:
    return f"\\x{{{ord(char):x}}}"


def _char_class(chars: Iterable[str]) -> str:
    codes = sorted({ord(c) for c in chars})
    parts: list[str] = []
    i = 0
    while i < len(codes):
        j = i
        while j + 1 < len(codes) and codes[j + 1] == codes[j] + 1:
            j += 1
        low, high = chr(codes[i]), chr(codes[j])
        parts.append(_hex(low) if i == j else f"{_hex(low)}-{_hex(high)}")
        i = j + 1
    return "[" + "".join(parts) + "]"


def _preimages(target: str) -> set[str]:
    chars = {target} | {c for c, f in _fold_table().items() if f == target}
    if target == " ":
        chars |= {chr(c) for c in range(0x80) if chr(c).isspace()}
    return chars


@lru_cache(maxsize=1)
def _traditional_forms() -> dict[str, str]:
    """Simplified Chinese character -> the class of it and the traditional characters folded
    to it (the inverse of :func:`~procurewatch.normalize.han.han_table`)."""
    forms: dict[str, set[str]] = {}
    for code, simple in han_table().items():
        forms.setdefault(simple, {simple}).add(chr(code))
    return {simple: _char_class(chars) for simple, chars in forms.items()}


def _is_han_pair(char: str, folded: str) -> bool:
    """Whether ``folded`` is the simplified form of the traditional Chinese ``char`` (a name
    spells both with a class per character, ``[华華][为為]``, instead of the odd class)."""
    return han_table().get(ord(char)) == folded


def _is_case_pair(char: str, folded: str) -> bool:
    """Whether ``folded`` is only the upper case of ``char`` (RE2's ``(?i)`` finds those; a
    traditional Chinese character folded to its simplified form is no case pair)."""
    return (
        len(folded) == 1
        and not folded.isascii()
        and unicodedata.is_normalized("NFKC", char)
        and char.upper() == folded
    )


def _odd_chars(alphabet: set[str]) -> set[str]:
    odd: set[str] = set()
    for char, folded in _fold_table().items():
        if folded in _SPECIAL_FOLDS or _is_case_pair(char, folded) or _is_han_pair(char, folded):
            continue
        if folded == "" or any(c in alphabet for c in folded):
            odd.add(char)
    return odd


class _Literal:
    """Translates normalized literals and heads into raw-text RE2 fragments."""

    def __init__(self, ascii_specials: bool = False) -> None:
        self.preimages = {t: _preimages(t) for t in _SPECIAL_FOLDS}
        if ascii_specials:  # the other preimages select a text outright (the odd class)
            self.preimages = {t: {c for c in p if c.isascii()} for t, p in self.preimages.items()}
        self.classes = {t: _char_class(chars) for t, chars in self.preimages.items()}

    def char(self, char: str) -> str:
        """One normalized character (a simplified Chinese one with its traditional forms)."""
        if char in self.classes:
            return self.classes[char] + ("+" if char == " " else "")
        if not char.isascii():
            return _traditional_forms().get(char, char)
        return "\\" + char if char in _META else char

    def atom(self, atom: Atom) -> str:
        """A set of normalized characters."""
        if len(atom) == 1:
            return self.char(next(iter(atom)))
        chars = set(atom)
        for special in _SPECIAL_FOLDS:
            if special in atom:
                chars |= self.preimages[special]
        return _char_class(chars)

    def name(self, text: str) -> str:
        """A name, with word edges where the scanner demands them."""
        body = "".join(self.char(c) for c in text)
        if text[0].isascii() and is_word_char(text[0]):
            body = "\\b" + body
        if text[-1].isascii() and is_word_char(text[-1]):
            body += "\\b"
        return body

    def head(self, head: Head) -> str:
        """A model-number head, from a word start."""
        edge = all(c.isascii() and is_word_char(c) for c in head[0])
        return ("\\b" if edge else "") + "".join(self.atom(a) for a in head)


def _covered(pattern: str, start: int, end: int, host: str) -> bool:
    left = start == 0 or not (is_word_char(pattern[0]) and is_word_char(host[start - 1]))
    right = end == len(host) or not (is_word_char(pattern[-1]) and is_word_char(host[end]))
    return left and right


def minimal_names(names: Iterable[str]) -> list[str]:
    """The names not containing another of the names at word edges."""
    unique = sorted(set(names))
    if not unique:
        return []
    automaton = ahocorasick_rs.AhoCorasick(unique)
    kept: list[str] = []
    for host in unique:
        found = automaton.find_matches_as_indexes(host, overlapping=True)
        if not any(unique[i] != host and _covered(unique[i], s, e, host) for i, s, e in found):
            kept.append(host)
    return kept


def _covers(short: Head, long: Head) -> bool:
    return len(short) <= len(long) and all(b <= a for a, b in zip(short, long, strict=False))


def minimal_heads(heads: Iterable[Head]) -> list[Head]:
    """The heads not already covered by a shorter or wider head."""
    unique = sorted(set(heads), key=lambda h: (len(h), [sorted(a) for a in h]))
    kept: list[Head] = []
    for head in unique:
        if not any(_covers(k, head) for k in kept):
            kept.append(head)
    return kept


@dataclass(frozen=True)
class PrefilterParts:
    """The prefilter's alternatives: ``caseless`` fragments (each meant case-insensitively)
    and ``odd``, a case-sensitive class of raw characters that select a text outright."""

    caseless: tuple[str, ...]
    odd: str | None


def prefilter_parts(
    names: Iterable[str], heads: Iterable[Head], *, ascii_specials: bool = False
) -> PrefilterParts:
    """The alternatives of the prefilter for these normalized names and model-number heads
    (a multi-pattern engine compiles them one by one; :func:`build_prefilter` joins them).

    With ``ascii_specials`` the alternatives accept only ASCII spaces, dashes and quotes, and
    every other character that normalizes to one of them joins the odd class instead: a
    superset still (identical on ASCII text), with small classes that Hyperscan runs faster."""
    names, heads = minimal_names(names), minimal_heads(heads)
    literal = _Literal(ascii_specials)
    parts = [literal.name(n) for n in names] + [literal.head(h) for h in heads]
    alphabet = {c for n in names for c in n} | {c for h in heads for a in h for c in a}
    odd = _odd_chars(alphabet) if parts else set()
    if ascii_specials and parts:
        used = [t for t in _SPECIAL_FOLDS if t in alphabet]
        odd |= {c for t in used for c in _preimages(t) if not c.isascii()}
    return PrefilterParts(tuple(parts), _char_class(odd) if odd else None)


def build_prefilter(names: Iterable[str], heads: Iterable[Head]) -> str:
    """The RE2 prefilter for these normalized names and model-number heads."""
    parts = prefilter_parts(names, heads)
    if not parts.caseless:
        return NEVER
    regex = "(?i:" + "|".join(parts.caseless) + ")"
    return regex if parts.odd is None else f"(?:{regex}|{parts.odd})"
