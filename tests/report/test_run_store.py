"""The report of a run recorded in the store: found by its run id, with review decisions applied.

Uses the screen's outputs, the run store and the review module as they are: a broken import in
any of them fails these tests rather than skipping them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from procurewatch.cli import main

from .composed import ENTITY_LIST, FCC, HIKVISION, NDAA, designation


def composed_hit(row: int, day: str, description: str, model: str, amount: str) -> Any:
    """A Hikvision model-number hit as the screen makes it (composed record, real model)."""
    from procurewatch.screen.hits import Hit

    start = description.index(model)
    designations = tuple(designation(d, "hikvision", day) for d in (NDAA, ENTITY_LIST, FCC))
    return Hit(
        source_file="purchases.csv", row=row, field="Description", matched_text=model,
        rule="model", entity_id=HIKVISION[0], entity_name=HIKVISION[1],
        score=0.95, lists=tuple(d["list"] for d in designations), in_force=day >= "2019-08-13",
        record_date=day, vendor="Tri-County Security Systems LLC", buyer="City of Austin, TX",
        amount=amount, currency="USD", description=description, span=(start, start + len(model)),
        designations=designations, input_sha256="ab" * 32,
    )  # fmt: skip


@pytest.fixture
def stored_run(tmp_path: Path) -> tuple[Path, Path]:
    """(output folder, store) of a run of two hits saved in a store, one hit dismissed."""
    from procurewatch import review
    from procurewatch.ingest.base import FieldMap
    from procurewatch.screen.engines import local
    from procurewatch.screen.run import RunResult, write_outputs
    from procurewatch.store.runs import save_run

    hits = [
        composed_hit(3, "2020-06-01", "DS-2CD2143G2-I domes (x4)", "DS-2CD2143G2-I", "1,200.00"),
        composed_hit(9, "2021-02-10", "NVR DS-7616NI-I2/16P", "DS-7616NI-I2/16P", "2,500.00"),
    ]
    item = local.InputResult("purchases.csv", "csv", "cd" * 32, FieldMap(), records=12, hits=hits)
    run = RunResult("run-report-test", "2024-01-01T00:00:00+00:00", "2024-01-01T00:00:01+00:00",
                    "local", [item], ("bundled",))  # fmt: skip
    out, store = tmp_path / "out", tmp_path / "store.duckdb"
    write_outputs(out, run)
    save_run(store, run, out)
    review.dismiss(store, run.run_id, hits[1].hit_id, reviewer="alice", reason="returned unused")
    return out, store


def test_report_by_run_id_applies_review_decisions(
    stored_run: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    out, store = stored_run
    main(["report", "run-report-test", "--store", str(store)])
    assert capsys.readouterr().out.strip() == str(out.resolve() / "report.html")
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "1 of 2 hit(s) decided" in html
    assert "dismissed by alice: returned unused" in html
    assert 'title="$1,200">$1,200</div>' in html  # the dismissed $2,500 is not in the total
