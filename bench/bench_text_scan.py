"""Throughput of ``TextScanner.scan_many`` on composed line descriptions (~5% with a hit).

    python3 bench/bench_text_scan.py [--rows 200000] [--hit-rate 0.05] [--batch 65536] [--json]

Descriptions are composed from a fixed vocabulary of procurement lines (office supplies, IT,
other brands' SKUs, free-form numbers) with a seeded random generator; a share ``--hit-rate``
gets a model number (the ``examples`` of products.yaml) or a maker's name. Reports descriptions
per second (best of 3 runs) of ``scan_many`` over all rows (in batches), of the DuckDB prefilter
(``regexp_matches`` with ``prefilter_regex()``), and of prefilter + ``scan_many`` on the rows it
selects, plus the DuckDB ``count(*)`` floor on the same table for scale.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "eval"))

from models_eval import pick_watchlist

from procurewatch.match.text import TextScanner

ITEMS = (
    "copy paper A4 80gsm", "toner cartridge HP CF226X", "Dell Latitude 5440 laptop",
    "Cisco C9200L-24P-4G switch", "office chair ergonomic", "Axis P3245-LVE dome camera",
    "Bosch NBE-5702-AL bullet", "Hanwha XNV-8080R", "APC Smart-UPS SMT1500RMI2U",
    "Cat6 cable 305m box", "Samsung 55in display QM55R", "fire extinguisher 6kg CO2",
    "janitorial services March", "road salt 25t", "Verkada CD42 dome", "Motorola APX 6000 radio",
    "Ubiquiti U6-LR access point", "Microsoft 365 E3 licences", "Lenovo ThinkPad T14 Gen 4",
    "diesel fuel 2,000 L", "HVAC filter MERV 13 20x25x4", "Synology DS920+ NAS",
    "SD card 128GB class 10", "Seagate SkyHawk 8TB ST8000VX010", "PoE injector 30W",
)  # fmt: skip
FRAMES = (
    "{qty} EA {item}", "Line {n}: {item} per quote Q-{n}", "{item} - qty {qty} - PO {n}",
    "Invoice {n} {item}, delivery to site {qty}", "{qty} x {item} (installed)",
)  # fmt: skip
HIT_FRAMES = (
    "{qty} EA {model} 4MP network camera", "ADI Global - {model} qty {qty}",
    "{maker} {model} replacement", "{maker} NVR maintenance {n}", "{qty} x {model} CCTV upgrade",
)  # fmt: skip


def compose(rows: int, hit_rate: float, models: list[str], seed: int = 7) -> list[str]:
    """``rows`` descriptions, about ``hit_rate`` of them naming a maker or model."""
    rng = random.Random(seed)
    makers = ("Hikvision", "HIKVISION", "Dahua Technology", "EZVIZ", "HiLook", "海康威视")
    out: list[str] = []
    for _ in range(rows):
        values: dict[str, object] = {"qty": rng.randint(1, 400), "n": rng.randint(1000, 99999)}
        if rng.random() < hit_rate:
            values |= {"model": rng.choice(models), "maker": rng.choice(makers)}
            out.append(rng.choice(HIT_FRAMES).format(**values))
        else:
            out.append(rng.choice(FRAMES).format(item=rng.choice(ITEMS), **values))
    return out


REPEAT = 3
"""Timings are the best of this many runs (the machine is shared)."""


def _timed(func: Any) -> tuple[Any, float]:
    times: list[float] = []
    result: Any = None
    for _ in range(REPEAT):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return result, min(times)


def _once(func: Any) -> tuple[Any, float]:
    start = time.perf_counter()
    result = func()
    return result, time.perf_counter() - start


def run(rows: int, hit_rate: float, batch: int) -> dict[str, Any]:
    """Measure and return the figures."""
    watchlist, label = pick_watchlist()
    scanner, compile_s = _once(lambda: TextScanner.compile(watchlist))
    models = [m for p in watchlist.products for m in p.examples]
    texts = compose(rows, hit_rate, models)

    def scan_all() -> int:
        found = 0
        for i in range(0, len(texts), batch):
            found += sum(1 for h in scanner.scan_many(texts[i : i + batch]) if h)
        return found

    scanner.scan_many(texts[:1000])  # warm caches
    flagged, scan_s = _timed(scan_all)
    con = duckdb.connect()
    con.execute("CREATE TABLE d AS SELECT unnest(?) AS s", [texts])
    _, floor_s = _timed(lambda: con.execute("SELECT count(*) FROM d").fetchall())
    regex, prefilter_compile_s = _once(scanner.prefilter_regex)
    query = "SELECT s FROM d WHERE regexp_matches(s, ?)"
    selected, prefilter_s = _timed(lambda: [r[0] for r in con.execute(query, [regex]).fetchall()])
    _, selected_scan_s = _timed(lambda: scanner.scan_many(selected))
    return {
        "watchlist": label,
        "rows": rows,
        "rows_with_hits": flagged,
        "automaton_patterns": len(scanner.patterns),
        "product_families": len(watchlist.products),
        "compile_s": round(compile_s, 3),
        "scan_many_rows_per_s": round(rows / scan_s),
        "duckdb_count_floor_s": round(floor_s, 4),
        "prefilter_regex_chars": len(regex),
        "prefilter_build_s": round(prefilter_compile_s, 3),
        "prefilter_selected": len(selected),
        "prefilter_rows_per_s": round(rows / prefilter_s),
        "prefilter_plus_scan_rows_per_s": round(rows / (prefilter_s + selected_scan_s)),
    }


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--hit-rate", type=float, default=0.05)
    parser.add_argument("--batch", type=int, default=65_536)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    report = run(args.rows, args.hit_rate, args.batch)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        for key, value in report.items():
            print(f"{key:34} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
