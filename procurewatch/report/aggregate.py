"""The findings report model: headline figures and tables from hits and a run summary. Pure.

Counting rules (the report states them too):

* a record (a row of an input file) counts once, however many hits it has;
* hits an analyst dismissed are shown but left out of every figure; a record whose hits are
  all dismissed, or all leads (an OEM relabel reported by the community), is not counted;
* "after a ban" sums the counted records with a hit whose designation was in force on the
  record's date (``in_force`` true);
* amounts are in US dollars: converted with the FX function when one is given, else only
  amounts in USD are summed and the others listed apart. A record without a currency takes
  the one its amount column's header names (``中标金额(元)``: yuan), else it is taken as USD.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from procurewatch.report.evidence import ReviewState
from procurewatch.report.findings import Finding, find_findings
from procurewatch.report.records import FxFunction, Record, group_records
from procurewatch.report.tables import (
    Group,
    Marker,
    MonthRow,
    by_buyer,
    by_entity,
    by_month,
    by_place,
    by_vendor,
    markers,
    norm,
    total_usd,
)
from procurewatch.screen.values import currency_of


@dataclass(frozen=True, slots=True)
class Headline:
    """The numbers at the top of the report."""

    records_screened: int
    rejected_rows: int
    flagged_records: int
    counted_records: int
    lead_only_records: int
    dismissed_records: int
    distinct_buyers: int
    total_usd: float
    in_force_usd: float
    in_force_records: int
    hits: int
    hits_by_rule: tuple[tuple[str, int], ...]
    unconverted: tuple[tuple[str, float, int], ...]
    """``(currency, sum, records)`` of amounts that could not be converted to USD."""


@dataclass(frozen=True)
class Report:
    """Everything the HTML report shows."""

    run_id: str
    summary: Mapping[str, Any]
    headline: Headline
    records: tuple[Record, ...]
    buyers: tuple[Group, ...]
    entities: tuple[Group, ...]
    places: tuple[Group, ...]
    months: tuple[MonthRow, ...]
    markers: tuple[Marker, ...]
    as_of: str
    notes: tuple[str, ...] = field(default=())
    vendors: tuple[Group, ...] = field(default=())
    findings: tuple[Finding, ...] = field(default=())
    """Who bought from a listed company: one row per (buyer, vendor, entity)."""

    def counted(self) -> list[tuple[int, Record]]:
        """Indexes and records that count in the figures."""
        return [(i, r) for i, r in enumerate(self.records) if r.counted]


def build_report(
    hits: Iterable[Mapping[str, Any]],
    summary: Mapping[str, Any],
    *,
    statuses: Mapping[str, ReviewState] | None = None,
    fx: FxFunction | None = None,
    notes: Sequence[str] = (),
) -> Report:
    """The report model from ``hits.jsonl`` dicts, the ``summary.json`` dict and optional extras."""
    records = tuple(group_records(hits, statuses or {}, fx, column_currencies(summary)))
    counted = [(i, r) for i, r in enumerate(records) if r.counted]
    return Report(
        run_id=str(summary.get("run_id") or ""),
        summary=summary,
        headline=headline(records, summary),
        records=records,
        buyers=by_buyer(counted),
        entities=by_entity(counted),
        places=by_place(counted),
        months=by_month(r for _, r in counted),
        markers=markers(r for _, r in counted),
        as_of=as_of(records, summary),
        notes=(*notes, *data_notes(records)),
        vendors=by_vendor(counted),
        findings=find_findings(counted),
    )


def headline(records: Sequence[Record], summary: Mapping[str, Any]) -> Headline:
    """Headline figures; each record counted once."""
    counted = [r for r in records if r.counted]
    unconverted: dict[str, list[float]] = defaultdict(list)
    for r in counted:
        if r.amount_usd is None and r.amount is not None:
            unconverted[r.currency].append(r.amount)
    active = [e for r in records for e in r.active]
    return Headline(
        records_screened=int(summary.get("records") or 0),
        rejected_rows=int(summary.get("rejected_rows") or 0),
        flagged_records=sum(1 for r in records if r.active),
        counted_records=len(counted),
        lead_only_records=sum(1 for r in records if r.active and not r.counted),
        dismissed_records=sum(1 for r in records if not r.active),
        distinct_buyers=len({norm(r.buyer) for r in counted if r.buyer}),
        total_usd=total_usd(counted),
        in_force_usd=total_usd(r for r in counted if r.in_force),
        in_force_records=sum(1 for r in counted if r.in_force),
        hits=len(active),
        hits_by_rule=tuple(Counter(e.rule for e in active).most_common()),
        unconverted=tuple((c, round(sum(v), 2), len(v)) for c, v in sorted(unconverted.items())),
    )


_CURRENCY_CODE = re.compile(r"(?<![A-Za-z])(USD|CNY|RMB|EUR|GBP|JPY|CAD|AUD|HKD)(?![A-Za-z])")


def header_currency(header: str) -> str | None:
    """The currency an amount column's header names: ``中标金额(元)`` -> CNY, ``Amount (USD)``."""
    code = _CURRENCY_CODE.search(header.upper())
    if code:
        return "CNY" if code.group(1) == "RMB" else code.group(1)
    return currency_of(header, None, None)


def column_currencies(summary: Mapping[str, Any]) -> dict[str, str]:
    """Source file -> the currency named by its amount column's header (``summary.json`` inputs)."""
    found: dict[str, str] = {}
    for item in summary.get("inputs") or []:
        if not isinstance(item, Mapping) or not isinstance(item.get("field_map"), Mapping):
            continue
        code = header_currency(str(item["field_map"].get("amount") or ""))
        if code and item.get("path"):
            found[str(item["path"])] = code
    return found


def as_of(records: Sequence[Record], summary: Mapping[str, Any]) -> str:
    """The end of open-ended designations in the timeline: the run's date, else the latest date."""
    finished = str(summary.get("finished_at") or "")[:10]
    if len(finished) == 10:
        return finished
    days = [r.day.isoformat() for r in records if r.day]
    days += [d.start for r in records for e in r.evidence for d in e.designations if d.start]
    return max(days) if days else ""


def data_notes(records: Sequence[Record]) -> list[str]:
    """Sentences on what the figures leave out or assume."""
    counted = [r for r in records if r.counted]
    notes = []
    from_header = sum(1 for r in counted if r.currency_from == "column header" and r.amount)
    if from_header:
        notes.append(
            f"{from_header} counted record(s) gave no currency; the header of their amount column "
            "names it (e.g. 中标金额(元) is yuan)."
        )
    assumed = sum(1 for r in counted if r.currency_from == "assumed" and r.amount is not None)
    if assumed:
        notes.append(
            f"{assumed} counted record(s) gave no currency; their amounts were taken as US dollars."
        )
    undated = sum(1 for r in counted if r.day is None)
    if undated:
        notes.append(
            f"{undated} counted record(s) have no readable date (not in the monthly chart)."
        )
    undated_relations = {
        e.entity_name
        for r in counted
        for e in r.active
        if any(not d.relation_dates for d in e.designations)
    }
    if undated_relations:
        notes.append(
            f"This run was screened before hits recorded when ownership relations held, so the "
            f"timeline cannot end the bars of {len(undated_relations)} entit"
            f"{'y' if len(undated_relations) == 1 else 'ies'} listed through a parent (e.g. "
            f"{sorted(undated_relations)[0]}) at a sale; screen the files again (procurewatch "
            "rescreen) for bars that end."
        )
    missing = sum(1 for r in counted if r.amount is None)
    if missing:
        notes.append(f"{missing} counted record(s) have no readable amount.")
    return notes
