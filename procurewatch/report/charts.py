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
from procurewatch.report.glossary import gloss
from procurewatch.report.places import US_STATES
from procurewatch.report.records import Record
from procurewatch.report.tables import Group, MonthRow, by_month

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
    half: bool = False
    """Drawn at half width beside its pair on a wide screen (the vendor and buyer rankings)."""


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


def _month_values(rows: tuple[MonthRow, ...]) -> list[dict[str, Any]]:
    return [
        {
            "day": f"{m.month}-01",
            "month": m.month,
            "state": _state(m.in_force),
            "amount": m.amount_usd,
            "records": m.records,
        }
        for m in rows
    ]


def _markers(report: Report) -> list[dict[str, Any]]:
    lanes = _lanes(report)
    return [
        {"day": m.day, "label": m.label, "number": str(i + 1), "offset": lanes[i]}
        for i, m in enumerate(report.markers)
    ]


def currency_groups(report: Report) -> list[tuple[str, tuple[MonthRow, ...]]]:
    """Monthly rows per currency of the purchases, the currency with most records first."""
    by_currency: dict[str, list[Record]] = {}
    for _, r in report.counted():
        by_currency.setdefault(r.currency, []).append(r)
    ordered = sorted(by_currency.items(), key=lambda item: (-len(item[1]), item[0]))
    groups = [(currency, by_month(records)) for currency, records in ordered]
    return [(c, rows) for c, rows in groups if rows]


def month_charts(report: Report) -> list[Chart]:
    """Spending by month: one chart per currency of the purchases, each on its own scale, so
    that one large project in yuan cannot flatten every purchase in dollars."""
    groups = currency_groups(report)
    if len(groups) <= 1:
        chart = month_chart(report)
        return [chart] if chart else []
    charts = []
    marks = _markers(report)
    legend = tuple(f"{m['number']} · {m['day']} · {m['label']}" for m in marks)
    for n, (currency, rows) in enumerate(groups):
        spec = _with_data("spending_by_month", {"months": _month_values(rows), "markers": marks})
        records = sum(m.records for m in rows)
        chart_id = "chart-months" if n == 0 else f"chart-months-{currency.lower()}"
        caption = (
            f"The {records} flagged purchase(s) made in {currency}, converted to US dollars, by "
            "month, on their own scale. Numbered dashed lines: the first day each list applied "
            "to a matched entity."
        )
        title = f"Spending by month: purchases in {currency}"
        charts.append(Chart(chart_id, title, caption, spec, legend if n == 0 else ()))
    return charts


def month_chart(report: Report, *, after_ban: bool = False) -> Chart | None:
    """Spending by month (bars, by ban state) with a numbered dashed rule at each list's start.

    With ``after_ban`` only the purchases made while a ban was in force, on their own scale (so
    that large purchases from before the bans do not flatten them); None when that would show
    the same bars as the chart of all purchases.
    """
    rows = tuple(m for m in report.months if m.in_force or not after_ban)
    if not rows or (after_ban and len(rows) == len(report.months)):
        return None
    marks = _markers(report)
    spec = _with_data("spending_by_month", {"months": _month_values(rows), "markers": marks})
    legend = tuple(f"{m['number']} · {m['day']} · {m['label']}" for m in marks)
    if after_ban:
        spec["layer"][0]["encoding"]["color"]["legend"] = None
        caption = (
            "Only the purchases made while a designation of the matched entity was in force, "
            "on their own scale. Numbered dashed lines: the first day each list applied to a "
            "matched entity."
        )
        if len(currency_groups(report)) > 1:
            _by_currency_log(report, spec)
            legend = ()  # the monthly charts above number the same lines
            caption = (
                "Only the purchases made while a designation of the matched entity was in force, "
                "in US dollars on a logarithmic scale, coloured by the currency they were made "
                "in, so that a large project in one currency does not hide the others. Numbered "
                "dashed lines as in the first monthly chart."
            )
        return Chart("chart-months-ban", "Spending after a ban, by month", caption, spec, legend)
    caption = (
        "Flagged purchases with a known date and a US-dollar amount, by month. Numbered "
        "dashed lines: the first day each list applied to a matched entity."
    )
    return Chart("chart-months", "Spending by month", caption, spec, legend)


def _by_currency_log(report: Report, spec: Spec) -> None:
    """Turn the after-ban chart into bars per currency (not stacked) on a symlog scale; each
    month's larger bar is drawn first so that the smaller one stays visible in front of it."""
    sums: dict[tuple[str, str], list[float]] = {}
    for _, r in report.counted():
        if r.in_force and r.day is not None and r.amount_usd is not None:
            sums.setdefault((r.day.strftime("%Y-%m"), r.currency), []).append(r.amount_usd)
    values = [
        {"day": f"{month}-01", "month": month, "currency": currency, "state": currency,
         "amount": round(sum(v), 2), "records": len(v)}
        for (month, currency), v in sorted(sums.items(), key=lambda kv: (kv[0][0], -sum(kv[1])))
    ]  # fmt: skip
    spec["datasets"]["months"] = values
    bars = spec["layer"][0]["encoding"]
    top = max((sum(v) for v in sums.values()), default=1.0)
    ticks = [10**k for k in range(0, 13) if 10 ** (k - 1) <= top][-8:]
    bars["y"].update(stack=None, scale={"type": "symlog"}, title="US dollars (log scale)")
    bars["y"]["axis"] = {
        **bars["y"].get("axis", {}),
        "values": ticks,
        "labelExpr": "format(datum.value, '$~s')",
    }
    bars["color"] = {
        "field": "currency", "type": "nominal", "title": "made in",
        "scale": {"range": ["#b42318", "#f79009", "#7a5af8", "#0e9384"]},
        "legend": {"orient": "top", "direction": "horizontal"},
    }  # fmt: skip
    bars["tooltip"][1] = {"field": "currency", "type": "nominal", "title": "made in"}


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
    """Designations per entity as bars over time, with a tick for each purchase naming it.

    A bar runs from when the designation began to reach the entity (its start, or a later
    relation's: Lorex from Dahua's purchase) to when it stopped (its end, or a relation's end:
    Lorex when Dahua sold it); only bars with no end run on to the report's date.
    """
    rows: list[dict[str, Any]] = []
    for g in report.entities:
        for d in g.designations:
            if d.since:
                rows.append(
                    {
                        "entity": g.name,
                        "list": d.label,
                        "start": d.since,
                        "from": d.since,
                        "ended": f"{d.until} ({d.end_reason})" if d.until else "in force",
                        "end": d.until or report.as_of or d.since,
                        "open": not d.until,
                        "via": d.via or "directly listed",
                    }
                )
    if not rows:
        return None
    purchases = [
        {
            "entity": g.name,
            "day": r.day.isoformat(),
            "date": r.day.isoformat(),
            "vendor": r.vendor,
            "amount": r.amount_usd,
        }
        for g in report.entities
        for r in (report.records[i] for i in g.records)
        if r.day
    ]
    spec = _with_data("designations_timeline", {"designations": rows, "purchases": purchases})
    names = list(dict.fromkeys(g.name for g in report.entities))
    spec["encoding"]["y"]["sort"] = names
    per_entity = max(len({r["list"] for r in rows if r["entity"] == n}) for n in names)
    spec["height"] = {"step": 4 if per_entity > 1 else 14, "for": "offset"}
    caption = (
        "Bars: when each designation reached the entity, ending where the designation or the "
        "relation carrying it ended (Lorex: when Dahua sold it); bars with no end run to the "
        f"report date {report.as_of}. Black ticks: flagged purchases naming the entity."
    )
    return Chart("chart-timeline", "Designations and purchases per entity", caption, spec)


def _label(name: str) -> str:
    """The axis label: the English gloss of a Chinese name, else the name."""
    found = gloss(name)
    return found.english if found else name


def totals_chart(groups: tuple[Group, ...], kind: str, top: int = TOP_BUYERS) -> Chart | None:
    """Amounts per buyer or vendor (``kind``), the ``top`` largest, split by ban state.

    Long names are cut on the axis; the full name (and the Chinese original of a glossed
    name) is in the tooltip and in the table under the chart.
    """
    shown = [g for g in groups if g.amount_usd][:top]
    if not shown:
        return None
    values: list[dict[str, Any]] = []
    for g in shown:
        before = round(g.amount_usd - g.in_force_usd, 2)
        for in_force, amount in ((True, g.in_force_usd), (False, before)):
            if amount:
                values.append(
                    {
                        "label": _label(g.name),
                        "name": g.name,
                        "state": _state(in_force),
                        "amount": amount,
                        "total": g.amount_usd,
                        "records": len(g.records),
                    }
                )
    spec = _with_data("amounts_by_buyer", {"buyers": values})
    spec["layer"][0]["encoding"]["tooltip"][0]["title"] = kind
    which = f"the {len(shown)} largest of {len(groups)}" if len(groups) > top else "all"
    caption = (
        f"US dollars per {kind} ({which} {kind}s). Hover a bar for the full name; the table "
        f"below lists every {kind}."
    )
    return Chart(f"chart-{kind}s", f"Amounts by {kind}", caption, spec, half=True)


def buyer_chart(report: Report, top: int = TOP_BUYERS) -> Chart | None:
    """Amounts by buyer (the ``top`` largest), split by ban state."""
    return totals_chart(report.buyers, "buyer", top)


def vendor_chart(report: Report, top: int = TOP_BUYERS) -> Chart | None:
    """Amounts by vendor (the ``top`` largest), split by ban state."""
    return totals_chart(report.vendors, "vendor", top)


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
        *month_charts(report),
        month_chart(report, after_ban=True),
        timeline_chart(report),
        vendor_chart(report),
        buyer_chart(report),
    ]
    if topology is not None:
        charts.append(state_map(report, topology))
    return [c for c in charts if c is not None]
