"""Scale: the local and the Spark engine against the DuckDB floor, in one run.

    python bench/bench_scale.py                      # 250k, 500k, 1M, 2M, 5M rows (several minutes)
    python bench/bench_scale.py --sizes 20000,50000 --spark-sizes 50000 --names 500   # a smoke run

For each size a procurement CSV is generated (``gen_procurement.generate``: date, vendor,
department, description, amount; about 1% of rows name a listed brand or model; fixed seed)
into a temporary folder and deleted after use. Measured in the same run:

- the floor: DuckDB ``SELECT count(*) FROM read_csv(...)`` (best of two);
- the local engine: ``procurewatch.screen.run.run_screen`` in a fresh process, as the CLI runs
  it (watchlist compile included), at every size; the sizes up to 2M give the scaling curve
  (least-squares line, largest deviation from it);
- the Spark engine (``run_spark``, local[2], 1 shuffle partition, UI off) at ``--spark-sizes``,
  on one session whose start-up (session + a first trivial job) is measured apart;
- name matching: distinct vendor names per second through ``Matcher.match_name``, measured
  first, before any screen has warmed a cache.

Prints a table with each engine's ratio to the floor and saves everything to
``bench/out/scale.json``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen_procurement import generate

from procurewatch.match.matcher import Matcher
from procurewatch.model import Watchlist
from procurewatch.watchlist.assemble import load_watchlist

OUT = Path(__file__).resolve().parent / "out" / "scale.json"
DEFAULT_SIZES = "250000,500000,1000000,2000000,5000000"


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    """Wall seconds of ``fn()`` and its result."""
    started = time.perf_counter()
    value = fn()
    return time.perf_counter() - started, value


def floor_seconds(path: Path) -> float:
    """Best of two DuckDB count(*) scans of the CSV."""
    query = "SELECT count(*) FROM read_csv(?, header=true, all_varchar=true)"
    best = float("inf")
    for _ in range(2):
        con = duckdb.connect()
        best = min(best, timed(lambda c=con: c.execute(query, [str(path)]).fetchone())[0])
        con.close()
    return best


def start_spark() -> tuple[Any, float]:
    """A local[2] session tuned like the tests, and the seconds to a first finished job."""
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)

    def make() -> Any:
        session = (
            SparkSession.builder.master("local[2]")
            .appName("procurewatch-bench")
            .config("spark.sql.shuffle.partitions", "1")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.driver.memory", "2g")
            .getOrCreate()
        )
        session.sparkContext.setLogLevel("ERROR")
        session.range(1).count()
        return session

    seconds, session = timed(make)
    return session, seconds


def name_throughput(watchlist: Watchlist, path: Path, limit: int) -> dict[str, Any]:
    """Distinct vendor names per second through a freshly compiled matcher."""
    query = (
        'SELECT DISTINCT "Vendor Name" FROM read_csv(?, header=true, all_varchar=true) ORDER BY 1'
    )
    names = [r[0] for r in duckdb.connect().execute(query, [str(path)]).fetchall()][:limit]
    compile_s, matcher = timed(lambda: Matcher.compile(watchlist))
    seconds, _ = timed(lambda: [matcher.match_name(n, limit=3) for n in names])
    return {
        "names": len(names),
        "seconds": round(seconds, 2),
        "names_per_s": round(len(names) / seconds),
        "compile_s": round(compile_s, 2),
    }


def linear_fit(points: Sequence[tuple[int, float]]) -> dict[str, float]:
    """Least-squares ``seconds = a + b * rows`` and the largest deviation from it."""
    n = len(points)
    mx = sum(r for r, _ in points) / n
    my = sum(s for _, s in points) / n
    sxx = sum((r - mx) ** 2 for r, _ in points)
    slope = sum((r - mx) * (s - my) for r, s in points) / sxx if sxx else 0.0
    intercept = my - slope * mx
    deviations = [abs(s - (intercept + slope * r)) for r, s in points]
    worst = max(range(n), key=lambda i: deviations[i])
    fitted = intercept + slope * points[worst][0]
    return {
        "intercept_s": round(intercept, 2),
        "rows_per_s": round(1 / slope) if slope else 0,
        "max_deviation_s": round(deviations[worst], 2),
        "max_deviation_pct": round(100 * deviations[worst] / fitted, 1) if fitted else 0.0,
    }


LOCAL_RUN = """
import hashlib, json, sys, time
from pathlib import Path
from procurewatch.screen.run import run_screen
from procurewatch.watchlist.assemble import load_watchlist
watchlist = load_watchlist(None)
started = time.perf_counter()
result = run_screen([Path(sys.argv[1])], watchlist)
seconds = time.perf_counter() - started
ids = hashlib.sha1("|".join(h.hit_id for h in result.hits).encode()).hexdigest()
print(json.dumps({"seconds": seconds, "hits": len(result.hits), "hit_ids": ids,
                  "records": result.summary()["records"]}))
"""
"""The local engine in a fresh process, as ``procurewatch screen`` runs: no warm caches."""


def run_local(path: Path) -> dict[str, Any]:
    """``run_screen`` on ``path`` in a child process: its own time (compile included) and the
    process's wall time (interpreter start and imports included)."""
    wall, done = timed(
        lambda: subprocess.run(
            [sys.executable, "-c", LOCAL_RUN, str(path)], capture_output=True, text=True, check=True
        )
    )
    data: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    data["seconds"] = round(data["seconds"], 2)
    data["process_s"] = round(wall, 2)
    return data


def measure_size(
    rows: int, folder: Path, watchlist: Watchlist, spark: Any | None
) -> dict[str, Any]:
    """Generate one file and time the floor, the local engine and (optionally) Spark on it."""
    path = folder / f"procurement-{rows}.csv"
    gen_s, _ = timed(lambda: generate(path, rows))
    entry: dict[str, Any] = {
        "rows": rows,
        "file_mb": round(path.stat().st_size / 1e6),
        "generate_s": round(gen_s, 1),
    }
    entry["floor_s"] = round(floor_seconds(path), 3)
    local = entry["local"] = run_local(path)
    print(
        f"  {rows:>9,} rows: floor {entry['floor_s']:.2f}s, local {local['seconds']:.1f}s",
        flush=True,
    )
    if spark is not None:
        from procurewatch.screen.engines.spark import run_spark

        out = folder / f"spark-{rows}"
        spark_s, result = timed(lambda: run_spark([str(path)], watchlist, out_dir=out, spark=spark))
        ids = hashlib.sha1("|".join(h.hit_id for h in result.hits).encode()).hexdigest()
        same = ids == local["hit_ids"]
        entry["spark"] = {
            "seconds": round(spark_s, 2),
            "hits": len(result.hits),
            "same_hits_as_local": same,
            "phases_s": result.parameters["timings"],
        }
        phases = ", ".join(f"{k[:-2]} {v:.1f}s" for k, v in result.parameters["timings"].items())
        print(f"  {rows:>9,} rows: spark {spark_s:.1f}s ({phases}; same hits: {same})", flush=True)
        shutil.rmtree(out, ignore_errors=True)
    path.unlink()
    return entry


def table(report: dict[str, Any]) -> str:
    """The printed summary."""
    lines = [f"{'engine':<16}{'rows':>11}{'seconds':>10}{'rows/s':>12}{'x floor':>9}"]
    for entry in report["sizes"]:
        floor = entry["floor_s"]
        runs = [("duckdb floor", floor), ("local", entry["local"]["seconds"])]
        if "spark" in entry:
            runs.append(("spark local[2]", entry["spark"]["seconds"]))
        for name, seconds in runs:
            lines.append(
                f"{name:<16}{entry['rows']:>11,}{seconds:>10.2f}{entry['rows'] / seconds:>12,.0f}"
                f"{seconds / floor:>9.1f}"
            )
    if report.get("spark_startup_s") is not None:
        lines.append(f"spark start-up (session + first job): {report['spark_startup_s']:.1f} s")
    fit = report["scaling"]["fit"]
    curve = ", ".join(f"{r:,}: {s:.1f}s" for r, s in report["scaling"]["points"])
    lines.append(f"local scaling: {curve}")
    lines.append(
        f"  fit: {fit['intercept_s']:.1f} s + rows / {fit['rows_per_s']:,}/s; largest deviation "
        f"{fit['max_deviation_s']:.2f} s ({fit['max_deviation_pct']:.1f}%)"
    )
    names = report.get("names")
    if names:
        lines.append(
            f"name matching: {names['names']:,} distinct vendor names in {names['seconds']:.1f} s "
            f"= {names['names_per_s']:,} names/s (matcher compile {names['compile_s']:.1f} s)"
        )
    return "\n".join(lines)


def main() -> int:
    """Run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help="rows per generated file")
    parser.add_argument(
        "--spark-sizes", default="1000000,5000000", help="sizes the Spark engine runs"
    )
    parser.add_argument("--names", type=int, default=5000, help="distinct vendor names to match")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    spark_sizes = {int(s) for s in args.spark_sizes.split(",") if s}
    watchlist = load_watchlist(None)
    spark, startup = start_spark() if spark_sizes else (None, None)
    if startup is not None:
        print(f"spark start-up: {startup:.1f}s", flush=True)
    report: dict[str, Any] = {
        "machine": {
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "load_average": os.getloadavg(),
        },
        "spark_startup_s": round(startup, 2) if startup is not None else None,
        "sizes": [],
    }
    with tempfile.TemporaryDirectory(prefix="procurewatch-bench-") as tmp:
        names = Path(tmp) / "names.csv"
        generate(names, 250_000)  # nearly all of the generator's 50,000 vendor names
        report["names"] = name_throughput(watchlist, names, args.names)
        names.unlink()
        for rows in sizes:
            wanted = spark if rows in spark_sizes else None
            report["sizes"].append(measure_size(rows, Path(tmp), watchlist, wanted))
    if spark is not None:
        spark.stop()
    points = [(e["rows"], e["local"]["seconds"]) for e in report["sizes"] if e["rows"] <= 2_000_000]
    report["scaling"] = {
        "points": points,
        "fit": linear_fit(points if len(points) > 1 else points * 2),
    }
    report["machine"]["load_average_end"] = os.getloadavg()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(table(report))
    print(f"saved {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
