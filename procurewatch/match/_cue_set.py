"""Many cue regexes found fast in short texts. Pure.

Python's ``re`` tries every branch of a large alternation at every position, which made the
mention rules cost milliseconds per text. A :class:`CueSet` instead runs one Aho-Corasick
automaton (``ahocorasick_rs``) over the literal head of every cue (``exclud`` of
``exclud(?:e|es|ed|ing)``, ``is``/``are``/... of ``(?:is|are|...) not``) and tries a cue's own
regex only where its head stands. Cues without a literal head are run as plain regexes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Protocol

import ahocorasick_rs

from procurewatch.match._guarded import Guarded

WORD_EDGE = re.compile(r"[^\W_\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
"""A character that needs a word edge (letters and digits; not CJK, which has no spaces)."""
_META = frozenset("()[]{}?*+|\\.^$")

Found = tuple[int, int, str]
"""(start, end, the text matched)."""


_WC = WORD_EDGE.pattern
_EDGE = f"(?-i:{_WC})"
"""The class without case folding (the same characters, each one checked: folding its CJK
ranges is most of what compiling a cue costs)."""


def edged(cue: str) -> str:
    """``cue`` with word edges where it starts or ends with a letter or digit (inside the
    regex, so that the engine backtracks to a longer alternative: ``lists`` after ``list``).
    Where the cue's first or last character is a plain literal, the edge is written for it
    alone (the same test, but it compiles several times faster: the class spans the CJK
    blocks, and a cue file holds hundreds of cues)."""
    lead, trail = edges(cue)
    return f"{lead}(?:{cue}){trail}"


def edges(cue: str) -> tuple[str, str]:
    """The lead and trail word edges :func:`edged` puts around ``cue`` (zero-width)."""
    first, last = _end_chars(cue)
    lead = f"(?:(?<!{_EDGE})|(?!{_EDGE}))" if first is None else _edge(first, f"(?<!{_EDGE})")
    trail = f"(?:(?!{_EDGE})|(?<!{_EDGE}))" if last is None else _edge(last, f"(?!{_EDGE})")
    return lead, trail


def _alternatives(cue: str) -> bool:
    """Whether ``cue`` may be an alternation at its top level (a class makes it unsure)."""
    if "[" in cue:
        return "|" in cue
    depth, escaped = 0, False
    for char in cue:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in "()":
            depth += 1 if char == "(" else -1
        elif char == "|" and depth == 0:
            return True
    return False


def _edge(char: str, test: str) -> str:
    """The edge beside a known character: none when it is not a word character."""
    return test if WORD_EDGE.match(char) else ""


def _end_chars(cue: str) -> tuple[str | None, str | None]:
    """The first and last characters every match of ``cue`` has, where they are plain
    literals (None where the regex decides)."""
    if not cue or _alternatives(cue):
        return None, None
    first = cue[0] if cue[0] not in _META and cue[1:2] not in ("?", "*", "{") else None
    tail = cue[-2:-1]
    last = cue[-1] if cue[-1] not in _META and tail != "\\" else None
    return first, last


def _literal(text: str) -> str:
    """The literal characters at the start of a regex (one before a ``?`` is optional)."""
    out: list[str] = []
    for i, char in enumerate(text):
        if char in _META:
            if char in "?*{" and out:
                out.pop()
            break
        if i + 1 < len(text) and text[i + 1] in "?*":
            break
        out.append(char)
    return "".join(out)


def _group_end(text: str) -> int:
    """Index of the ``)`` that closes the group opening ``text`` (-1 if none)."""
    depth = 0
    for i, char in enumerate(text):
        if char == "\\":
            continue
        depth += char == "("
        depth -= char == ")"
        if depth == 0:
            return i
    return -1


def heads(cue: str) -> list[str]:
    """The literal texts one of which every match of ``cue`` starts with ([] when unknown)."""
    if cue.startswith("(?:"):
        close = _group_end(cue)
        rest = cue[close + 1 :] if close > 0 else ""
        if close < 0 or rest[:1] in ("?", "*", "{"):
            return []
        options = cue[3:close].split("|")
        if any(_literal(o) != o or not o for o in options):
            return []
        return [o.lower() for o in options]
    head = _literal(cue)
    return [head.lower()] if head else []


def cue_regex(cue: str) -> Guarded:
    """One cue's regex with its word edges (:func:`edged`). The edges are not compiled into
    each cue (the word-edge class spans the CJK blocks, and Python's ``re`` takes about a
    millisecond to compile it: seconds for a cue file) but tried beside it, see
    :class:`~procurewatch.match._guarded.Guarded`. A bad pattern fails when the cues are
    loaded."""
    lead, trail = edges(cue)
    return Guarded(lead, cue, trail, re.IGNORECASE)


class CueRegex(Protocol):
    """What a cue set asks of a cue's regex: :meth:`re.Pattern.match` and ``finditer``."""

    def match(self, text: str, pos: int, endpos: int, /) -> re.Match[str] | None: ...

    def finditer(self, text: str, pos: int, endpos: int, /) -> Iterator[re.Match[str]]: ...


class CueSet:
    """Cue regexes (case-insensitive, with word edges) and the automaton over their heads.

    ``regex`` compiles a cue (tests pass the plain ``re.compile(edged(cue), re.I)``)."""

    def __init__(self, cues: Iterable[str], regex: Callable[[str], CueRegex] = cue_regex) -> None:
        by_head: dict[str, list[CueRegex]] = {}
        self._slow: list[CueRegex] = []
        for cue in dict.fromkeys(cues):
            compiled = regex(cue)
            found = heads(cue)
            for head in found:
                by_head.setdefault(head, []).append(compiled)
            if not found:
                self._slow.append(compiled)
        self._heads = list(by_head)
        self._regexes = [by_head[h] for h in self._heads]
        self._automaton: Any = ahocorasick_rs.AhoCorasick(self._heads) if self._heads else None

    def find(self, text: str, lo: int = 0, hi: int | None = None) -> list[Found]:
        """Every cue match inside ``text[lo:hi]``, in order of position (longest first)."""
        hi = len(text) if hi is None else hi
        window = text[lo:hi]
        low = window.lower()
        found: set[Found] = set()
        if self._automaton is not None and len(low) == len(window):
            for index, start, _ in self._automaton.find_matches_as_indexes(low, overlapping=True):
                for regex in self._regexes[index]:
                    self._keep(regex.match(text, lo + start, hi), found)
        slow = self._slow if len(low) == len(window) else [*self._slow, *self._all()]
        for regex in slow:
            for match in regex.finditer(text, lo, hi):
                self._keep(match, found)
        return sorted(found, key=lambda f: (f[0], f[0] - f[1]))

    def first(self, text: str) -> str:
        """The first cue found in ``text``, or ""."""
        found = self.find(text)
        return found[0][2] if found else ""

    def _all(self) -> list[CueRegex]:
        return list(dict.fromkeys(r for group in self._regexes for r in group))

    @staticmethod
    def _keep(match: re.Match[str] | None, found: set[Found]) -> None:
        if match is not None and match.end() > match.start():
            found.add((match.start(), match.end(), match.group(0)))
