"""The report's tables: per buyer, per vendor, per entity, per place, per month, and designation dates. Pure.

Each table works on the counted records only (see :mod:`procurewatch.report.aggregate`) and
keeps, per row, the indexes of its records so that the HTML can link to their evidence.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from procurewatch.report.evidence import DesignationRow
from procurewatch.report.places import Place
from procurewatch.report.records import Record

PRODUCT_RULES = ("model", "text-brand")
"""Rules whose matched text names a product (a model number or a brand)."""


@dataclass(frozen=True, slots=True)
class Group:
    """A buyer, an entity or a place with its counted records (indexes into ``Report.records``)."""

    key: str
    name: str
    records: tuple[int, ...]
    amount_usd: float
    in_force_records: int
    in_force_usd: float
    first: str
    last: str
    vendors: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()
    products: tuple[str, ...] = ()
    designations: tuple[DesignationRow, ...] = ()
    place: Place | None = None


@dataclass(frozen=True, slots=True)
class MonthRow:
    """Spending of one month, split by whether a ban was in force."""

    month: str
    in_force: bool
    amount_usd: float
    records: int


@dataclass(frozen=True, slots=True)
class Marker:
    """A date when designations took effect, for the rule marks of the spending chart."""

    day: str
    label: str


def norm(name: str) -> str:
    """A name compared without case and spacing."""
    return " ".join(name.casefold().split())


def total_usd(records: Iterable[Record]) -> float:
    """The sum of the records' USD amounts (unconverted amounts count as nothing)."""
    return round(sum(r.amount_usd or 0.0 for r in records), 2)


def _group(key: str, name: str, items: list[tuple[int, Record]], **extra: Any) -> Group:
    days = sorted(r.day.isoformat() for _, r in items if r.day)
    rs = [r for _, r in items]
    return Group(
        key=key,
        name=name,
        records=tuple(i for i, _ in items),
        amount_usd=total_usd(rs),
        in_force_records=sum(1 for r in rs if r.in_force),
        in_force_usd=total_usd(r for r in rs if r.in_force),
        first=days[0] if days else "",
        last=days[-1] if days else "",
        **extra,
    )


def _ordered(groups: Iterable[Group]) -> tuple[Group, ...]:
    return tuple(sorted(groups, key=lambda g: (-g.amount_usd, -len(g.records), g.name)))


def _products(records: Iterable[Record]) -> tuple[str, ...]:
    found = (
        e.matched_text for r in records for e in r.active if e.rule in PRODUCT_RULES and not e.lead
    )
    return tuple(dict.fromkeys(found))


def by_buyer(counted: list[tuple[int, Record]]) -> tuple[Group, ...]:
    """One row per buyer (names compared without case and spacing); no buyer is its own row."""
    buckets: dict[str, list[tuple[int, Record]]] = defaultdict(list)
    for i, r in counted:
        buckets[norm(r.buyer)].append((i, r))
    groups = []
    for key, items in buckets.items():
        rs = [r for _, r in items]
        groups.append(
            _group(
                key,
                rs[0].buyer or "(buyer not given)",
                items,
                vendors=tuple(dict.fromkeys(r.vendor for r in rs if r.vendor)),
                entities=tuple(dict.fromkeys(n for r in rs for n in r.entities)),
                products=_products(rs),
            )
        )
    return _ordered(groups)


def by_vendor(counted: list[tuple[int, Record]]) -> tuple[Group, ...]:
    """One row per vendor (names compared without case and spacing), with the entities."""
    buckets: dict[str, list[tuple[int, Record]]] = defaultdict(list)
    for i, r in counted:
        buckets[norm(r.vendor)].append((i, r))
    return _ordered(
        _group(
            key,
            items[0][1].vendor or "(vendor not given)",
            items,
            entities=tuple(dict.fromkeys(n for _, r in items for n in r.entities)),
            products=_products(r for _, r in items),
        )
        for key, items in buckets.items()
    )


def by_entity(counted: list[tuple[int, Record]]) -> tuple[Group, ...]:
    """One row per listed entity with its designations (deduplicated) and the records naming it."""
    buckets: dict[str, list[tuple[int, Record]]] = defaultdict(list)
    names: dict[str, str] = {}
    designations: dict[str, dict[tuple[str, str | None, str | None, str], DesignationRow]] = (
        defaultdict(dict)
    )
    for i, r in counted:
        for e in (e for e in r.active if not e.lead):
            if not buckets[e.entity_id] or buckets[e.entity_id][-1][0] != i:
                buckets[e.entity_id].append((i, r))
            names.setdefault(e.entity_id, e.entity_name)
            for d in e.designations:
                designations[e.entity_id].setdefault((d.list_id, d.start, d.ended, d.holder), d)
    return _ordered(
        _group(
            eid,
            names[eid],
            items,
            vendors=tuple(dict.fromkeys(r.vendor for _, r in items if r.vendor)),
            products=_products(r for _, r in items),
            designations=tuple(
                sorted(designations[eid].values(), key=lambda d: (d.start or "", d.label))
            ),
        )
        for eid, items in buckets.items()
    )


def by_place(counted: list[tuple[int, Record]]) -> tuple[Group, ...]:
    """One row per place; empty when no counted record has a place."""
    buckets: dict[str, list[tuple[int, Record]]] = defaultdict(list)
    for i, r in counted:
        if r.place is not None:
            buckets[r.place.label].append((i, r))
    return _ordered(
        _group(label, label, items, place=items[0][1].place) for label, items in buckets.items()
    )


def by_month(records: Iterable[Record]) -> tuple[MonthRow, ...]:
    """Spending (USD) per month and ban state, for dated records with a USD amount."""
    sums: dict[tuple[str, bool], list[float]] = defaultdict(list)
    for r in records:
        if r.day is not None and r.amount_usd is not None:
            sums[r.day.strftime("%Y-%m"), r.in_force].append(r.amount_usd)
    return tuple(MonthRow(m, f, round(sum(v), 2), len(v)) for (m, f), v in sorted(sums.items()))


def markers(records: Iterable[Record]) -> tuple[Marker, ...]:
    """When each list first took effect for an entity of the counted hits; one marker per date."""
    first: dict[str, str] = {}
    for r in records:
        for e in r.active:
            for d in e.designations:
                if d.start and (d.label not in first or d.start < first[d.label]):
                    first[d.label] = d.start
    labels: dict[str, list[str]] = defaultdict(list)
    for label, day in sorted(first.items(), key=lambda item: (item[1], item[0])):
        labels[day].append(label)
    return tuple(Marker(day, " / ".join(names)) for day, names in sorted(labels.items()))
