"""The audit log: every decision and rule change, with who, when, what and the list versions.

Events are only ever appended. ``export_audit`` writes them to CSV (formula-neutralized) or JSON
lines for whoever needs to check the review afterwards.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from procurewatch.errors import UsageError
from procurewatch.review.store import reader
from procurewatch.screen.output import write_csv, write_jsonl

AUDIT_COLUMNS = (
    "event_id",
    "at",
    "who",
    "action",
    "hit_id",
    "rule_id",
    "run_id",
    "list_versions",
    "details",
)
"""Columns of an audit export, in order."""

FORMATS = ("csv", "jsonl")


@dataclass(frozen=True, slots=True)
class AuditEvent:
    """One entry of the audit log."""

    event_id: int
    at: datetime
    who: str
    action: str
    hit_id: str | None
    rule_id: int | None
    run_id: str | None
    details: dict[str, Any]
    list_versions: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form (``at`` in ISO 8601, UTC)."""
        return {
            "event_id": self.event_id,
            "at": self.at.isoformat(timespec="seconds") + "Z",
            "who": self.who,
            "action": self.action,
            "hit_id": self.hit_id,
            "rule_id": self.rule_id,
            "run_id": self.run_id,
            "list_versions": list(self.list_versions),
            "details": self.details,
        }


def write_event(
    con: duckdb.DuckDBPyConnection,
    *,
    at: datetime,
    who: str,
    action: str,
    details: Mapping[str, Any],
    list_versions: Sequence[str],
    hit_id: str | None = None,
    rule_id: int | None = None,
    run_id: str | None = None,
) -> None:
    """Append one event (call inside the transaction that makes the change)."""
    con.execute(
        'INSERT INTO audit_log ("at", who, action, hit_id, rule_id, run_id, details, '
        "list_versions) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            at,
            who,
            action,
            hit_id,
            rule_id,
            run_id,
            json.dumps(dict(details), ensure_ascii=False, default=str),
            json.dumps(list(list_versions)),
        ],
    )


def audit_events(store_path: Path) -> list[AuditEvent]:
    """Every event, oldest first (none if there is no store yet)."""
    if not store_path.is_file():
        return []
    with reader(store_path) as store:
        rows = store.con.execute(
            'SELECT event_id, "at", who, action, hit_id, rule_id, run_id, details, list_versions '
            "FROM audit_log ORDER BY event_id"
        ).fetchall()
    return [
        AuditEvent(
            int(r[0]),
            r[1],
            r[2],
            r[3],
            r[4],
            None if r[5] is None else int(r[5]),
            r[6],
            json.loads(r[7]),
            tuple(json.loads(r[8])),
        )
        for r in rows
    ]


def audit_format(out: Path, fmt: str | None) -> str:
    """The export format: ``fmt`` if given, else from the file suffix (``.csv``/``.jsonl``)."""
    chosen = (fmt or out.suffix.lstrip(".")).lower()
    if chosen == "json":
        chosen = "jsonl"
    if chosen not in FORMATS:
        raise UsageError(f"cannot tell the audit export format of {out}; name it .csv or .jsonl")
    return chosen


def export_audit(store_path: Path, out: Path, fmt: str | None = None) -> int:
    """Write the audit log to ``out`` as CSV or JSON lines; return the number of events."""
    chosen = audit_format(out, fmt)
    events = [e.to_dict() for e in audit_events(store_path)]
    if chosen == "jsonl":
        write_jsonl(out, events)
    else:
        flat = (
            {
                **e,
                "list_versions": ";".join(e["list_versions"]),
                "details": json.dumps(e["details"], ensure_ascii=False, sort_keys=True),
            }
            for e in events
        )
        write_csv(out, AUDIT_COLUMNS, flat)
    return len(events)
