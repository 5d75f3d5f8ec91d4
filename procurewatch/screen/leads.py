"""How a hit on a relabel lead explains itself: which maker it leads to, and why. Pure."""

from __future__ import annotations

from procurewatch.model import Entity, Watchlist

LEAD_KINDS = ("oem_for", "relabels", "made_by")
"""Relations that lead from a brand to the listed maker whose products it is said to sell."""


def lead_relations(entity: Entity, watchlist: Watchlist) -> list[tuple[str, str]]:
    """``(maker caption, reason)`` for each maker the lead ``entity`` points to."""
    found: list[tuple[str, str]] = []
    for rel in entity.relations:
        if rel.kind not in LEAD_KINDS:
            continue
        target = watchlist.get(rel.target)
        caption = target.caption if target is not None else rel.target
        found.append((caption, (rel.note or "").strip()))
    return found


def lead_via(entity: Entity) -> str:
    """The ``via`` of a lead hit: ``oem_for dahua (lead)``."""
    return "; ".join(
        f"{r.kind} {r.target} (lead)" for r in entity.relations if r.kind in LEAD_KINDS
    )


def lead_explanation(entity: Entity, watchlist: Watchlist) -> str:
    """``"{brand}: lead to {maker}, not proof: {reason}"`` (one clause per maker)."""
    parts = [
        f"{entity.caption}: lead to {maker}, not proof" + (f": {why}" if why else "")
        for maker, why in lead_relations(entity, watchlist)
    ]
    return "; ".join(parts) or f"{entity.caption}: a relabel lead, not proof"
