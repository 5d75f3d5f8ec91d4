"""A listed brand with generic words added: ``Hik Vision Systems``. Pure.

A vendor record often names a listed brand with a word of description after it: ``Hikvision
Systems``, ``Hikvision Technology``. The general comparer counts the added word against the
match (0.71 for ``Hikvision Systems``), which is right for most names: the name bench labels
``Crystalord Systems Limited`` and ``Crystalord Ltd`` as different companies. For the curated
watchlist's brands it is not: a long coined brand word is the evidence.

This rule gives :data:`BRAND_DESCRIBED_SCORE` when

* the listed name is one distinctive word of :data:`MIN_BRAND_LETTERS` or more letters
  (``hikvision``, ``hikrobot``); a short brand (``Dahua``, ``ZTE``) is also an ordinary word or
  name (``Dahua Electronics Corporation`` of Flushing, NY is another company), so it is left out;
* the query holds that word, spelled the same, alone or written in parts (``Hik Vision``);
* everything else in the query is generic (systems, technology, security, group) or a legal form.

The matcher applies it to the curated (bundled) watchlist's names only, and the explanation says
that the vendor may be a unit or a seller using the brand's name.
"""

from __future__ import annotations

from procurewatch.match.names import Comparison, Pair
from procurewatch.normalize.names import GENERIC, WORD, NormName

BRAND_DESCRIBED_SCORE = 0.82
"""Just above the match threshold (0.80)."""
MIN_BRAND_LETTERS = 8
MAX_PARTS = 4


def _brand_run(words: list[str], brand: str) -> tuple[int, int] | None:
    for size in range(1, MAX_PARTS + 1):
        for start in range(len(words) - size + 1):
            if "".join(words[start : start + size]) == brand:
                return start, start + size
    return None


def brand_described(query: NormName, candidate: NormName) -> Comparison | None:
    """The comparison when ``query`` is the brand ``candidate`` plus generic words, else None."""
    core = candidate.content
    if query.cjk or candidate.cjk or len(core) != 1:
        return None
    brand = core[0]
    if brand.kind != WORD or len(brand.text) < MIN_BRAND_LETTERS:
        return None
    words = list(query.content)
    found = _brand_run([t.text for t in words], brand.text)
    if found is None:
        return None
    rest = words[: found[0]] + words[found[1] :]
    if not rest or any(t.kind != GENERIC for t in rest):
        return None
    written = " ".join(t.text for t in words[found[0] : found[1]])
    added = tuple(t.text for t in rest)
    return Comparison(
        query.original,
        candidate.original,
        BRAND_DESCRIBED_SCORE,
        (Pair(written, brand.text, 1.0, "exact" if written == brand.text else "merged"),),
        added,
        (),
        (f"the listed brand with generic words added ({' '.join(added)}): the company, a unit "
         "or a seller using its name",),
    )  # fmt: skip
