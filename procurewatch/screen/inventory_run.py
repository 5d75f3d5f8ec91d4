"""An inventory run: open the files, screen every device, write the findings and a remediation list.

Outputs of ``procurewatch inventory INPUT --out DIR`` (every file atomic, formula-neutralized):

``findings.csv`` / ``findings.jsonl``  one line per piece of evidence (DESIGN.md contract columns
                                       plus the device and ``maker`` / ``use_banned``)
``remediation.csv``                    one line per flagged device, grouped by site: what to
                                       replace, why, which company, which ban and since when
``mac_notes.csv``                      MAC addresses that cannot be attributed (randomized,
                                       multicast, malformed): check those devices by hand
``rejects.csv``                        rows that could not be read
``summary.json``                       counts; written last, so it marks a complete run
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from procurewatch.ingest.base import Reject
from procurewatch.ingest.inventory import InventoryMap, open_inventory
from procurewatch.match.oui import OuiAttributor
from procurewatch.match.oui_registry import load_index_with
from procurewatch.model import Watchlist
from procurewatch.screen.engines.local import fingerprint
from procurewatch.screen.inventory import (
    DeviceResult,
    Finding,
    InventoryContext,
    MacNote,
    screen_inventory_batch,
)
from procurewatch.screen.output import write_csv, write_json, write_jsonl
from procurewatch.screen.remediation import REMEDIATION_COLUMNS, remediation_rows
from procurewatch.screen.run import REJECT_COLUMNS, build_context, new_run_id

FINDING_COLUMNS = (
    "hit_id", "source_file", "row", "field", "matched_text", "rule", "entity_id", "entity_name",
    "score", "lists", "in_force", "maker", "use_banned", "inventory_date", "site", "device",
    "hostname", "ip", "mac", "manufacturer", "model", "serial", "via", "lead", "explanation",
)  # fmt: skip
"""Columns of ``findings.csv``: the DESIGN.md contract columns, the device, then the evidence."""
MAC_NOTE_COLUMNS = ("source_file", "row", "field", "value", "status", "note", "device")
Progress = Callable[[int], None]


@dataclass
class InventoryInputResult:
    """What screening one inventory file gave (only flagged devices are kept)."""

    path: str
    format: str
    fingerprint: str
    roles: InventoryMap
    devices: int = 0
    flagged: list[DeviceResult] = field(default_factory=list)
    notes: list[MacNote] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)


@dataclass
class InventoryRun:
    """Everything an inventory run produced."""

    run_id: str
    started_at: str
    finished_at: str
    day: date
    inputs: list[InventoryInputResult]
    lists: tuple[str, ...]

    @property
    def findings(self) -> list[Finding]:
        """All findings, in input and row order."""
        return [f for i in self.inputs for d in i.flagged for f in d.findings]

    def summary(self) -> dict[str, Any]:
        """The ``summary.json`` content."""
        flagged = [d for i in self.inputs for d in i.flagged]
        findings = self.findings
        notes = Counter(n.lookup.status for i in self.inputs for n in i.notes)
        return {
            "run_id": self.run_id, "started_at": self.started_at, "finished_at": self.finished_at,
            "inventory_date": self.day.isoformat(),
            "devices": sum(i.devices for i in self.inputs),
            "flagged_devices": len(flagged),
            "flagged_not_only_leads": sum(any(not f.hit.lead for f in d.findings) for d in flagged),
            "devices_use_banned": sum(any(f.use_banned for f in d.findings) for d in flagged),
            "rejected_rows": sum(len(i.rejects) for i in self.inputs),
            "findings": len(findings),
            "findings_by_rule": dict(Counter(f.hit.rule for f in findings).most_common()),
            "findings_by_maker": dict(Counter(f.maker for f in findings).most_common()),
            "mac_not_attributed": dict(notes),
            "inputs": [_input_summary(i) for i in self.inputs],
            "lists": list(self.lists),
        }  # fmt: skip


def _input_summary(result: InventoryInputResult) -> dict[str, Any]:
    return {"path": result.path, "format": result.format, "fingerprint": result.fingerprint,
            "devices": result.devices, "flagged_devices": len(result.flagged),
            "rejected_rows": len(result.rejects), "roles": asdict(result.roles)}  # fmt: skip


def build_inventory_context(watchlist: Watchlist, day: date,
                            manuf: Path | None = None) -> InventoryContext:  # fmt: skip
    """Compile the matcher, the text scanner and the OUI index once for a run."""
    screen = build_context(watchlist)
    return InventoryContext(screen, OuiAttributor(load_index_with(manuf), screen.matcher), day)


def screen_inventory_file(path: Path, ctx: InventoryContext, *,
                          mapping: Mapping[str, str] | None = None, fmt: str | None = None,
                          batch_size: int = 65536,
                          progress: Progress | None = None) -> InventoryInputResult:  # fmt: skip
    """Screen one inventory file."""
    opened = open_inventory(path, mapping=mapping, fmt=fmt, batch_size=batch_size)
    result = InventoryInputResult(str(path), opened.reader.format, fingerprint(path), opened.roles)
    ctx.input_sha256 = result.fingerprint
    for batch in opened.reader.batches():
        for device in screen_inventory_batch(batch, opened.roles, ctx):
            result.notes.extend(device.notes)
            if device.findings:
                result.flagged.append(device)
        result.devices += batch.num_rows
        if progress is not None:
            progress(batch.num_rows)
    result.rejects = list(opened.reader.rejects)
    return result


def run_inventory(paths: Sequence[Path], watchlist: Watchlist, *, day: date,
                  mapping: Mapping[str, str] | None = None, fmt: str | None = None,
                  manuf: Path | None = None, batch_size: int = 65536,
                  progress: Progress | None = None) -> InventoryRun:  # fmt: skip
    """Screen inventory files against ``watchlist`` as of ``day``."""
    started = datetime.now(UTC)
    ctx = build_inventory_context(watchlist, day, manuf)
    inputs = [screen_inventory_file(p, ctx, mapping=mapping, fmt=fmt, batch_size=batch_size,
                                    progress=progress) for p in paths]  # fmt: skip
    return InventoryRun(new_run_id(started), started.isoformat(timespec="seconds"),
                        datetime.now(UTC).isoformat(timespec="seconds"), day, inputs,
                        watchlist.versions)  # fmt: skip


def _note_row(note: MacNote) -> dict[str, Any]:
    return {"source_file": note.device.source_file, "row": note.device.row, "field": note.column,
            "value": note.lookup.text, "status": note.lookup.status, "note": note.lookup.note(),
            "device": note.device.label()}  # fmt: skip


def write_inventory_outputs(out_dir: Path, run: InventoryRun, watchlist: Watchlist) -> None:
    """findings.csv/.jsonl, remediation.csv, mac_notes.csv, rejects.csv, then summary.json."""
    findings = run.findings
    write_csv(out_dir / "findings.csv", FINDING_COLUMNS, (f.row_dict() for f in findings))
    write_jsonl(out_dir / "findings.jsonl", (f.json_dict() for f in findings))
    flagged = [d for i in run.inputs for d in i.flagged]
    remediation = remediation_rows(flagged, watchlist)
    write_csv(out_dir / "remediation.csv", REMEDIATION_COLUMNS, remediation)
    notes = (_note_row(n) for i in run.inputs for n in i.notes)
    write_csv(out_dir / "mac_notes.csv", MAC_NOTE_COLUMNS, notes)
    rejects = ({"file": r.file, "line": r.line, "row": r.row, "reason": r.reason, "raw": r.raw}
               for i in run.inputs for r in i.rejects)  # fmt: skip
    write_csv(out_dir / "rejects.csv", REJECT_COLUMNS, rejects)
    write_json(out_dir / "summary.json", run.summary())
