"""Screening speed against the user's alternative and the scan floor, and peak memory.

    python3 bench/bench_screen.py [--repeat 3] [--budget-csv FILE] [--bench-csv FILE] [--json]

Two files, as DESIGN.md's performance budget names them:

- the **budget's file**: 5M rows, about 1 GB, 250,000 distinct vendor names, 0.5% of rows
  naming a listed maker (``../shared/bench/gen.py``; generated into a temporary folder unless
  ``--budget-csv`` gives it);
- the **bench file**: 5M rows, 50,000 vendor names, 0.01% listed (``bench/gen_procurement.py``,
  ``--bench-csv`` to give one).

For each file, in one run and in this order, each measurement ``--repeat`` times:

1. the floor: DuckDB ``SELECT count(*) FROM read_csv(...)``;
2. the naive screen: what an analyst would write instead, one DuckDB ``regexp_matches`` of
   :data:`NAIVE_MAKERS` over vendor and description, the matching rows written to CSV;
3. the whole ``procurewatch screen`` command in a child process (start-up, compiling the
   watchlist, reading, screening, writing the outputs, recording the run), its peak resident
   memory (the child's own ``ru_maxrss``), and the screening alone (``screen_s`` of the run's
   ``summary.json``).

Before the repeats, the file is screened once with an empty cache folder (printed as the first
run): it builds the compiled prefilter and keeps the names the matcher found nothing for and
the name gate's word facts (:mod:`procurewatch.screen.name_memo`). The repeats run with that
cache, as a rescreen of the same vendors does.

CPU seconds (user + system) are printed too: this process's for the DuckDB queries, with their
threads, the child's for the command. On a shared machine they vary less than wall time.

Printed: the seconds of each (min–max over the repeats), the ratios within each repeat
(whole/naive, whole/floor, screening/floor; min–max), and, for the budget's file, which rows
the naive screen and procurewatch flag (its ``id`` column is the row number). With
``--check-hits DIR`` the hits of the first run and of the first repeat must be the same set
as ``DIR/hits.csv``
(an earlier run's output folder); the bench exits 1 when they differ.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen_procurement import generate

REPO = Path(__file__).resolve().parents[1]
SHARED_GEN = REPO.parent / "shared" / "bench" / "gen.py"
NAIVE_MAKERS = (
    "hikvision", "dahua", "huawei", "zte", "hytera",  # NDAA sec. 889(a)(1)(A)
    "iflytek", "megvii", "sensetime", "meiya", "yitu", "yixin",  # Entity List, 2019-10-09
    "ezviz", "hisilicon",  # a Hikvision brand, a Huawei subsidiary
)  # fmt: skip
"""The 13 maker names of the naive query: composed for this bench as what an analyst would
type (the makers of sec. 889 and the companies of the October 2019 Entity List, FACTS.md)."""
NAIVE_PATTERN = "(?i)" + "|".join(NAIVE_MAKERS)
BUDGET = {"whole_over_naive": 2.0, "peak_mb": 1000}
BENCH_BUDGET = {"whole_over_floor": 5.0}


def _read_csv(path: Path) -> str:
    return f"read_csv('{path}', header=true, all_varchar=true)"


def _cpu() -> float:
    """CPU seconds of this process so far (DuckDB's threads included)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def floor_seconds(path: Path) -> tuple[float, float]:
    """One DuckDB ``count(*)`` scan of the file: wall and CPU seconds."""
    con = duckdb.connect()
    started, cpu = time.perf_counter(), _cpu()
    con.execute(f"SELECT count(*) FROM {_read_csv(path)}").fetchone()
    seconds, cpu = time.perf_counter() - started, _cpu() - cpu
    con.close()
    return seconds, cpu


def text_columns(path: Path) -> tuple[str, str]:
    """The vendor and description columns of the file (by name)."""
    con = duckdb.connect()
    names = [row[0] for row in con.execute(f"DESCRIBE SELECT * FROM {_read_csv(path)}").fetchall()]
    con.close()
    vendor = next(n for n in names if "vendor" in n.lower())
    text = next(n for n in names if "desc" in n.lower())
    return vendor, text


def naive_seconds(path: Path, out: Path) -> tuple[float, float]:
    """The naive screen: rows whose vendor or description names a maker, written to CSV (wall
    and CPU seconds)."""
    vendor, text = text_columns(path)
    con = duckdb.connect()
    started, cpu = time.perf_counter(), _cpu()
    con.execute(
        f"""COPY (SELECT * FROM {_read_csv(path)}
                  WHERE regexp_matches(coalesce("{vendor}", '') || ' ' || coalesce("{text}", ''),
                                       '{NAIVE_PATTERN}'))
            TO '{out}' (HEADER)"""
    )
    seconds, cpu = time.perf_counter() - started, _cpu() - cpu
    con.close()
    return seconds, cpu


def screen_run(path: Path, out: Path, home: Path) -> dict[str, Any]:
    """The whole ``procurewatch screen`` command in a child process: wall seconds, the child's
    peak RSS (MB) and the run's own timings."""
    cmd = [sys.executable, "-m", "procurewatch.cli", "screen", str(path), "--out", str(out),
           "--quiet", "--force", "--store", str(out.parent / "store.duckdb")]  # fmt: skip
    env = {**os.environ, "PROCUREWATCH_HOME": str(home)}
    started = time.perf_counter()
    child = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    err = child.stderr.read().decode() if child.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"screen failed: {err.strip()}")
    summary = json.loads((out / "summary.json").read_text())
    return {"seconds": seconds, "cpu_s": usage.ru_utime + usage.ru_stime,
            "peak_mb": usage.ru_maxrss / 1024, "summary": summary}  # fmt: skip


def hit_set(folder: Path) -> set[tuple[str, ...]]:
    """The hits of an output folder, as comparable tuples."""
    with (folder / "hits.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    keys = ("row", "field", "rule", "entity_id", "matched_text", "score")
    return {(Path(r["source_file"]).name, *(r[k] for k in keys)) for r in rows}


def flagged_rows(folder: Path) -> set[int]:
    """The rows procurewatch flagged."""
    return {int(row[1]) for row in hit_set(folder)}


def naive_rows(naive_csv: Path) -> set[int]:
    """The rows the naive screen wrote (the budget file's ``id`` is the row number)."""
    con = duckdb.connect()
    rows = con.execute(f"SELECT CAST(id AS BIGINT) FROM {_read_csv(naive_csv)}").fetchall()
    return {int(r[0]) for r in rows}


def _span(values: list[float], digits: int = 2) -> str:
    low, high = min(values), max(values)
    return f"{low:.{digits}f}" if round(low, digits) == round(high, digits) else (
        f"{low:.{digits}f}-{high:.{digits}f}")  # fmt: skip


def measure(path: Path, work: Path, repeat: int) -> dict[str, Any]:
    """Every figure of one file, ``repeat`` times; the outputs of the first run stay in
    ``work/out-0`` and the naive screen's in ``work/naive.csv``."""
    home = work / "home"
    cold = screen_run(path, work / "cold", home)  # an empty cache folder: builds its entries
    runs: list[dict[str, float]] = []
    for i in range(repeat):
        floor, floor_cpu = floor_seconds(path)
        naive, naive_cpu = naive_seconds(path, work / "naive.csv")
        whole = screen_run(path, work / f"out-{i}", home)
        screen_s = whole["summary"]["timings"]["screen_s"]
        runs.append({
            "floor_s": floor, "naive_s": naive, "whole_s": whole["seconds"],
            "screen_s": screen_s, "peak_mb": whole["peak_mb"],
            "whole_over_naive": whole["seconds"] / naive, "whole_over_floor": whole["seconds"] / floor,
            "screen_over_floor": screen_s / floor, "naive_over_floor": naive / floor,
            "floor_cpu_s": floor_cpu, "naive_cpu_s": naive_cpu, "whole_cpu_s": whole["cpu_s"],
            "cpu_whole_over_naive": whole["cpu_s"] / naive_cpu,
        })  # fmt: skip
    first = json.loads((work / "out-0" / "summary.json").read_text())
    return {
        "file": str(path),
        "file_mb": round(path.stat().st_size / 1e6),
        "records": first["records"],
        "hits": first["hits"],
        "runs": runs,
        "cold": {"whole_s": cold["seconds"], "whole_cpu_s": cold["cpu_s"],
                 "peak_mb": cold["peak_mb"], "screen_s": cold["summary"]["timings"]["screen_s"]},
    }  # fmt: skip


def overlap(work: Path) -> dict[str, int]:
    """Rows flagged by the naive screen and by procurewatch (budget file)."""
    naive, ours = naive_rows(work / "naive.csv"), flagged_rows(work / "out-0")
    return {"naive_rows": len(naive), "procurewatch_rows": len(ours), "both": len(naive & ours),
            "naive_only": len(naive - ours), "procurewatch_only": len(ours - naive)}  # fmt: skip


def describe(name: str, result: dict[str, Any], budget: dict[str, float]) -> list[str]:
    """Human-readable lines for one file."""
    runs, cold = result["runs"], result["cold"]
    col: Callable[[str], list[float]] = lambda k: [r[k] for r in runs]  # noqa: E731
    lines = [
        f"{name}: {result['file']} ({result['file_mb']} MB, {result['records']:,} records, "
        f"{result['hits']:,} hits), {len(runs)} runs, {os.cpu_count()} cores",
        f"  floor (DuckDB count(*))      {_span(col('floor_s'))} s",
        f"  naive screen (regexp, CSV)   {_span(col('naive_s'))} s = "
        f"{_span(col('naive_over_floor'), 1)}x floor",
        f"  whole procurewatch screen    {_span(col('whole_s'))} s = "
        f"{_span(col('whole_over_naive'))}x naive = {_span(col('whole_over_floor'), 1)}x floor",
        f"  screening alone              {_span(col('screen_s'))} s = "
        f"{_span(col('screen_over_floor'), 1)}x floor",
        f"  peak memory                  {_span(col('peak_mb'), 0)} MB",
        f"  first run, empty cache folder {cold['whole_s']:.2f} s = "
        f"{_span([cold['whole_s'] / n for n in col('naive_s')])}x naive, screening "
        f"{cold['screen_s']:.2f} s, CPU {cold['whole_cpu_s']:.2f} s, peak {cold['peak_mb']:.0f} MB",
        f"  CPU seconds: floor {_span(col('floor_cpu_s'))}, naive {_span(col('naive_cpu_s'))}, "
        f"whole command {_span(col('whole_cpu_s'))} = {_span(col('cpu_whole_over_naive'))}x naive",
    ]
    for key, limit in budget.items():
        worst = max(col(key))
        lines.append(f"  budget {key} <= {limit:g}: {'met' if worst <= limit else 'NOT met'} "
                     f"(worst run {worst:.2f})")  # fmt: skip
    if "overlap" in result:
        o = result["overlap"]
        lines.append(
            f"  rows flagged: naive {o['naive_rows']:,}, procurewatch {o['procurewatch_rows']:,}, "
            f"both {o['both']:,}, naive only {o['naive_only']:,}, "
            f"procurewatch only {o['procurewatch_only']:,}"
        )
    return lines


def budget_file(args: argparse.Namespace, tmp: Path) -> Path | None:
    """The budget's file: given, or generated with the shared generator (None if absent)."""
    if args.budget_csv is not None:
        return Path(args.budget_csv)
    if not SHARED_GEN.is_file():
        print(f"skipping the budget's file: {SHARED_GEN} is absent (give --budget-csv)")
        return None
    folder = tmp / "budget-data"
    subprocess.run([sys.executable, str(SHARED_GEN), "--rows", str(args.rows), "--out", str(folder)],
                   check=True, stdout=subprocess.DEVNULL)  # fmt: skip
    return folder / "procurement.csv"


def bench_file(args: argparse.Namespace, tmp: Path) -> Path:
    """The bench file: given, or generated (50,000 vendors, 0.01% listed)."""
    if args.bench_csv is not None:
        return Path(args.bench_csv)
    path = tmp / "bench.csv"
    generate(path, args.rows, listed_share=args.listed_share)
    return path


def main() -> int:
    """Run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--listed-share", type=float, default=0.0001,
                        help="bench file: share of records naming a listed maker (0.0001)")  # fmt: skip
    parser.add_argument("--budget-csv", type=Path, help="the budget's file, already generated")
    parser.add_argument("--bench-csv", type=Path, help="the bench file, already generated")
    parser.add_argument("--only", choices=("budget", "bench"), help="measure one file only")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--check-hits", type=Path,
                        help="an earlier output folder of the budget's file: same hits required")  # fmt: skip
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    report: dict[str, Any] = {}
    lines: list[str] = []
    same = True
    with tempfile.TemporaryDirectory(prefix="pw-bench-") as name:
        tmp = Path(name)
        if args.only != "bench" and (path := budget_file(args, tmp)) is not None:
            work = tmp / "budget"
            report["budget"] = measure(path, work, args.repeat)
            report["budget"]["overlap"] = overlap(work)
            lines += describe("budget's file", report["budget"], BUDGET)
            if args.check_hits is not None:
                expected = hit_set(args.check_hits)
                same = hit_set(work / "out-0") == expected == hit_set(work / "cold")
                report["budget"]["same_hits_as"] = {str(args.check_hits): same}
                lines.append(f"  hits the same set as {args.check_hits}: {'yes' if same else 'NO'}")
        if args.only != "budget":
            report["bench"] = measure(bench_file(args, tmp), tmp / "bench", args.repeat)
            lines += describe("bench file", report["bench"], BENCH_BUDGET)
    print(json.dumps(report) if args.json else "\n".join(lines))
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
