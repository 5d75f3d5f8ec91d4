"""Parquet files: every type becomes text, rows are numbered across row groups."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from procurewatch.errors import InputError
from procurewatch.ingest import open_input

from .conftest import rows


def test_types_become_text(tmp_path: Path) -> None:
    table = pa.table({
        "supplier_name": ["Zhejiang Dahua Technology", None, "ACME"],
        "amount": pa.array([Decimal("10.50"), Decimal("3.00"), None], pa.decimal128(10, 2)),
        "count": [1, 2, 3],
        "date": [date(2021, 5, 4), date(2022, 1, 1), None],
        "kind": pa.array(["a", "b", "a"]).dictionary_encode(),
        "lines": [[{"sku": "X"}], [], None],
        "blob": [b"ok", b"\xe9t\xe9", None],
    })
    path = tmp_path / "awards.parquet"
    pq.write_table(table, path, row_group_size=2)
    reader = open_input(path)
    assert reader.format == "parquet"
    got = rows(reader)
    assert [r["_row"] for r in got] == [1, 2, 3]
    assert got[0] | {"_source_file": None} == {
        "supplier_name": "Zhejiang Dahua Technology", "amount": "10.50", "count": "1",
        "date": "2021-05-04", "kind": "a", "lines": '[{"sku": "X"}]', "blob": "ok",
        "_source_file": None, "_row": 1}
    assert got[1]["blob"] == "été" and got[2]["amount"] is None
    assert reader.field_map.vendor == ("supplier_name",)


def test_batches_follow_batch_size(tmp_path: Path) -> None:
    path = tmp_path / "many.parquet"
    pq.write_table(pa.table({"vendor": [f"V{n}" for n in range(25)]}), path)
    batches = list(open_input(path, batch_size=10).batches())
    assert [b.num_rows for b in batches] == [10, 10, 5]
    assert batches[-1].column("_row").to_pylist() == list(range(21, 26))


def test_truncated_parquet_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.parquet"
    pq.write_table(pa.table({"vendor": ["A"] * 100}), path)
    path.write_bytes(path.read_bytes()[:60])
    with pytest.raises(InputError, match="Parquet"):
        open_input(path)


def test_column_names_that_are_not_utf8_are_one_input_error() -> None:
    """Found by the fuzzer (CI, 2026-12-05): Arrow raised UnicodeDecodeError from the footer."""
    path = Path(__file__).parent / "regressions" / "column_name_not_utf8.parquet"
    with pytest.raises(InputError, match="not a readable Parquet file"):
        open_input(path, require_roles=False)
