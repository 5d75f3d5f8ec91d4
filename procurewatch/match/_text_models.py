"""Model-number families compiled for the text scanner: regexes, prefixes and heads.

Every family pattern must start with a literal prefix (optional parts allowed). Prefixes are read
from the parsed regular expression, not written by hand: the *heads* of a pattern are the
sequences of character sets every match starts with (``DS``, ``-`` or nothing, ``2``, ``C``,
``{D, V}``, ``[0-9]`` ...). The automaton gets the literal prefixes they expand to, the DuckDB
prefilter gets the heads themselves, so neither can miss a position the regex would match.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from typing import Any

from procurewatch.errors import WatchlistError
from procurewatch.match._guarded import Guarded
from procurewatch.model import ProductFamily

_PARSER: Any = importlib.import_module("re._parser")

MAX_PREFIX = 8
"""Longest literal prefix kept for the automaton."""
MAX_CLASS = 4
"""Character classes up to this size are expanded into literal prefixes (``[DV]``)."""
MAX_HEAD = 8
"""Longest head kept for the prefilter."""
HEAD_CLASS = 64
"""Largest character class kept in a head (``[0-9A-Z]`` has 36)."""
MAX_HEADS = 64
"""Most heads (or prefixes) per family; beyond that the expansion stops where it is."""
MIN_PREFIX = 2

_CJK_CLASS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
WORD_END = f"(?!(?![{_CJK_CLASS}])\\w)"
"""Lookahead: the next character does not continue a word (CJK characters do not)."""

Atom = frozenset[str]
Head = tuple[Atom, ...]
"""The first characters of a match, each as the set of characters allowed there."""
Heads = set[tuple[Head, bool]]
"""Heads, each with whether the pattern may still continue it."""


@dataclass(frozen=True, slots=True)
class CompiledFamily:
    """A product family with its compiled regex, literal prefixes and heads."""

    family: ProductFamily
    regex: Guarded
    """The family's regex and :data:`WORD_END` (compiled as the pattern and the lookahead)."""
    prefixes: frozenset[str]
    """Literal strings every match starts with (one of them): automaton patterns."""
    heads: frozenset[Head]
    """Character-set sequences every match starts with (one of them): prefilter."""
    order: int
    """Position in the watchlist: on equal spans the earlier family wins."""


def _class_chars(items: list[tuple[Any, Any]]) -> Atom | None:
    chars: set[str] = set()
    for op, av in items:
        name = str(op)
        if name == "LITERAL":
            chars.add(chr(av))
        elif name == "RANGE" and av[1] - av[0] < HEAD_CLASS:
            chars.update(chr(c) for c in range(av[0], av[1] + 1))
        else:
            return None
    return frozenset(chars) if len(chars) <= HEAD_CLASS else None


def _repeat(av: Any) -> Heads:
    low, high, sub = av
    inner = _sequence(list(sub))
    if high == 1:
        return set(inner) if low == 1 else {*inner, ((), True)}
    out = {(h, False) for h, _ in inner}
    if low == 0:
        out.add(((), True))
    return out


def _item(op: Any, av: Any) -> Heads | None:
    name = str(op)
    if name == "LITERAL":
        return {((frozenset(chr(av)),), True)}
    if name == "IN":
        atom = _class_chars(list(av))
        return None if atom is None else {((atom,), True)}
    if name == "SUBPATTERN":
        return _sequence(list(av[-1]))
    if name == "BRANCH":
        return {h for alt in av[1] for h in _sequence(list(alt))}
    if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        return _repeat(av)
    if name in ("AT", "ASSERT", "ASSERT_NOT"):
        return {((), True)}  # zero-width: ignoring it only widens the set of starts
    return None


def _extend(state: Heads, options: Heads | None) -> Heads:
    out: Heads = set()
    for head, open_ in state:
        if not open_ or options is None:
            out.add((head, False))
            continue
        for more, more_open in options:
            joined = head + more
            out.add((joined[:MAX_HEAD], more_open and len(joined) < MAX_HEAD))
    return out


def _sequence(items: list[tuple[Any, Any]]) -> Heads:
    state: Heads = {((), True)}
    for op, av in items:
        if not any(open_ for _, open_ in state):
            break
        extended = _extend(state, _item(op, av))
        if len(extended) > MAX_HEADS:
            return {(h, False) for h, _ in state}
        state = extended
    return state


def pattern_heads(pattern: str) -> frozenset[Head]:
    """The character-set sequences every match of ``pattern`` starts with (one of them)."""
    return frozenset(h for h, _ in _sequence(list(_PARSER.parse(pattern))))


def expand_head(head: Head) -> set[str]:
    """The literal prefixes of a head: its leading small character sets, expanded."""
    out = {""}
    for atom in head[:MAX_PREFIX]:
        if len(atom) > MAX_CLASS or len(out) * len(atom) > MAX_HEADS:
            break
        out = {p + c for p in out for c in sorted(atom)}
    return out


def literal_prefixes(pattern: str) -> frozenset[str]:
    """The literal strings every match of ``pattern`` starts with (one of them)."""
    return frozenset(p for head in pattern_heads(pattern) for p in expand_head(head))


def compile_family(family: ProductFamily, order: int) -> CompiledFamily:
    """Compile a family; raise :class:`WatchlistError` for a bad or prefix-less pattern."""
    where = f"product {family.id!r}"
    try:
        regex = Guarded("", f"(?:{family.pattern})", WORD_END)  # (?:...): checked as before
        heads = pattern_heads(family.pattern)
    except re.error as exc:
        raise WatchlistError(f"{where}: not a valid regular expression ({exc})") from None
    prefixes = frozenset(p for head in heads for p in expand_head(head))
    short = sorted(p for p in prefixes if len(p) < MIN_PREFIX)
    if short:
        raise WatchlistError(
            f"{where}: pattern must start with a literal prefix of {MIN_PREFIX}+ characters "
            f"(found {short!r}); write the maker's fixed prefix first, e.g. 'DS-2CD'"
        )
    if any(p != p.upper() for p in prefixes):
        raise WatchlistError(f"{where}: write the pattern in upper case (text is upper-cased)")
    return CompiledFamily(family, regex, prefixes, heads, order)
