"""Build a small screening run by hand (hits with evidence) and record it in a store."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from procurewatch.ingest.base import FieldMap
from procurewatch.screen.engines.local import InputResult
from procurewatch.screen.hits import Hit
from procurewatch.screen.run import RunResult, write_outputs
from procurewatch.store.runs import save_run

FINGERPRINT = "a" * 64
LISTS = ("bundled", "csl-2026-1a2b3c4d")
DESIGNATION: dict[str, Any] = {
    "list": "us-ndaa-889-a1a",
    "list_name": "NDAA sec. 889(a)(1)(A)",
    "authority": "US Congress",
    "listed": "2018-08-13",
    "in_force_from": "2019-08-13",
    "ended": None,
    "holder": "hikvision",
    "via": [],
    "in_force": True,
    "citation": "Pub. L. 115-232, sec. 889",
    "source": "pl-115-232",
}


def make_hit(
    row: int,
    field: str,
    matched: str,
    rule: str,
    entity_id: str,
    *,
    vendor: str | None,
    file: str = "purchases.csv",
    sha: str = FINGERPRINT,
) -> Hit:
    """A hit with the usual evidence columns filled in."""
    return Hit(
        source_file=file,
        row=row,
        field=field,
        matched_text=matched,
        rule=rule,
        entity_id=entity_id,
        entity_name=entity_id.title(),
        score=1.0,
        lists=("us-ndaa-889-a1a",),
        in_force=True,
        record_date="2021-03-15",
        vendor=vendor,
        buyer="City of Springfield",
        amount="12,500.00",
        currency="USD",
        description='=HYPERLINK("http://x") DS-2CD2042WD-I',
        explanation="test",
        designations=(DESIGNATION,),
        input_sha256=sha,
    )


def base_hits() -> list[Hit]:
    """A model-number hit, a vendor-name hit and a false alarm (a plumber called Dahua)."""
    return [
        make_hit(
            1,
            "Description",
            "DS-2CD2042WD-I",
            "model",
            "hikvision",
            vendor="<script>alert(1)</script>",
        ),
        make_hit(
            2, "Vendor", "Hikvision USA Inc", "vendor-name", "hikvision", vendor="Hikvision USA Inc"
        ),
        make_hit(3, "Description", "Dahua", "text-name", "dahua", vendor="Dahua Plumbing LLC"),
    ]


def make_run(
    run_id: str,
    hits: Sequence[Hit],
    *,
    started: str,
    path: str = "purchases.csv",
    sha: str = FINGERPRINT,
) -> RunResult:
    """A RunResult as ``run_screen`` would give, for one CSV input."""
    item = InputResult(
        path,
        "csv",
        sha,
        FieldMap(vendor=("Vendor",), text=("Description",)),
        records=10,
        hits=list(hits),
    )
    return RunResult(run_id, started, started, "local", [item], LISTS)


@dataclass
class Env:
    """A store and a function that records a run in it (outputs in ``tmp/<run id>``)."""

    store: Path
    tmp: Path

    def record(self, run: RunResult) -> Path:
        """Write the run's outputs and save it in the store; returns the output folder."""
        out = self.tmp / run.run_id
        write_outputs(out, run)
        save_run(self.store, run, out)
        return out
