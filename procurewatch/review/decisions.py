"""Record analysts' decisions on hits; tell each hit's review status.

Every change is one transaction that also appends an event to the audit log, so the log always
matches the decisions. How a status is decided: :mod:`procurewatch.review.model`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from procurewatch.errors import UsageError
from procurewatch.review import store as rs
from procurewatch.review.audit import export_audit, write_event
from procurewatch.review.model import (
    CONFIRMED,
    DECISIONS,
    DISMISSED,
    Decision,
    DismissRule,
    HitLike,
    HitRef,
    HitStatus,
    latest_decisions,
    resolve_status,
)
from procurewatch.review.rules import (
    add_rule,
    deactivate_rule,
    insert_rule,
    list_rules,
    rule_from_hit,
)
from procurewatch.review.signed import Signed, sign
from procurewatch.store.db import open_store
from procurewatch.store.set_aside import restore

__all__ = [
    "add_rule",
    "confirm",
    "deactivate_rule",
    "decide",
    "dismiss",
    "export_audit",
    "list_rules",
    "review_run",
    "status_of",
]

INSERT_DECISION = """
INSERT INTO decisions (hit_id, run_id, decision, reason, reviewer, decided_at, list_versions)
VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING decision_id
"""


def decide(
    store_path: Path,
    run: str,
    hit_id: str,
    decision: str,
    *,
    reviewer: str,
    reason: str = "",
    now: datetime | None = None,
) -> Decision:
    """Record ``decision`` (confirmed/dismissed) on hit ``hit_id`` of ``run`` (an id or ``latest``).

    The hit must be one of the run's, or a mention the context rules set aside: confirming
    that makes it a hit of the run (its explanation says it was set aside and why). A later call on the same hit id changes the decision;
    the audit log keeps both. A dismissal needs a reason; a confirmation may have one.
    """
    if decision not in DECISIONS:
        raise UsageError(f"decision {decision!r} is not one of {', '.join(DECISIONS)}")
    signed = sign(reviewer, reason, now, need_reason=decision == DISMISSED)
    with open_store(store_path) as store, store.transaction() as con:
        return _insert(con, store_path, run, hit_id, decision, signed)


def _insert(
    con: duckdb.DuckDBPyConnection, path: Path, run: str, hit_id: str, decision: str, signed: Signed
) -> Decision:
    run_id = rs.resolve_run(con, run, path)
    restored = restore(con, run_id, hit_id) if decision == CONFIRMED else None
    hit = rs.hit_ref(con, run_id, hit_id)
    versions = rs.run_list_versions(con, run_id)
    previous = latest_decisions(rs.decisions(con, hit_id)).get(hit_id)
    row = con.execute(
        INSERT_DECISION,
        [hit_id, run_id, decision, signed.why, signed.who, signed.at, json.dumps(list(versions))],
    ).fetchone()
    assert row is not None
    details = {
        "decision": decision,
        "reason": signed.why,
        "entity_id": hit.entity_id,
        "matched_text": hit.matched_text,
        "field": hit.field,
        "vendor": hit.vendor,
        "previous": previous.to_dict() if previous else None,
    }
    if restored is not None:
        details["restored_from"] = "set_aside"
    action = "confirm" if decision == CONFIRMED else "dismiss"
    write_event(
        con,
        at=signed.at,
        who=signed.who,
        action=action,
        details=details,
        list_versions=versions,
        hit_id=hit_id,
        run_id=run_id,
    )
    return Decision(
        int(row[0]), hit_id, run_id, decision, signed.why, signed.who, signed.at, versions
    )


def confirm(
    store_path: Path,
    run: str,
    hit_id: str,
    *,
    reviewer: str,
    reason: str = "",
    now: datetime | None = None,
) -> Decision:
    """Confirm a hit: the record really involves the listed entity."""
    return decide(store_path, run, hit_id, CONFIRMED, reviewer=reviewer, reason=reason, now=now)


def dismiss(
    store_path: Path,
    run: str,
    hit_id: str,
    *,
    reviewer: str,
    reason: str,
    rule: bool = False,
    any_vendor: bool = False,
    now: datetime | None = None,
) -> tuple[Decision, DismissRule | None]:
    """Dismiss a hit; with ``rule``, also make a dismiss rule from it that re-screens keep.

    The rule covers this entity + this matched text + this hit's vendor (any vendor with
    ``any_vendor``; a hit without a vendor gives a rule for records without one), in any field.
    """
    signed = sign(reviewer, reason, now, need_reason=True)
    with open_store(store_path) as store, store.transaction() as con:
        decision = _insert(con, store_path, run, hit_id, DISMISSED, signed)
        if not rule:
            return decision, None
        hit = rs.hit_ref(con, decision.run_id, hit_id)
        vendor = None if any_vendor else (hit.vendor or "")
        made = rule_from_hit(
            hit_id, decision.run_id, hit.entity_id, hit.matched_text, vendor, signed
        )
        return decision, insert_rule(con, made, signed, decision.list_versions)


def status_of(store_path: Path | None, hits: Iterable[HitLike]) -> dict[str, HitStatus]:
    """Each hit's review status by hit id: decisions made in any run and active rules apply.

    Without a store (``None`` or no file yet) every hit is pending.
    """
    items = list(hits)
    if store_path is None or not store_path.is_file():
        return resolve_status(items, {}, [])
    with rs.reader(store_path) as store:
        latest = latest_decisions(rs.decisions(store.con))
        found = rs.rules(store.con)
    return resolve_status(items, latest, found)


def review_run(store_path: Path, run: str) -> tuple[str, list[dict[str, Any]]]:
    """``(run id, hits)``: the hits of ``run`` (an id or ``latest``), each with its ``review``."""
    with rs.reader(store_path) as store:
        run_id = rs.resolve_run(store.con, run, store_path)
        hits = rs.run_hits(store.con, run_id)
        latest = latest_decisions(rs.decisions(store.con))
        found = rs.rules(store.con)
    refs = [
        HitRef(
            h["hit_id"],
            h["entity_id"] or "",
            h["matched_text"] or "",
            h["field"] or "",
            h["vendor"],
        )
        for h in hits
    ]
    statuses = resolve_status(refs, latest, found)
    return run_id, [{**h, "review": statuses[h["hit_id"]].to_dict()} for h in hits]


def set_aside_of_run(store_path: Path, run: str) -> tuple[str, list[dict[str, Any]]]:
    """``(run id, mentions)``: the mentions of ``run`` the context rules set aside and no
    reviewer has confirmed yet, each with the rule and words that decided it."""
    from procurewatch.store.set_aside import set_aside_mentions

    with rs.reader(store_path) as store:
        run_id = rs.resolve_run(store.con, run, store_path)
        return run_id, set_aside_mentions(store.con, run_id)
