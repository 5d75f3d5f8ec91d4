"""Vega-Lite chart specs for the report: package-data templates filled with the report's data.

The templates (``charts/*.json``) hold the look of each chart; this module only adds the data,
as top-level ``datasets`` referenced by name, so a template stays readable and testable on its
own. A chart without data is left out (the report says why) rather than drawn empty.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from procurewatch.report.aggregate import Report
from procurewatch.report.places import US_STATES

Spec = dict[str, Any]
BAN_STATES = ("ban in force", "no ban in force yet")
TOP_BUYERS = 15


@dataclass(frozen=True, slots=True)
class Chart:
    """One chart of the report: an element id, a title, a caption and its Vega-Lite spec."""

    id: str
    title: str
    caption: str
    spec: Spec
    legend: tuple[str, ...] = ()
    """Lines shown under the chart (the numbered designation dates)."""


@cache
def _template_text(name: str) -> str:
    return (resources.files("procurewatch.report") / "charts" / f"{name}.json").read_text("utf-8")


def template(name: str) -> Spec:
    """A fresh copy of the spec template ``charts/<name>.json``."""
    spec: Spec = json.loads(_template_text(name))
    return copy.deepcopy(spec)


def _with_data(name: str, datasets: Mapping[str, list[dict[str, Any]]]) -> Spec:
    spec = template(name)
    spec["datasets"] = dict(datasets)
    return spec


def _state(in_force: bool) -> str:
    return BAN_STATES[0] if in_force else BAN_STATES[1]


def month_chart(report: Report, *, after_ban: bool = False) -> Chart | None:
    """Spending by month (bars, by ban state) with a numbered dashed rule at each list's start.

    With ``after_ban`` only the purchases made while a ban was in force, on their own scale (so
    that large purchases from before the bans do not flatten them); None when that would show
    the same bars as the chart of all purchases.
    """
    rows = [m for m in report.months if m.in_force or not after_ban]
    if not rows or (after_ban and len(rows) == len(report.months)):
        return None
    months = [
        {
            "day": f"{m.month}-01",
            "month": m.month,
            "state": _state(m.in_force),
            "amount": m.amount_usd,
            "records": m.records,
        }
        for m in rows
    ]
    lanes = _lanes(report)
    marks = [
        {"day": m.day, "label": m.label, "number": str(i + 1), "offset": lanes[i]}
        for i, m in enumerate(report.markers)
    ]
    spec = _with_data("spending_by_month", {"months": months, "markers": marks})
    if after_ban:
        spec["layer"][0]["encoding"]["color"]["legend"] = None
        caption = (
            "Only the purchases made while a designation of the matched entity was in force, "
            "on their own scale. Numbered lines as above."
        )
        return Chart("chart-months-ban", "Spending after a ban, by month", caption, spec)
    caption = (
        "Flagged purchases with a known date and a US-dollar amount, by month. Numbered "
        "dashed lines: the first day each list applied to a matched entity."
    )
    legend = tuple(f"{m['number']} · {m['day']} · {m['label']}" for m in marks)
    return Chart("chart-months", "Spending by month", caption, spec, legend)


def _lanes(report: Report, gap_days: int = 150, lanes: int = 3) -> list[int]:
    """A label height (0, 14, 28 px) per marker so that numbers of nearby dates do not overlap."""
    out: list[int] = []
    previous: date | None = None
    for m in report.markers:
        day = date.fromisoformat(m.day)
        near = previous is not None and (day - previous).days < gap_days
        out.append(((out[-1] // 14 + 1) % lanes) * 14 if near and out else 0)
        previous = day
    return out


def timeline_chart(report: Report) -> Chart | None:
    """Designations per entity as bars over time, with a tick for each purchase naming it."""
    rows: list[dict[str, Any]] = []
    for g in report.entities:
        for d in g.designations:
            if d.start:
                rows.append(
                    {
                        "entity": g.name,
                        "list": d.label,
                        "start": d.start,
                        "ended": d.ended or "",
                        "end": d.ended or report.as_of or d.start,
                        "via": d.via or "directly listed",
                    }
                )
    if not rows:
        return None
    purchases = [
        {"entity": g.name, "day": r.day.isoformat(), "vendor": r.vendor, "amount": r.amount_usd}
        for g in report.entities
        for r in (report.records[i] for i in g.records)
        if r.day
    ]
    spec = _with_data("designations_timeline", {"designations": rows, "purchases": purchases})
    names = list(dict.fromkeys(g.name for g in report.entities))
    spec["encoding"]["y"]["sort"] = names
    per_entity = max(len({r["list"] for r in rows if r["entity"] == n}) for n in names)
    spec["height"] = {"step": 9 if per_entity > 1 else 20, "for": "offset"}
    caption = (
        "Bars: when each designation reaching the entity was in force (open bars run to the "
        f"report date {report.as_of}). Black ticks: flagged purchases naming the entity."
    )
    return Chart("chart-timeline", "Designations and purchases per entity", caption, spec)


def buyer_chart(report: Report, top: int = TOP_BUYERS) -> Chart | None:
    """Amounts by buyer (the ``top`` largest), split by ban state."""
    buyers = [g for g in report.buyers if g.amount_usd][:top]
    if not buyers:
        return None
    values: list[dict[str, Any]] = []
    for g in buyers:
        before = round(g.amount_usd - g.in_force_usd, 2)
        for in_force, amount in ((True, g.in_force_usd), (False, before)):
            if amount:
                values.append(
                    {
                        "buyer": g.name,
                        "state": _state(in_force),
                        "amount": amount,
                        "total": g.amount_usd,
                        "records": len(g.records),
                    }
                )
    spec = _with_data("amounts_by_buyer", {"buyers": values})
    shown = (
        f"the {len(buyers)} largest of {len(report.buyers)}" if len(report.buyers) > top else "all"
    )
    return Chart(
        "chart-buyers", "Amounts by buyer", f"US dollars per buyer ({shown} buyers).", spec
    )


def state_map(report: Report, topology: Mapping[str, Any]) -> Chart | None:
    """A map of the United States coloured by flagged spending per state (us-atlas TopoJSON)."""
    states = [
        {"state": US_STATES[g.place.region], "amount": g.amount_usd, "records": len(g.records)}
        for g in report.places
        if g.place and g.place.country == "United States" and g.place.region in US_STATES
    ]
    if not states:
        return None
    spec = _with_data("us_states_map", {"states": states})
    spec["data"]["values"] = dict(topology)
    caption = "US dollars per state of the buyer (see the place table for how places were found)."
    return Chart("chart-map", "Spending by US state", caption, spec)


def build_charts(report: Report, topology: Mapping[str, Any] | None) -> list[Chart]:
    """Every chart that has data, in report order."""
    charts = [
        month_chart(report),
        month_chart(report, after_ban=True),
        timeline_chart(report),
        buyer_chart(report),
    ]
    if topology is not None:
        charts.append(state_map(report, topology))
    return [c for c in charts if c is not None]
