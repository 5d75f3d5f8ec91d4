"""Group hits into flagged records, each with its evidence rows. Pure: no I/O.

A hit is one piece of evidence; a record (a row of an input file) can have several hits. The
report counts records, so hits are grouped by ``(source_file, row)`` first. Amounts, dates,
vendor, buyer and description are record-level facts that every hit of a row repeats.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from procurewatch.report.evidence import PENDING, Evidence, ReviewState, Status, evidence_of
from procurewatch.report.places import Place, place_of
from procurewatch.screen.values import parse_amount, parse_date

FxFunction = Callable[[float, str, date | None], tuple[float | None, str]]
"""``to_usd(amount, currency, day) -> (usd or None, note)``."""


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
    currency_from: str
    """``record``, ``column header`` (the amount column names it) or ``assumed`` (taken as USD)."""
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


def usd_of(
    amount: float | None, currency: str, day: date | None, fx: FxFunction | None
) -> tuple[float | None, str]:
    """The amount in US dollars and a note; without an FX function only USD amounts convert."""
    if amount is None:
        return None, "no amount"
    if fx is not None:
        return fx(amount, currency, day)
    if currency == "USD":
        return amount, "USD: no conversion"
    return None, f"{currency}: not converted (no exchange-rate module)"


def group_records(
    hits: Iterable[Mapping[str, Any]],
    statuses: Mapping[str, ReviewState],
    fx: FxFunction | None,
    column_currency: Mapping[str, str] | None = None,
) -> list[Record]:
    """Flagged records from hit dicts, ordered by date (undated last), file and row.

    ``column_currency`` maps a source file to the currency its amount column's header names,
    used for records that give none themselves.
    """
    groups: dict[tuple[str, int], list[Mapping[str, Any]]] = {}
    for hit in hits:
        key = (str(hit.get("source_file") or ""), int(hit.get("row") or 0))
        groups.setdefault(key, []).append(hit)
    hints = column_currency or {}
    records = [_record(key, g, statuses, fx, hints.get(key[0], "")) for key, g in groups.items()]
    return sorted(records, key=lambda r: (r.day is None, r.day or date.min, r.key))


def _first(group: list[Mapping[str, Any]], name: str) -> str:
    return next((str(h[name]).strip() for h in group if h.get(name) not in (None, "")), "")


def _day(iso: str) -> date | None:
    """The ISO date screen wrote (``date``), else None."""
    try:
        return date.fromisoformat(iso) if iso else None
    except ValueError:
        return None


def _record(
    key: tuple[str, int],
    group: list[Mapping[str, Any]],
    statuses: Mapping[str, ReviewState],
    fx: FxFunction | None,
    column_currency: str,
) -> Record:
    date_text = _first(group, "record_date")
    day = _day(_first(group, "date")) or parse_date(date_text)
    value = _first(group, "amount_value")
    amount = float(value) if value else parse_amount(_first(group, "amount"))
    own = _first(group, "currency").upper()
    currency = own or column_currency or "USD"
    usd, note = usd_of(amount, currency, day, fx)
    evidence = tuple(
        evidence_of(h, statuses.get(str(h.get("hit_id") or ""), PENDING)) for h in group
    )
    place = next((p for p in (place_of(h) for h in group) if p is not None), None)
    return Record(
        key=key,
        day=day,
        date_text=date_text,
        vendor=_first(group, "vendor"),
        buyer=_first(group, "buyer"),
        description=_first(group, "description"),
        amount=amount,
        currency=currency,
        currency_from="record" if own else "column header" if column_currency else "assumed",
        amount_usd=usd,
        fx_note=note,
        place=place,
        evidence=evidence,
    )
