"""Screen an equipment inventory: which devices come from listed makers. Pure, no I/O.

Since 2020-08-13, NDAA FY2019 sec. 889(a)(1)(B) bars US federal contracts with an entity that
*uses* covered telecommunications or video surveillance equipment (Huawei, ZTE, Hytera,
Hikvision, Dahua, their subsidiaries and affiliates). Each device row is checked four ways:

``oui``                each MAC address: the IEEE block it belongs to and the registrant's
                       entity (:mod:`procurewatch.match.oui`); randomized, multicast and
                       malformed addresses are noted, never attributed
``manufacturer-name``  manufacturer / vendor / brand values through the name matcher (brands
                       such as EZVIZ or Imou, and OEM relabelers, which are marked as leads)
``model``              model fields through the text scanner (model-number families), with the
                       manufacturer as context
``banner``             descriptions, OS guesses and service banners through the text scanner

A finding names the entity, the listed company it leads to (``maker``: EZVIZ and HiLook lead to
Hikvision, Imou to Dahua, through the watchlist's relations; an OEM lead to the maker it
relabels), whether any designation was in force on the inventory date (``in_force``) and
whether the 889(a)(1)(B) use prohibition was (``use_banned``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pyarrow as pa

from procurewatch.ingest.inventory import Device, InventoryMap, devices
from procurewatch.match.matcher import in_force_summary
from procurewatch.match.oui import MacLookup, OuiAttributor
from procurewatch.match.types import TextHit
from procurewatch.model import EffectiveDesignation, Entity, Watchlist
from procurewatch.screen.core import ScreenContext, any_in_force, applicable, best_per_key
from procurewatch.screen.hits import Hit

USE_LISTS = ("us-ndaa-889-a1b",)
"""Lists whose designation bars the *use* of the equipment (889(a)(1)(B), from 2020-08-13)."""
INVENTORY_RULES = {
    "oui": "the MAC address block is registered to a listed company or its subsidiary",
    "manufacturer-name": "the manufacturer, vendor or brand names a listed company, brand or OEM",
    "model": "the model field holds a model number (or name) of a listed maker",
    "banner": "a description, OS guess or service banner names a listed maker or model",
}
"""The rules an inventory finding can come from, with a sentence each for reports."""
SCAN_CACHE = 100_000
"""Scanned texts kept per run (the cache is emptied when full)."""
DEVICE_FIELDS = ("site", "mac", "hostname", "ip", "manufacturer", "model", "serial")
"""Device facts copied into every finding."""
_MAC_SPLIT = re.compile(r"[;,|\n]+")


def maker_of(entity: Entity, watchlist: Watchlist) -> str:
    """The listed company an entity leads to: the holder of the use ban that reaches it (the
    company sec. 889 names), else the nearest designation holder, else the maker it is an OEM
    for, else itself."""
    effective = watchlist.effective_designations(entity.id)
    use = [d.holder for d in effective if d.list.id in USE_LISTS]
    if use or effective:
        return (use or [effective[0].holder])[0]
    return next((r.target for r in entity.relations if r.kind == "oem_for"), entity.id)


def use_banned(designations: Iterable[EffectiveDesignation], day: date | None) -> bool | None:
    """Whether a use prohibition (:data:`USE_LISTS`) was in force on ``day``; None if unknown
    or if the entity has no designation at all (an OEM lead)."""
    designations = list(designations)
    use = [d for d in designations if d.list.id in USE_LISTS]
    if not use:
        return False if designations else None
    return any_in_force(use, day)


@dataclass(frozen=True, slots=True)
class Finding:
    """A piece of evidence that a device comes from a listed maker."""

    hit: Hit
    device: Device
    maker: str
    use_banned: bool | None

    def row_dict(self) -> dict[str, Any]:
        """The flat form written to ``findings.csv``."""
        data = self.hit.row_dict()
        data["inventory_date"] = data.pop("record_date")
        data.update(self._device_fields())
        data["use_banned"] = "" if self.use_banned is None else str(self.use_banned).lower()
        return data

    def _device_fields(self) -> dict[str, Any]:
        device = self.device
        fields = {name: getattr(device, name) for name in DEVICE_FIELDS}
        return {"maker": self.maker, "device": device.label(), **fields}

    def json_dict(self) -> dict[str, Any]:
        """The full form written to ``findings.jsonl``."""
        data = self.hit.json_dict()
        data["inventory_date"] = data.pop("record_date")
        data.update(self._device_fields(), use_banned=self.use_banned)
        return data


@dataclass(frozen=True, slots=True)
class MacNote:
    """A MAC address that could not be attributed (randomized, multicast, malformed)."""

    device: Device
    column: str
    lookup: MacLookup


@dataclass(frozen=True, slots=True)
class EntityFacts:
    """What every finding of one entity shares on the inventory date (computed once)."""

    designations: tuple[EffectiveDesignation, ...]
    summary: tuple[dict[str, Any], ...]
    in_force: bool | None
    use_banned: bool | None
    maker: str
    via: str
    ended: str
    """Why the entity is only a lead on the date (a relation that did not hold), or ''."""


@dataclass
class InventoryContext:
    """What screening needs: the compiled matcher and scanner, the OUI index, the date; and
    caches of per-entity facts and of scanned texts (inventories repeat their values)."""

    screen: ScreenContext
    oui: OuiAttributor
    day: date
    input_sha256: str = ""
    facts: dict[str, EntityFacts] = field(default_factory=dict)
    scans: dict[str, list[TextHit]] = field(default_factory=dict)

    @property
    def watchlist(self) -> Watchlist:
        """The watchlist the matcher was compiled from."""
        return self.screen.matcher.watchlist

    def entity_facts(self, entity: Entity) -> EntityFacts:
        """Designations, in-force states and maker of ``entity`` on the inventory date."""
        found = self.facts.get(entity.id)
        if found is None:
            found = self.facts[entity.id] = _facts(entity, self.watchlist, self.day)
        return found

    def scan(self, text: str) -> list[TextHit]:
        """The text scanner's hits in ``text`` (cached, at most :data:`SCAN_CACHE` texts)."""
        found = self.scans.get(text)
        if found is None:
            if len(self.scans) >= SCAN_CACHE:
                self.scans.clear()
            found = self.scans[text] = self.screen.scanner.scan(text)
        return found


def _facts(entity: Entity, watchlist: Watchlist, day: date) -> EntityFacts:
    designations = tuple(watchlist.effective_designations(entity.id))
    ended = _ended(designations, day) if designations and not applicable(designations, day) else ""
    return EntityFacts(
        designations, tuple(in_force_summary(designations, day)), any_in_force(designations, day),
        use_banned(designations, day), maker_of(entity, watchlist),
        "; ".join(sorted({f"{r.kind} {r.target}" for d in designations for r in d.via})), ended,
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Evidence:
    column: str
    text: str
    rule: str
    entity: Entity
    score: float
    explanation: str
    span: tuple[int, int] | None = None
    lead: bool = False


def _ended(designations: Iterable[EffectiveDesignation], day: date) -> str:
    spans = sorted({f"{r.kind} {r.target} from {r.start or '?'} to {r.end or '?'}"
                    for d in designations for r in d.via if r.active_on(day) is False})  # fmt: skip
    return f"{'; '.join(spans)} only, not on {day}: covered if made in that time (a lead)"


def _finding(device: Device, ev: _Evidence, ctx: InventoryContext) -> Finding | None:
    """A finding, or None for an entity that is neither listed (directly or through a relation)
    nor a lead. Listed only through a relation that did not hold on the inventory date (Lorex,
    Dahua-owned 2018-2022): a lead, since a device made in that time is still covered."""
    entity, facts = ev.entity, ctx.entity_facts(ev.entity)
    if not facts.designations and not entity.lead:
        return None
    lead, why = ev.lead or entity.lead or bool(facts.ended), ev.explanation
    if facts.ended:
        why = f"{why}; {facts.ended}"
    hit = Hit(
        source_file=device.source_file, row=device.row, field=ev.column, matched_text=ev.text,
        rule=ev.rule, entity_id=entity.id, entity_name=entity.caption, score=round(ev.score, 4),
        lists=tuple(dict.fromkeys(d.list.id for d in facts.designations)),
        in_force=facts.in_force, record_date=ctx.day.isoformat(),
        vendor=device.manufacturer or None, description=device.label(), via=facts.via, lead=lead,
        explanation=why, span=ev.span, input_sha256=ctx.input_sha256, designations=facts.summary,
    )  # fmt: skip
    return Finding(hit, device, facts.maker, facts.use_banned)


def _oui_findings(device: Device, ctx: InventoryContext, notes: list[MacNote]) -> list[Finding]:
    found: list[Finding] = []
    for column, cell in device.macs:
        for value in (v.strip() for v in _MAC_SPLIT.split(cell) if v.strip()):
            lookup = ctx.oui.lookup(value)
            if lookup.status in ("local", "multicast", "invalid"):
                notes.append(MacNote(device, column, lookup))
            for reg in lookup.registrants:
                why = f"{lookup.note()}; {reg.explanation}"
                ev = _Evidence(column, value, "oui", reg.entity, reg.score, why, lead=reg.lead)
                found += _some(_finding(device, ev, ctx))
    return found


def _name_findings(device: Device, ctx: InventoryContext) -> list[Finding]:
    """Manufacturer names through the matcher, the best per listed maker; the text scanner
    when the matcher finds nothing (``EZVIZ by Hikvision``)."""
    found: list[Finding] = []
    for column, value in device.manufacturers:
        best: dict[str, Finding] = {}
        for m in ctx.screen.names(value):
            ev = _Evidence(column, value, "manufacturer-name", m.entity, m.score, m.explanation())
            made = _finding(device, ev, ctx)
            if made is None:
                continue
            if made.maker not in best or made.hit.score > best[made.maker].hit.score:
                best[made.maker] = made
        found += best.values() or _scan(device, column, value, "", "manufacturer-name", ctx)
    return found


def _scan(device: Device, column: str, value: str, context: str, rule: str,
          ctx: InventoryContext) -> list[Finding]:  # fmt: skip
    """Text-scanner findings in ``value``; ``context`` (the manufacturer) is scanned before it
    so that a model family that needs its brand nearby can see it, but is not reported."""
    prefix = f"{context} : " if context else ""
    found: list[Finding] = []
    for hit in ctx.scan(prefix + value):
        entity = ctx.watchlist.get(hit.entity_id)
        if entity is None or hit.start < len(prefix):
            continue
        span = (hit.start - len(prefix), hit.end - len(prefix))
        ev = _Evidence(column, hit.matched_text, rule, entity, hit.score, _detail(hit), span)
        found += _some(_finding(device, ev, ctx))
    return found


def _some(finding: Finding | None) -> list[Finding]:
    return [] if finding is None else [finding]


def _detail(hit: TextHit) -> str:
    return hit.detail or f"{hit.rule} {hit.matched_text!r}"


@dataclass(frozen=True, slots=True)
class DeviceResult:
    """One device with its findings (by rule, field, best first) and its MAC notes."""

    device: Device
    findings: tuple[Finding, ...]
    notes: tuple[MacNote, ...] = ()


def screen_device(device: Device, ctx: InventoryContext) -> DeviceResult:
    """Every finding of one device, and the MAC addresses that could not be attributed."""
    notes: list[MacNote] = []
    found = _oui_findings(device, ctx, notes) + _name_findings(device, ctx)
    for column, value in device.models:
        found += _scan(device, column, value, device.manufacturer, "model", ctx)
    for column, value in device.banners:
        found += _scan(device, column, value, "", "banner", ctx)
    kept = {id(h) for h in best_per_key([f.hit for f in found])}
    rank = list(INVENTORY_RULES)
    order = sorted(found, key=lambda f: (rank.index(f.hit.rule), f.hit.field, -f.hit.score))
    ranked = [f for f in order if id(f.hit) in kept]
    return DeviceResult(device, tuple(ranked), tuple(notes))


def screen_inventory_batch(batch: pa.RecordBatch, roles: InventoryMap,
                           ctx: InventoryContext) -> list[DeviceResult]:  # fmt: skip
    """Each device of a batch with its findings, in row order."""
    return [screen_device(device, ctx) for device in devices(batch, roles)]
