"""One hit as evidence to show: matched text split for highlighting, its designations. Pure.

Reads the dicts of ``hits.jsonl`` (see :meth:`procurewatch.screen.hits.Hit.json_dict`)
leniently: a missing key gives an empty value rather than an error.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from procurewatch.screen.hits import RULES

Status = Literal["pending", "confirmed", "dismissed"]


@dataclass(frozen=True, slots=True)
class ReviewState:
    """An analyst's review of one hit: the status and who decided what, why (empty if pending)."""

    status: Status = "pending"
    detail: str = ""


PENDING = ReviewState()


@dataclass(frozen=True, slots=True)
class DesignationRow:
    """One designation reaching an entity, as the hit recorded it."""

    list_id: str
    label: str
    list_name: str
    authority: str
    start: str | None
    ended: str | None
    holder: str
    via: str
    citation: str
    in_force: bool | None
    via_from: str | None = None
    """When every relation to the holder held from (the latest start), if known."""
    via_until: str | None = None
    """When a relation to the holder ended (Lorex: sold by Dahua on 2022-11-24), if known."""
    relation_dates: bool = True
    """False for a designation through a parent in a run screened before hits recorded when
    relations held (``via_from``/``via_until``): its timeline bar cannot end at a sale."""

    @property
    def since(self) -> str | None:
        """When the designation began to reach this entity: its start, or a later relation's."""
        known = [d for d in (self.start, self.via_from) if d]
        return max(known) if known else None

    @property
    def until(self) -> str | None:
        """When it stopped reaching this entity: the designation's end or a relation's, if any."""
        known = [d for d in (self.ended, self.via_until) if d]
        return min(known) if known else None

    @property
    def end_reason(self) -> str:
        """Why it stopped: ``designation ended``, ``relation ended`` or empty (still in force)."""
        if not self.until:
            return ""
        return "designation ended" if self.until == self.ended else "relation ended"


@dataclass(frozen=True, slots=True)
class Evidence:
    """One hit, ready to show: the matched text split around its span for highlighting."""

    hit_id: str
    field: str
    matched_text: str
    context: tuple[str, str, str]
    """``(before, matched, after)``: the field text around the match (the template escapes each)."""
    rule: str
    rule_text: str
    entity_id: str
    entity_name: str
    score: float
    lists: tuple[str, ...]
    in_force: bool | None
    lead: bool
    via: str
    explanation: str
    designations: tuple[DesignationRow, ...]
    status: Status
    review: str
    """Who decided and why (empty while pending)."""


def short_list_name(name: str, list_id: str = "") -> str:
    """A short label for charts: the part before a colon, else the list's abbreviation.

    ``"NDAA FY2019 sec. 889(a)(1)(A): prohibition ..."`` -> ``"NDAA FY2019 sec. 889(a)(1)(A)"``;
    ``"Specially Designated Nationals and Blocked Persons List (SDN)"`` -> ``"SDN List"``;
    ``"FCC Covered List (equipment and services ...)"`` -> ``"FCC Covered List"``.
    """
    label = (name or list_id).split(": ", 1)[0]
    if len(label) <= 32:
        return label
    abbreviation = _ABBREVIATION.search(label)
    if abbreviation:
        short = abbreviation.group(1)
        return short if "list" in short.lower() else f"{short} List"
    for cut in (" (", ", ", " of "):
        if cut in label[10:]:
            label = label[: label.index(cut, 10)]
            break
    return label if len(label) <= 40 else label[:39] + "…"


_ABBREVIATION = re.compile(r"\(([A-Z][A-Za-z-]{1,7}(?: List)?)\)$")


def _designation(d: Mapping[str, Any]) -> DesignationRow:
    via = d.get("via") or []
    return DesignationRow(
        list_id=str(d.get("list") or ""),
        label=short_list_name(str(d.get("list_name") or ""), str(d.get("list") or "")),
        list_name=str(d.get("list_name") or d.get("list") or ""),
        authority=str(d.get("authority") or ""),
        start=d.get("in_force_from") or d.get("listed"),
        ended=d.get("ended"),
        holder=str(d.get("holder") or ""),
        via="; ".join(via) if isinstance(via, list) else str(via),
        citation=str(d.get("citation") or ""),
        in_force=d.get("in_force"),
        via_from=d.get("via_from") or None,
        via_until=d.get("via_until") or None,
        relation_dates=not via or "via_until" in d,
    )


def highlight(hit: Mapping[str, Any]) -> tuple[str, str, str]:
    """The text of the hit's own field split at the match: at the span, else at the first
    occurrence (hits written before ``field_text`` existed: the record's description)."""
    matched = str(hit.get("matched_text") or "")
    text = str(hit.get("field_text") or hit.get("description") or "")
    span = hit.get("span")
    if span and len(span) == 2 and text[int(span[0]) : int(span[1])] == matched and matched:
        start, end = int(span[0]), int(span[1])
        return text[:start], matched, text[end:]
    at = text.casefold().find(matched.casefold()) if matched else -1
    if at >= 0 and span:
        return text[:at], text[at : at + len(matched)], text[at + len(matched) :]
    return "", matched, ""


def evidence_of(hit: Mapping[str, Any], review: ReviewState = PENDING) -> Evidence:
    """One hit dict (a ``hits.jsonl`` line) as an :class:`Evidence` row."""
    rule = str(hit.get("rule") or "")
    lists = hit.get("lists") or []
    return Evidence(
        hit_id=str(hit.get("hit_id") or ""),
        field=str(hit.get("field") or ""),
        matched_text=str(hit.get("matched_text") or ""),
        context=highlight(hit),
        rule=rule,
        rule_text=RULES.get(rule, ""),
        entity_id=str(hit.get("entity_id") or ""),
        entity_name=str(hit.get("entity_name") or hit.get("entity_id") or ""),
        score=float(hit.get("score") or 0.0),
        lists=tuple(lists.split(";") if isinstance(lists, str) else (str(x) for x in lists)),
        in_force=_bool(hit.get("in_force")),
        lead=_bool(hit.get("lead")) is True,
        via=str(hit.get("via") or ""),
        explanation=str(hit.get("explanation") or ""),
        designations=tuple(
            _designation(d) for d in hit.get("designations") or [] if isinstance(d, Mapping)
        ),
        status=review.status,
        review=review.detail,
    )


def _bool(value: Any) -> bool | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    return bool(value)
