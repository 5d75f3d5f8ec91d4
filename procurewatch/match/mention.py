"""What a text says about a maker it names: affirmative use, or a mention to set aside. Pure.

A text can name a listed maker without buying from it. The rules here read the words around
each mention found by :class:`~procurewatch.match.text.TextScanner` and set aside, with the
rule and the words that decided it:

* **exclusion** — a negation or exclusion before a list of makers ("No Huawei or ZTE
  equipment", "excluding Hikvision", "宇视摄像机（非海康）", "不得使用华为") or after it
  ("Hikvision and Dahua are not", "ZTE-free", "a Hikvision alternative");
* **reference** — the maker named to sell something else ("NVR compatible with Hikvision and
  Dahua cameras", "works with", "兼容海康"), unless a model number of that maker stands
  elsewhere in the text;
* **compliance** — regulatory text that cites the makers as the banned parties ("Section 889
  prohibits … (Huawei, ZTE, etc.)") and carries no sign of a purchase: no price, amount with a
  currency, quantity or model number of the maker;
* **place** and **person** — "Dahua Road", "华为路", "Prof. Hua Wei".

Affirmative uses stay hits: "Hikvision DS-2CD2143G2-I or equivalent", "brand: Hikvision",
"NDAA-banned Hikvision camera, $89". The cue words are data (``data/mention_cues.yaml``).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence

from procurewatch.match._mention_cues import CLAUSE, MentionCues
from procurewatch.match.types import TextHit

Run = list[TextHit]
"""Mentions joined into one list ("Hikvision, Dahua or Hytera"), in order of position."""

_WORD = re.compile(r"[^\W_]+")
_JOINER = r"(?:and/or|and|or|nor|y|o|e|ou|et|und|oder|и|или|та|або|ve|veya|و|یا)(?![^\W_])"
_LIST_GAP = re.compile(rf"[\s,/&+、，]*(?:{_JOINER}|[和与及或])?[\s,/&+、，]*", re.IGNORECASE)
"""What may stand between two makers of one list: commas, slashes and the word "or"/"and"."""
_HAS_JOINER = re.compile(rf"(?<![^\W_]){_JOINER}|[和与及或]", re.IGNORECASE)
_LIST_WORDS = 3
"""Words allowed between two makers of one list when a joining word stands among them
("Hikvision cameras or Dahua"); a comma alone joins only makers with nothing between them."""


def judge_mentions(
    text: str, hits: Sequence[TextHit], groups: Mapping[str, str], cues: MentionCues
) -> list[TextHit]:
    """``hits`` of ``text`` with ``set_aside`` filled in where a rule sets the mention aside."""
    if not hits:
        return []
    ordered = sorted(hits, key=lambda h: (h.start, h.end))
    compliance = cues.compliance(text)
    if compliance and cues.purchase_signal(text):
        compliance = ""  # a price, amount or quantity: the text is about a purchase
    out: list[TextHit] = []
    for run in _runs(text, ordered):
        reason = _run_reason(text, run, ordered, groups, cues, compliance)
        out += [_with(h, _own_reason(text, h, cues) or reason) for h in run]
    return out


def _with(hit: TextHit, reason: str) -> TextHit:
    return dataclasses.replace(hit, set_aside=reason) if reason else hit


def _runs(text: str, hits: list[TextHit]) -> list[Run]:
    """Group mentions into lists: adjacent, overlapping, or joined by commas and "or"."""
    runs: list[Run] = [[hits[0]]]
    for hit in hits[1:]:
        last = max(h.end for h in runs[-1])
        if hit.start <= last or _list_gap(text[last : hit.start]):
            runs[-1].append(hit)
        else:
            runs.append([hit])
    return runs


def _list_gap(gap: str) -> bool:
    if _LIST_GAP.fullmatch(gap):
        return True
    short = len(_WORD.findall(gap)) <= _LIST_WORDS and not CLAUSE.search(gap)
    return short and _HAS_JOINER.search(gap) is not None


def _own_reason(text: str, hit: TextHit, cues: MentionCues) -> str:
    """Rules about one mention alone: a place or a person named like the maker."""
    if hit.rule == "model":
        return ""
    place = cues.place(text, hit.start, hit.end)
    if place:
        return f"place: {place}"
    person = cues.person(text, hit.start, hit.end)
    return f"person: {person}" if person else ""


def _run_reason(
    text: str,
    run: Run,
    hits: list[TextHit],
    groups: Mapping[str, str],
    cues: MentionCues,
    compliance: str,
) -> str:
    """Why a list of mentions is set aside, or "" when it is used affirmatively;
    ``compliance`` is the text's compliance word when it has no sign of a purchase."""
    start, end = run[0].start, max(h.end for h in run)
    if cues.affirmative(text, start, end):
        return ""
    cue = cues.exclusion(text, start, end)
    if cue:
        return f"exclusion: {cue}"
    cue = cues.reference(text, start, end)
    if cue and not _own_model_elsewhere(run, hits, groups):
        return f"reference: {cue}"
    if not compliance or any(h.rule == "model" for h in run):
        return ""
    if _own_model_elsewhere(run, hits, groups):
        return ""
    return f"compliance: {compliance}; no price, quantity or model in the text"


def _own_model_elsewhere(run: Run, hits: list[TextHit], groups: Mapping[str, str]) -> bool:
    """A model number of a maker of ``run`` stands elsewhere in the text."""
    makers = {groups.get(h.entity_id, h.entity_id) for h in run}
    return any(
        h.rule == "model" and h not in run and groups.get(h.entity_id, h.entity_id) in makers
        for h in hits
    )
