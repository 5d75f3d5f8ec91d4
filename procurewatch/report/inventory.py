"""Write ``DIR/report.html`` for an inventory run: which devices to replace, where, and why.

The page is built like the findings report (:mod:`procurewatch.report.html`): one offline file
with the vendored Vega builds inlined, no external ``src`` or ``href``, Jinja2 autoescaping on,
chart data in escaped JSON blocks. It reads only the run's files: ``summary.json`` (figures),
``findings.jsonl`` (the evidence, raw values), ``remediation.csv`` (entity, designation and
in-force date per device, so the page and the list agree) and ``mac_notes.csv``.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import Any

from procurewatch.atomic import atomic_write
from procurewatch.errors import InputError
from procurewatch.report.charts import Chart
from procurewatch.screen.output import neutralize

REPORT_FILE = "report.html"
MAX_DEVICES = 5000
"""Flagged devices shown with their evidence; the figures and the table always cover them all."""
STATES = ("use banned", "listed, use not banned", "lead only")
"""A flagged device's state on the inventory date, worst first (chart colours follow)."""
NO_SITE = "(no site given)"
COMPANY_COLOURS = ["#4c78a8", "#72b7b2", "#eeca3b", "#9d755d", "#b279a2", "#54a24b", "#bab0ac"]
"""Tableau colours without red and orange, which the chart keeps for the use ban and leads."""
DEVICE_FIELDS = ("hostname", "ip", "mac", "manufacturer", "model", "serial")
_FAMILY = re.compile(r"matches (?P<family>.+) \[(?P<id>[^\]]+)\]")
Row = dict[str, Any]


def explanation_parts(rule: str, explanation: str) -> tuple[tuple[str, str], ...]:
    """The matcher's explanation in labelled parts: the MAC block and the registrant's match
    for ``oui``, the name comparison for ``manufacturer-name``, the family for ``model``."""
    if rule == "oui":
        block, _, registrant = explanation.partition("; ")
        return (("MAC block", block), ("registrant", registrant or "–"))
    if rule == "manufacturer-name":
        return (("name match", explanation),)
    family = _FAMILY.search(explanation) if rule == "model" else None
    if family is not None:
        label = f"{family['family']} [{family['id']}]"
        return (("model family", label), ("explanation", explanation))
    return (("explanation", explanation),)


@dataclass(frozen=True, slots=True)
class Evidence:
    """One finding of a device, with its explanation split into labelled parts."""

    rule: str
    field: str
    text: str
    entity: str
    entity_id: str
    score: float
    lead: bool
    use_banned: bool | None
    via: str
    parts: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, f: Row) -> Evidence:
        """From a line of ``findings.jsonl``."""
        why = explanation_parts(f["rule"], f.get("explanation") or "")
        return cls(f["rule"], f["field"], f["matched_text"], f["entity_name"], f["entity_id"],
                   float(f["score"]), bool(f["lead"]), f.get("use_banned"), f.get("via") or "",
                   why)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Device:
    """A flagged device: where it is, how to find it, its evidence and remediation facts."""

    anchor: str
    site: str
    label: str
    source: str
    facts: tuple[tuple[str, str], ...]
    evidence: tuple[Evidence, ...]
    companies: tuple[str, ...]
    designations: tuple[tuple[str, tuple[Row, ...]], ...]
    """Per entity named by a finding, its designations (one per list and holder)."""
    entity: str
    designation: str
    in_force_since: str

    @property
    def state(self) -> str:
        """One of :data:`STATES`: use banned if any finding's company was (as ``summary.json``
        counts), else lead only if every finding is a lead."""
        if any(e.use_banned for e in self.evidence):
            return STATES[0]
        return STATES[2] if all(e.lead for e in self.evidence) else STATES[1]


@dataclass(frozen=True, slots=True)
class InventoryReport:
    """What the page shows: the run summary, flagged devices by site, companies, MAC notes."""

    summary: Row
    devices: tuple[Device, ...]
    companies: tuple[tuple[str, int, int], ...]
    """(listed company, flagged devices, of which use banned), most devices first."""
    mac_notes: tuple[Row, ...]

    @property
    def sites(self) -> list[tuple[str, list[Device]]]:
        """The devices grouped by site, in remediation order."""
        return [(site, list(group)) for site, group in groupby(self.devices, lambda d: d.site)]


def _read_summary(out_dir: Path) -> Row:
    path = out_dir / "summary.json"
    if not path.is_file():
        why = "no summary.json here; give the --out folder of `procurewatch inventory`"
        raise InputError(why, path=str(out_dir))
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"not valid JSON ({exc}); re-run the inventory", path=str(path)) from None
    if not isinstance(data, dict) or "flagged_devices" not in data:
        raise InputError("not the summary.json of an inventory run", path=str(path))
    return data


def _read_rows(path: Path) -> list[Row]:
    """The rows of a CSV file or the objects of a JSON-lines file; none if it is absent."""
    if not path.is_file():
        return []
    if path.suffix == ".csv":
        with path.open(encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))
    rows: list[Row] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"not a JSON line ({exc.msg})", path=str(path), line=number) from None
        if not isinstance(item, dict):
            raise InputError("expected a JSON object", path=str(path), line=number)
        rows.append(item)
    return rows


def _key(row: Row) -> tuple[str, str]:
    """A device's key in findings and ``remediation.csv`` (whose cells are neutralized)."""
    return str(neutralize(str(row["source_file"]))), str(row["row"])


def _captions(findings: list[Row], remediation: dict[tuple[str, str], Row]) -> dict[str, str]:
    """Names of the listed companies (``maker`` ids): from a finding naming the company itself,
    else from the remediation line of a device that leads to it alone."""
    names = {f["entity_id"]: f["entity_name"] for f in findings}
    for key, group in groupby(findings, _key):
        makers, line = {f["maker"] for f in group}, remediation.get(key, {})
        if len(makers) == 1 and line.get("entity"):
            names.setdefault(makers.pop(), line["entity"].partition(" (via ")[0])
    return names


def _device(index: int, group: list[Row], line: Row, names: dict[str, str]) -> Device:
    first = group[0]
    facts = tuple((k, str(first[k])) for k in DEVICE_FIELDS if first.get(k))
    designations: dict[str, dict[tuple[str, str], Row]] = {}
    for f in group:
        seen = designations.setdefault(f["entity_name"], {})
        for d in f.get("designations") or ():
            seen.setdefault((d.get("list"), d.get("holder")), d)
    companies = tuple(dict.fromkeys(str(names.get(f["maker"], f["maker"])) for f in group))
    return Device(
        f"dev-{index}", first.get("site") or NO_SITE, first.get("device") or f"row {first['row']}",
        f"{first['source_file']}, row {first['row']}", facts,
        tuple(Evidence.of(f) for f in group), companies,
        tuple((name, tuple(rows.values())) for name, rows in designations.items()),
        str(line.get("entity") or companies[0]), str(line.get("designation") or ""),
        str(line.get("in_force_since") or ""),
    )  # fmt: skip


def build_inventory_report(out_dir: Path) -> InventoryReport:
    """Read an inventory run's outputs in ``out_dir`` into the report model."""
    summary = _read_summary(out_dir)
    findings = _read_rows(out_dir / "findings.jsonl")
    lines = {_key(r): r for r in _read_rows(out_dir / "remediation.csv")}
    names = _captions(findings, lines)
    found = [_device(i, list(g), lines.get(k, {}), names)
             for i, (k, g) in enumerate(groupby(findings, _key))]  # fmt: skip
    devices = sorted(found, key=lambda d: (d.site == NO_SITE, d.site, d.label, d.source))
    per = Counter(c for d in devices for c in d.companies)
    banned = Counter(c for d in devices if d.state == STATES[0] for c in d.companies)
    companies = tuple((c, n, banned[c]) for c, n in per.most_common())
    return InventoryReport(summary, tuple(devices), companies,
                           tuple(_read_rows(out_dir / "mac_notes.csv")))  # fmt: skip


def _bars(y: str, color: str, scale: dict[str, Any], top: int) -> dict[str, Any]:
    """One bar view: flagged devices per ``y`` (most first), stacked by ``color``. ``top`` is
    the longest bar: up to 10, whole-number ticks are given (Vega would add half steps)."""
    ticks = {"values": list(range(top + 1))} if top <= 10 else {}
    return {
        "width": 680, "height": {"step": 24}, "title": {"text": f"by {y}", "anchor": "start"},
        "mark": {"type": "bar", "cornerRadiusEnd": 2},
        "encoding": {
            "y": {"field": y, "type": "nominal", "sort": "-x", "title": None,
                  "axis": {"labelLimit": 360, "labelFontSize": 11.5}},
            "x": {"aggregate": "count", "type": "quantitative", "title": "flagged devices",
                  "axis": {"format": "d", **ticks}},
            "color": {"field": color, "type": "nominal", "scale": scale,
                      "legend": {"orient": "top", "title": None, "labelLimit": 400}},
            "tooltip": [{"field": "company"}, {"field": "site"}, {"field": "state"},
                        {"aggregate": "count", "title": "devices"}],
        },
    }  # fmt: skip


def device_chart(report: InventoryReport) -> Chart | None:
    """Flagged devices by listed company (by state on the date) and by site (by company)."""
    rows = [{"company": c, "site": d.site, "state": d.state}
            for d in report.devices for c in d.companies]  # fmt: skip
    if not rows:
        return None
    states = {"domain": list(STATES), "range": ["#b42318", "#98a2b3", "#f79009"]}
    per_site = Counter(r["site"] for r in rows).most_common(1)[0][1]
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "datasets": {"devices": rows}, "data": {"name": "devices"},
        "config": {"view": {"stroke": None}, "axis": {"labelFontSize": 11, "titleFontSize": 11}},
        "vconcat": [_bars("company", "state", states, report.companies[0][1]),
                    _bars("site", "company", {"range": COMPANY_COLOURS}, per_site)],
        "resolve": {"scale": {"color": "independent", "x": "independent"}}, "spacing": 28,
    }  # fmt: skip
    caption = (f"Flagged devices per listed company, coloured by their state on "
               f"{report.summary.get('inventory_date')}; then per site, coloured by company. "
               "A device leading to two companies counts once for each.")  # fmt: skip
    return Chart("chart-devices", "Flagged devices by company and by site", caption, spec)


def render_inventory(report: InventoryReport, charts: list[Chart], *,
                     max_devices: int = MAX_DEVICES) -> str:  # fmt: skip
    """The inventory report page as a string; at most ``max_devices`` get an evidence block."""
    # html.py imports this module, so its helpers are imported when used (so is the screening
    # module, which is slow to import and which `procurewatch report` does not need).
    from procurewatch.report import html
    from procurewatch.screen.inventory import INVENTORY_RULES, USE_LISTS

    return html._environment().get_template("inventory.html.j2").render(
        report=report, s=report.summary, charts=charts, states=STATES, rules=INVENTORY_RULES,
        use_lists=USE_LISTS, vendored_js=html.vendored_js(), versions=html.ASSET_VERSIONS,
        max_devices=max_devices,
    )  # fmt: skip


def write_inventory_report(out_dir: Path) -> Path:
    """Write ``out_dir/report.html`` (atomically) from the inventory run's outputs in ``out_dir``."""
    report = build_inventory_report(out_dir)
    chart = device_chart(report)
    path = out_dir / REPORT_FILE
    with atomic_write(path) as fh:
        fh.write(render_inventory(report, [chart] if chart else []))
    return path
