"""``procurewatch inventory``: find equipment of listed makers in an asset list or nmap scan."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from procurewatch.cli_common import StoreOption, app, resolve_store
from procurewatch.cli_screen import parse_mapping, progress_bar
from procurewatch.errors import InputError, UsageError

if TYPE_CHECKING:  # imported by the command (start-up stays short)
    from procurewatch.screen.inventory_run import InventoryRun


def parse_day(text: str | None) -> date:
    """``--date YYYY-MM-DD``; today when not given."""
    if not text:
        return date.today()
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        why = f"--date {text!r}: write the date as YYYY-MM-DD, e.g. 2024-03-31"
        raise UsageError(why) from None


def write_report_if_available(out: Path) -> bool:
    """The HTML report hook: ``procurewatch.report.html.write_inventory_report(out_dir)`` when
    the report module provides it (it may not exist yet); True if a report was written."""
    try:
        from procurewatch.report import html
    except ImportError:
        return False
    writer = getattr(html, "write_inventory_report", None)
    if writer is None:
        return False
    writer(out)
    return True


def _report_line(run: InventoryRun, out: Path) -> str:
    s = run.summary()
    return (f"{s['devices']:,} devices screened as of {s['inventory_date']}, "
            f"{s['flagged_devices']:,} flagged ({s['devices_use_banned']:,} under the "
            f"889(a)(1)(B) use ban), {s['findings']:,} findings, {s['rejected_rows']:,} rows "
            f"rejected -> {out}")  # fmt: skip


InputsArg = Annotated[
    list[Path], typer.Argument(help="Asset lists (CSV/TSV/XLSX/JSON/JSONL) or nmap -oX XML files.")
]
OutOption = Annotated[
    Path, typer.Option("--out", help="Folder for findings.csv, remediation.csv, summary.json ...")
]
MapOption = Annotated[
    list[str] | None,
    typer.Option("--map", help="ROLE=COLUMN, e.g. mac='HW Addr' (roles: mac, manufacturer, "
                 "model, banner, site, serial, hostname, ip; repeatable)."),
]  # fmt: skip
DateOption = Annotated[
    str | None,
    typer.Option("--date", help="Inventory date YYYY-MM-DD for in-force checks (default: today)."),
]
FormatOption = Annotated[
    str | None,
    typer.Option("--format", help="csv, tsv, xlsx, json, jsonl or nmap (default: detected)."),
]
ManufOption = Annotated[
    Path | None,
    typer.Option("--manuf", help="A newer Wireshark manuf file: its MAC blocks take precedence "
                 "over the registry copy netaddr ships (2024-05)."),
]


@app.command("inventory")
def inventory_command(
    inputs: InputsArg,
    out: OutOption,
    map_: MapOption = None,
    day: DateOption = None,
    fmt: FormatOption = None,
    manuf: ManufOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    store: StoreOption = None,
) -> None:
    """Screen an equipment inventory (NDAA 889(a)(1)(B): covered equipment must not be used).

    Writes findings.csv/.jsonl (evidence), remediation.csv (one line per flagged device, by
    site), mac_notes.csv (MACs that cannot be attributed), rejects.csv and summary.json.
    """
    from procurewatch.screen.inventory_run import run_inventory, write_inventory_outputs
    from procurewatch.watchlist.assemble import load_watchlist

    inventory_day = parse_day(day)
    for path in inputs:
        if not path.is_file():
            raise InputError("no such file; check the path", path=str(path))
    watchlist = load_watchlist(resolve_store(store))
    with progress_bar(quiet) as progress:
        run = run_inventory(inputs, watchlist, day=inventory_day, fmt=fmt, manuf=manuf,
                            mapping=parse_mapping(map_) or None, progress=progress)  # fmt: skip
    write_inventory_outputs(out, run, watchlist)
    write_report_if_available(out)
    typer.echo(_report_line(run, out), err=quiet)
