"""Model-number families compiled for the text scanner: regexes and their literal prefixes.

Every family pattern must start with a literal prefix (optional parts allowed). The prefixes are
read from the parsed regular expression, not written by hand, so the automaton (which finds
candidate positions) and the DuckDB prefilter can never miss a position the regex would match.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from typing import Any

from procurewatch.errors import WatchlistError
from procurewatch.model import ProductFamily

_PARSER: Any = importlib.import_module("re._parser")

MAX_PREFIX = 8
"""Longest prefix kept (longer prefixes add nothing to candidate selection)."""
MAX_PREFIXES = 64
"""Most prefixes per family; beyond that the expansion stops where it is."""
MAX_CLASS = 4
"""Character classes up to this size are expanded into prefixes (``[DV]``)."""
MIN_PREFIX = 2

_CJK_CLASS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
WORD_END = f"(?!(?![{_CJK_CLASS}])\\w)"
"""Lookahead: the next character does not continue a word (CJK characters do not)."""

Prefixes = set[tuple[str, bool]]
"""Prefix strings, each with whether the pattern may still continue it literally."""


@dataclass(frozen=True, slots=True)
class CompiledFamily:
    """A product family with its compiled regex and literal prefixes."""

    family: ProductFamily
    regex: re.Pattern[str]
    prefixes: frozenset[str]
    order: int
    """Position in the watchlist: on equal spans the earlier family wins."""


def _class_chars(items: list[tuple[Any, Any]]) -> list[str] | None:
    chars: list[str] = []
    for op, av in items:
        name = str(op)
        if name == "LITERAL":
            chars.append(chr(av))
        elif name == "RANGE" and av[1] - av[0] < MAX_CLASS:
            chars.extend(chr(c) for c in range(av[0], av[1] + 1))
        else:
            return None
    return chars if len(chars) <= MAX_CLASS else None


def _repeat(av: Any) -> Prefixes | None:
    low, high, sub = av
    inner = _sequence(list(sub))
    if high == 1:
        out = set(inner) if low == 1 else {*inner, ("", True)}
        return out
    out = {(p, False) for p, _ in inner}
    if low == 0:
        out.add(("", True))
    return out


def _item(op: Any, av: Any) -> Prefixes | None:
    name = str(op)
    if name == "LITERAL":
        return {(chr(av), True)}
    if name == "IN":
        chars = _class_chars(list(av))
        return None if chars is None else {(c, True) for c in chars}
    if name == "SUBPATTERN":
        return _sequence(list(av[-1]))
    if name == "BRANCH":
        return {p for alt in av[1] for p in _sequence(list(alt))}
    if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        return _repeat(av)
    if name in ("AT", "ASSERT", "ASSERT_NOT"):
        return {("", True)}  # zero-width: ignoring it only widens the set of starts
    return None


def _extend(state: Prefixes, options: Prefixes | None) -> Prefixes:
    out: Prefixes = set()
    for prefix, open_ in state:
        if not open_ or options is None:
            out.add((prefix, False))
            continue
        for more, more_open in options:
            joined = prefix + more
            out.add((joined[:MAX_PREFIX], more_open and len(joined) < MAX_PREFIX))
    return out


def _sequence(items: list[tuple[Any, Any]]) -> Prefixes:
    state: Prefixes = {("", True)}
    for op, av in items:
        if not any(open_ for _, open_ in state):
            break
        extended = _extend(state, _item(op, av))
        if len(extended) > MAX_PREFIXES:
            return {(p, False) for p, _ in state}
        state = extended
    return state


def literal_prefixes(pattern: str) -> frozenset[str]:
    """The literal strings every match of ``pattern`` starts with (one of them)."""
    tree = _PARSER.parse(pattern)
    return frozenset(p for p, _ in _sequence(list(tree)))


def compile_family(family: ProductFamily, order: int) -> CompiledFamily:
    """Compile a family; raise :class:`WatchlistError` for a bad or prefix-less pattern."""
    where = f"product {family.id!r}"
    try:
        regex = re.compile(f"(?:{family.pattern}){WORD_END}")
        prefixes = literal_prefixes(family.pattern)
    except re.error as exc:
        raise WatchlistError(f"{where}: pattern is not a valid regular expression ({exc})") from None
    short = sorted(p for p in prefixes if len(p) < MIN_PREFIX)
    if short:
        raise WatchlistError(
            f"{where}: pattern must start with a literal prefix of {MIN_PREFIX}+ characters "
            f"(found {short!r}); write the maker's fixed prefix first, e.g. 'DS-2CD'"
        )
    if any(p != p.upper() for p in prefixes):
        raise WatchlistError(f"{where}: pattern must be written in upper case (text is upper-cased)")
    return CompiledFamily(family, regex, prefixes, order)
