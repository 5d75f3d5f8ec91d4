"""Screen strangers' text (``../shared/data/wild/wild_text_dev.csv``) and score it per maker.

    python3 eval/wild_text_eval.py [--data ../shared/data] [--part study|measure|all] [--json]

What it measures: each of the 158 hand-labelled texts (catalogues, price lists, quotes, asset
registers, compliance clauses in about 20 languages, written by third parties; see the set's
README) is put in a one-column CSV as ``description`` with the date 2021-06-01 and screened with
the bundled watchlist by the real screen (:func:`procurewatch.screen.run.run_screen`). A row's
prediction is the set of makers (Hikvision, Dahua, Huawei, ZTE, Hytera, each with its brands and
subsidiaries) of its hits; relabel leads (Amcrest, Lorex ...) are left aside, as the labels do
not name them. Per row and maker: right (predicted and labelled), false (predicted, not
labelled), missed (labelled, not predicted). Mentions the context rules set aside are printed
with their reasons; a set-aside mention is not a prediction.

The set is split by source file (a hash of the ``source`` column), so that rows of one file
never sit on both sides: ``study`` is the half the rules were developed on (its misses were read),
``measure`` the half only scored, though its errors were listed once before the rules were
written (so it is an upper bound, not a clean held-out figure). Both are printed; it is small (about 80 rows from about 57 files): read its rows as examples, not as rates.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import re
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from procurewatch.match._text_rules import maker_groups
from procurewatch.screen.hits import Hit
from procurewatch.screen.run import run_screen
from procurewatch.watchlist.bundled import load_bundled

MAKERS = {"cetc": "hikvision", "dahua": "dahua", "huawei-holding": "huawei", "zte": "zte"}
MAKERS["hytera"] = "hytera"
"""Maker group (see :func:`maker_groups`) -> the label the dev set uses."""
DATE = "2021-06-01"
CLAUSE_NOTE = re.compile(r"negation/exclusion clause|compatible with")
"""How the dev set's notes mark its clause lines (see its README)."""


@dataclass
class Row:
    """One labelled text and what the screen made of it."""

    id: str
    text: str
    expected: str
    source: str
    note: str
    found: set[str] = field(default_factory=set)
    set_aside: list[str] = field(default_factory=list)
    fixed_part: str = ""

    @property
    def part(self) -> str:
        """``study`` or ``measure``: decided by the source file, never by the row."""
        if self.fixed_part:
            return self.fixed_part
        digest = hashlib.sha1(self.source.encode("utf-8")).digest()
        return "study" if digest[0] % 2 == 0 else "measure"


@dataclass
class Score:
    """Right, false and missed maker labels over some rows."""

    right: int = 0
    false: int = 0
    missed: int = 0

    def add(self, row: Row) -> None:
        """Count one row."""
        expected = set() if row.expected == "none" else {row.expected}
        self.right += len(row.found & expected)
        self.false += len(row.found - expected)
        self.missed += len(expected - row.found)

    def as_dict(self) -> dict[str, float]:
        """Counts with precision, recall and F1."""
        p = self.right / (self.right + self.false) if self.right + self.false else 1.0
        r = self.right / (self.right + self.missed) if self.right + self.missed else 1.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        return {
            "right": self.right, "false": self.false, "missed": self.missed,
            "precision": round(p, 3), "recall": round(r, 3), "f1": round(f1, 3),
        }  # fmt: skip


def read_rows(path: Path) -> list[Row]:
    """The labelled rows of the dev set."""
    with path.open(encoding="utf-8", newline="") as fh:
        return [
            Row(r["id"], r["text"], r["expected"], r["source"], r["note"])
            for r in csv.DictReader(fh)
        ]


def _label(hit: Hit, groups: dict[str, str]) -> str | None:
    if hit.lead:
        return None
    return MAKERS.get(groups.get(hit.entity_id, hit.entity_id))


def screen_rows(rows: list[Row]) -> None:
    """Screen every text with the real screen and fill in ``found`` and ``set_aside``."""
    watchlist = load_bundled()
    groups = maker_groups(watchlist)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "wild.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["description", "date"])
            writer.writerows([row.text, DATE] for row in rows)
        result = run_screen([path], watchlist)
    for hit in result.hits:
        label = _label(hit, groups)
        if label is not None:
            rows[hit.row - 1].found.add(label)
    for hit in result.set_aside:
        rows[hit.row - 1].set_aside.append(
            f"{hit.matched_text!r} ({hit.entity_id}): {hit.set_aside}"
        )


def score(rows: Iterable[Row]) -> Score:
    """The score of ``rows``."""
    total = Score()
    for row in rows:
        total.add(row)
    return total


def _wrong(row: Row) -> bool:
    expected = set() if row.expected == "none" else {row.expected}
    return row.found != expected


def _print_row(row: Row) -> None:
    found = ",".join(sorted(row.found)) or "none"
    print(f"  {row.id} [{row.part}] expected {row.expected}, found {found}: {row.text[:150]!r}")
    print(f"      note: {row.note}")
    for reason in row.set_aside:
        print(f"      set aside: {reason}")


def main(argv: list[str] | None = None) -> int:
    """Run the evaluation; exit 2 when the dev set is absent."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path(__file__).parents[1] / "../shared/data")
    parser.add_argument("--part", choices=("study", "measure", "all"), default="all")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON only")
    parser.add_argument(
        "--fresh", type=Path, help="score another set of the same format as one held-out part"
    )
    args = parser.parse_args(argv)
    if args.fresh is not None:
        return _fresh(args.fresh, args.json)
    path = args.data / "wild" / "wild_text_dev.csv"
    if not path.is_file():
        print(f"error: {path} not found; pass --data with the shared data folder", file=sys.stderr)
        return 2
    rows = read_rows(path)
    screen_rows(rows)
    parts = {p: [r for r in rows if r.part == p] for p in ("study", "measure")}
    scores = {p: score(rs).as_dict() | {"rows": len(rs)} for p, rs in parts.items()}
    scores["all"] = score(rows).as_dict() | {"rows": len(rows)}
    if args.json:
        print(json.dumps(scores, indent=2))
        return 0
    print("Strangers' text (wild_text_dev.csv), per row and maker; leads left aside.")
    print("study: the half the context rules were developed on (tuned on);")
    print(
        "measure: the half only scored (split by source file; its errors were seen once: README)."
    )
    for name in ("study", "measure", "all"):
        _print_score(name, scores[name])
    clauses = [r for r in rows if CLAUSE_NOTE.search(r.note)]
    kept = [r for r in clauses if r.set_aside and not r.found]
    print(
        f"clause lines (negation/exclusion, compatible with): {len(kept)} of {len(clauses)} "
        "set aside with a reason, none counted as a hit"
    )
    _print_rows([r for r in rows if args.part in ("all", r.part)])
    return 0


def _print_score(name: str, s: dict[str, float]) -> None:
    print(
        f"{name:8} rows {s['rows']:3}  right {s['right']:3}  false {s['false']:2}  "
        f"missed {s['missed']:2}  P {s['precision']:.3f}  R {s['recall']:.3f}  "
        f"F1 {s['f1']:.3f}"
    )


def _print_rows(shown: list[Row]) -> None:
    print("\nWrong rows:")
    for row in (r for r in shown if _wrong(r)):
        _print_row(row)
    print("\nSet aside (right when the label is none):")
    for row in (r for r in shown if r.set_aside and not _wrong(r)):
        _print_row(row)


def _fresh(path: Path, as_json: bool) -> int:
    """Score a set that no rule was written from (``eval/data/wild_text_fresh.csv``)."""
    if not path.is_file():
        print(f"error: {path} not found; pass --fresh with a CSV of id,text,expected,source,note")
        return 2
    rows = read_rows(path)
    for row in rows:
        row.fixed_part = "fresh"
    screen_rows(rows)
    scores = score(rows).as_dict() | {"rows": len(rows)}
    if as_json:
        print(json.dumps({"fresh": scores}, indent=2))
        return 0
    print(
        f"Fresh strangers' text ({path.name}): collected after the rules were written, scored once."
    )
    _print_score("fresh", scores)
    _print_rows(rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
