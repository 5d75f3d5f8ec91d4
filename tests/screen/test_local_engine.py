"""The local engine on several processes gives the same hits, in the same order, as on one."""

from __future__ import annotations

import csv
import time
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from procurewatch.ingest import duckcsv
from procurewatch.screen.core import screen_batch
from procurewatch.screen.engines import head, local
from procurewatch.screen.hits import Hit
from procurewatch.screen.run import build_context
from procurewatch.watchlist.bundled import load_bundled

ROWS = [
    ("2020-03-02", "Hikvision USA Inc", "Police", "DS-2CD2143G2-I dome camera x12", "4,310.00"),
    ("2021-07-19", "Summit Electric LLC", "Parks", "Dahua IPC-HFW2431S-S-S2 bullet camera", "980.00"),
    ("2018-01-05", "Acme Office Supply", "Finance", "Toner and paper", "120.50"),
    ("2022-05-05", "HIKVISON USA", "Water", "NVR DS-7608NI-K2 8 channel", "655.00"),
]


def _write(path: Path, copies: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["Check Date", "Vendor Name", "Department", "Invoice Description", "Amount"])
        for i in range(copies):
            writer.writerows(ROWS if i % 50 == 0 else [ROWS[2]])


def test_parallel_equals_serial(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "payments.csv"
    _write(path, 20_000)
    monkeypatch.setattr(local, "PARALLEL_MIN_BYTES", 0)
    ctx = build_context(load_bundled())
    serial = local.screen_file(path, ctx, workers=1, batch_size=1000, fast=False)
    parallel = local.screen_file(path, ctx, workers=2, batch_size=1000, fast=False)
    assert serial.records == parallel.records == 20_000 + 3 * 400
    assert [h.row_dict() for h in serial.hits] == [h.row_dict() for h in parallel.hits]
    assert {h.entity_id for h in serial.hits} >= {"hikvision-usa", "hikvision", "dahua"}


def test_fast_path_equals_careful_reader(tmp_path: Path) -> None:
    path = tmp_path / "payments.csv"
    _write(path, 5_000)
    ctx = build_context(load_bundled())
    reader = local.open_input(path)
    probe = local.InputResult(str(path), reader.format, "", reader.field_map)
    assert local._fast(reader, ctx, probe, None)  # the clean file does take the fast path
    fast = local.screen_file(path, ctx, fast=True)
    careful = local.screen_file(path, ctx, fast=False, workers=1)
    assert fast.records == careful.records == 5_000 + 3 * 100
    assert [h.row_dict() for h in fast.hits] == [h.row_dict() for h in careful.hits]
    assert len(fast.hits) == len(probe.hits) > 0


def test_fast_path_steps_aside_for_a_blank_line(tmp_path: Path) -> None:
    path = tmp_path / "payments.csv"
    _write(path, 200)
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([*lines[:3], "", *lines[3:]]) + "\n", encoding="utf-8")
    ctx = build_context(load_bundled())
    seen: list[int] = []
    fast = local.screen_file(path, ctx, fast=True, progress=seen.append)
    careful = local.screen_file(path, ctx, fast=False, workers=1)
    assert [h.row_dict() for h in fast.hits] == [h.row_dict() for h in careful.hits]
    assert fast.records == careful.records and sum(seen) == fast.records
    assert any(n < 0 for n in seen)  # the fast path's progress was taken back


LISTED = [  # vendor names that match, each met once
    "Zhejiang Dahua Technology Co., Ltd.",
    "Dahua Technology",
    "DAHUA TECHNOLOGY CO LTD",
    "Hikvision USA Inc",
    "Hangzhou Hikvision Digital Technology Co., Ltd.",
    "ZTE USA Inc",
    "Huawei Technologies Co., Ltd.",
]


def test_names_gated_ahead_are_scored_when_the_fast_path_gives_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reading thread admits the names of the batches ahead; when the fast path gives up
    part way (here: told to, at the second batch), those names must still reach the matcher in
    the careful reader's pass."""
    path = tmp_path / "payments.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["Check Date", "Vendor Name", "Department", "Invoice Description",
                         "Amount"])  # fmt: skip
        for i in range(20_000):
            vendor = LISTED[i // 2500 - 1] if i % 2500 == 0 and i else f"Vendor {i} LLC"
            writer.writerow(["2021-03-01", vendor, "Police", "Toner", "10.00"])
    monkeypatch.setattr(head, "FAST_BATCH_ROWS", 1000)
    batches: list[int] = []

    def gives_up(table: pa.Table, *args: Any) -> list[Hit]:
        batches.append(table.num_rows)
        if len(batches) == 2:
            time.sleep(0.5)  # the reading thread admits the names of the batches ahead
            raise duckcsv.NotFast("told to give up")
        return screen_batch(table, *args)

    monkeypatch.setattr(local, "screen_batch", gives_up)
    ctx = build_context(load_bundled())
    reader = local.open_input(path, batch_size=1000)
    probe = local.InputResult(str(path), reader.format, "", reader.field_map)
    assert not local._fast(reader, ctx, probe, None)
    assert ctx.pending, "no name was admitted ahead and left for the matcher"
    monkeypatch.setattr(local, "screen_batch", screen_batch)
    after = local.screen_file(path, ctx, fast=False, workers=1)
    fresh = local.screen_file(path, build_context(load_bundled()), fast=False, workers=1)
    assert [h.row_dict() for h in after.hits] == [h.row_dict() for h in fresh.hits]
    assert {h.row for h in after.hits if h.field == "Vendor Name"} == {
        2500 * k + 1 for k in range(1, 8)
    }
