"""Screening speed as a ratio to the DuckDB scan floor, and peak memory.

    python3 bench/bench_screen.py [--rows 5000000] [--listed-share 0.01] [--csv EXISTING.csv] [--json]

Generates (or takes) a procurement CSV, then in one run measures
1. the floor: DuckDB ``SELECT count(*) FROM read_csv(...)`` over the file (best of 2);
2. ``procurewatch screen`` with the local engine over the same file, in a child process
   whose peak resident memory (ru_maxrss) is read when it ends.
Prints rows/s of both, the ratio (target at most 3) and the peak memory (target under 1 GB).

Two ratios are printed: ``ratio`` is the whole command (Python start-up, compiling the watchlist,
screening, writing the outputs, recording the run in the store) over the floor; ``screen_ratio``
is the screening alone (reading, detection, evidence; the part that grows with the file) over the
floor, from the run's own ``summary.json`` timings. Set ``PROCUREWATCH_PREFILTER=re2`` to measure
without Hyperscan.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen_procurement import generate


def floor_seconds(path: Path) -> float:
    """Best of two DuckDB count(*) scans."""
    times = []
    for _ in range(2):
        con = duckdb.connect()
        started = time.perf_counter()
        con.execute(
            "SELECT count(*) FROM read_csv(?, header=true, all_varchar=true)", [str(path)]
        ).fetchone()
        times.append(time.perf_counter() - started)
        con.close()
    return min(times)


def screen_seconds(path: Path, out: Path) -> tuple[float, float, str]:
    """Wall time and peak RSS (MB) of ``procurewatch screen`` in a child process."""
    cmd = [
        sys.executable,
        "-m",
        "procurewatch.cli",
        "screen",
        str(path),
        "--out",
        str(out),
        "--quiet",
        "--store",
        str(out / "store.duckdb"),
    ]
    started = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"screen failed: {done.stderr.strip()}")
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return seconds, peak_mb, done.stderr.strip()


def main() -> int:
    """Run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument(
        "--listed-share",
        type=float,
        default=0.01,
        help="share of records naming a listed maker or model (default 0.01)",
    )
    parser.add_argument("--csv", type=Path)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.csv or Path(tmp) / "procurement.csv"
        if args.csv is None:
            generate(path, args.rows, listed_share=args.listed_share)
        rows = (
            duckdb.connect()
            .execute("SELECT count(*) FROM read_csv(?, header=true, all_varchar=true)", [str(path)])
            .fetchall()[0]
        )
        floor = floor_seconds(path)
        seconds, peak_mb, line = screen_seconds(path, Path(tmp) / "out")
        timings = json.loads((Path(tmp) / "out" / "summary.json").read_text())["timings"]
        result = {
            "rows": rows[0],
            "file_mb": round(path.stat().st_size / 1e6),
            "floor_s": round(floor, 2),
            "floor_rows_per_s": round(rows[0] / floor),
            "screen_s": round(seconds, 2),
            "screen_rows_per_s": round(rows[0] / seconds),
            "ratio": round(seconds / floor, 2),
            "compile_s": timings["compile_s"],
            "screen_only_s": timings["screen_s"],
            "screen_ratio": round(timings["screen_s"] / floor, 2),
            "peak_rss_mb": round(peak_mb),
            "cores": os.cpu_count(),
            "screen_says": line,
        }
    print(
        json.dumps(result) if args.json else "\n".join(f"{k:>18}: {v}" for k, v in result.items())
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
