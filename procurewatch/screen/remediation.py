"""The remediation list of an inventory run: one line per flagged device, grouped by site.

Each line says where the device is, how to find it (host name, IP, MAC, model), why it was
flagged (every piece of evidence, shortened), which listed company it leads to (and through
which brand or subsidiary), the designation that matters most for a user of the equipment
(NDAA 889(a)(1)(B) when it applies, else one in force) and since when it has been in force.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from procurewatch.model import Watchlist
from procurewatch.screen.inventory import USE_LISTS, DeviceResult, Finding

REMEDIATION_COLUMNS = (
    "site", "device", "why", "entity", "designation", "in_force_since", "in_force", "use_banned",
    "lead", "hostname", "ip", "mac", "manufacturer", "model", "serial", "source_file", "row",
)  # fmt: skip
"""Columns of ``remediation.csv``."""
_WHAT = {"oui": "MAC", "manufacturer-name": "manufacturer", "model": "model", "banner": "banner"}


def _rank(finding: Finding) -> tuple[bool, bool, float]:
    """Confirmed before leads, a use ban in force first, then the higher score."""
    return (finding.hit.lead, finding.use_banned is not True, -finding.hit.score)


def _designation(finding: Finding) -> dict[str, Any]:
    """The designation that matters most: the use ban, else one in force, else the first."""
    items = list(finding.hit.designations)
    use = [d for d in items if d["list"] in USE_LISTS]
    active = [d for d in items if d["in_force"]]
    return next(iter(use or active or items), {})


def _why(result: DeviceResult) -> str:
    reasons: dict[str, str] = {}
    for f in result.findings:
        text = f"{_WHAT.get(f.hit.rule, f.hit.rule)} {f.hit.matched_text!r}: {f.hit.entity_name}"
        reasons.setdefault(text.casefold(), text + (" (lead)" if f.hit.lead else ""))
    return "; ".join(reasons.values())


def remediation_row(result: DeviceResult, watchlist: Watchlist) -> dict[str, Any]:
    """One line of ``remediation.csv`` for a flagged device."""
    best = min(result.findings, key=_rank)
    maker = watchlist.get(best.maker)
    entity = maker.caption if maker is not None else best.maker
    if best.hit.entity_id != best.maker:
        entity += f" (via {best.hit.entity_name})"
    des = _designation(best)
    device = result.device
    parts = [device.hostname, device.ip, device.mac, device.model]
    flat = best.row_dict()
    return {
        "site": device.site or "", "device": " | ".join(p for p in parts if p) or device.label(),
        "why": _why(result), "entity": entity,
        "designation": des.get("citation") or des.get("list_name") or "",
        "in_force_since": des.get("in_force_from") if des.get("in_force") else "",
        "in_force": flat["in_force"], "use_banned": flat["use_banned"],
        "lead": str(all(f.hit.lead for f in result.findings)).lower(),
        **{k: flat[k] for k in ("hostname", "ip", "mac", "manufacturer", "model", "serial")},
        "source_file": device.source_file, "row": device.row,
    }  # fmt: skip


def remediation_rows(results: Iterable[DeviceResult], watchlist: Watchlist) -> list[dict[str, Any]]:
    """Flagged devices grouped by site (devices without a site last), then by device."""
    rows = [remediation_row(r, watchlist) for r in results]
    return sorted(rows, key=lambda r: (r["site"] == "", r["site"], r["device"], r["row"]))
