"""Recall on the listed makers the bench generator planted, and rows flagged without a plant.

    python3 eval/gen_truth_eval.py --data DIR --hits OUT/hits.csv

``DIR`` is a folder written by ``../shared/bench/gen.py`` (``procurement.csv``, ``watchlist.csv``,
``truth.csv``), ``OUT`` a ``procurewatch screen`` of its ``procurement.csv``. The generator is
not ours: it plants about 25,000 mentions of its own watchlist (about 700 entities, most of them
invented) with their kind (``vendor_exact``, ``vendor_case``, ``vendor_typo``, ``desc_name``,
``desc_name_typo``, ``model`` ...). Its entities that are companies procurewatch lists are
found by asking procurewatch's matcher about each entity's first name (a match above the
threshold); only their plants are scored, by kind: a plant counts as found when its row has a
hit. Rows flagged where the generator planted nothing are counted too (each one is a false
alarm or a real maker the generator did not label).
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter, defaultdict
from pathlib import Path

from procurewatch.match.matcher import Matcher
from procurewatch.watchlist.bundled import load_bundled


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def listed_targets(watchlist_csv: Path) -> dict[str, str]:
    """Generator entity id -> procurewatch entity id, for the entities procurewatch lists."""
    first: dict[str, str] = {}
    for row in _rows(watchlist_csv):
        first.setdefault(row["entity_id"], row["alias"])
    matcher = Matcher.compile(load_bundled())
    mapped: dict[str, str] = {}
    for target, name in first.items():
        found = [r for r in matcher.match_name(name) if matcher.is_match(r)]
        if found:
            mapped[target] = found[0].entity.id
    return mapped


def score(data: Path, hits_csv: Path) -> list[str]:
    """The report's lines."""
    mapped = listed_targets(data / "watchlist.csv")
    flagged = {row["row"] for row in _rows(hits_csv)}
    planted: defaultdict[str, list[dict[str, str]]] = defaultdict(list)
    for row in _rows(data / "truth.csv"):
        planted[row["id"]].append(row)
    total: Counter[str] = Counter()
    found: Counter[str] = Counter()
    missed: Counter[tuple[str, str]] = Counter()
    for row_id, plants in planted.items():
        for plant in plants:
            if plant["target"] not in mapped:
                continue
            total[plant["kind"]] += 1
            if row_id in flagged:
                found[plant["kind"]] += 1
            else:
                missed[(plant["kind"], plant["injected"])] += 1
    lines = [f"generator entities procurewatch lists: {len(mapped)} ({', '.join(sorted(set(mapped.values())))})"]
    for kind in sorted(total):
        lines.append(f"  {kind:16} {found[kind]:4}/{total[kind]:<4} recall {found[kind] / total[kind]:.3f}")
    all_found, all_total = sum(found.values()), sum(total.values())
    lines.append(f"  {'all':16} {all_found:4}/{all_total:<4} recall {all_found / max(all_total, 1):.3f}")
    unplanted = sorted(flagged - set(planted), key=int)
    lines.append(f"rows flagged where nothing was planted: {len(unplanted)} {unplanted[:10]}")
    lines.append("missed (kind, text as planted): " + "; ".join(
        f"{kind} {text!r} x{n}" for (kind, text), n in missed.most_common(15)))  # fmt: skip
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="a folder written by gen.py")
    parser.add_argument("--hits", type=Path, required=True, help="hits.csv of a screen of it")
    args = parser.parse_args(argv)
    for name in ("watchlist.csv", "truth.csv"):
        if not (args.data / name).is_file():
            print(f"error: {args.data / name} is missing; write the folder with gen.py",
                  file=sys.stderr)  # fmt: skip
            return 1
    print("\n".join(score(args.data, args.hits)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
