"""Free-text normalization for scanning, with a map back to the original characters. Pure.

The scanner matches names, brands and model numbers over normalized text: Unicode NFKC, upper
case, every dash variant as ``-``, typographic quotes as ``'`` and ``"``, zero-width characters and
soft hyphens removed, and every run of whitespace as one space. A :class:`NormText` keeps, for
each normalized character, the span of original characters it came from, so a hit found in the
normalized text reports the exact original span (``text[start:end]``).

Most descriptions are plain ASCII without odd whitespace: for them the normalized text is
``text.upper()`` and the map is the identity (stored as ``None``).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

from procurewatch.normalize.han import han_table

DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\u2e3a\u2e3b\ufe58\ufe63\uff0d"
"""Characters written as ``-`` (hyphens, en/em dashes, minus signs)."""
SINGLE_QUOTES = "\u2018\u2019\u201a\u201b\u2032\u2035"
DOUBLE_QUOTES = "\u201c\u201d\u201e\u201f\u2033\u2036\u00ab\u00bb"
IGNORED = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
"""Soft hyphen and zero-width characters: dropped."""

_TRANSLATE = str.maketrans(
    {
        **{c: "-" for c in DASHES},
        **{c: "'" for c in SINGLE_QUOTES},
        **{c: '"' for c in DOUBLE_QUOTES},
        **{c: "" for c in IGNORED},
    }
)
_SPECIAL = re.compile(
    "[^\\S ]| {2}|[" + re.escape(DASHES + SINGLE_QUOTES + DOUBLE_QUOTES + IGNORED) + "]"
)
_ODD_CHAR = re.compile("[^\\n -\\x7e]")
"""In a batch joined by newlines: a character that may need more than upper-casing."""


@dataclass(frozen=True, slots=True)
class NormText:
    """Normalized text and, per normalized character, the original span it came from."""

    text: str
    """The normalized text."""
    source: str
    """The original text."""
    starts: tuple[int, ...] | None = None
    """Original start offset of each normalized character; None when the map is the identity."""
    ends: tuple[int, ...] | None = None
    """Original end offset (exclusive) of each normalized character."""

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original ``(start, end)`` of the normalized span ``[start, end)`` (end > start)."""
        if self.starts is None or self.ends is None:
            return start, end
        return self.starts[start], self.ends[end - 1]


@lru_cache(maxsize=65536)
def fold(chars: str) -> str:
    """Normalize one character cluster (a base character and its combining marks); a
    traditional Chinese character becomes its simplified form (:mod:`.han`)."""
    return unicodedata.normalize("NFKC", chars).translate(_TRANSLATE).upper().translate(han_table())


def identity_upper(text: str) -> str | None:
    """The normalized text if it maps 1:1 onto ``text`` (then it is ``text.upper()``, with
    traditional Chinese characters simplified), else None.

    True for most descriptions: printable ASCII without double spaces, or NFKC-normalized
    text without dashes, typographic quotes, odd whitespace or zero-width characters.
    """
    if text.isascii():
        return text.upper() if text.isprintable() and "  " not in text else None
    upper = text.upper()
    if len(upper) != len(text) or _SPECIAL.search(text) is not None:
        return None
    return upper.translate(han_table()) if unicodedata.is_normalized("NFKC", text) else None


def normalize_text(text: str) -> NormText:
    """Normalize ``text`` for scanning, keeping the map back to original offsets."""
    upper = identity_upper(text)
    if upper is not None:
        return NormText(upper, text)
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        if text[i].isspace():
            while j < n and text[j].isspace():
                j += 1
            piece = " "
        else:
            while j < n and unicodedata.combining(text[j]):
                j += 1
            piece = fold(text[i:j])
        for char in piece:
            if char.isspace():
                if out and out[-1] == " ":
                    ends[-1] = j
                    continue
                char = " "
            out.append(char)
            starts.append(i)
            ends.append(j)
        i = j
    return NormText("".join(out), text, tuple(starts), tuple(ends))


def normalize_name(value: str) -> str:
    """The normalized form of a name or literal pattern, trimmed of outer spaces."""
    return normalize_text(value).text.strip()


@dataclass(frozen=True, slots=True)
class NormBatch:
    """Normalized texts of a batch, joined by newlines (normalized texts contain none)."""

    joined: str
    offsets: list[int]
    """Start of each row in ``joined``."""
    texts: Sequence[str]
    """The original texts."""
    mapped: dict[int, NormText]
    """Rows whose offset map is not the identity."""

    def row(self, index: int) -> NormText:
        """The :class:`NormText` of one row."""
        found = self.mapped.get(index)
        if found is not None:
            return found
        start = self.offsets[index]
        return NormText(self.joined[start : start + len(self.texts[index])], self.texts[index])

    def row_of(self, position: int) -> int:
        """The row a position of ``joined`` belongs to."""
        return bisect.bisect_right(self.offsets, position) - 1


def normalize_batch(texts: Sequence[str]) -> NormBatch:
    """Normalize a batch at once: rows of printable ASCII are upper-cased in bulk."""
    joined = "\n".join(texts)
    offsets = list(accumulate((len(t) + 1 for t in texts), initial=0))[:-1]
    rows = {bisect.bisect_right(offsets, m.start()) - 1 for m in _ODD_CHAR.finditer(joined)}
    position = joined.find("  ")
    while position >= 0:
        rows.add(bisect.bisect_right(offsets, position) - 1)
        position = joined.find("  ", position + 2)
    if joined.count("\n") != max(len(texts) - 1, 0):
        rows |= {i for i, t in enumerate(texts) if "\n" in t}
    if not rows:
        return NormBatch(joined.upper(), offsets, texts, {})
    parts = list(texts)
    mapped: dict[int, NormText] = {}
    for index in rows:
        upper = identity_upper(texts[index])
        if upper is None:
            mapped[index] = normalize_text(texts[index])
            upper = mapped[index].text
        parts[index] = upper
    offsets = list(accumulate((len(p) + 1 for p in parts), initial=0))[:-1]
    return NormBatch("\n".join(parts).upper(), offsets, texts, mapped)
