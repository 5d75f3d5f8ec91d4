"""Score procurewatch's name comparer on the nomenklatura name bench, next to logic-v2.

    python3 eval/name_bench.py [--data ../shared/data] [--threshold 0.80] [--json] [--errors]

Reads ``matching/nomenklatura_name_bench_cases.csv`` (826 labelled pairs; MIT, OpenSanctions)
and the published matcher's frozen run on the same pairs
(``matching/nomenklatura_name_bench_logicv2_frozen_run.csv``), and prints precision, recall and
F1 overall and per schema group for both. Then reports rank agreement (Spearman and Kendall)
between procurewatch scores and the scores of OFAC's Sanctions List Search on
``matching/nomenklatura_ofac_sls_scores.csv``.

What the figures are worth: the bench figures are **tuned on**. The threshold 0.80 sits at the
bench's best company F1 and 13 pairs of the golden tests come from the bench, so they show the
comparer fits the bench, not how it does on unseen pairs. The OFAC rank agreement is **held
out** (no test or commit of the comparer uses those scores) and is an agreement, not an
accuracy.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from procurewatch.match.names import compare

sys.path.insert(0, str(Path(__file__).resolve().parent))
from metrics import prf_counts

from procurewatch.settings import MATCH_THRESHOLD

GROUPS: dict[str, tuple[str, ...]] = {
    "all": ("Company", "Organization", "LegalEntity", "Person", "Vessel"),
    "companies/organizations": ("Company", "Organization"),
    "companies/organizations/legal entities": ("Company", "Organization", "LegalEntity"),
    "persons": ("Person",),
}


@dataclass(frozen=True)
class Case:
    """One labelled pair with a predicted score."""

    schema: str
    name1: str
    name2: str
    truth: bool
    score: float


def default_data() -> Path:
    """``../shared/data`` next to the repository."""
    return Path(__file__).resolve().parents[1].parent / "shared" / "data"


def prf(cases: Iterable[Case], threshold: float) -> dict[str, float]:
    """Precision, recall, F1 and counts of the cases at a threshold."""
    return prf_counts((c.score >= threshold, c.truth) for c in cases)


def load_cases(data: Path) -> list[Case]:
    """The bench cases scored by procurewatch."""
    with (data / "matching" / "nomenklatura_name_bench_cases.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return [
        Case(
            r["schema"],
            r["name1"],
            r["name2"],
            r["is_match"] == "true",
            compare(r["name1"], r["name2"]).score,
        )
        for r in rows
    ]


def load_baseline(data: Path) -> list[Case]:
    """logic-v2's frozen scores on the same pairs (its own threshold is 0.7)."""
    path = data / "matching" / "nomenklatura_name_bench_logicv2_frozen_run.csv"
    with path.open(encoding="utf-8") as fh:
        return [
            Case(
                r["schema"],
                r["name1"],
                r["name2"],
                r["is_match"] == "true",
                1.0 if r["predicted_match"] == "true" else 0.0,
            )
            for r in csv.DictReader(fh)
        ]


def _ranks(values: Sequence[float]) -> list[float]:
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def spearman(a: Sequence[float], b: Sequence[float]) -> float:
    """Spearman's rank correlation with average ranks for ties."""
    ra, rb = _ranks(a), _ranks(b)
    n = len(a)
    ma, mb = sum(ra) / n, sum(rb) / n
    cov = sum((x - ma) * (y - mb) for x, y in zip(ra, rb, strict=True))
    va = sum((x - ma) ** 2 for x in ra) ** 0.5
    vb = sum((y - mb) ** 2 for y in rb) ** 0.5
    return cov / (va * vb) if va and vb else 0.0


def kendall(a: Sequence[float], b: Sequence[float]) -> float:
    """Kendall's tau-b."""
    concordant = discordant = ties_a = ties_b = 0
    for i in range(len(a)):
        for j in range(i + 1, len(a)):
            da, db = a[i] - a[j], b[i] - b[j]
            if da == 0 and db == 0:
                continue
            if da == 0:
                ties_a += 1
            elif db == 0:
                ties_b += 1
            elif (da > 0) == (db > 0):
                concordant += 1
            else:
                discordant += 1
    denom = ((concordant + discordant + ties_a) * (concordant + discordant + ties_b)) ** 0.5
    return (concordant - discordant) / denom if denom else 0.0


def ofac_agreement(data: Path) -> dict[str, float]:
    """Rank agreement with OFAC Sanctions List Search scores."""
    with (data / "matching" / "nomenklatura_ofac_sls_scores.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    ours = [compare(r["query_name"], r["result_name"]).score for r in rows]
    theirs = [float(r["ofac_score"]) for r in rows]
    return {
        "pairs": len(rows),
        "spearman": round(spearman(ours, theirs), 4),
        "kendall_tau_b": round(kendall(ours, theirs), 4),
    }


def evaluate(data: Path, threshold: float) -> dict[str, object]:
    """All figures as one dict."""
    ours, base = load_cases(data), load_baseline(data)
    groups = {}
    for name, schemas in GROUPS.items():
        groups[name] = {
            "procurewatch": prf((c for c in ours if c.schema in schemas), threshold),
            "nomenklatura logic-v2 (frozen run)": prf(
                (c for c in base if c.schema in schemas), 0.5
            ),
        }
    return {
        "threshold": threshold,
        "pairs": len(ours),
        "groups": groups,
        "ofac_rank_agreement": ofac_agreement(data),
    }


def _print(result: dict[str, object]) -> None:
    print(f"name bench: {result['pairs']} pairs, threshold {result['threshold']} [tuned on: the "
          "threshold sits at this bench's best company F1; 13 golden test pairs come from it]")  # fmt: skip
    groups = result["groups"]
    assert isinstance(groups, dict)
    print(f"{'group':42} {'matcher':36} {'P':>6} {'R':>6} {'F1':>6}  tp/fp/fn/tn")
    for group, matchers in groups.items():
        for matcher, m in matchers.items():
            counts = f"{m['tp']}/{m['fp']}/{m['fn']}/{m['tn']}"
            print(
                f"{group:42} {matcher:36} {m['precision']:6.3f} {m['recall']:6.3f} {m['f1']:6.3f}  {counts}"
            )
    print(f"OFAC Sanctions List Search rank agreement [held out]: {result['ofac_rank_agreement']}")


def main(argv: list[str] | None = None) -> int:
    """Run the evaluation and print it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=default_data())
    parser.add_argument("--threshold", type=float, default=MATCH_THRESHOLD)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--errors", action="store_true", help="list the wrong company/org cases")
    args = parser.parse_args(argv)
    if not (args.data / "matching").is_dir():
        print(
            f"error: {args.data}/matching not found; pass --data PATH/TO/shared/data",
            file=sys.stderr,
        )
        return 1
    result = evaluate(args.data, args.threshold)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        _print(result)
    if args.errors:
        for case in load_cases(args.data):
            if (
                case.schema in GROUPS["companies/organizations"]
                and (case.score >= args.threshold) != case.truth
            ):
                kind = "FP" if not case.truth else "FN"
                print(
                    f"{kind} {case.score:.3f} {case.name1!r} vs {case.name2!r}: "
                    f"{compare(case.name1, case.name2).explain()}"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
