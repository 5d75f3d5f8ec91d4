"""How soon the command line answers, as ratios to the imports it cannot avoid.

    python3 bench/bench_startup.py [--rounds 7] [--json]

In each round, one after another: ``python -c "import typer, rich"``, ``procurewatch --help``,
``python -c "import duckdb, pyarrow"`` and ``procurewatch match Hikvision`` (wall time of each
process). The ratios are taken within a round (the machine's load changes between rounds), and
the median round is reported with the range. DESIGN.md's budget: ``--help`` within 4x the first,
``match NAME`` within 2.5x the third. ``match`` runs once before the rounds, so the compiled
matcher is in the cache folder (a warm cache, as the budget allows; a temporary
``PROCUREWATCH_HOME`` without a store, so only the bundled watchlist is compiled).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BUDGET = {"help": 4.0, "match": 2.5}


def command() -> list[str]:
    """The ``procurewatch`` script next to this Python, else ``python -m procurewatch.cli``."""
    script = Path(sys.executable).with_name("procurewatch")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "procurewatch.cli"]


def seconds(args: list[str], env: dict[str, str]) -> float:
    """Wall time of one process (it must succeed)."""
    started = time.perf_counter()
    subprocess.run(args, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> int:
    """Run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pw-startup-") as home:
        env = {**os.environ, "PROCUREWATCH_HOME": home}
        env.pop("PROCUREWATCH_STORE", None)
        cli = command()
        steps = {
            "typer_rich": [sys.executable, "-c", "import typer, rich"],
            "help": [*cli, "--help"],
            "duckdb_pyarrow": [sys.executable, "-c", "import duckdb, pyarrow"],
            "match": [*cli, "match", "Hikvision"],
        }
        seconds(steps["match"], env)  # the compiled matcher goes to the cache folder
        rounds = [{k: seconds(v, env) for k, v in steps.items()} for _ in range(args.rounds)]
    ratios = {
        "help": [r["help"] / r["typer_rich"] for r in rounds],
        "match": [r["match"] / r["duckdb_pyarrow"] for r in rounds],
    }
    median_s = {k: statistics.median(r[k] for r in rounds) for k in steps}
    ratio_median = {k: statistics.median(v) for k, v in ratios.items()}
    ratio_range = {k: (min(v), max(v)) for k, v in ratios.items()}
    if args.json:
        print(json.dumps({"rounds": rounds, "median_s": median_s, "ratio_median": ratio_median,
                          "ratio_range": ratio_range}))  # fmt: skip
        return 0
    for key, value in median_s.items():
        print(f"{key:>16}: {value:.3f} s (median of {len(rounds)})")
    for key, limit in BUDGET.items():
        low, high = ratio_range[key]
        median = ratio_median[key]
        verdict = "met" if median <= limit else "NOT met"
        print(f"{key:>16}: {median:.2f}x (range {low:.2f}-{high:.2f}), budget {limit}x: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
