"""A run's hits for the API and the UI: review status, evidence, filters, sorting, pages.

The review status comes from :func:`procurewatch.review.review_run`; the evidence that the
review columns leave out (text span, designations with their in-force state, ``via``, ``lead``)
from the ``data`` column of the store's hits table, read for the hits of the page shown only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from procurewatch.review import review_run
from procurewatch.store.db import open_store
from procurewatch.store.runs import load_hit_data
from procurewatch.web.paths import public
from procurewatch.web.state import ServiceState

DATE_FORMATS = ("%m/%d/%Y", "%d.%m.%Y", "%Y/%m/%d", "%Y%m%d")


@dataclass(frozen=True, slots=True)
class HitFilter:
    """What to show of a run's hits."""

    status: str | None = None
    entity: str | None = None
    rule: str | None = None
    min_score: float | None = None
    in_force: bool | None = None
    q: str | None = None
    sort: str = "row"
    limit: int = 50
    offset: int = 0
    buyer: str | None = None
    """Text in the buyer's name (any case)."""
    vendor: str | None = None
    """Text in the vendor's name (any case)."""


def _evidence(
    store_path: Path, run_id: str, hit_ids: Sequence[str]
) -> dict[str, tuple[str | None, bool | None, dict[str, Any]]]:
    """Via, lead and the full JSON form of the hits ``hit_ids`` of a run (one page)."""
    with open_store(store_path, read_only=True) as store:
        rows = store.con.execute(
            "SELECT hit_id, via, lead FROM hits WHERE run_id = ? AND list_contains(?, hit_id)",
            [run_id, list(hit_ids)],
        ).fetchall()
        data = load_hit_data(store.con, run_id, hit_ids)
    return {str(r[0]): (r[1], r[2], data.get(str(r[0]), {})) for r in rows}


def day_of(text: str | None) -> date | None:
    """A record date as written in the data (ISO, 03/10/2022, 10.03.2022, ...), or None."""
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        pass
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


def _keep(hit: dict[str, Any], f: HitFilter) -> bool:
    if f.status and hit["review"]["status"] != f.status:
        return False
    if f.entity and hit["entity_id"] != f.entity:
        return False
    if f.rule and hit["rule"] != f.rule:
        return False
    if f.min_score is not None and (hit["score"] or 0.0) < f.min_score:
        return False
    if f.in_force is not None and hit["in_force"] is not f.in_force:
        return False
    for key, wanted in (("buyer", f.buyer), ("vendor", f.vendor)):
        if wanted and wanted.casefold() not in str(hit.get(key) or "").casefold():
            return False
    if f.q:
        needle = f.q.casefold()
        fields = ("vendor", "buyer", "description", "matched_text", "entity_name")
        return any(needle in str(hit.get(k) or "").casefold() for k in fields)
    return True


def _sort_key(name: str) -> Any:
    def row(h: dict[str, Any]) -> tuple[str, int, str]:
        return (h["source_file"] or "", h["row"] or 0, h["hit_id"])

    keys: dict[str, Any] = {
        "row": row,
        "score": lambda h: (h["score"] or 0.0, row(h)),
        "entity": lambda h: ((h["entity_name"] or "").casefold(), row(h)),
        "rule": lambda h: (h["rule"] or "", row(h)),
        "status": lambda h: (h["review"]["status"], row(h)),
        "date": lambda h: (day_of(h["record_date"]) or date.max, row(h)),
    }
    return keys[name]


def _with_evidence(
    hit: dict[str, Any], evidence: tuple[str | None, bool | None, dict[str, Any]]
) -> dict[str, Any]:
    via, lead, data = evidence
    lists = hit.get("lists") or ""
    return {
        **hit,
        "lists": [x for x in lists.split(";") if x] if isinstance(lists, str) else list(lists),
        "via": via,
        "lead": lead,
        "span": data.get("span"),
        "designations": data.get("designations") or [],
        **{k: data.get(k) for k in ("date", "amount_value", "amount_usd", "field_text")},
    }


def hit_page(state: ServiceState, run: str, f: HitFilter) -> dict[str, Any]:
    """``{"run_id", "total", "limit", "offset", "counts", "hits"}`` for run ``run``."""
    run_id, hits = state.read(review_run, state.store_path, run)
    counts = Counter(h["review"]["status"] for h in hits)
    chosen = [h for h in hits if _keep(h, f)]
    field = f.sort.lstrip("-")
    chosen.sort(key=_sort_key(field), reverse=f.sort.startswith("-"))
    page = chosen[f.offset : f.offset + f.limit]
    ids = [h["hit_id"] for h in page]
    evidence = state.read(_evidence, state.store_path, run_id, ids) if ids else {}
    return {
        "run_id": run_id,
        "total": len(chosen),
        "limit": f.limit,
        "offset": f.offset,
        "counts": {s: counts.get(s, 0) for s in ("pending", "confirmed", "dismissed")},
        "hits": [
            public(_with_evidence(h, evidence.get(h["hit_id"], (None, None, {})))) for h in page
        ],
    }
