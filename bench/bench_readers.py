"""The CSV reader against the DuckDB floor: time and peak memory on a generated procurement CSV.

    python3 bench/bench_readers.py [--rows 1000000] [--repeat 3] [--keep DIR] [--json]

Writes a CSV of ``--rows`` checkbook-style rows (vendor, description, amount, date, agency and
five more columns, ~240 bytes a row, some descriptions quoted with commas) into a temporary
folder, then in separate processes times ``SELECT count(*) FROM read_csv(...)`` in DuckDB (the
floor of DESIGN.md) and a full pass of ``open_input(...).batches()`` that touches the vendor and
text columns (``utf8_length``). Prints the best wall time of each and their ratio, the CPU time
of each (less sensitive to other work on the machine) and each process's peak RSS.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

VENDORS = (
    "ACME SECURITY LLC", "Hangzhou Hikvision Digital Technology Co., Ltd.", "GRAINGER",
    "Motorola Solutions Inc", "DELL MARKETING L.P.", "CDW GOVERNMENT LLC", "Home Depot USA Inc",
    "Zhejiang Dahua Technology Co., Ltd.", "Verizon Wireless", "W.B. Mason Co., Inc.",
)  # fmt: skip
WORDS = (
    "camera", "network", "video", "recorder", "license", "maintenance", "annual", "support",
    "cable", "switch", "router", "laptop", "desk", "chair", "paper", "toner", "install", "service",
    "repair", "dome", "bullet", "ptz", "NVR", "DS-2CD2143G0-I", "fuel", "salt", "janitorial",
    "HVAC", "filter", "radio", "display",
)  # fmt: skip
AGENCIES = ("Public Works", "Police Department", "Fire Department", "Parks", "Water Utility")


def generate(path: Path, rows: int, seed: int = 1) -> None:
    """A checkbook-style CSV of ``rows`` rows."""
    rng = random.Random(seed)
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["vendor_name", "description", "amount", "payment_date", "department",
                      "invoice_number", "fund", "account", "city", "notes"])
        for n in range(rows):
            words = rng.choices(WORDS, k=rng.randint(5, 25))
            if n % 7 == 0:
                words.insert(2, "qty 2,")
            out.writerow([
                rng.choice(VENDORS), " ".join(words), f"{rng.random() * 1e5:.2f}",
                f"2023-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", rng.choice(AGENCIES),
                f"INV{n:09d}", "General Fund", f"{rng.randint(10000, 99999)}-{rng.randint(1, 999)}",
                "Springfield", "x" * rng.randint(0, 40),
            ])


def run_duckdb(path: Path, repeat: int) -> tuple[float, float]:
    """Best wall and CPU time of DuckDB's ``count(*)`` over the file."""
    import duckdb

    best, cpu = float("inf"), float("inf")
    for _ in range(repeat + 1):  # the first run warms the page cache
        start, start_cpu = time.perf_counter(), time.process_time()
        duckdb.sql(f"SELECT count(*) FROM read_csv('{path}')").fetchall()
        best = min(best, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - start_cpu)
    return best, cpu


def run_reader(path: Path, repeat: int) -> tuple[float, float]:
    """Best wall and CPU time of a pass of the reader touching the vendor and text columns."""
    import pyarrow.compute as pc

    from procurewatch.ingest import open_input

    best, cpu = float("inf"), float("inf")
    for _ in range(repeat + 1):
        start, start_cpu = time.perf_counter(), time.process_time()
        reader = open_input(path)
        names = (*reader.field_map.vendor, *reader.field_map.text)
        rows = 0
        for batch in reader.batches():
            rows += batch.num_rows
            for name in names:
                pc.sum(pc.utf8_length(batch.column(name)))
        best = min(best, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - start_cpu)
        assert not reader.rejects, reader.rejects[:3]
    return best, cpu


def child(mode: str, path: Path, repeat: int) -> dict[str, float]:
    """Run one side in a fresh process; its time and peak RSS."""
    script = [sys.executable, __file__, "--child", mode, "--file", str(path),
              "--repeat", str(repeat)]
    done = subprocess.run(script, check=True, capture_output=True, text=True)
    result: dict[str, float] = json.loads(done.stdout)
    return result


def main() -> None:
    """Generate, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="write the CSV here and keep it")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--child", choices=["duckdb", "reader"], help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        seconds, cpu = (run_duckdb if args.child == "duckdb" else run_reader)(args.file,
                                                                               args.repeat)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps({"seconds": seconds, "cpu": cpu, "rss_mb": rss}))
        return
    with tempfile.TemporaryDirectory() as folder:
        path = (args.keep or Path(folder)) / "bench_readers.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or args.keep is None:
            generate(path, args.rows)
        duck = child("duckdb", path, args.repeat)
        read = child("reader", path, args.repeat)
    ratio = read["seconds"] / duck["seconds"]
    size = path.stat().st_size if path.exists() else 0
    report = {"rows": args.rows, "bytes": size, "duckdb_s": duck["seconds"],
              "reader_s": read["seconds"], "ratio": ratio, "duckdb_cpu_s": duck["cpu"],
              "reader_cpu_s": read["cpu"], "duckdb_rss_mb": duck["rss_mb"],
              "reader_rss_mb": read["rss_mb"]}
    if args.json:
        print(json.dumps(report))
        return
    print(f"rows {args.rows:,}  DuckDB count(*) {duck['seconds']:.3f} s  "
          f"reader {read['seconds']:.3f} s  ratio {ratio:.2f}x")
    print(f"CPU time (2 cores): DuckDB {duck['cpu']:.3f} s, reader {read['cpu']:.3f} s")
    print(f"peak RSS: DuckDB {duck['rss_mb']:.0f} MB, reader {read['rss_mb']:.0f} MB")


if __name__ == "__main__":
    main()
