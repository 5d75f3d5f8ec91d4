"""Name-matching throughput: 10,000 distinct vendor names against bundled + imported lists.

    python3 bench/bench_names.py [--data ../shared/data] [--names 10000] [--json]

Imports the 2023 Consolidated Screening List and the 2021 OFAC SDN list (from ../shared/data)
into a temporary store, compiles the matcher over the bundled watchlist plus both lists, and
matches N distinct vendor names: about 90% composed by recombining words of the list names
with US vendor-name endings (mostly non-matches, as in real procurement data), 10% typo'd or
reformatted variants of listed names. Prints compile time, names/s and the match rate; then
the same with the name gate first (as a screen does: :mod:`procurewatch.match.name_gate`
turns away, in bulk, the names that share no word with the lists), and fails if the gate
lost a match. These names are made of list words, so few are turned away: the worst case.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

from procurewatch.match.matcher import Matcher
from procurewatch.store.db import open_store
from procurewatch.store.lists import save_list
from procurewatch.watchlist.assemble import load_watchlist
from procurewatch.watchlist.importers import parse_file

ENDINGS = ["Inc", "LLC", "Co.", "Corp", "Services", "Supply", "& Sons", "Group", "Ltd", ""]


def _typo(rng: random.Random, name: str) -> str:
    chars = list(name)
    i = rng.randrange(len(chars))
    op = rng.choice("dsx")
    if op == "d" and len(chars) > 4:
        del chars[i]
    elif op == "s":
        chars[i] = rng.choice("aeiourstn")
    else:
        chars.insert(i, rng.choice("aeiou"))
    return "".join(chars)


def vendor_names(names: list[str], count: int, seed: int = 7) -> list[str]:
    """``count`` distinct composed vendor names (see the module docstring)."""
    rng = random.Random(seed)
    words = [w for n in names for w in n.replace(",", " ").split() if w.isalpha() and len(w) > 3]
    out: set[str] = set()
    while len(out) < count:
        if rng.random() < 0.1:
            out.add(_typo(rng, rng.choice(names)))
        else:
            out.add(" ".join(rng.sample(words, rng.randint(1, 3))) + " " + rng.choice(ENDINGS))
    return sorted(out)


def run(data: Path, count: int) -> dict[str, float]:
    """Import, compile, match; return the figures."""
    with tempfile.TemporaryDirectory() as tmp:
        store_path = Path(tmp) / "store.duckdb"
        with open_store(store_path) as store:
            for name in ("trade_gov_csl_2023_watchman.csv", "ofac_sdn_2021_sdn.csv"):
                save_list(store, parse_file(data / "lists" / name))
        watchlist = load_watchlist(store_path)
    started = time.perf_counter()
    matcher = Matcher.compile(watchlist)
    compile_s = time.perf_counter() - started
    captions = [e.caption for e in watchlist.entities.values()]
    queries = vendor_names(captions, count)
    started = time.perf_counter()
    matched = sum(1 for q in queries if any(matcher.is_match(r) for r in matcher.match_name(q)))
    match_s = time.perf_counter() - started
    started = time.perf_counter()
    passed = [q for q, may in zip(queries, matcher.gate.may_match(queries), strict=True) if may]
    gated = sum(1 for q in passed if any(matcher.is_match(r) for r in matcher.match_name(q)))
    gated_s = time.perf_counter() - started
    if gated != matched:
        raise SystemExit(f"the name gate lost matches: {gated} of {matched}")
    return {
        "entities": len(watchlist.entities),
        "indexed_names": len(matcher.entries),
        "compile_s": round(compile_s, 2),
        "names": count,
        "match_s": round(match_s, 2),
        "names_per_s": round(count / match_s, 1),
        "matched": matched,
        "gate_passed": len(passed),
        "gated_match_s": round(gated_s, 2),
        "gated_names_per_s": round(count / gated_s, 1),
    }


def main() -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", type=Path, default=Path(__file__).resolve().parents[1].parent / "shared" / "data"
    )
    parser.add_argument("--names", type=int, default=10_000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not (args.data / "lists").is_dir():
        print(
            f"error: {args.data}/lists not found; pass --data PATH/TO/shared/data", file=sys.stderr
        )
        return 1
    result = run(args.data, args.names)
    print(
        json.dumps(result) if args.json else "\n".join(f"{k:>14}: {v}" for k, v in result.items())
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
