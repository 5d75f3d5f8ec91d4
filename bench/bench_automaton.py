"""ahocorasick-rs (Rust) vs pyahocorasick (C) for the text scanner's automaton.

    python3 bench/bench_automaton.py [--rows 200000] [--patterns 2000] [--repeat 3] [--json]

Patterns: the scanner's automaton patterns (normalized names and model-number prefixes of the
watchlist), padded with seeded synthetic company names to ``--patterns``. Haystack: the composed
descriptions of ``bench_text_scan.py`` (~5% with a hit), upper-cased. Measured, best of
``--repeat``: build time, one overlapping scan over the batch joined by newlines (what
``TextScanner.scan_many`` does), and a per-row loop (one call per description). Both libraries
must report the same number of matches.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ahocorasick
import ahocorasick_rs

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "eval"))

from bench_text_scan import compose
from models_eval import pick_watchlist

from procurewatch.match.text import TextScanner

SYLLABLES = ("HAN", "ZHOU", "TEK", "VISION", "NET", "DA", "HUA", "SEC", "TRON", "LINK", "XIN")


def patterns(count: int, seed: int = 11) -> tuple[list[str], list[str]]:
    """The scanner's automaton patterns, padded with synthetic names; and the model examples."""
    watchlist, _ = pick_watchlist()
    scanner = TextScanner.compile(watchlist)
    real = list(scanner.patterns)
    rng = random.Random(seed)
    padded = set(real)
    while len(padded) < count:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3)))
        padded.add(f"{word} {rng.choice(('TECHNOLOGY', 'ELECTRONICS', 'GROUP', 'CO LTD'))}")
    models = [m for p in watchlist.products for m in p.examples]
    return sorted(padded), models


def best(func: Callable[[], Any], repeat: int) -> tuple[Any, float]:
    """The result and the best wall time of ``repeat`` runs."""
    times: list[float] = []
    result: Any = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return result, min(times)


def build_py(words: list[str]) -> Any:
    """A pyahocorasick automaton over ``words``."""
    automaton = ahocorasick.Automaton()
    for index, word in enumerate(words):
        automaton.add_word(word, index)
    automaton.make_automaton()
    return automaton


def run(rows: int, count: int, repeat: int) -> dict[str, Any]:
    """Measure both libraries and return the figures."""
    words, models = patterns(count)
    texts = [t.upper() for t in compose(rows, 0.05, models)]
    joined = "\n".join(texts)
    rs, rs_build = best(lambda: ahocorasick_rs.AhoCorasick(words), repeat)
    py, py_build = best(lambda: build_py(words), repeat)
    rs_joined, rs_joined_s = best(
        lambda: len(rs.find_matches_as_indexes(joined, overlapping=True)), repeat
    )
    py_joined, py_joined_s = best(lambda: sum(1 for _ in py.iter(joined)), repeat)
    rs_rows, rs_rows_s = best(
        lambda: sum(len(rs.find_matches_as_indexes(t, overlapping=True)) for t in texts), repeat
    )
    py_rows, py_rows_s = best(lambda: sum(sum(1 for _ in py.iter(t)) for t in texts), repeat)
    assert rs_joined == py_joined == rs_rows == py_rows, (rs_joined, py_joined, rs_rows, py_rows)
    return {
        "patterns": len(words),
        "rows": rows,
        "matches": rs_joined,
        "build_s": {"ahocorasick_rs": round(rs_build, 4), "pyahocorasick": round(py_build, 4)},
        "joined_rows_per_s": {
            "ahocorasick_rs": round(rows / rs_joined_s),
            "pyahocorasick": round(rows / py_joined_s),
        },
        "per_row_rows_per_s": {
            "ahocorasick_rs": round(rows / rs_rows_s),
            "pyahocorasick": round(rows / py_rows_s),
        },
        "speedup_rs_over_py_joined": round(py_joined_s / rs_joined_s, 2),
        "speedup_rs_over_py_per_row": round(py_rows_s / rs_rows_s, 2),
    }


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--patterns", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    report = run(args.rows, args.patterns, args.repeat)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        for key, value in report.items():
            print(f"{key:28} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
