"""An entity as the service shows it: names, relations both ways, designations, recent hits."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from fastapi import HTTPException

from procurewatch.model import Entity, Relation, Watchlist
from procurewatch.store.db import open_store
from procurewatch.web.paths import public
from procurewatch.web.state import ServiceState

RECENT_HITS = 25
HIT_COLUMNS = (
    "run_id", "hit_id", "source_file", "row", "field", "matched_text", "rule", "score",
    "record_date", "vendor", "buyer", "amount", "currency", "in_force",
)  # fmt: skip


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _relation(rel: Relation, other: Entity | None, other_id: str) -> dict[str, Any]:
    return {
        "kind": rel.kind,
        "entity_id": other_id,
        "caption": other.caption if other else other_id,
        "start": _iso(rel.start),
        "end": _iso(rel.end),
        "lead": rel.lead,
        "note": rel.note,
        "source": rel.source,
    }


def _timeline(watchlist: Watchlist, entity_id: str) -> list[dict[str, Any]]:
    today = date.today()
    out = []
    for eff in watchlist.effective_designations(entity_id):
        des = eff.designation
        out.append(
            {
                "list": eff.list.id,
                "list_name": eff.list.name,
                "authority": eff.list.authority,
                "listed": _iso(des.listed),
                "in_force_from": _iso(des.start),
                "ended": _iso(des.ended),
                "holder": eff.holder,
                "via": [f"{r.kind} {r.target}" for r in eff.via],
                "in_force": eff.in_force_on(today),
                "citation": des.citation or eff.list.citation,
                "source": des.source,
            }
        )
    out.sort(key=lambda d: (d["in_force_from"] or "9999", d["list"]))
    return out


def _recent_hits(store_path: Path, entity_id: str) -> list[dict[str, Any]]:
    columns = ", ".join(f'h."{c}"' for c in HIT_COLUMNS)
    with open_store(store_path, read_only=True) as store:
        rows = store.con.execute(
            f"SELECT {columns} FROM hits h JOIN runs r ON r.run_id = h.run_id "
            'WHERE h.entity_id = ? ORDER BY r.started_at DESC, h.source_file, h."row" LIMIT ?',
            [entity_id, RECENT_HITS],
        ).fetchall()
    return [dict(zip(HIT_COLUMNS, r, strict=True)) for r in rows]


def entity_view(state: ServiceState, entity_id: str) -> dict[str, Any]:
    """Everything the service knows about one watchlist entity, or 404."""
    watchlist = state.watchlist()
    entity = watchlist.get(entity_id)
    if entity is None:
        raise HTTPException(
            404, f"no entity {entity_id!r} in the watchlist; find ids with POST /match"
        )
    outgoing = [_relation(r, watchlist.get(r.target), r.target) for r in entity.relations]
    incoming = [_relation(r, child, child.id) for child, r in watchlist.children(entity_id)]
    sources = [watchlist.sources[s] for s in entity.sources if s in watchlist.sources]
    return {
        "id": entity.id,
        "caption": entity.caption,
        "schema": entity.schema,
        "dataset": entity.dataset,
        "lead": entity.lead,
        "notes": entity.notes,
        "countries": list(entity.countries),
        "addresses": list(entity.addresses),
        "names": [
            {"value": n.value, "kind": n.kind, "lang": n.lang, "source": n.source}
            for n in entity.names
        ],
        "identifiers": [{"scheme": i.scheme, "value": i.value} for i in entity.identifiers],
        "relations": {"outgoing": outgoing, "incoming": incoming},
        "designations": _timeline(watchlist, entity_id),
        "sources": [{"id": s.id, "title": s.title, "url": s.url, "date": s.date} for s in sources],
        "recent_hits": public(state.read(_recent_hits, state.store_path, entity_id)),
    }
