"""A regex between two zero-width assertions, matched without compiling them into it. Pure.

Python's ``re`` compiles a character class with ranges above U+00FF code point by code point,
about a millisecond for the CJK blocks of a word-edge class. Written into each of hundreds of
cue and model-number regexes, such edges cost about a second per process. A :class:`Guarded`
regex ``lead(?:body)trail`` (``lead`` and ``trail`` zero-width: lookarounds, or nothing)
compiles only ``body``; each distinct assertion is compiled once, on its own, and tried where
it stands. The full regex is compiled only when that cannot give its answer.

Why the answers are the same as the full regex's: an assertion tests positions only, so at a
start ``pos`` the lead passes or fails for every path alike (it fails: no match). The body
alone tries its paths in the order the full regex tries them, so its first match is the full
regex's match when the trail passes at its end. When the trail fails there, the full regex
would go on to the body's later paths: the full regex is compiled and asked (unless the body
is a plain literal, which has no other path). An assertion matched on its own at a position
sees the same text as inside the full regex: lookbehinds see the text before ``pos``,
lookaheads stop at ``endpos``.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from functools import cache

_META = frozenset("()[]{}?*+|\\.^$")


@cache
def _assertion(source: str, flags: int) -> re.Pattern[str] | None:
    """An assertion compiled once per process (None for no assertion)."""
    return re.compile(source, flags) if source else None


@cache
def _full(source: str, flags: int) -> re.Pattern[str]:
    return re.compile(source, flags)


def _holds(check: re.Pattern[str] | None, text: str, pos: int, endpos: int) -> bool:
    return check is None or check.match(text, pos, endpos) is not None


class Guarded:
    """``lead(?:body)trail`` matched as one regex would match it (see the module text).

    ``lead`` and ``trail`` must be zero-width (lookarounds or groups of them, or "").
    ``body`` is compiled as it is (a bad one raises :class:`re.error` at once); on its own
    it matches what ``(?:body)`` matches."""

    __slots__ = ("_body", "_flags", "_lead", "_literal", "_regex", "_trail", "source")

    def __init__(self, lead: str, body: str, trail: str, flags: int = 0) -> None:
        self.source = f"{lead}(?:{body}){trail}"
        """The full regex this stands for."""
        self._body = re.compile(body, flags)
        self._lead = _assertion(lead, flags)
        self._trail = _assertion(trail, flags)
        self._flags = flags
        self._literal = _plain_literal(body) and not flags & re.VERBOSE
        self._regex: re.Pattern[str] | None = None

    def full(self) -> re.Pattern[str]:
        """The full regex, compiled (once) when first asked for."""
        if self._regex is None:
            self._regex = _full(self.source, self._flags)
        return self._regex

    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        """As :meth:`re.Pattern.match` of the full regex."""
        if not _holds(self._lead, text, pos, endpos):
            return None
        found = self._body.match(text, pos, endpos)
        if found is None or _holds(self._trail, text, found.end(), endpos):
            return found
        return None if self._literal else self.full().match(text, pos, endpos)

    def finditer(
        self, text: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> Iterator[re.Match[str]]:
        """As :meth:`re.Pattern.finditer` of the full regex.

        The body's matches are the full regex's when each is non-empty and passes both
        assertions: the full regex finds nothing where the body finds nothing, and finds the
        same match where the body's passes. Otherwise the full regex is asked."""
        found = list(self._body.finditer(text, pos, endpos))
        if all(self._passes(text, m, endpos) for m in found):
            return iter(found)
        return self.full().finditer(text, pos, endpos)

    def _passes(self, text: str, found: re.Match[str], endpos: int) -> bool:
        start, end = found.span()
        lead, trail = self._lead, self._trail
        return (
            end > start and _holds(lead, text, start, endpos) and _holds(trail, text, end, endpos)
        )


def _plain_literal(body: str) -> bool:
    """Whether ``body`` (optionally in one ``(?:...)``) is literal text: one path only."""
    if body.startswith("(?:") and body.endswith(")"):
        body = body[3:-1]
    return not any(char in _META for char in body)
