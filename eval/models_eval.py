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

What the figures are worth: the patterns of ``products.yaml`` were written from these same
model lists, and some hard negatives are the patterns' own ``counter_examples``, so every
figure above is **tuned on** (in-sample): it shows the patterns describe the lists they were
written from, not how they do on models nobody looked at. The negatives that are not a
counter-example are counted apart. Two **held-out** figures come from ``models_heldout.py``:
leave-one-family-out recall (each product family scanned without its own pattern) and the
model-only rows of the strangers' text (``wild/``), in the half no rule was developed on.

Runs on the bundled watchlist only; if it does not load, or lacks Hikvision, Dahua or the
product families, the script says so and exits with status 2.
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
from procurewatch.model import Watchlist
from procurewatch.watchlist.bundled import data_dir, load_bundled

sys.path.insert(0, str(Path(__file__).resolve().parent))
from models_heldout import unseen_families, wild_model_only

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


class EvalError(Exception):
    """The evaluation cannot run (the bundled watchlist is missing or incomplete)."""


def bundled_watchlist() -> Watchlist:
    """The bundled watchlist, which must hold Hikvision, Dahua and the product families."""
    try:
        bundled = load_bundled()
    except WatchlistError as exc:
        why = " ".join(str(exc).split())  # one line
        raise EvalError(f"the bundled watchlist does not load: {why}") from exc
    if not ({"hikvision", "dahua"} <= set(bundled.entities) and bundled.products):
        raise EvalError(
            "the bundled watchlist lacks hikvision, dahua or the product families "
            f"({data_dir()}); this evaluation scores the bundled patterns only"
        )
    return bundled


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


BASIS = {
    "groups": "tuned on: the patterns were written from these model lists",
    "negatives": "tuned on where the text holds a pattern's counter_example; the rest held out",
    "unseen_families": "held out: each family scored without its own pattern",
    "wild study": "tuned on: the half of the strangers' text the rules were developed on",
    "wild measure": "measured, not cleanly held out: its misses were read before six family changes were made (README)",
}
"""What each part of the report is worth (printed beside it)."""


def run_eval(data: Path, misses: int = 0) -> dict[str, Any]:
    """Scan the corpus with the bundled watchlist and return the figures (see the docstring)."""
    watchlist = bundled_watchlist()
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
    _mark_tuned(rows, items, hits, watchlist)
    targets = {g: rows.get(g, {}).get("recall", 0.0) >= t for g, t in TARGETS.items()}
    allowed = {p.id: makers["hikvision"] if p.entity_id in makers["hikvision"]
               else makers["dahua"] for p in watchlist.products}  # fmt: skip
    return {
        "watchlist": "bundled",
        "basis": BASIS,
        "texts": len(items),
        "groups": rows,
        "families": {f: len(m) for f, m in sorted(tally.families.items())},
        "skipped_dahua_ids": skipped,
        "prefilter_lost": prefilter_lost(scanner, texts, hits),
        "targets": targets,
        "unseen_families": unseen_families(watchlist, dict(tally.families), allowed),
        "wild_model_only": wild_model_only(data, watchlist),
    }


def _mark_tuned(
    rows: dict[str, dict[str, Any]], items: list[Item], hits: list[list[TextHit]], wl: Watchlist
) -> None:
    """Per group: models that are a pattern's example; per negative group: texts holding a
    pattern's counter_example, and the hits on the other texts (the held-out negatives)."""
    examples = {e.upper() for p in wl.products for e in p.examples}
    counters = {c.upper() for p in wl.products for c in p.counter_examples}
    for group, row in rows.items():
        mine = [(i, h) for i, h in zip(items, hits, strict=True) if i.group == group]
        if "hits" in row:
            tuned = [bool(h) for i, h in mine if any(c in i.text.upper() for c in counters)]
            rest = [bool(h) for i, h in mine if not any(c in i.text.upper() for c in counters)]
            row.update(counter_example_texts=len(tuned), held_out_texts=len(rest),
                       held_out_hits=sum(rest))  # fmt: skip
        else:
            row["pattern_examples"] = len({i.model for i, _ in mine if i.model.upper() in examples})


def _print(report: dict[str, Any]) -> None:
    basis = report["basis"]
    print(f"watchlist: {report['watchlist']}; {report['texts']} descriptions scanned")
    print(f"model lists [{basis['groups']}]")
    print(f"{'group':42} {'count':>6} {'found':>6} {'recall':>7} {'bare':>6} {'wrong':>6} examples")
    for group, row in report["groups"].items():
        if "hits" in row:
            continue
        bare = "" if row["bare_recall"] is None else f"{row['bare_recall']:.3f}"
        print(
            f"{group:42} {row['count']:6} {row['detected']:6} {row['recall']:7.3f} {bare:>6} "
            f"{row['wrong_maker']:6} {row['pattern_examples']:8}"
        )
        if row["misses"]:
            print(f"{'':44}missed: {', '.join(row['misses'])}")
    print(f"negatives and reported rows (hits) [{basis['negatives']}]")
    print(f"{'group':42} {'texts':>6} {'hits':>6} {'c-ex':>6} {'held out':>9} {'hits':>5}")
    for group, row in report["groups"].items():
        if "hits" in row:
            print(f"{group:42} {row['count']:6} {row['hits']:6} {row['counter_example_texts']:6} "
                  f"{row['held_out_texts']:9} {row['held_out_hits']:5}")  # fmt: skip
    families = ", ".join(f"{f} {n}" for f, n in report["families"].items())
    print(f"models found per product family: {families}")
    reasons: dict[str, list[str]] = defaultdict(list)
    for model, why in report["skipped_dahua_ids"].items():
        reasons[why].append(model)
    for why, ids in reasons.items():
        print(f"Dahua IDs left out ({why}): {len(ids)}: {', '.join(ids)}")
    lost = report["prefilter_lost"]
    print(f"prefilter: descriptions with a hit that the DuckDB prefilter does not select: {lost}")
    print("targets met (tuned on):", report["targets"])
    _print_held_out(report)


def _print_held_out(report: dict[str, Any]) -> None:
    unseen, basis = report["unseen_families"], report["basis"]
    print(f"unseen product family [{basis['unseen_families']}]: {unseen['found']} of "
          f"{unseen['models']} models found ({unseen['recall']:.3f}); the other patterns' "
          "author had seen these models too")  # fmt: skip
    for family, row in unseen["families"].items():
        by = ", ".join(f"{f} {n}" for f, n in row["by"].items()) or "-"
        print(f"  {family:32} {row['found']:5} of {row['models']:5}  by: {by}")
    for part, row in report["wild_model_only"].items():
        print(f"strangers' text, model-only rows, {part} [{basis['wild ' + part]}]: "
              f"{row['found']} of {row['rows']} maker rows found ({row['files']} files), "
              f"missed: {', '.join(row['missed']) or '-'}; look-alike rows with a hit: "
              f"{len(row['false'])} of {row['none_rows']} {' '.join(row['false'])}")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point: 0 targets met, 1 not met, 2 cannot run."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=default_data())
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument(
        "--misses", type=int, default=10, help="list up to N missed models per group"
    )
    args = parser.parse_args(argv)
    try:
        report = run_eval(args.data, misses=args.misses)
    except EvalError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        _print(report)
    return 0 if all(report["targets"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
