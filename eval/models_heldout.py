"""Out-of-sample figures of model-number detection, for ``models_eval.py``.

The patterns of ``products.yaml`` were written with the whole Hikvision and Dahua model lists in
view, so recall on those lists is an in-sample figure ("tuned on"). Two figures here are not:

* **Unseen product family** (leave one family out). For each product family of a maker, the
  family's own pattern is removed and its models are scanned with the patterns of every other
  family: patterns developed on the rest of the maker's list, scored on a family they were not
  written for. It estimates what happens to a product line the patterns do not know yet (a
  new series): the share of its models still found, and by which other family. A caveat
  stated with the figure: whoever wrote the other patterns had seen this family's models too.
* **Strangers' text** (``wild/wild_text_dev.csv``): the rows whose maker shows only through a
  model number (``model-only`` in their note), in the two halves ``wild_text_eval.py`` splits
  the set into by source file. ``study`` is the half the rules were developed on (tuned on);
  ``measure`` is scored only, but its misses were read once (see the README: not cleanly held
  out).
"""

from __future__ import annotations

import dataclasses
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from procurewatch.match._text_rules import maker_groups
from procurewatch.match.text import TextScanner
from procurewatch.match.types import TextHit
from procurewatch.model import Watchlist

sys.path.insert(0, str(Path(__file__).resolve().parent))
from wild_text_eval import MAKERS, read_rows

UNSEEN_TEMPLATES = ("12 EA {model} 4MP network camera", "Item {model}, qty 2")
"""A description with a product word and a bare one; a model counts as found in either."""


def _found(scanner: TextScanner, model: str, allowed: set[str]) -> str | None:
    """The family of the first right-maker model hit over ``model`` in either template."""
    texts = [t.format(model=model) for t in UNSEEN_TEMPLATES]
    for template, hits in zip(UNSEEN_TEMPLATES, scanner.scan_many(texts), strict=True):
        start = template.index("{model}")
        for hit in hits:
            over = hit.start < start + len(model) and hit.end > start
            if hit.rule == "model" and hit.entity_id in allowed and over:
                return hit.family_id or "?"
    return None


def unseen_families(
    watchlist: Watchlist, by_family: dict[str, set[str]], allowed: dict[str, set[str]]
) -> dict[str, Any]:
    """Leave-one-family-out recall. ``by_family``: family id -> the models it found in the
    full scan; ``allowed``: family id -> the entities that count as its maker."""
    rows: dict[str, dict[str, Any]] = {}
    for family, models in sorted(by_family.items()):
        rest = tuple(p for p in watchlist.products if p.id != family)
        scanner = TextScanner.compile(dataclasses.replace(watchlist, products=rest))
        caught = Counter(_found(scanner, m, allowed[family]) for m in sorted(models))
        found = sum(n for fam, n in caught.items() if fam is not None)
        rows[family] = {
            "models": len(models),
            "found": found,
            "by": {f: n for f, n in sorted((f, n) for f, n in caught.items() if f is not None)},
        }
    total = sum(r["models"] for r in rows.values())
    found = sum(r["found"] for r in rows.values())
    return {"families": rows, "models": total, "found": found,
            "recall": found / total if total else 0.0}  # fmt: skip


def wild_model_only(data: Path, watchlist: Watchlist) -> dict[str, dict[str, Any]]:
    """Per half (study / measure) of the model-only rows of the strangers' text: recall on the
    rows labelled with a maker, and the ``none`` rows (other makers' look-alike models) that
    got a model hit of a listed maker."""
    scanner = TextScanner.compile(watchlist)
    groups = maker_groups(watchlist)
    rows = [r for r in read_rows(data / "wild" / "wild_text_dev.csv") if "model-only" in r.note]
    out: dict[str, dict[str, Any]] = {}
    for part in ("study", "measure"):
        mine = [r for r in rows if r.part == part]
        found = dict(zip((r.id for r in mine), scanner.scan_many([r.text for r in mine]),
                         strict=True))  # fmt: skip
        makers = [r for r in mine if r.expected != "none"]
        missed = [r.id for r in makers if not _labelled(found[r.id], r.expected, groups)]
        others = [r for r in mine if r.expected == "none"]
        false = [r.id for r in others if any(_labels(found[r.id], groups))]
        out[part] = {"rows": len(makers), "files": len({r.source for r in mine}),
                     "found": len(makers) - len(missed), "missed": missed,
                     "none_rows": len(others), "false": false}  # fmt: skip
    return out


def _labels(hits: Iterable[TextHit], groups: dict[str, str]) -> set[str]:
    """The makers (as ``wild_text_eval`` labels them) that model hits name."""
    found = {MAKERS.get(groups.get(h.entity_id, h.entity_id)) for h in hits if h.rule == "model"}
    return {label for label in found if label is not None}


def _labelled(hits: Iterable[TextHit], expected: str, groups: dict[str, str]) -> bool:
    """Whether a model hit names the labelled maker."""
    return expected in _labels(hits, groups)
