"""``procurewatch runs`` prints a header line and each run's inputs; ``screen --help`` shows the
``[spark]`` extra (rich markup would eat an unescaped ``[spark]``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from procurewatch.cli import main
from procurewatch.cli_screen import RUNS_HEADER, runs_table

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo"


def test_runs_prints_headers_and_inputs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / "store.duckdb"
    main(["demo", "--out", str(tmp_path / "out"), "--store", str(store), "--quiet"])
    capsys.readouterr()
    main(["runs", "--store", str(store)])
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:3] == ["run", "id", "finished"]
    assert all(word in lines[0] for word in ("records", "flagged", "rejected", "inputs"))
    assert len(lines) == 2
    assert "city_checkbook_payments.csv" in lines[1] and "xinjiang_bidding_results.csv" in lines[1]
    assert lines[1].startswith("run-")


def test_runs_table_aligns_numbers_under_their_header() -> None:
    run = {
        "run_id": "run-1",
        "finished_at": "2026-01-02T03:04:05.123",
        "records": 1234567,
        "flagged_records": 5,
        "rejected_rows": 0,
        "inputs": ["/data/a.csv"],
        "out_dir": "/out",
    }
    header, row = runs_table([run])
    assert header.startswith(RUNS_HEADER[0])
    end = header.index("records") + len("records")
    assert row[:end].endswith("1,234,567"), "right-aligned under its header"
    assert "a.csv" in row and "/data/" not in row
    assert "2026-01-02T03:04:05" in row and ".123" not in row
    assert "no runs" in runs_table([])[0]


def test_screen_help_shows_the_spark_extra() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "procurewatch.cli", "screen", "--help"],
        capture_output=True, text=True, check=False, timeout=120,
        env={"COLUMNS": "200", "PATH": "/usr/bin:/bin", "PYTHONPATH": str(DEMO.parents[1])},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "procurewatch[spark]" in done.stdout
