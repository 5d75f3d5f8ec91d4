"""Write ``DIR/report.html``: one self-contained findings report that works offline.

The page loads nothing: the vendored Vega, Vega-Lite and vega-embed builds are inlined, the
chart specs sit in ``<script type="application/json">`` blocks, and there is no external
``src`` or ``href``. Jinja2 autoescaping is on, so every value that came from the data (vendor,
buyer, description, matched text) is shown as text, never as markup; JSON inside script
blocks has ``<``, ``>`` and ``&`` escaped so that data cannot close the block.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from procurewatch.atomic import atomic_write, folder_lock
from procurewatch.errors import InputError
from procurewatch.report.aggregate import Report, build_report
from procurewatch.report.charts import Chart, build_charts
from procurewatch.report.extras import fx_function, input_notes, review_statuses
from procurewatch.report.glossary import gloss
from procurewatch.report.inventory import write_inventory_report as write_inventory_report
from procurewatch.report.set_aside import SetAside, load_set_aside
from procurewatch.screen.hits import RULES

REPORT_FILE = "report.html"
MAX_EVIDENCE = 5000
"""Flagged records shown with their evidence; the figures and tables always cover them all."""
VENDORED_JS = ("vega.min.js", "vega-lite.min.js", "vega-embed.min.js")
ASSET_VERSIONS = {
    "Vega": "5.33.1",
    "Vega-Lite": "5.23.0",
    "vega-embed": "6.29.0",
    "us-atlas": "3.0.1",
}
"""Versions of the vendored files in ``assets/`` (see ``assets/README.md``)."""
_SCRIPT_BREAK = re.compile(r"<(/script|!--)", re.IGNORECASE)


def read_summary(out_dir: Path) -> dict[str, Any]:
    """``DIR/summary.json``, or an InputError saying how to produce it."""
    path = out_dir / "summary.json"
    if not path.is_file():
        raise InputError(
            "no summary.json here; give the --out folder of `procurewatch screen` or a run id",
            path=str(out_dir),
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"not valid JSON ({exc}); re-run the screen", path=str(path)) from None
    if not isinstance(data, dict):
        raise InputError("expected a JSON object; re-run the screen", path=str(path))
    return data


def read_hits(out_dir: Path) -> list[dict[str, Any]]:
    """The hit dicts of ``DIR/hits.jsonl`` (none when the file is absent: no hits)."""
    path = out_dir / "hits.jsonl"
    if not path.is_file():
        return []
    hits: list[dict[str, Any]] = []
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(
                    f"not a JSON line ({exc.msg})", path=str(path), line=number
                ) from None
            if not isinstance(item, dict):
                raise InputError("expected a JSON object", path=str(path), line=number)
            hits.append(item)
    return hits


def find_store(out_dir: Path, store: Path | None) -> Path | None:
    """The store with review decisions: ``--store``, else ``DIR/store.duckdb``, else the default
    (:func:`procurewatch.settings.decisions_store`)."""
    from procurewatch import settings

    return settings.decisions_store(out_dir, store)


def _asset(name: str) -> str:
    return (resources.files("procurewatch.report") / "assets" / name).read_text("utf-8")


@lru_cache(maxsize=1)
def vendored_js() -> Markup:
    """The vendored Vega builds as one inline script body, unable to close its script tag."""
    code = "\n;\n".join(_asset(name) for name in VENDORED_JS)
    return Markup(_SCRIPT_BREAK.sub(lambda m: "<\\" + m.group(1), code))


@lru_cache(maxsize=1)
def us_states_topology() -> dict[str, Any]:
    """The vendored us-atlas TopoJSON of the US states."""
    data: dict[str, Any] = json.loads(_asset("us-states-10m.json"))
    return data


def script_json(value: Any) -> Markup:
    """JSON for a ``<script type="application/json">`` block: ``<``, ``>``, ``&`` escaped."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def usd(value: float | None) -> str:
    """``$1,234,568`` (whole dollars); an en dash for no value."""
    if value is None:
        return "–"
    sign = "-" if value < 0 else ""
    return f"{sign}${abs(value):,.0f}"


def usd_short(value: float | None) -> str:
    """``$648.3M``, ``$1.2B``, ``$96,400``: compact for the headline cards."""
    if value is None:
        return "–"
    for size, suffix in ((1e9, "B"), (1e6, "M")):
        if abs(value) >= size:
            return f"{'-' if value < 0 else ''}${abs(value) / size:,.1f}{suffix}"
    return usd(value)


def number(value: float | None, digits: int = 2) -> str:
    """``1,234.56``; an en dash for no value."""
    return "–" if value is None else f"{value:,.{digits}f}"


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("procurewatch.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        usd=usd, usd_short=usd_short, number=number, script_json=script_json, gloss=gloss
    )
    return env


def render(
    report: Report,
    charts: list[Chart],
    *,
    max_evidence: int = MAX_EVIDENCE,
    set_aside: SetAside | None = None,
    reading: Sequence[str] = (),
) -> str:
    """The report page as a string; at most ``max_evidence`` records get an evidence block;
    ``set_aside`` lists the mentions the context rules set aside and ``reading`` how the inputs
    were read (both collapsed)."""
    template = _environment().get_template("report.html.j2")
    return template.render(
        set_aside=set_aside or SetAside([], []),
        reading=list(reading),
        report=report,
        h=report.headline,
        charts=charts,
        rules=RULES,
        vendored_js=vendored_js(),
        versions=ASSET_VERSIONS,
        max_evidence=max_evidence,
    )


def build(out_dir: Path, *, store: Path | None = None) -> tuple[Report, list[Chart]]:
    """Read the run in ``out_dir`` and build the report model and its charts."""
    report, charts, _ = build_all(out_dir, store=store)
    return report, charts


def build_all(out_dir: Path, *, store: Path | None = None) -> tuple[Report, list[Chart], SetAside]:
    """The report model, its charts and the set-aside list; mentions a reviewer confirmed out
    of the set-aside list count as hits. How the inputs were read: :func:`input_notes`."""
    summary = read_summary(out_dir)
    found = find_store(out_dir, store)
    aside = load_set_aside(out_dir, found, str(summary.get("run_id") or ""))
    hits = read_hits(out_dir) + aside.restored
    fx, fx_note = fx_function()
    statuses, review_note = review_statuses(found, hits)
    notes = (fx_note, review_note)
    report = build_report(hits, summary, statuses=statuses, fx=fx, notes=notes)
    return report, build_charts(report, us_states_topology()), aside


def write_report(
    out_dir: Path, *, store: Path | None = None, unless: Callable[[], bool] | None = None
) -> Path:
    """Write ``out_dir/report.html`` (atomically) from the run's outputs in ``out_dir``.

    One process at a time builds a folder's report (an advisory lock on the folder, taken by
    the CLI and the service alike); ``unless``, asked once the lock is
    held, skips the build when it says the report is already fresh.
    """
    path = out_dir / REPORT_FILE
    with folder_lock(out_dir):
        if unless is not None and unless():
            return path
        report, charts, aside = build_all(out_dir, store=store)
        reading = input_notes(read_summary(out_dir))
        with atomic_write(path) as fh:
            fh.write(render(report, charts, set_aside=aside, reading=reading))
    return path
