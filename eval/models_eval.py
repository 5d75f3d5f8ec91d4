"""Model-number detection over the shared model lists: recall, wrong-maker hits, hard negatives.

    python3 eval/models_eval.py [--data ../shared/data] [--json] [--misses N]

Every real model identifier of ``models/`` (Hikvision download-center names, Dahua firmware
hardware IDs, the Dahua-named ``camera_name`` entries of ``dahua_cameras.json``) and the
Hikvision / Dahua / HiLook rows of ``devices/cctv_camera_models_extract.csv`` is embedded, without
any brand name, in realistic line descriptions (``CONTEXT_TEMPLATES``) and scanned with
:class:`TextScanner`. A model counts as detected when every description yields a model hit of
the right maker over it; ``bare`` is the share found in a description without product words.
EZVIZ and IMOU rows are marketing names ("C6N", "Cruiser 2"), not model numbers: they are
scanned with the brand in front. Hard negatives (other brands' models, the DS-2019 visa form,
the IPC-2221 standard, look-alike names) must give no hit at all. Finally the DuckDB prefilter
(:meth:`TextScanner.prefilter_regex`) must select every description that has a hit.

Dahua IDs that are not model numbers are left out, with the reason: boot-loader images
(``*boot``), SoC / platform names (``hi3520DV400``, ``ss528V100``, ``RK3568``) and generic
firmware tags (``General``, ``linux``, ``Dahua``).
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from procurewatch.errors import WatchlistError
from procurewatch.match._text_rules import maker_groups
from procurewatch.match.text import TextScanner
from procurewatch.match.types import TextHit
from procurewatch.model import Entity, Name, Relation, Watchlist
from procurewatch.watchlist.bundled import data_dir, load_bundled, load_products

CONTEXT_TEMPLATES = (
    "12 EA {model} 4MP network camera",
    "{model} NVR 16ch incl. install",
    "ADI Global Distribution - {model} surveillance equipment, qty 3",
    "Wesco Anixter Inc: line 4 {model} CCTV per quote Q-2291",
    "采购{model}监控设备2台",
)
BARE_TEMPLATE = "Item {model}, qty 2"
BRAND_TEMPLATES = ("{brand} {model} Wi-Fi camera, 2 units", "ACME Supply - {brand} {model}")
TARGETS = {"hikvision camera": 0.99, "hikvision recorder": 0.99, "dahua core": 0.98}

HIK_CATEGORIES = (
    (r"I?DS-2|IPC-|THC-|PTZ-|E?C[IT]-|PCI-|HM-T|IDS-T", "camera"),
    (r"I?DS-(?:[6-9]|E)|NVR-|DVR-|DS-MP", "recorder"),
    (r"DS-K", "access-intercom"),
    (r"DS-3", "network"),
)
DAHUA_NON_MODEL = (
    (r".*boot", "boot-loader image, not a product"),
    (r"(?:hi|gm)\d{4}\w*|ss\d{3}V\d+|RK\d{4}", "SoC / platform name, not a product"),
    (r"General.*|linux|DAHUA|Dahua", "generic firmware tag, not a product"),
)
DAHUA_CATEGORIES = (
    (r"IPC-|MFW|HAC-|ITC", "camera"),
    (r"SD|PTZ", "ptz"),
    (r"TPC-", "thermal"),
    (r"NVR|XVR|HCVR|DVR|IVSS", "recorder"),
    (r"VT[OHS]|DB", "intercom"),
    (r"AS[CI]", "access"),
    (r"CA-", "camera-module"),
    (r"TS-", "switch"),
)
DAHUA_CORE = ("camera", "ptz", "thermal", "recorder", "intercom")
NEGATIVE_BRANDS = ("Uniview", "Uniarch", "Axis", "Hanwha", "Bosch", "Tiandy", "Kedacom")
LISTED_BRANDS = ("Hikvision", "Dahua", "EZVIZ", "IMOU", "HiLook", "Lorex")
OEM_NOTED = ("Hi-Focus", "Intelbras")
TRAPS = (
    "Form DS-2019 processing fee for J-1 scholar",
    "DS-2019 certificate of eligibility, DS-160 and DS-7002 forms",
    "PCB design per IPC-2221 and IPC-A-610 class 2, IPC-HDBK-001",
    "Hikari Trading Co. office supplies",
    "Uniview 4MP network camera",
    "Dahua Electronics Corp - cable assemblies",
    "Synology DS920+ and DS620slim NAS, SD card 128GB, SD32GB",
    "Cisco ASA5505 firewall, PCI-E x16 riser, IK10 housing",
    "de Havilland DH-60 Moth parts; THC-free product; course CS-101",
)


@dataclass(frozen=True)
class Item:
    """One composed description and what it should yield."""

    group: str
    model: str
    text: str
    span: tuple[int, int] | None
    """Where the model sits; None for hard negatives."""
    maker: str | None
    """Expected maker entity (``hikvision`` or ``dahua``); None for hard negatives."""
    bare: bool = False
    branded: bool = False
    """The brand is in the text: any hit of the maker counts (marketing names)."""


def default_data() -> Path:
    """``../shared/data`` next to the repository."""
    return Path(__file__).resolve().parents[1].parent / "shared" / "data"


def _category(model: str, rules: tuple[tuple[str, str], ...]) -> str:
    return next((name for rx, name in rules if re.match(rx, model, re.I)), "other")


def dahua_non_model(model: str) -> str | None:
    """Why a Dahua hardware ID is not a model number, or None if it is one."""
    return next((why for rx, why in DAHUA_NON_MODEL if re.fullmatch(rx, model)), None)


def _compose(group: str, model: str, maker: str | None, brand: str = "") -> Iterator[Item]:
    templates = BRAND_TEMPLATES if brand else CONTEXT_TEMPLATES
    for template in templates:
        head = template.split("{model}")[0].format(brand=brand)
        text = template.format(model=model, brand=brand)
        span = (len(head), len(head) + len(model))
        yield Item(group, model, text, span, maker, branded=bool(brand))
    if not brand:
        head = BARE_TEMPLATE.split("{model}")[0]
        text = BARE_TEMPLATE.format(model=model)
        yield Item(group, model, text, (len(head), len(head) + len(model)), maker, bare=True)


def corpus(
    data: Path, listed: Callable[[str], bool] = lambda _: False
) -> tuple[list[Item], dict[str, str]]:
    """All composed descriptions, and the Dahua IDs left out with the reason.

    ``listed(brand)`` tells whether a csv brand is itself on the watchlist (an OEM lead such as
    Amcrest): its rows are then informational, not hard negatives.
    """
    models = data / "models"
    items: list[Item] = []
    for model in json.loads((models / "hikvision_download_center_models.json").read_text()):
        items += _compose(f"hikvision {_category(model, HIK_CATEGORIES)}", model, "hikvision")
    skipped: dict[str, str] = {}
    for model in json.loads((models / "dahua_firmware_hardware_ids.json").read_text()):
        why = dahua_non_model(model)
        if why:
            skipped[model] = why
            continue
        cat = _category(model, DAHUA_CATEGORIES)
        items += _compose(f"dahua {'core' if cat in DAHUA_CORE else cat}", model, "dahua")
    cameras = json.loads((models / "dahua_cameras.json").read_text())
    for name in sorted(
        {n.strip() for v in cameras.values() for n in v["camera_name"] if n.strip()}
    ):
        dahua_named = re.match(r"(?:DHI?-|IPC-[A-Z]|SD\d|ITC)", name) is not None
        if dahua_named:
            items += _compose("dahua_cameras.json dahua-named", name, "dahua")
        else:  # Amcrest / Lorex names of Dahua-made devices: no Dahua naming scheme to match
            items += _compose("info dahua_cameras.json OEM names", name, None)
    with (data / "devices" / "cctv_camera_models_extract.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        brand, model = row["brand"], row["model"]
        if brand in ("Hikvision", "HiLook"):
            items += _compose(f"csv {brand}", model, "hikvision")
        elif brand == "Dahua":
            items += _compose("csv Dahua", model, "dahua")
        elif brand in ("EZVIZ", "IMOU"):
            maker = "hikvision" if brand == "EZVIZ" else "dahua"
            items += _compose(f"csv {brand} (with brand)", model, maker, brand=brand)
        elif brand in OEM_NOTED:
            items += _compose(f"oem-noted {brand}", model, None)
        elif brand not in LISTED_BRANDS and listed(brand):
            items += [
                Item(f"info watchlist brand {brand}", model, f"{brand} {model} camera", None, None)
            ]
        elif brand not in LISTED_BRANDS:
            group = f"negative {brand if brand in NEGATIVE_BRANDS else 'other brands'}"
            items += [Item(group, model, f"{brand} {model} network camera", None, None)]
            items += [Item(group, model, f"12 EA {model} 4MP network camera", None, None)]
    items += [Item("negative traps", t, t, None, None) for t in TRAPS]
    return items, skipped


def fallback_watchlist() -> Watchlist:
    """The makers' names, for when the bundled entity files are not there yet.

    Bare ``Dahua`` and ``大华`` are weak: 大华 is a common Chinese trade name (Dahua Electronics,
    大华银行 = UOB), so they count only near a product word or another Dahua name.
    """

    def company(eid: str, caption: str, *names: Name, rel: Relation | None = None) -> Entity:
        return Entity(eid, "Company", caption, names=names, relations=(rel,) if rel else ())

    entities = [
        company("hikvision", "Hangzhou Hikvision Digital Technology Co., Ltd.",
                Name("Hikvision", "brand"), Name("海康威视", "local")),
        company("hilook", "HiLook", Name("HiLook", "brand"), rel=Relation("brand_of", "hikvision")),
        company("ezviz", "EZVIZ", Name("EZVIZ", "brand"), Name("萤石", "local", weak=True),
                rel=Relation("subsidiary_of", "hikvision")),
        company("dahua", "Zhejiang Dahua Technology Co., Ltd.", Name("Dahua", "brand", weak=True),
                Name("Dahua Technology", "alias"), Name("大华", "local", weak=True),
                Name("浙江大华技术股份有限公司", "legal")),
        company("imou", "Imou", Name("Imou", "brand"), rel=Relation("brand_of", "dahua")),
        company("lorex", "Lorex Technology Inc.", Name("Lorex", "brand"),
                rel=Relation("owned_by", "dahua")),
    ]  # fmt: skip
    return Watchlist({e.id: e for e in entities}, {}, products=load_products(data_dir()))


def pick_watchlist() -> tuple[Watchlist, str]:
    """The bundled watchlist if it is complete enough, else :func:`fallback_watchlist`."""
    try:
        bundled = load_bundled()
    except WatchlistError as exc:
        return fallback_watchlist(), f"fallback (bundled: {exc})"
    if {"hikvision", "dahua"} <= set(bundled.entities) and bundled.products:
        return bundled, "bundled"
    return fallback_watchlist(), "fallback (bundled watchlist lacks hikvision/dahua or products)"


def related(watchlist: Watchlist, groups: dict[str, str], maker: str) -> set[str]:
    """The maker's group and every entity one relation away from it (OEM leads, affiliates)."""
    want = groups.get(maker, maker)
    members = {eid for eid, group in groups.items() if group == want} | {maker}
    out = set(members)
    for entity in watchlist.entities.values():
        for rel in entity.relations:
            if rel.target in members:
                out.add(entity.id)
            if entity.id in members:
                out.add(rel.target)
    return out


def _judge(item: Item, hits: list[TextHit], makers: dict[str, set[str]]) -> tuple[bool, bool]:
    """(detected, wrong maker) for one description."""
    if item.maker is None or item.span is None:
        return False, bool(hits)
    allowed = makers[item.maker]
    start, end = item.span
    wrong = any(h.entity_id not in allowed for h in hits)
    found = any(
        h.entity_id in allowed
        and (item.branded or (h.rule == "model" and h.start < end and h.end > start))
        for h in hits
    )
    return found, wrong


def prefilter_lost(scanner: TextScanner, texts: list[str], hits: list[list[TextHit]]) -> int:
    """Descriptions with a hit that the DuckDB prefilter does not select."""
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE t AS SELECT unnest(?) AS i, unnest(?) AS s", [list(range(len(texts))), texts]
    )
    rows = con.execute("SELECT i FROM t WHERE regexp_matches(s, ?)", [scanner.prefilter_regex()])
    selected = {r[0] for r in rows.fetchall()}
    return sum(1 for i, h in enumerate(hits) if h and i not in selected)


@dataclass
class Tally:
    """Per group: detection per model (every context template), bare detection, wrong hits;
    per product family: the models it found."""

    models: dict[str, dict[str, list[bool]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list))
    )
    bare: dict[str, list[bool]] = field(default_factory=lambda: defaultdict(list))
    wrong: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    families: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def add(self, item: Item, hits: list[TextHit], makers: dict[str, set[str]]) -> None:
        """Count one scanned description."""
        detected, wrong_maker = _judge(item, hits, makers)
        self.wrong[item.group] += wrong_maker
        if item.bare:
            self.bare[item.group].append(detected)
            return
        self.models[item.group][item.model].append(detected)
        for hit in hits:
            if hit.family_id and item.maker and not item.group.startswith("info"):
                self.families[hit.family_id].add(item.model)

    def row(self, group: str, misses: int) -> dict[str, Any]:
        """The figures of one group."""
        per_model = self.models[group]
        if group.startswith(("negative", "oem-noted", "info")):
            return {"count": len(per_model), "hits": self.wrong[group]}
        n_found = sum(all(v) for v in per_model.values())
        bare = self.bare[group]
        return {
            "count": len(per_model),
            "detected": n_found,
            "recall": n_found / len(per_model) if per_model else 0.0,
            "bare_recall": sum(bare) / len(bare) if bare else None,
            "wrong_maker": self.wrong[group],
            "misses": [m for m, v in per_model.items() if not all(v)][:misses],
        }


def run_eval(data: Path, watchlist: Watchlist | None = None, misses: int = 0) -> dict[str, Any]:
    """Scan the corpus and return the figures (see the module docstring)."""
    label = "given"
    if watchlist is None:
        watchlist, label = pick_watchlist()
    scanner = TextScanner.compile(watchlist)
    groups = maker_groups(watchlist)
    makers = {m: related(watchlist, groups, m) for m in ("hikvision", "dahua")}
    items, skipped = corpus(data, lambda brand: bool(scanner.scan(f"{brand} camera")))
    texts = [i.text for i in items]
    hits = scanner.scan_many(texts)
    tally = Tally()
    for item, found in zip(items, hits, strict=True):
        tally.add(item, found, makers)
    rows = {group: tally.row(group, misses) for group in sorted({i.group for i in items})}
    targets = {g: rows.get(g, {}).get("recall", 0.0) >= t for g, t in TARGETS.items()}
    return {
        "watchlist": label,
        "texts": len(items),
        "groups": rows,
        "families": {f: len(m) for f, m in sorted(tally.families.items())},
        "skipped_dahua_ids": skipped,
        "prefilter_lost": prefilter_lost(scanner, texts, hits),
        "targets": targets,
    }


def _print(report: dict[str, Any]) -> None:
    print(f"watchlist: {report['watchlist']}; {report['texts']} descriptions scanned")
    print(f"{'group':42} {'count':>6} {'found':>6} {'recall':>7} {'bare':>6} {'wrong':>6}")
    for group, row in report["groups"].items():
        if "hits" in row:
            print(f"{group:42} {row['count']:6} {'':6} {'':7} {'':6} {row['hits']:6}  (hits)")
            continue
        bare = "" if row["bare_recall"] is None else f"{row['bare_recall']:.3f}"
        print(
            f"{group:42} {row['count']:6} {row['detected']:6} {row['recall']:7.3f} {bare:>6} "
            f"{row['wrong_maker']:6}"
        )
        if row["misses"]:
            print(f"{'':44}missed: {', '.join(row['misses'])}")
    families = ", ".join(f"{f} {n}" for f, n in report["families"].items())
    print(f"models found per product family: {families}")
    reasons: dict[str, list[str]] = defaultdict(list)
    for model, why in report["skipped_dahua_ids"].items():
        reasons[why].append(model)
    for why, ids in reasons.items():
        print(f"Dahua IDs left out ({why}): {len(ids)}: {', '.join(ids)}")
    lost = report["prefilter_lost"]
    print(f"prefilter: descriptions with a hit that the DuckDB prefilter does not select: {lost}")
    print("targets met:", report["targets"])


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=default_data())
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument(
        "--misses", type=int, default=10, help="list up to N missed models per group"
    )
    args = parser.parse_args(argv)
    report = run_eval(args.data, misses=args.misses)
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        _print(report)
    return 0 if all(report["targets"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
