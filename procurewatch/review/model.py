"""What an analyst's review is made of, and how it decides a hit's status. Pure: no store here.

A hit is **pending** until someone decides on it. A **decision** (confirmed or dismissed) is
made on a hit id; since a hit id is stable across re-screens of the same input, the decision
applies to that hit in every run, earlier or later, and the latest decision on it wins. A
**dismiss rule** says "this matched text never means this listed entity (for this vendor)": it
dismisses every matching hit that has no decision of its own, in any run, now and after list
updates. A decision on the hit itself is more specific than a rule, so it wins over one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from procurewatch.normalize.names import normalize
from procurewatch.normalize.text import normalize_name

PENDING, CONFIRMED, DISMISSED = "pending", "confirmed", "dismissed"
DECISIONS = (CONFIRMED, DISMISSED)
STATUSES = (PENDING, CONFIRMED, DISMISSED)


class HitLike(Protocol):
    """What review needs to know about a hit (a :class:`~procurewatch.screen.hits.Hit` fits)."""

    @property
    def hit_id(self) -> str: ...
    @property
    def entity_id(self) -> str: ...
    @property
    def matched_text(self) -> str: ...
    @property
    def field(self) -> str: ...
    @property
    def vendor(self) -> str | None: ...


@dataclass(frozen=True, slots=True)
class HitRef:
    """A hit as read back from the store or from ``hits.jsonl``: just the keys review needs."""

    hit_id: str
    entity_id: str
    matched_text: str
    field: str
    vendor: str | None = None


def text_key(text: str) -> str:
    """The normalized form of a matched text: NFKC, upper case, one space between words."""
    return normalize_name(text)


def vendor_key(vendor: str | None) -> str:
    """The normalized form of a vendor name: legal forms dropped, words joined (``''`` if none).

    ``Hikvision USA, Inc.`` and ``HIKVISION USA INC`` give the same key.
    """
    if vendor is None or not vendor.strip():
        return ""
    return normalize(vendor).compact() or text_key(vendor).lower()


def _iso(value: datetime) -> str:
    return value.isoformat(timespec="seconds") + "Z"


@dataclass(frozen=True, slots=True)
class Decision:
    """One analyst's verdict on one hit id."""

    decision_id: int
    hit_id: str
    run_id: str
    decision: str
    reason: str
    reviewer: str
    decided_at: datetime
    list_versions: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form."""
        return {
            "decision_id": self.decision_id,
            "hit_id": self.hit_id,
            "run_id": self.run_id,
            "decision": self.decision,
            "reason": self.reason,
            "reviewer": self.reviewer,
            "decided_at": _iso(self.decided_at),
            "list_versions": list(self.list_versions),
        }


@dataclass(frozen=True, slots=True)
class DismissRule:
    """A rule: ``matched_text`` never means ``entity_id`` (for ``vendor``, in ``field``)."""

    rule_id: int
    entity_id: str
    matched_text: str
    vendor: str | None
    """Normalized vendor; None for any vendor, ``''`` for records without a vendor."""
    field: str | None
    """None for any field."""
    reason: str
    reviewer: str
    created_at: datetime
    active: bool
    matched_text_raw: str
    vendor_raw: str | None = None
    hit_id: str | None = None
    run_id: str | None = None

    def matches(self, hit: HitLike) -> bool:
        """Whether this rule covers ``hit`` (inactive rules cover nothing)."""
        if not self.active or hit.entity_id != self.entity_id:
            return False
        if self.field is not None and hit.field != self.field:
            return False
        if text_key(hit.matched_text) not in (self.matched_text, text_key(self.matched_text_raw)):
            return False
        if self.vendor is None:
            return True
        key = vendor_key(hit.vendor)
        return key == self.vendor or (
            self.vendor_raw is not None and key == vendor_key(self.vendor_raw)
        )

    def describe(self) -> str:
        """One line for people: what the rule dismisses."""
        vendor = (
            "any vendor"
            if self.vendor is None
            else "records without a vendor"
            if self.vendor == ""
            else f"vendor {self.vendor_raw or self.vendor!r}"
        )
        where = f" in {self.field}" if self.field else ""
        return f"{self.matched_text_raw!r}{where} is not {self.entity_id} for {vendor}"

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form."""
        return {
            "rule_id": self.rule_id,
            "entity_id": self.entity_id,
            "matched_text": self.matched_text,
            "matched_text_raw": self.matched_text_raw,
            "vendor": self.vendor,
            "vendor_raw": self.vendor_raw,
            "field": self.field,
            "reason": self.reason,
            "reviewer": self.reviewer,
            "created_at": _iso(self.created_at),
            "active": self.active,
            "hit_id": self.hit_id,
            "run_id": self.run_id,
            "description": self.describe(),
        }


@dataclass(frozen=True, slots=True)
class HitStatus:
    """A hit's review status and what it rests on (a decision, a rule, or nothing yet)."""

    hit_id: str
    status: str
    decision: Decision | None = None
    rule: DismissRule | None = None

    @property
    def label(self) -> str:
        """``pending``, ``confirmed``, ``dismissed`` or ``dismissed (rule 3)``."""
        return f"{self.status} (rule {self.rule.rule_id})" if self.rule else self.status

    @property
    def reviewer(self) -> str:
        """Who decided (the decision's reviewer or the rule's author); ``''`` if pending."""
        return self.decision.reviewer if self.decision else self.rule.reviewer if self.rule else ""

    @property
    def reason(self) -> str:
        """Why (the decision's or the rule's reason); ``''`` if pending."""
        return self.decision.reason if self.decision else self.rule.reason if self.rule else ""

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form."""
        return {
            "hit_id": self.hit_id,
            "status": self.status,
            "label": self.label,
            "reviewer": self.reviewer,
            "reason": self.reason,
            "decision": self.decision.to_dict() if self.decision else None,
            "rule_id": self.rule.rule_id if self.rule else None,
        }


def latest_decisions(decisions: Iterable[Decision]) -> dict[str, Decision]:
    """The decision in force for each hit id: the latest one made."""
    latest: dict[str, Decision] = {}
    for item in sorted(decisions, key=lambda d: (d.decided_at, d.decision_id)):
        latest[item.hit_id] = item
    return latest


def resolve_status(
    hits: Iterable[HitLike], decisions: Mapping[str, Decision], rules: Iterable[DismissRule]
) -> dict[str, HitStatus]:
    """The status of each hit: its latest decision, else the first active rule covering it."""
    active = sorted((r for r in rules if r.active), key=lambda r: r.rule_id)
    out: dict[str, HitStatus] = {}
    for hit in hits:
        decision = decisions.get(hit.hit_id)
        if decision is not None:
            out[hit.hit_id] = HitStatus(hit.hit_id, decision.decision, decision=decision)
            continue
        rule = next((r for r in active if r.matches(hit)), None)
        out[hit.hit_id] = HitStatus(hit.hit_id, DISMISSED if rule else PENDING, rule=rule)
    return out
