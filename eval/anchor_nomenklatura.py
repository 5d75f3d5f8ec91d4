"""procurewatch's name matcher next to nomenklatura's logic-v2, on the same names and queries.

    pip install -e '.[anchors]'      # nomenklatura: for this script only, never at run time
    python3 eval/anchor_nomenklatura.py [--data ../shared/data] [--half measure|calibrate|all]

Two sets, each cut in halves by a hash (``names_domain.split_half``); the figures are for the
``measure`` half unless asked otherwise, the half no threshold or weight was chosen on:

* the name bench of ``eval/name_bench.py`` (826 labelled pairs; MIT, OpenSanctions): both
  matchers score each pair; procurewatch at its threshold (``settings.MATCH_THRESHOLD``),
  logic-v2 at its own (0.7). logic-v2 is run live here, not read from the frozen run;
* the domain set of ``eval/names_domain.py``: each query is resolved to the best entity of the
  same reduced watchlist (the held-back names taken out for both). For logic-v2, every entity
  becomes a FollowTheMoney entity with all its remaining names, the query an entity of schema
  LegalEntity, and the best-scoring entity at 0.7 or more is its answer.

Prints precision, recall and F1 per category for both, in one table: the bar to beat in our
own domain. Exits 2 with one ``error:`` line when nomenklatura is not installed.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from metrics import prf_counts
from name_bench import GROUPS, load_cases
from names_domain import (
    CATEGORIES,
    Case,
    build,
    default_data,
    procurewatch_resolver,
    score,
    split_half,
)

from procurewatch.model import Watchlist
from procurewatch.settings import MATCH_THRESHOLD

LOGIC_V2_THRESHOLD = 0.7
QUERY_SCHEMA = "LegalEntity"
SCHEMAS = {"Company": "Company", "PublicBody": "PublicBody", "Organization": "Organization"}


class LogicV2:
    """nomenklatura's logic-v2 with its default configuration."""

    def __init__(self) -> None:
        from followthemoney import model
        from nomenklatura.matching import get_algorithm
        from nomenklatura.matching.types import ScoringConfig

        algorithm = get_algorithm("logic-v2")
        if algorithm is None:
            raise RuntimeError("nomenklatura has no logic-v2")
        self.algorithm: Any = algorithm
        self.config: Any = ScoringConfig.defaults()
        self.model: Any = model

    def entity(self, schema: str, names: Iterable[str]) -> Any:
        """A FollowTheMoney entity with these names (ids by content: results are cached)."""
        values = sorted(set(names))
        proxy = self.model.make_entity(schema)
        proxy.id = hashlib.sha256("\x1f".join([schema, *values]).encode()).hexdigest()[:32]
        for value in values:
            proxy.add("name", value)
        return proxy

    def score(self, query: Any, candidate: Any) -> float:
        """logic-v2's score of the pair."""
        return float(self.algorithm.compare(query, candidate, self.config).score)


def bench_rows(data: Path, half: str, v2: LogicV2) -> list[str]:
    """Both matchers on the bench's pairs of ``half``, per group."""
    cases = [c for c in load_cases(data) if half in ("all", split_half(c.name1, c.name2))]
    ours: list[tuple[str, bool, bool]] = []
    theirs: list[tuple[str, bool, bool]] = []
    for c in cases:
        schema = "LegalEntity" if c.schema == "LegalEntity" else c.schema
        left, right = v2.entity(schema, [c.name1]), v2.entity(schema, [c.name2])
        ours.append((c.schema, c.score >= MATCH_THRESHOLD, c.truth))
        theirs.append((c.schema, v2.score(left, right) >= LOGIC_V2_THRESHOLD, c.truth))
    lines = []
    for group, schemas in GROUPS.items():
        for name, rows in (("procurewatch", ours), ("nomenklatura logic-v2", theirs)):
            m = prf_counts((p, t) for s, p, t in rows if s in schemas)
            lines.append(_line(f"bench {group}", name, sum(s in schemas for s, _, _ in rows), m))
    return lines


def logic_v2_resolver(watchlist: Watchlist, v2: LogicV2) -> dict[str, Any]:
    """Each entity of the watchlist as a FollowTheMoney entity with all its names."""
    return {
        entity.id: v2.entity(SCHEMAS.get(entity.schema, "Organization"), entity.all_names())
        for entity in watchlist.entities.values()
    }


def resolve_v2(query: str, entities: dict[str, Any], v2: LogicV2) -> str:
    """The best entity for ``query`` at logic-v2's threshold, or ``""``."""
    proxy = v2.entity(QUERY_SCHEMA, [query])
    best, best_score = "", 0.0
    for entity_id, candidate in sorted(entities.items()):
        value = v2.score(proxy, candidate)
        if value > best_score:
            best, best_score = entity_id, value
    return best if best_score >= LOGIC_V2_THRESHOLD else ""


def domain_rows(data: Path, half: str, v2: LogicV2) -> list[str]:
    """Both matchers on the domain set's cases of ``half``, per category."""
    reduced, cases = build(data)
    chosen = [c for c in cases if half in ("all", c.half)]
    ours = procurewatch_resolver(reduced)
    entities = logic_v2_resolver(reduced, v2)
    answers = {
        "procurewatch": {c.query: ours(c.query) for c in chosen},
        "nomenklatura logic-v2": {c.query: resolve_v2(c.query, entities, v2) for c in chosen},
    }
    lines = []
    for category in (*CATEGORIES, "all"):
        group: list[Case] = [c for c in chosen if category in ("all", c.category)]
        for name, got in answers.items():
            lines.append(_line(f"domain {category}", name, len(group), score(group, got)))
    return lines


def _line(category: str, matcher: str, n: int, m: dict[str, float]) -> str:
    return (f"{category:<46}{matcher:<24}{n:>5}{m['precision']:>7.3f}{m['recall']:>7.3f}"
            f"{m['f1']:>7.3f}  {m['tp']}/{m['fp']}/{m['fn']}/{m['tn']}")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    """Print the side-by-side table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=default_data())
    parser.add_argument("--half", choices=("measure", "calibrate", "all"), default="measure")
    args = parser.parse_args(argv)
    if not (args.data / "matching" / "nomenklatura_name_bench_cases.csv").exists():
        print(f"error: no name bench under {args.data}; pass --data ../shared/data")
        return 2
    try:
        v2 = LogicV2()
    except ImportError:
        print(
            "error: nomenklatura is not installed; install the extra: pip install -e '.[anchors]'"
        )
        return 2
    print(f"half: {args.half}; procurewatch at {MATCH_THRESHOLD}, logic-v2 at {LOGIC_V2_THRESHOLD}")
    print(f"{'category':<46}{'matcher':<24}{'n':>5}{'P':>7}{'R':>7}{'F1':>7}  tp/fp/fn/tn")
    for line in bench_rows(args.data, args.half, v2) + domain_rows(args.data, args.half, v2):
        print(line)
    print("domain public-body is in sample for procurewatch's place table (public_bodies.yaml).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
