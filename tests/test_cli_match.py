"""The ``match`` and ``compare`` command-line contracts (DESIGN.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from procurewatch.cli import main


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        main(args)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_match_json_contract(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / "none.duckdb"
    code, out, _ = run(["match", "海康威视", "--json", "--date", "2020-01-01", "--store", str(store)], capsys)
    assert code == 0
    data = json.loads(out)
    assert data["query"] == "海康威视"
    top = data["results"][0]
    assert {"entity_id", "name", "score", "match", "designations", "explanation"} <= set(top)
    assert top["entity_id"] == "hikvision" and top["match"] is True
    lists = {d["list"]: d for d in top["designations"]}
    assert lists["us-ndaa-889-a1a"]["in_force_from"] == "2019-08-13"
    assert lists["us-ndaa-889-a1a"]["in_force"] is True
    assert lists["us-fcc-covered-list"]["in_force"] is False
    assert not store.exists(), "match must not create a store"


def test_compare_pairs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("name1,name2\nHIKVISON,Hikvision\nUniview,Dahua\n", encoding="utf-8")
    code, out, _ = run(["compare", "--pairs", str(pairs), "--json"], capsys)
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["match"] for r in rows] == [True, False]
    assert set(rows[0]) == {"name1", "name2", "score", "match"}


@pytest.mark.parametrize(
    ("content", "message"),
    [("a,b\nx,y\n", "expected columns name1,name2"), (b"\xff\xfe\x00n\x00a", "not UTF-8")],
)
def test_compare_bad_input_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | bytes, message: str
) -> None:
    pairs = tmp_path / "pairs.csv"
    if isinstance(content, bytes):
        pairs.write_bytes(content)
    else:
        pairs.write_text(content, encoding="utf-8")
    code, _out, err = run(["compare", "--pairs", str(pairs)], capsys)
    assert code == 1
    assert err.startswith("error: ") and message in err and len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_usage_error_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["match", "x", "--date", "yesterday"], capsys)
    assert code == 2 and "YYYY-MM-DD" in err
