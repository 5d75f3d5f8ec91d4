"""The tables every tabular export shares: hits with review and USD, buyers, designations. Pure."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from procurewatch.report._export_data import ExportData, Record
from procurewatch.review.model import CONFIRMED, DISMISSED
from procurewatch.screen.hits import HIT_COLUMNS, VALUE_COLUMNS

REVIEW_COLUMNS = (
    "review_status",
    "reviewer",
    "review_reason",
    "dismiss_rule",
    "amount_usd",
    "fx_note",
)
HIT_EXPORT_COLUMNS = (
    *HIT_COLUMNS,
    *(c for c in VALUE_COLUMNS if c not in REVIEW_COLUMNS),
    *REVIEW_COLUMNS,
)
"""Columns of the hits table: ``hits.csv`` plus review status and the amount in US dollars."""

BUYER_COLUMNS = (
    "buyer",
    "records_flagged",
    "records_confirmed",
    "records_dismissed",
    "amount_usd",
    "amount_usd_ban_in_force",
    "records_not_converted",
    "first_date",
    "last_date",
    "entities",
)
"""Per buyer; counts and amounts leave out dismissed records (except ``records_dismissed``)."""

DESIGNATION_COLUMNS = (
    "entity_id",
    "entity_name",
    "list",
    "list_name",
    "authority",
    "listed",
    "in_force_from",
    "ended",
    "holder",
    "via",
    "citation",
    "source",
    "hits",
)
"""One row per designation that a hit relied on."""

NO_BUYER = "(no buyer given)"


def hit_rows(data: ExportData) -> list[dict[str, Any]]:
    """Every hit as in ``hits.csv`` plus its review status, reviewer, reason and USD amount."""
    rows = []
    for hit in data.hits:
        status, record = data.status[hit.hit_id], data.record_of(hit)
        rows.append(
            {
                **hit.row_dict(),
                "review_status": status.status,
                "reviewer": status.reviewer,
                "review_reason": status.reason,
                "dismiss_rule": status.rule.rule_id if status.rule else None,
                "amount_usd": record.usd,
                "fx_note": record.fx_note,
            }
        )
    return rows


def live_records(data: ExportData) -> list[Record]:
    """Flagged records not dismissed."""
    return [r for r in data.records if r.status != DISMISSED]


def buyer_rows(data: ExportData) -> list[dict[str, Any]]:
    """One row per buyer, most US dollars first."""
    groups: dict[str, list[Record]] = defaultdict(list)
    for record in data.records:
        groups[record.first.buyer or NO_BUYER].append(record)
    rows = [_buyer_row(buyer, records) for buyer, records in groups.items()]
    return sorted(
        rows, key=lambda r: (-(r["amount_usd"] or 0.0), -r["records_flagged"], r["buyer"])
    )


def _buyer_row(buyer: str, records: list[Record]) -> dict[str, Any]:
    live = [r for r in records if r.status != DISMISSED]
    dates = sorted(r.day.isoformat() for r in live if r.day)
    entities = Counter(h.entity_name for r in live for h in r.live_hits)
    return {
        "buyer": buyer,
        "records_flagged": len(live),
        "records_confirmed": sum(1 for r in live if r.status == CONFIRMED),
        "records_dismissed": len(records) - len(live),
        "amount_usd": round(sum(r.usd or 0.0 for r in live), 2),
        "amount_usd_ban_in_force": round(sum(r.usd or 0.0 for r in live if r.in_force), 2),
        "records_not_converted": sum(1 for r in live if r.usd is None and r.amount is not None),
        "first_date": dates[0] if dates else None,
        "last_date": dates[-1] if dates else None,
        "entities": "; ".join(name for name, _ in entities.most_common()),
    }


def designation_rows(data: ExportData) -> list[dict[str, Any]]:
    """Each designation hits relied on, once, with the number of hits relying on it."""
    rows: dict[tuple[Any, ...], dict[str, Any]] = {}
    for hit in data.hits:
        for des in hit.designations:
            key = (hit.entity_id, des.get("list"), des.get("holder"), des.get("in_force_from"))
            if key not in rows:
                rows[key] = {
                    "entity_id": hit.entity_id,
                    "entity_name": hit.entity_name,
                    **{c: des.get(c) for c in DESIGNATION_COLUMNS[2:-1]},
                    "hits": 0,
                }
                rows[key]["via"] = "; ".join(des.get("via") or ())
            rows[key]["hits"] += 1
    return sorted(rows.values(), key=lambda r: (r["entity_id"], str(r["list"])))
