"""Group hits into flagged records, each with its evidence rows. Pure: no I/O.

A hit is one piece of evidence; a record (a row of an input file) can have several hits. The
report counts records, so hits are grouped by ``(source_file, row)`` first. Amounts, dates,
vendor, buyer and description are record-level facts that every hit of a row repeats.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from procurewatch.report.places import Place, place_of
from procurewatch.screen.hits import RULES
from procurewatch.screen.values import parse_amount, parse_date

Status = Literal["pending", "confirmed", "dismissed"]
FxFunction = Callable[[float, str, date | None], tuple[float | None, str]]
"""``to_usd(amount, currency, day) -> (usd or None, note)``."""


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


@dataclass(frozen=True, slots=True)
class Record:
    """A flagged record with all its evidence."""

    key: tuple[str, int]
    day: date | None
    date_text: str
    vendor: str
    buyer: str
    description: str
    amount: float | None
    currency: str
    currency_assumed: bool
    """The record gave no currency: the amount was taken as US dollars."""
    amount_usd: float | None
    fx_note: str
    place: Place | None
    evidence: tuple[Evidence, ...]

    @property
    def active(self) -> tuple[Evidence, ...]:
        """Evidence an analyst has not dismissed."""
        return tuple(e for e in self.evidence if e.status != "dismissed")

    @property
    def counted(self) -> bool:
        """Counts in the figures: some evidence is neither dismissed nor only a lead."""
        return any(not e.lead for e in self.active)

    @property
    def in_force(self) -> bool:
        """A counted hit has a designation in force on the record's date."""
        return any(e.in_force is True and not e.lead for e in self.active)

    @property
    def status(self) -> Status:
        """``confirmed`` if any hit is, ``dismissed`` if all are, else ``pending``."""
        if any(e.status == "confirmed" for e in self.evidence):
            return "confirmed"
        return "dismissed" if not self.active else "pending"

    @property
    def entities(self) -> tuple[str, ...]:
        """Names of the entities the active evidence points at, in order of appearance."""
        return tuple(dict.fromkeys(e.entity_name for e in self.active))


def short_list_name(name: str, list_id: str = "") -> str:
    """``"Entity List (EL)"``; ``"NDAA FY2019 sec. 889(a)(1)(A): prohibition..."`` -> before the colon."""
    label = (name or list_id).split(": ", 1)[0]
    if len(label) > 32 and " (" in label:
        label = label.split(" (", 1)[0]
    return label if len(label) <= 40 else label[:39] + "…"


def _designation(d: Mapping[str, Any]) -> DesignationRow:
    via = d.get("via") or []
    return DesignationRow(
        list_id=str(d.get("list") or ""), label=short_list_name(str(d.get("list_name") or ""), str(d.get("list") or "")),
        list_name=str(d.get("list_name") or d.get("list") or ""), authority=str(d.get("authority") or ""),
        start=d.get("in_force_from") or d.get("listed"), ended=d.get("ended"), holder=str(d.get("holder") or ""),
        via="; ".join(via) if isinstance(via, list) else str(via), citation=str(d.get("citation") or ""),
        in_force=d.get("in_force"),
    )  # fmt: skip


def highlight(hit: Mapping[str, Any]) -> tuple[str, str, str]:
    """The field text split at the match: the span in the description, else the first occurrence."""
    matched = str(hit.get("matched_text") or "")
    text = str(hit.get("description") or "")
    span = hit.get("span")
    if span and len(span) == 2 and text[int(span[0]) : int(span[1])] == matched and matched:
        start, end = int(span[0]), int(span[1])
        return text[:start], matched, text[end:]
    at = text.casefold().find(matched.casefold()) if matched else -1
    if at >= 0 and span:
        return text[:at], text[at : at + len(matched)], text[at + len(matched) :]
    return "", matched, ""


def evidence_of(hit: Mapping[str, Any], status: Status) -> Evidence:
    """One hit dict (a ``hits.jsonl`` line) as an :class:`Evidence` row."""
    rule = str(hit.get("rule") or "")
    lists = hit.get("lists") or []
    return Evidence(
        hit_id=str(hit.get("hit_id") or ""), field=str(hit.get("field") or ""),
        matched_text=str(hit.get("matched_text") or ""), context=highlight(hit), rule=rule,
        rule_text=RULES.get(rule, ""), entity_id=str(hit.get("entity_id") or ""),
        entity_name=str(hit.get("entity_name") or hit.get("entity_id") or ""),
        score=float(hit.get("score") or 0.0),
        lists=tuple(lists.split(";") if isinstance(lists, str) else (str(x) for x in lists)),
        in_force=_bool(hit.get("in_force")), lead=_bool(hit.get("lead")) is True, via=str(hit.get("via") or ""),
        explanation=str(hit.get("explanation") or ""),
        designations=tuple(_designation(d) for d in hit.get("designations") or [] if isinstance(d, Mapping)),
        status=status,
    )  # fmt: skip


def _bool(value: Any) -> bool | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    return bool(value)


def usd_of(amount: float | None, currency: str, day: date | None, fx: FxFunction | None) -> tuple[float | None, str]:
    """The amount in US dollars and a note; without an FX function only USD amounts convert."""
    if amount is None:
        return None, "no amount"
    if fx is not None:
        return fx(amount, currency, day)
    if currency == "USD":
        return amount, "USD: no conversion"
    return None, f"{currency}: not converted (no exchange-rate module)"


def group_records(hits: Iterable[Mapping[str, Any]], statuses: Mapping[str, Status],
                  fx: FxFunction | None) -> list[Record]:  # fmt: skip
    """Flagged records from hit dicts, ordered by date (undated last), file and row."""
    groups: dict[tuple[str, int], list[Mapping[str, Any]]] = {}
    for hit in hits:
        key = (str(hit.get("source_file") or ""), int(hit.get("row") or 0))
        groups.setdefault(key, []).append(hit)
    records = [_record(key, group, statuses, fx) for key, group in groups.items()]
    return sorted(records, key=lambda r: (r.day is None, r.day or date.min, r.key))


def _first(group: list[Mapping[str, Any]], name: str) -> str:
    return next((str(h[name]).strip() for h in group if h.get(name) not in (None, "")), "")


def _record(key: tuple[str, int], group: list[Mapping[str, Any]], statuses: Mapping[str, Status],
            fx: FxFunction | None) -> Record:  # fmt: skip
    date_text = _first(group, "record_date")
    day = parse_date(date_text)
    amount = parse_amount(_first(group, "amount"))
    currency = _first(group, "currency").upper()
    usd, note = usd_of(amount, currency or "USD", day, fx)
    evidence = tuple(evidence_of(h, statuses.get(str(h.get("hit_id") or ""), "pending")) for h in group)
    place = next((p for p in (place_of(h) for h in group) if p is not None), None)
    return Record(key=key, day=day, date_text=date_text, vendor=_first(group, "vendor"),
                  buyer=_first(group, "buyer"), description=_first(group, "description"), amount=amount,
                  currency=currency or "USD", currency_assumed=not currency, amount_usd=usd, fx_note=note, place=place, evidence=evidence)  # fmt: skip
