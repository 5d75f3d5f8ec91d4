"""Dismiss rules: "this matched text never means this listed entity (for this vendor)".

A rule dismisses every matching hit without a decision of its own, in every run, so a false
alarm stays dismissed when the same or a new input is screened again after a list update.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

import duckdb

from procurewatch.errors import StoreError
from procurewatch.review import store as rs
from procurewatch.review.audit import write_event
from procurewatch.review.model import DismissRule, text_key, vendor_key
from procurewatch.review.signed import Signed, required, sign
from procurewatch.store.db import open_store

INSERT_RULE = """
INSERT INTO dismiss_rules (entity_id, matched_text, vendor, field, reason, reviewer, created_at,
    active, matched_text_raw, vendor_raw, hit_id, run_id)
VALUES (?, ?, ?, ?, ?, ?, ?, TRUE, ?, ?, ?, ?) RETURNING rule_id
"""


def add_rule(
    store_path: Path,
    *,
    entity_id: str,
    matched_text: str,
    vendor: str | None,
    reviewer: str,
    reason: str,
    field: str | None = None,
    now: datetime | None = None,
) -> DismissRule:
    """Record that ``matched_text`` never means ``entity_id`` for ``vendor`` (None: any vendor)."""
    signed = sign(reviewer, reason, now, need_reason=True)
    required(entity_id, "the entity id", "an entity id such as hikvision")
    required(matched_text, "the matched text", "the text the hit matched")
    with open_store(store_path) as store, store.transaction() as con:
        rule = DismissRule(
            0,
            entity_id,
            text_key(matched_text),
            _key(vendor),
            field,
            signed.why,
            signed.who,
            signed.at,
            True,
            matched_text,
            vendor or None,
        )
        return insert_rule(con, rule, signed, ())


def _key(vendor: str | None) -> str | None:
    return None if vendor is None else vendor_key(vendor)


def rule_from_hit(
    hit_id: str, run_id: str, entity_id: str, matched_text: str, vendor: str | None, signed: Signed
) -> DismissRule:
    """The rule (not yet stored) for a hit's entity + matched text + vendor (None: any)."""
    return DismissRule(
        0,
        entity_id,
        text_key(matched_text),
        _key(vendor),
        None,
        signed.why,
        signed.who,
        signed.at,
        True,
        matched_text,
        vendor or None,
        hit_id,
        run_id,
    )


def insert_rule(
    con: duckdb.DuckDBPyConnection, rule: DismissRule, signed: Signed, versions: tuple[str, ...]
) -> DismissRule:
    """Store ``rule`` (its ``rule_id`` is assigned here) and log it; inside a transaction."""
    row = con.execute(
        INSERT_RULE,
        [
            rule.entity_id,
            rule.matched_text,
            rule.vendor,
            rule.field,
            rule.reason,
            rule.reviewer,
            rule.created_at,
            rule.matched_text_raw,
            rule.vendor_raw,
            rule.hit_id,
            rule.run_id,
        ],
    ).fetchone()
    assert row is not None
    made = replace(rule, rule_id=int(row[0]))
    write_event(
        con,
        at=signed.at,
        who=signed.who,
        action="rule-add",
        details={"rule": made.to_dict()},
        list_versions=versions,
        hit_id=made.hit_id,
        rule_id=made.rule_id,
        run_id=made.run_id,
    )
    return made


def deactivate_rule(
    store_path: Path, rule_id: int, *, reviewer: str, reason: str, now: datetime | None = None
) -> DismissRule:
    """Switch a rule off (it stays on record); hits it alone dismissed become pending again."""
    signed = sign(reviewer, reason, now, need_reason=True)
    with open_store(store_path) as store, store.transaction() as con:
        found = rs.rules(con, rule_id)
        if not found:
            raise StoreError(
                f"no dismiss rule {rule_id} in {store_path}; "
                "list them with `procurewatch review rules`"
            )
        con.execute("UPDATE dismiss_rules SET active = FALSE WHERE rule_id = ?", [rule_id])
        write_event(
            con,
            at=signed.at,
            who=signed.who,
            action="rule-off",
            details={"reason": signed.why, "rule": found[0].to_dict()},
            list_versions=(),
            rule_id=rule_id,
        )
    return replace(found[0], active=False)


def list_rules(store_path: Path, *, active_only: bool = False) -> list[DismissRule]:
    """The store's dismiss rules by id (none if there is no store yet)."""
    if not store_path.is_file():
        return []
    with rs.reader(store_path) as store:
        found = rs.rules(store.con)
    return [r for r in found if r.active or not active_only]
