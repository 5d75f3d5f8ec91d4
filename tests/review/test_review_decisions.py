"""Decisions and dismiss rules survive re-screens; every change lands in the audit log."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from review_factory import LISTS, Env, base_hits, make_hit, make_run

from procurewatch.errors import StoreError, UsageError
from procurewatch.review import (
    audit_events,
    confirm,
    deactivate_rule,
    dismiss,
    export_audit,
    list_rules,
    review_run,
    status_of,
)
from procurewatch.screen.run import RunResult

T1 = datetime(2026, 2, 1, 9, 0, tzinfo=UTC)
T2 = datetime(2026, 2, 1, 9, 5, tzinfo=UTC)
T3 = datetime(2026, 2, 2, 14, 0, tzinfo=UTC)


def statuses(env: Env, run: str) -> dict[str, str]:
    """hit id -> status label for the hits of ``run``."""
    return {h["hit_id"]: h["review"]["label"] for h in review_run(env.store, run)[1]}


def test_decisions_apply_to_the_same_hits_when_the_input_is_screened_again(
    env: Env, first_run: RunResult
) -> None:
    model, vendor, plumber = (h.hit_id for h in first_run.hits)
    confirm(env.store, "run-1", model, reviewer="alice", reason="DS-2CD is Hikvision", now=T1)
    dismiss(env.store, "latest", plumber, reviewer="bob", reason="a plumber", now=T2)
    rescreen = make_run("run-2", base_hits(), started="2026-03-01T10:00:00+00:00")
    env.record(rescreen)
    assert [h.hit_id for h in rescreen.hits] == [h.hit_id for h in first_run.hits]
    assert statuses(env, "latest") == {model: "confirmed", vendor: "pending", plumber: "dismissed"}
    assert statuses(env, "run-1") == statuses(env, "run-2")


def test_a_changed_decision_wins_and_the_audit_log_keeps_both(
    env: Env, first_run: RunResult
) -> None:
    hit = first_run.hits[1].hit_id
    confirm(env.store, "run-1", hit, reviewer="alice", now=T1)
    dismiss(env.store, "run-1", hit, reviewer="bob", reason="US subsidiary, not covered", now=T2)
    assert statuses(env, "run-1")[hit] == "dismissed"
    events = audit_events(env.store)
    assert [(e.action, e.who, e.at, e.hit_id, e.run_id) for e in events] == [
        ("confirm", "alice", T1.replace(tzinfo=None), hit, "run-1"),
        ("dismiss", "bob", T2.replace(tzinfo=None), hit, "run-1"),
    ]
    assert all(e.list_versions == LISTS for e in events)
    assert events[1].details["reason"] == "US subsidiary, not covered"
    assert events[1].details["previous"]["decision"] == "confirmed"
    assert events[1].details["previous"]["reviewer"] == "alice"
    assert events[0].details["entity_id"] == "hikvision"


def test_a_dismiss_rule_suppresses_matching_hits_in_a_new_run(
    env: Env, first_run: RunResult
) -> None:
    plumber = first_run.hits[2].hit_id
    _, rule = dismiss(
        env.store, "run-1", plumber, reviewer="bob", reason="plumbing firm", rule=True, now=T2
    )
    assert rule is not None and rule.vendor == "dahuaplumbing" and rule.matched_text == "DAHUA"
    hits = [
        make_hit(
            7,
            "Memo",
            "DAHUA",
            "text-name",
            "dahua",
            vendor="DAHUA PLUMBING, LLC",
            file="payments-2022.csv",
            sha="b" * 64,
        ),
        make_hit(
            8,
            "Memo",
            "Dahua",
            "text-name",
            "dahua",
            vendor="Acme Security Inc",
            file="payments-2022.csv",
            sha="b" * 64,
        ),
    ]
    env.record(
        make_run(
            "run-2",
            hits,
            started="2026-03-01T10:00:00+00:00",
            path="payments-2022.csv",
            sha="b" * 64,
        )
    )
    labels = statuses(env, "run-2")
    assert labels == {hits[0].hit_id: f"dismissed (rule {rule.rule_id})", hits[1].hit_id: "pending"}
    assert [e.action for e in audit_events(env.store)] == ["dismiss", "rule-add"]


def test_a_decision_on_the_hit_beats_a_rule_and_a_rule_can_be_switched_off(
    env: Env, first_run: RunResult
) -> None:
    plumber = first_run.hits[2]
    dismiss(env.store, "run-1", plumber.hit_id, reviewer="bob", reason="plumber", rule=True, now=T1)
    other = make_hit(
        9, "Memo", "Dahua", "text-name", "dahua", vendor="Dahua Plumbing LLC", file="b.csv"
    )
    assert status_of(env.store, [other])[other.hit_id].label == "dismissed (rule 1)"
    confirm(env.store, "run-1", plumber.hit_id, reviewer="carol", reason="it was cameras", now=T2)
    assert statuses(env, "run-1")[plumber.hit_id] == "confirmed"
    off = deactivate_rule(env.store, 1, reviewer="carol", reason="too broad", now=T3)
    assert not off.active and not list_rules(env.store, active_only=True)
    assert status_of(env.store, [other])[other.hit_id].label == "pending"
    assert [e.action for e in audit_events(env.store)] == [
        "dismiss",
        "rule-add",
        "confirm",
        "rule-off",
    ]


def test_any_vendor_rule_and_rules_for_hits_without_a_vendor(env: Env) -> None:
    hits = [
        make_hit(1, "Memo", "Hik", "text-alias", "hikvision", vendor=None),
        make_hit(2, "Memo", "Hik", "text-alias", "hikvision", vendor="Acme"),
    ]
    env.record(make_run("run-1", hits, started="2026-01-01T10:00:00+00:00"))
    dismiss(env.store, "run-1", hits[0].hit_id, reviewer="bob", reason="hiking gear", rule=True)
    assert statuses(env, "run-1")[hits[1].hit_id] == "pending"
    dismiss(
        env.store,
        "run-1",
        hits[1].hit_id,
        reviewer="bob",
        reason="hiking",
        rule=True,
        any_vendor=True,
    )
    later = make_hit(3, "Memo", "HIK", "text-alias", "hikvision", vendor="Zeta", file="c.csv")
    assert status_of(env.store, [later])[later.hit_id].label == "dismissed (rule 2)"


def test_unknown_hits_runs_and_missing_names_are_clear_errors(
    env: Env, first_run: RunResult
) -> None:
    hit = first_run.hits[0].hit_id
    with pytest.raises(StoreError, match="no hit 'feedface' in run run-1; list its hits with"):
        confirm(env.store, "run-1", "feedface", reviewer="alice")
    with pytest.raises(StoreError, match="no run 'run-9'"):
        confirm(env.store, "run-9", hit, reviewer="alice")
    with pytest.raises(UsageError, match="the reviewer is required"):
        confirm(env.store, "run-1", hit, reviewer="  ")
    with pytest.raises(UsageError, match="a reason is required"):
        dismiss(env.store, "run-1", hit, reviewer="bob", reason="")
    with pytest.raises(StoreError, match="no dismiss rule 5"):
        deactivate_rule(env.store, 5, reviewer="bob", reason="x")
    assert audit_events(env.store) == []


def test_without_a_store_everything_is_pending(tmp_path: Path) -> None:
    hits = base_hits()
    assert {s.status for s in status_of(None, hits).values()} == {"pending"}
    assert {s.status for s in status_of(tmp_path / "none.duckdb", hits).values()} == {"pending"}
    assert not (tmp_path / "none.duckdb").exists()


def test_the_audit_export_is_csv_or_json_lines_and_neutralized(
    env: Env, first_run: RunResult
) -> None:
    hit = first_run.hits[0].hit_id
    confirm(env.store, "run-1", hit, reviewer="=cmd|' /C calc'!A0", reason="@SUM(1)", now=T1)
    assert export_audit(env.store, env.tmp / "audit.csv") == 1
    with (env.tmp / "audit.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows[0]["who"] == "'=cmd|' /C calc'!A0" and rows[0]["action"] == "confirm"
    assert rows[0]["at"] == "2026-02-01T09:00:00Z" and rows[0]["list_versions"] == ";".join(LISTS)
    assert json.loads(rows[0]["details"])["reason"] == "@SUM(1)"
    assert export_audit(env.store, env.tmp / "audit.jsonl") == 1
    event = json.loads((env.tmp / "audit.jsonl").read_text(encoding="utf-8"))
    assert event["who"] == "=cmd|' /C calc'!A0" and event["list_versions"] == list(LISTS)
    with pytest.raises(UsageError, match=r"name it \.csv or \.jsonl"):
        export_audit(env.store, env.tmp / "audit.txt")


def test_latest_is_the_last_saved_of_runs_started_in_the_same_second(env: Env) -> None:
    for run_id in ("run-b", "run-a"):
        env.record(make_run(run_id, base_hits(), started="2026-01-01T10:00:00+00:00"))
    assert review_run(env.store, "latest")[0] == "run-a"
