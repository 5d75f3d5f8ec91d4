"""``procurewatch review ...`` through the real entry point ``cli.main``."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from review_factory import Env

from procurewatch.cli import main
from procurewatch.screen.run import RunResult

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(cli: Run, env: Env) -> Run:
    """``procurewatch ARGS... --store STORE`` -> (exit status, stdout, stderr)."""

    return lambda *args: cli(*args, "--store", str(env.store))


def test_list_confirm_dismiss_rules_and_audit(run: Run, first_run: RunResult, env: Env) -> None:
    model, vendor, plumber = (h.hit_id for h in first_run.hits)
    code, out, _ = run("review", "list", "latest")
    assert (
        code == 0 and out.splitlines()[0] == "run-1: 3 hits (3 pending, 0 confirmed, 0 dismissed)"
    )
    assert out.splitlines()[1].startswith(f"{model}  pending ")
    assert run("review", "confirm", "run-1", model, "--reviewer", "alice")[:2] == (
        0,
        f"confirmed {model} of run-1 by alice\n",
    )
    code, out, _ = run(
        "review",
        "dismiss",
        "latest",
        plumber,
        "--reviewer",
        "bob",
        "--reason",
        "plumbing firm",
        "--rule",
    )
    assert code == 0 and "rule 1: 'Dahua' is not dahua for vendor 'Dahua Plumbing LLC'" in out
    code, out, _ = run("review", "list", "run-1", "--status", "pending", "--json")
    data = json.loads(out)
    assert data["counts"] == {"confirmed": 1, "pending": 1, "dismissed": 1}
    assert [h["hit_id"] for h in data["hits"]] == [vendor]
    rules = json.loads(run("review", "rules", "--json")[1])
    assert [(r["rule_id"], r["entity_id"], r["active"]) for r in rules] == [(1, "dahua", True)]
    code, out, _ = run("review", "audit")
    assert code == 0 and [line.split("  ")[2] for line in out.splitlines()] == [
        "confirm",
        "dismiss",
        "rule-add",
    ]
    code, out, _ = run("review", "audit", "--out", str(env.tmp / "audit.jsonl"))
    assert (code, out) == (0, f"3 audit events -> {env.tmp / 'audit.jsonl'}\n")
    code, out, _ = run("review", "drop-rule", "1", "--reviewer", "carol", "--reason", "too broad")
    assert code == 0 and out.startswith("rule 1 switched off")


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ("review", "confirm", "run-1", "{hit}"),
            2,
            "error: the reviewer is required; give it with --reviewer NAME",
        ),
        (
            ("review", "dismiss", "run-1", "{hit}", "--reviewer", "bob"),
            2,
            "error: a reason is required; give it with --reason TEXT",
        ),
        (
            ("review", "confirm", "run-1", "nohit", "--reviewer", "al"),
            1,
            "error: no hit 'nohit' in run run-1; list its hits with `procurewatch review list",
        ),
        (("review", "list", "run-7"), 1, "error: no run 'run-7' in"),
        (
            ("review", "list", "run-1", "--status", "maybe"),
            2,
            "error: --status 'maybe': use pending, confirmed, dismissed or all",
        ),
    ],
)
def test_errors_are_one_line(
    run: Run, first_run: RunResult, args: tuple[str, ...], code: int, message: str
) -> None:
    hit = first_run.hits[0].hit_id
    got, out, err = run(*(a.format(hit=hit) for a in args))
    assert (got, out) == (code, "")
    assert err.startswith(message) and len(err.strip().splitlines()) == 1


def test_no_store_yet(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["review", "list", "latest", "--store", str(tmp_path / "none.duckdb")])
    assert exc.value.code == 1
    assert capsys.readouterr().err.startswith("error: no store at ")
