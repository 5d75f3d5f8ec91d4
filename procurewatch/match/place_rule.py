"""A listed name with a country added or a home city left out: ``ZTE USA Inc``. Pure.

Listed companies sell abroad through national subsidiaries named after them: Hikvision USA,
Dahua Technology USA, Hytera America, ZTE USA, Huawei Technologies USA, Kaspersky Lab UK, Lorex
Canada. On an invoice, the home city often goes: ``Hikvision Digital Technology`` for Hangzhou
Hikvision Digital Technology. The general comparer scores these low, because a word on one side
has no partner on the other (0.56 for ``ZTE USA``, 0.79 for ``Hikvision Digital Technology``).

This rule gives them :data:`PLACE_QUALIFIED_SCORE` when the names differ in places only:

* every distinctive word of the listed name is in the query, spelled the same;
* what the query adds is countries or territories (``USA``, ``Canada``, ``America``, ``UK``),
  never a Chinese city or province: ``Beijing Dahua`` may well be another company;
* what the query leaves out is a Chinese city or province (``Hangzhou``, ``Zhejiang``), never
  a country: ``Hikvision Canada`` is not Hikvision USA.

The explanation says which words made the difference, so a reviewer sees that the vendor may
be a subsidiary or branch rather than the listed company itself.
"""

from __future__ import annotations

from procurewatch.match.names import Comparison, Pair
from procurewatch.normalize.names import GENERIC, PLACE, WORD, NormName, Token, is_place
from procurewatch.normalize.vocab import VOCAB

PLACE_QUALIFIED_SCORE = 0.85
"""Above the match threshold (0.80), below an exact name (1.0)."""
MIN_CORE_LETTERS = 3


def _country(token: Token) -> bool:
    """A country or territory (``us``, ``canada``, ``america``), not a Chinese place."""
    if token.text in VOCAB.latin_places or token.kind not in (PLACE, GENERIC):
        return False
    if token.text in VOCAB.bodies.places:  # Kashgar, Hotan: places inside China
        return False
    return is_place(token.text)


def _home(token: Token) -> bool:
    """A Chinese city or province, where a listed company has its seat (``hangzhou``)."""
    return token.kind == PLACE and token.text in VOCAB.latin_places


def place_qualified(query: NormName, candidate: NormName) -> Comparison | None:
    """The comparison when ``query`` is ``candidate`` with places added or left out, else None."""
    if query.cjk or candidate.cjk:
        return None
    asked = {t.text for t in query.content}
    listed = {t.text for t in candidate.content}
    core = [t for t in candidate.content if t.kind == WORD and t.text not in VOCAB.bodies.kinds]
    if sum(len(t.text) for t in core) < MIN_CORE_LETTERS or not {t.text for t in core} <= asked:
        return None
    added = [t for t in query.content if t.text not in listed]
    dropped = [t for t in candidate.content if t.text not in asked]
    if not (added or dropped):
        return None  # the same words: the general comparer's answer stands
    if not all(_country(t) for t in added) or not all(_home(t) for t in dropped):
        return None
    said = [f"added {' '.join(t.text for t in added)}"] if added else []
    said += [f"left out {' '.join(t.text for t in dropped)}"] if dropped else []
    return Comparison(
        query.original,
        candidate.original,
        PLACE_QUALIFIED_SCORE,
        tuple(Pair(t.text, t.text, 1.0, "exact") for t in candidate.content if t.text in asked),
        tuple(t.text for t in added),
        tuple(t.text for t in dropped),
        (f"the listed name with places {' and '.join(said)}: a subsidiary, branch or the "
         "company itself",),
    )  # fmt: skip
