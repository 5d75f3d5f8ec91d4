"""One RE2 regular expression that selects every raw text the scanner could find a hit in.

The scanner works on normalized text (NFKC, upper case, unified dashes, collapsed spaces); the
prefilter runs on raw text inside DuckDB (``regexp_matches``, RE2 syntax). It is a superset:

* names and model-number prefixes are matched case-insensitively, with every raw character that
  normalizes to ``-``, a quote or a space accepted in their place, and ``\\b`` only where the
  scanner itself demands a word edge (RE2's ASCII ``\\b`` is never stricter than the scanner's);
* any raw character that normalizes to something else the patterns use (full-width letters,
  ligatures, compatibility ideographs, zero-width characters ...) selects the text outright.

Names that contain a shorter selected name at word edges, and prefixes extending a shorter
prefix, are left out: the shorter one already selects those texts.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import ahocorasick_rs

from procurewatch.match._text_rules import is_word_char
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


def _is_case_pair(char: str, folded: str) -> bool:
    return len(folded) == 1 and not folded.isascii() and unicodedata.is_normalized("NFKC", char)


def _odd_chars(alphabet: set[str]) -> set[str]:
    odd: set[str] = set()
    for char, folded in _fold_table().items():
        if folded in _SPECIAL_FOLDS or _is_case_pair(char, folded):
            continue
        if folded == "" or any(c in alphabet for c in folded):
            odd.add(char)
    return odd


class _Literal:
    """Translates a normalized literal into a raw-text RE2 fragment."""

    def __init__(self) -> None:
        self.classes = {t: _char_class(_preimages(t)) for t in _SPECIAL_FOLDS}

    def __call__(self, text: str, edges: bool) -> str:
        out: list[str] = []
        for char in text:
            if char in self.classes:
                out.append(self.classes[char] + ("+" if char == " " else ""))
            else:
                out.append("\\" + char if char in _META else char)
        body = "".join(out)
        if edges and text[0].isascii() and is_word_char(text[0]):
            body = "\\b" + body
        if edges and text[-1].isascii() and is_word_char(text[-1]):
            body += "\\b"
        return body


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
        if not any(
            unique[i] != host and _covered(unique[i], s, e, host) for i, s, e in found
        ):
            kept.append(host)
    return kept


def minimal_prefixes(prefixes: Iterable[str]) -> list[str]:
    """The prefixes not extending another of the prefixes."""
    unique = sorted(set(prefixes))
    return [p for p in unique if not any(q != p and p.startswith(q) for q in unique)]


def build_prefilter(names: Iterable[str], prefixes: Iterable[str]) -> str:
    """The RE2 prefilter for these normalized names and model-number prefixes."""
    names, prefixes = minimal_names(names), minimal_prefixes(prefixes)
    literal = _Literal()
    parts = [literal(n, edges=True) for n in names]
    if prefixes:
        parts.append("\\b(?:" + "|".join(literal(p, edges=False) for p in prefixes) + ")")
    if not parts:
        return NEVER
    odd = _odd_chars({c for text in (*names, *prefixes) for c in text})
    if odd:
        parts.append(_char_class(odd))
    return "(?i)(?:" + "|".join(parts) + ")"
