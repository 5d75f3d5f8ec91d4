"""A screening run: compile the watchlist, screen the inputs, write the outputs, record the run."""

from __future__ import annotations

import os
import secrets
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from procurewatch.cache import DiskCache
from procurewatch.ingest.valueformat import input_notes
from procurewatch.match.text import TextScanner
from procurewatch.matcher_cache import compiled_for
from procurewatch.model import Watchlist
from procurewatch.screen.core import ScreenContext
from procurewatch.screen.engines.head import HeadStart, head_start
from procurewatch.screen.engines.local import InputResult, Progress, screen_files
from procurewatch.screen.hits import SET_ASIDE_COLUMNS, Hit, set_aside_row
from procurewatch.screen.name_memo import NameMemo, memo_key
from procurewatch.screen.output import write_csv, write_hits, write_json
from procurewatch.settings import MATCH_THRESHOLD

REJECT_COLUMNS = ("file", "line", "row", "reason", "raw")


@dataclass
class RunResult:
    """Everything a run produced."""

    run_id: str
    started_at: str
    finished_at: str
    engine: str
    inputs: list[InputResult]
    lists: tuple[str, ...]
    parameters: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    """Seconds spent compiling the watchlist and screening the inputs."""

    @property
    def hits(self) -> list[Hit]:
        """All hits of all inputs, in input and row order."""
        return [h for i in self.inputs for h in i.hits]

    @property
    def set_aside(self) -> list[Hit]:
        """The mentions the context rules set aside (exclusion clauses, reference uses, places,
        people), in input and row order: not hits, kept in ``set_aside.csv``."""
        return [h for i in self.inputs for h in i.set_aside]

    def notes(self, item: InputResult) -> list[str]:
        """What could not be decided about an input's amounts and dates, said once."""
        currency = self.parameters.get("default_currency")
        return input_notes(item.field_map.formats, item.field_map.amount, currency)

    def summary(self) -> dict[str, Any]:
        """The ``summary.json`` content."""
        hits = self.hits
        return {
            "run_id": self.run_id,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "engine": self.engine,
            "records": sum(i.records for i in self.inputs),
            "flagged_records": sum(i.flagged_records for i in self.inputs),
            "rejected_rows": sum(len(i.rejects) for i in self.inputs),
            "hits": len(hits),
            "hits_in_force": sum(1 for h in hits if h.in_force),
            "hits_by_rule": dict(Counter(h.rule for h in hits).most_common()),
            "hits_by_entity": dict(Counter(h.entity_id for h in hits).most_common()),
            "set_aside": len(self.set_aside),
            "notes": [f"{i.path}: {n}" for i in self.inputs for n in self.notes(i)],
            "set_aside_by_reason": dict(
                Counter(h.set_aside.split(":", 1)[0] for h in self.set_aside).most_common()
            ),
            "inputs": [
                {
                    "path": i.path,
                    "format": i.format,
                    "fingerprint": i.fingerprint,
                    "records": i.records,
                    "flagged_records": i.flagged_records,
                    "rejected_rows": len(i.rejects),
                    "field_map": asdict(i.field_map),
                }
                for i in self.inputs
            ],
            "lists": list(self.lists),
            "parameters": self.parameters,
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
        }


def new_run_id(now: datetime) -> str:
    """``run-YYYYMMDD-HHMMSS-xxxxxx``."""
    return f"run-{now:%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"


def build_context(watchlist: Watchlist, default_currency: str | None = None) -> ScreenContext:
    """Compile the name matcher and text scanner once for a run (``PROCUREWATCH_PREFILTER``:
    ``re2`` or ``hyperscan`` picks the prefilter engine; default: the fastest installed)."""
    bundled = [e.id for e in watchlist.entities.values() if e.dataset == "bundled"]
    ctx = ScreenContext.build(
        compiled_for(watchlist, MATCH_THRESHOLD),
        TextScanner.compile(watchlist, entity_ids=bundled),
        os.environ.get("PROCUREWATCH_PREFILTER", "auto"),
        DiskCache(),
    )
    ctx.default_currency = default_currency
    return ctx


def run_screen(
    paths: Sequence[Path],
    watchlist: Watchlist,
    *,
    mapping: Mapping[str, str] | None = None,
    batch_size: int = 65536,
    progress: Progress | None = None,
    default_currency: str | None = None,
    sheet: str | None = None,
    head: HeadStart | None = None,
) -> RunResult:
    """Screen ``paths`` against ``watchlist`` with the local engine (``sheet``: a workbook's
    sheet by name or number, or ``all``; ``head``: the first input opened already, see
    :func:`~procurewatch.screen.engines.head.head_start`)."""
    started = datetime.now(UTC)
    clock = time.perf_counter()
    if head is None:
        head = head_start(paths, mapping=mapping, batch_size=batch_size, sheet=sheet)
    try:  # the first file's line count runs while the matchers compile
        ctx = build_context(watchlist, default_currency)
        memo = NameMemo(memo_key(ctx.matcher))
        memo.load(ctx)
        compiled = time.perf_counter()
        inputs = screen_files(
            paths, ctx, mapping=mapping, batch_size=batch_size, progress=progress, sheet=sheet,
            head=head,
        )  # fmt: skip
    finally:
        if head is not None:
            head.close()
    timings = {"compile_s": compiled - clock, "screen_s": time.perf_counter() - compiled}
    memo.save(ctx)
    return RunResult(
        run_id=new_run_id(started),
        started_at=started.isoformat(timespec="seconds"),
        finished_at=datetime.now(UTC).isoformat(timespec="seconds"),
        engine="local",
        inputs=inputs,
        lists=watchlist.versions,
        parameters={
            "threshold": ctx.matcher.threshold,
            "mapping": dict(mapping or {}),
            "batch_size": batch_size,
            "default_currency": default_currency,
            "sheet": sheet,
        },
        timings=timings,
    )


def write_outputs(out_dir: Path, result: RunResult) -> None:
    """hits.csv, hits.jsonl, rejects.csv, set_aside.csv and summary.json (summary last: it marks completion)."""
    write_hits(out_dir, result.hits)
    rejects = (
        {"file": r.file, "line": r.line, "row": r.row, "reason": r.reason, "raw": r.raw}
        for i in result.inputs
        for r in i.rejects
    )
    write_csv(out_dir / "rejects.csv", REJECT_COLUMNS, rejects)
    write_csv(
        out_dir / "set_aside.csv", SET_ASIDE_COLUMNS, (set_aside_row(h) for h in result.set_aside)
    )
    write_json(out_dir / "summary.json", result.summary())
