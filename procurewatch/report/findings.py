"""The findings a reader would quote: who bought from a listed company, how much, when. Pure.

One finding per buyer and vendor over the counted records (see
:mod:`procurewatch.report.aggregate`): the listed entities the purchases point at, the first
and last purchase, the total in US dollars, the number of records, and how many of them were
made while a ban on a matched entity was in force. Findings after a ban come first, largest
amount first.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from procurewatch.report.records import Record
from procurewatch.report.tables import norm, total_usd


@dataclass(frozen=True, slots=True)
class Finding:
    """Purchases of one buyer from one vendor that point at listed entities."""

    buyer: str
    vendor: str
    entities: tuple[tuple[str, str], ...]
    """``(entity id, name)`` of each listed entity the purchases point at."""
    first: str
    last: str
    total_usd: float
    records: tuple[int, ...]
    """Indexes into ``Report.records``."""
    in_force_records: int
    in_force_usd: float
    first_in_force: str
    """The first purchase made while a ban was in force (empty when none was)."""
    unconverted: tuple[str, ...] = ()
    """Currencies of amounts left out of the total (no US-dollar rate)."""

    @property
    def in_force(self) -> bool:
        """Some purchase was made while a designation of a matched entity was in force."""
        return self.in_force_records > 0


def find_findings(counted: Iterable[tuple[int, Record]]) -> tuple[Finding, ...]:
    """The findings of the counted records, those after a ban first, then by amount."""
    buckets: dict[tuple[str, str], list[tuple[int, Record]]] = defaultdict(list)
    for i, r in counted:
        buckets[norm(r.buyer), norm(r.vendor)].append((i, r))
    rows = [_finding(items) for items in buckets.values()]
    return tuple(sorted(rows, key=lambda f: (-f.in_force_usd, -f.total_usd, f.buyer, f.vendor)))


def _finding(items: list[tuple[int, Record]]) -> Finding:
    rs = [r for _, r in items]
    days = sorted(r.day.isoformat() for r in rs if r.day)
    banned = [r for r in rs if r.in_force]
    banned_days = sorted(r.day.isoformat() for r in banned if r.day)
    entities = {e.entity_id: e.entity_name for r in rs for e in r.active if not e.lead}
    return Finding(
        buyer=rs[0].buyer or "(buyer not given)",
        vendor=rs[0].vendor or "(vendor not given)",
        entities=tuple(entities.items()),
        first=days[0] if days else "",
        last=days[-1] if days else "",
        total_usd=total_usd(rs),
        records=tuple(i for i, _ in items),
        in_force_records=len(banned),
        in_force_usd=total_usd(banned),
        first_in_force=banned_days[0] if banned_days else "",
        unconverted=tuple(
            sorted({r.currency for r in rs if r.amount is not None and r.amount_usd is None})
        ),
    )
