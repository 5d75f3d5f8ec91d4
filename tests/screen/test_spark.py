"""The Spark engine gives the local engine's hits, rejects and counts (DESIGN.md principle 1).

One session (``conftest.spark``), tiny data. Files are cut into 16 KiB blocks so that row numbers
cross block boundaries; the generated CSV has a title line, blank and whitespace-only lines,
ragged rows, all-empty rows, quoted delimiters and CRLF endings; two more like it sit in a
folder that Spark reads in one go; another has quoted line breaks (read whole); a Parquet file
has typed columns and a space in its name. The demo's GB18030 file is read by Spark too.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from dataclasses import astuple
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from procurewatch.cli import main
from procurewatch.errors import InputError
from procurewatch.model import Watchlist
from procurewatch.screen.engines import spark as engine
from procurewatch.screen.engines import spark_executors as executors
from procurewatch.screen.run import RunResult, run_screen
from procurewatch.watchlist.assemble import load_watchlist

pytestmark = pytest.mark.spark

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "examples" / "demo"
DEMO_FILES = (
    "city_checkbook_payments.csv",
    "usaspending_contracts_award.csv",
    "xinjiang_bidding_results.csv",
)
HIT_KEY = (
    "hit_id",
    "source_file",
    "row",
    "field",
    "matched_text",
    "entity_id",
    "rule",
    "score",
    "in_force",
)


def _tricky_csv(path: Path, first: int = 1) -> Path:
    """Title line, blank lines, whitespace-only and ragged rows, quoting, CRLF; ~40 KiB."""
    lines = ["Payments register FY2019-2023", "", "date,vendor,description,amount,department"]
    for i in range(first, first + 699):
        if i % 97 == 0:
            lines.append("")
        elif i % 89 == 0:
            lines.append("   ")
        elif i % 83 == 0:
            lines.append("2021-01-01,Ragged Vendor,too few fields")
        elif i % 79 == 0:
            lines.append(",,,,")
        elif i % 71 == 0:
            lines.append('2021-02-02,"Hikvision USA, Inc.",DS-2CD2143G2-I,12,Police,one too many')
        elif i % 13 == 0:
            lines.append(
                f'2020-03-{i % 28 + 1:02d},"Tri-County ""Secure"" LLC",PTZ DS-2DE4225IW-DE,{i}.00,Police'
            )
        elif i % 17 == 0:
            lines.append(
                f'2022-05-{i % 28 + 1:02d},Dahua Technology USA Inc.,"NVR, 8 channel",{i},Parks'
            )
        elif i % 29 == 0:
            lines.append(f"2018-06-{i % 28 + 1:02d},HIKVISON USA,cameras,{i},Water")
        else:
            lines.append(
                f"2019-0{i % 9 + 1}-01,Staples Business Advantage,Office supplies {i},{i}.50,Finance"
            )
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))
    return path


def _multiline_csv(path: Path) -> Path:
    rows = [
        "vendor,description,amount",
        'Acme Security,"two lines:\nHikvision DS-2CD2143G2-I dome",5',
        'Acme Security,"NVR compatible with\nHikvision and Dahua cameras",8',
        "Hikvision USA Inc,camera,6",
        "Bad,row",
        'Dahua Technology USA Inc.,"x ""quoted""",7',
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def _parquet(path: Path) -> Path:
    table = pa.table(
        {
            "vendor": ["Staples", "Hikvision USA Inc", None, "Dahua Technology USA Inc."] * 50,
            "description": ["paper", "DS-2CD2143G2-I cameras", "EZVIZ C6N", ""] * 50,
            "amount": pa.array([1, 2, 3, 4] * 50, pa.int64()),
            "date": ["2020-01-01", "2018-05-05", "2021-07-07", "2023-03-03"] * 50,
        }
    )
    pq.write_table(table, path, row_group_size=64)
    return path


@pytest.fixture(scope="module")
def watchlist() -> Watchlist:
    return load_watchlist(None)


Inputs = tuple[list[Path], list[str]]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Inputs:
    """The files for the local engine, and the same for Spark with a folder of two files
    (same layout: one Spark read) in place of its files."""
    folder = tmp_path_factory.mktemp("inputs")
    generated = [
        _tricky_csv(folder / "tricky.csv"),
        _multiline_csv(folder / "multiline.csv"),
        _parquet(folder / "typed data.parquet"),
    ]
    batch = folder / "batch"
    batch.mkdir()
    parts = [_tricky_csv(batch / "part-1.csv", 1000), _tricky_csv(batch / "part-2.csv", 2000)]
    files = [DEMO / name for name in DEMO_FILES] + generated
    return files + parts, [str(p) for p in files] + [str(batch)]


@pytest.fixture(scope="module")
def local_run(inputs: Inputs, watchlist: Watchlist) -> RunResult:
    return run_screen(inputs[0], watchlist)


@pytest.fixture(scope="module")
def spark_run(
    spark: Any, inputs: Inputs, watchlist: Watchlist, tmp_path_factory: pytest.TempPathFactory
) -> tuple[RunResult, Path]:
    out = tmp_path_factory.mktemp("spark out")
    small_blocks = {
        "spark.sql.files.maxPartitionBytes": "16384",
        "spark.sql.files.openCostInBytes": "0",
    }
    with engine._settings(spark, small_blocks):
        result = engine.run_spark(inputs[1], watchlist, out_dir=out, spark=spark)
    return result, out


def _keys(result: RunResult) -> list[tuple[Any, ...]]:
    return [tuple(getattr(h, k) for k in HIT_KEY) for h in result.hits]


def test_same_hits_as_the_local_engine(
    local_run: RunResult, spark_run: tuple[RunResult, Path]
) -> None:
    result, _ = spark_run
    assert _keys(result) == _keys(local_run)
    assert [h.json_dict() for h in result.hits] == [h.json_dict() for h in local_run.hits]
    aside = [h.json_dict() for h in result.set_aside]
    assert aside == [h.json_dict() for h in local_run.set_aside]
    assert {h["entity_id"] for h in aside} >= {"hikvision", "dahua"}
    with_hits = {Path(h.source_file).name for h in result.hits}
    assert {
        "tricky.csv",
        "multiline.csv",
        "typed data.parquet",
        "part-1.csv",
        "part-2.csv",
    } <= with_hits


def test_same_counts_and_rejects(local_run: RunResult, spark_run: tuple[RunResult, Path]) -> None:
    result, _ = spark_run
    for ours, theirs in zip(result.inputs, local_run.inputs, strict=True):
        assert (ours.path, ours.format, ours.fingerprint, ours.field_map) == (
            theirs.path,
            theirs.format,
            theirs.fingerprint,
            theirs.field_map,
        )
        assert (ours.records, ours.flagged_records, len(ours.rejects)) == (
            theirs.records,
            theirs.flagged_records,
            len(theirs.rejects),
        ), ours.path
        whole = ours.path.endswith("multiline.csv")  # read whole: rejects carry no line
        mine = [astuple(r)[:1] + astuple(r)[2:] if whole else astuple(r) for r in ours.rejects]
        local = [astuple(r)[:1] + astuple(r)[2:] if whole else astuple(r) for r in theirs.rejects]
        assert mine == local, ours.path
    summary, expected = result.summary(), local_run.summary()
    for key in ("records", "flagged_records", "rejected_rows", "hits", "hits_in_force"):
        assert summary[key] == expected[key], key
    tricky = next(i for i in result.inputs if i.path.endswith("tricky.csv"))
    assert len(tricky.rejects) >= 10 and tricky.hits  # the generated file does exercise rejects


def test_outputs_are_written(spark_run: tuple[RunResult, Path], local_run: RunResult) -> None:
    result, out = spark_run
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["engine"] == "spark" and summary["records"] == local_run.summary()["records"]
    with (out / "hits.csv").open(encoding="utf-8") as fh:
        assert [r["hit_id"] for r in csv.DictReader(fh)] == [h.hit_id for h in local_run.hits]
    lines = (out / "hits.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == [h.json_dict() for h in local_run.hits]
    table = pq.read_table(out / "hits.parquet")
    assert sorted(table.column("hit_id").to_pylist()) == sorted(h.hit_id for h in result.hits)
    first = json.loads(table.column("json")[0].as_py())
    assert first["hit_id"] == table.column("hit_id")[0].as_py()
    assert (out / "rejects.csv").is_file()


def test_spark_submit_runs_the_entry_point(tmp_path: Path, local_run: RunResult) -> None:
    submit = Path(sys.executable).parent / "spark-submit"
    if not submit.is_file():
        pytest.skip(f"no spark-submit next to {sys.executable}")
    demo = DEMO / DEMO_FILES[0]
    env = {
        **os.environ,
        "PYSPARK_PYTHON": sys.executable,
        "PYSPARK_DRIVER_PYTHON": sys.executable,
        "PROCUREWATCH_HOME": str(tmp_path),
        "PROCUREWATCH_STORE": str(tmp_path / "none.duckdb"),
    }
    command = [
        str(submit),
        "--master",
        "local[1]",
        "--driver-memory",
        "512m",
        "--conf",
        "spark.ui.enabled=false",
        "--conf",
        "spark.sql.shuffle.partitions=1",
        "--conf",
        "spark.ui.showConsoleProgress=false",
        str(REPO / "procurewatch/screen/engines/spark_submit.py"),
        str(demo),
        "--out",
        str(tmp_path / "out"),
    ]
    done = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "records screened" in done.stdout
    out = tmp_path / "out"
    expected = [h for h in local_run.hits if h.source_file == str(demo)]
    with (out / "hits.csv").open(encoding="utf-8") as fh:
        assert [r["hit_id"] for r in csv.DictReader(fh)] == [h.hit_id for h in expected]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    local = next(i for i in local_run.inputs if i.path == str(demo))
    assert (summary["records"], summary["rejected_rows"]) == (local.records, len(local.rejects))
    assert len(pq.read_table(out / "hits.parquet")) == len(expected)


def test_other_formats_are_refused_in_one_line(
    spark: Any, tmp_path: Path, watchlist: Watchlist
) -> None:
    data = tmp_path / "records.jsonl"
    data.write_text('{"vendor": "Acme", "description": "x"}\n{"vendor": "B", "description": "y"}\n')
    with pytest.raises(InputError, match="reads CSV, TSV and Parquet files, not jsonl"):
        engine.run_spark([str(data)], watchlist, out_dir=tmp_path / "out", spark=spark)
    with pytest.raises(InputError, match="no such file"):
        engine.run_spark(
            [str(tmp_path / "missing.csv")], watchlist, out_dir=tmp_path / "out", spark=spark
        )


def test_without_pyspark_the_cli_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "pyspark", None)
    with pytest.raises(SystemExit) as exit_info:
        main(
            [
                "screen",
                "--engine",
                "spark",
                str(DEMO / DEMO_FILES[0]),
                "--out",
                str(tmp_path),
                "--store",
                str(tmp_path / "s.duckdb"),
            ]
        )
    assert exit_info.value.code == 1
    assert (
        capsys.readouterr().err
        == "error: the Spark engine needs PySpark: pip install 'procurewatch[spark]'\n"
    )


def test_importing_procurewatch_does_not_import_pyspark() -> None:
    code = (
        "import sys, procurewatch, procurewatch.cli, procurewatch.cli_screen, "
        "procurewatch.screen.engines.spark, procurewatch.screen.engines.spark_submit; "
        "assert 'pyspark' not in sys.modules, 'pyspark imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


class _FakeBroadcast:
    def __init__(self, value: Watchlist) -> None:
        self.value = value


def test_each_worker_compiles_the_watchlist_once(
    watchlist: Watchlist, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[Watchlist] = []
    real = executors.build_context

    def counting(wl: Watchlist, currency: str | None = None) -> Any:
        calls.append(wl)
        return real(wl, currency)

    # the cache and the compiler are globals of the module that defines worker_context
    monkeypatch.setattr(executors, "build_context", counting)
    monkeypatch.setattr(executors, "_CONTEXTS", {})
    shared = _FakeBroadcast(watchlist)
    first = engine.worker_context(shared, 7, None)
    assert engine.worker_context(shared, 7, None) is first and len(calls) == 1
    assert engine.worker_context(shared, 8, None) is not first and len(calls) == 2


@pytest.mark.parametrize(
    ("offset", "start", "count", "blanks", "expected"),
    [
        (10, 0, 3, (), [10, 11, 12]),
        (0, 0, 4, (2,), [0, 1, 3, 4]),
        (0, 1, 3, (0, 2, 3), [4, 5, 6]),
        (5, 2, 2, (1,), [8, 9]),
    ],
)
def test_record_positions_skip_blank_lines(
    offset: int, start: int, count: int, blanks: tuple[int, ...], expected: list[int]
) -> None:
    assert engine._positions(offset, start, count, blanks).to_pylist() == expected


class _FakeSession:
    class sparkContext:  # the attribute a SparkSession has
        master = "spark://cluster:7077"


def test_a_cluster_cannot_write_to_a_local_folder_so_the_driver_does(tmp_path: Path) -> None:
    rows = [
        {**dict.fromkeys(engine.PARQUET_COLUMNS), "kind": "hit", "hit_id": "abc", "row": 3},
        {**dict.fromkeys(engine.PARQUET_COLUMNS), "kind": "hit", "hit_id": "def", "row": 4},
        {**dict.fromkeys(engine.PARQUET_COLUMNS), "kind": "records", "records": 5},
    ]
    for row in rows:
        row["set_aside"] = "exclusion: no" if row["hit_id"] == "def" else ""
    engine._hits_parquet(_FakeSession(), None, tmp_path, rows)  # type: ignore[arg-type]
    table = pq.read_table(tmp_path / "hits.parquet")
    assert table.column("hit_id").to_pylist() == ["abc"] and table.column("row").to_pylist() == [3]


def test_the_cli_records_the_run_before_its_outputs_appear(
    spark: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``screen --engine spark``: running, screened into a staging folder, saved, published
    (the local engine's order), with no staging folder left behind."""
    from procurewatch import cli_screen
    from procurewatch.store import runs

    out, store = tmp_path / "out", tmp_path / "store.duckdb"
    seen: list[bool] = []
    real_save = runs.save_run

    def save(path: Path, result: RunResult, out_dir: Path) -> None:
        seen.append((out_dir / "summary.json").exists())
        real_save(path, result, out_dir)

    monkeypatch.setattr(runs, "save_run", save)
    data = _parquet(tmp_path / "orders.parquet")
    result = cli_screen.execute_spark([str(data)], out, store, {}, None, None, spark=spark)
    assert seen == [False]  # nothing in --out when the run was saved
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["run_id"] == result.run_id and (out / "hits.parquet").is_dir()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    with runs.open_store(store, read_only=True) as db:
        status = db.con.execute(
            "SELECT status FROM run_attempts WHERE run_id = ?", [result.run_id]
        ).fetchone()
    assert status is not None and status[0] != "running"
