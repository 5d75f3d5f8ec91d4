"""A short Markdown summary of the findings that a journalist can paste into a story draft.

Every value taken from the records is escaped, so a vendor called ``<script>`` or ``*bold*``
shows as written and never as markup.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from procurewatch.report._export_data import ExportData, Record
from procurewatch.report._export_tables import NO_BUYER, buyer_rows, live_records
from procurewatch.review.model import CONFIRMED, DISMISSED, PENDING
from procurewatch.screen.hits import RULES, Hit

TOP = 10
_SPECIAL = re.compile(r"([\\`*\[\]<>|~&]|(?<![^\W_])_|_(?![^\W_]))")
"""Characters that make inline Markdown or HTML (values never start a line, so not ``#``); ``_``
unless between two letters or digits, where it cannot start emphasis (``city_checkbook``)."""


def md(value: object) -> str:
    """Escape ``value`` for Markdown (one line, markup characters backslashed)."""
    text = " ".join(str(value).split())
    return _SPECIAL.sub(r"\\\1", text)


def usd(value: float | None) -> str:
    """``$1,234,567`` (no cents), or ``n/a``."""
    return "n/a" if value is None else f"${value:,.0f}"


def render_markdown(data: ExportData) -> str:
    """The whole Markdown document."""
    parts = [
        _headline(data),
        _top_buyers(data),
        _top_entities(data),
        _confirmed(data),
        _method(data),
    ]
    return "\n".join(p for p in parts if p)


def _headline(data: ExportData) -> str:
    live = live_records(data)
    count = {
        s: sum(1 for r in data.records if r.status == s) for s in (CONFIRMED, PENDING, DISMISSED)
    }
    total = sum(r.usd or 0.0 for r in live)
    in_force = [r for r in live if r.in_force]
    buyers = {r.first.buyer or NO_BUYER for r in live}
    lines = [
        "# Findings: purchases involving listed surveillance and telecom companies",
        "",
        f"- Records screened: {data.summary.get('records', 'n/a'):,}",
        f"- Records flagged: {len(live):,} ({count[CONFIRMED]:,} confirmed, {count[PENDING]:,} "
        f"awaiting review; {count[DISMISSED]:,} dismissed as false alarms and left out)",
        f"- Buyers: {len(buyers):,}",
        f"- Total amount: {usd(total)} (US dollars){_left_out(live)}",
        f"- After a ban was in force: {usd(sum(r.usd or 0.0 for r in in_force))} "
        f"in {len(in_force):,} records",
    ]
    if not data.reviewed:
        lines.append(
            "- Review: none recorded (no store with decisions: give --store, or keep them in "
            "DIR/store.duckdb or the default store); every hit counts as pending"
        )
    return "\n".join(lines) + "\n"


def _left_out(live: list[Record]) -> str:
    """What the total leaves out: amounts without a currency, or with no USD rate."""
    no_currency = sum(1 for r in live if r.amount is not None and not r.currency)
    no_rate = sum(1 for r in live if r.amount is not None and r.currency and r.usd is None)
    parts = [
        f"{no_currency:,} records without a currency" if no_currency else "",
        f"{no_rate:,} records without a USD rate for their currency and date" if no_rate else "",
    ]
    text = " and ".join(p for p in parts if p)
    return f"; not included: {text}" if text else ""


def _top_buyers(data: ExportData) -> str:
    rows = [r for r in buyer_rows(data) if r["records_flagged"]][:TOP]
    if not rows:
        return ""
    lines = [
        "## Top buyers",
        "",
        "| Buyer | Records | Amount (USD) | After a ban (USD) | Companies |",
        "|---|---:|---:|---:|---|",
    ]
    lines += [
        f"| {md(r['buyer'])} | {r['records_flagged']:,} | {usd(r['amount_usd'])} | "
        f"{usd(r['amount_usd_ban_in_force'])} | {md(r['entities'])} |"
        for r in rows
    ]
    return "\n".join(lines) + "\n"


def _top_entities(data: ExportData) -> str:
    groups: dict[str, list[Record]] = defaultdict(list)
    for record in live_records(data):
        for name in dict.fromkeys(h.entity_name for h in record.live_hits):
            groups[name].append(record)
    if not groups:
        return ""
    ranked = sorted(groups.items(), key=lambda g: (-sum(r.usd or 0.0 for r in g[1]), -len(g[1])))
    lines = [
        "## Listed companies involved",
        "",
        "| Company | Records | Amount (USD) |",
        "|---|---:|---:|",
    ]
    lines += [
        f"| {md(name)} | {len(recs):,} | {usd(sum(r.usd or 0.0 for r in recs))} |"
        for name, recs in ranked[:TOP]
    ]
    return "\n".join(lines) + "\n"


def _confirmed(data: ExportData) -> str:
    records = [r for r in data.records if r.status == CONFIRMED]
    if not records:
        todo = "review the hits first" if data.records else "nothing was flagged"
        return f"## Confirmed findings\n\nNone confirmed yet: {todo}.\n"
    lines = ["## Confirmed findings", ""]
    for number, record in enumerate(records, 1):
        lines += _finding(number, record)
    return "\n".join(lines)


def _finding(number: int, record: Record) -> list[str]:
    hit = record.first
    money = (
        f"{record.amount:,.2f} {record.currency or ''}".strip()
        if record.amount is not None
        else "n/a"
    )
    title = f"### {number}. {md(hit.buyer or NO_BUYER)} – {md(hit.vendor or 'vendor not named')}"
    lines = [
        title,
        "",
        f"- Date: {md(record.day.isoformat() if record.day else hit.record_date or 'n/a')}; "
        f"amount: {md(money)}"
        + (
            f" ({usd(record.usd)}; {md(record.fx_note)})"
            if record.usd is not None and record.currency != "USD"
            else ""
        ),
    ]
    if hit.description:
        lines.append(f"- Description: {md(hit.description)}")
    lines.append(f"- Source: {md(Path(record.source_file).name)}, row {record.row}")
    for item, status in zip(record.hits, record.statuses, strict=True):
        if status.status == CONFIRMED:
            lines.append(
                f"- Evidence: {_evidence(item)}; confirmed by {md(status.reviewer)}"
                + (f": {md(status.reason)}" if status.reason else "")
            )
    return [*lines, ""]


def _evidence(hit: Hit) -> str:
    rule = RULES.get(hit.rule, hit.rule)
    lists = ", ".join(hit.lists) or "no list"
    state = {True: "a ban was in force", False: "no ban in force yet", None: "date unknown"}
    return (
        f"{md(rule)}: “{md(hit.matched_text)}” in {md(hit.field)} → {md(hit.entity_name)} "
        f"({md(lists)}; on the record date {state[hit.in_force]})"
    )


def _method(data: ExportData) -> str:
    lists = ", ".join(str(v) for v in data.summary.get("lists") or []) or "bundled lists"
    return (
        "## How this was found\n\n"
        f"Screened with procurewatch (run {md(data.summary.get('run_id', 'n/a'))}) against "
        f"{md(lists)}. Amounts in other currencies are converted to US dollars at monthly "
        "averages derived from the European Central Bank's euro reference rates "
        "(Source: ECB).\n"
    )
