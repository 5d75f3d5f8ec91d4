"""Property tests: whatever the CSV, the reader raises nothing but InputError and loses no row."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from tempfile import TemporaryDirectory

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from procurewatch.errors import InputError
from procurewatch.ingest import open_input, tabular

# letters, CSV's special characters (comma, quote, line breaks), spaces, non-ASCII text
FIELD = st.text(alphabet=st.sampled_from(list('ab ,"\r\n\'é中')), max_size=6)
ROW = st.lists(FIELD, max_size=5)

PROFILE = settings(max_examples=150, deadline=None,
                   suppress_health_check=[HealthCheck.too_slow])


def _write(folder: Path, width: int, data: list[list[str]]) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([f"c{n}" for n in range(width)])
    writer.writerows(data)
    path = folder / "random.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")
    return path


@PROFILE
@given(width=st.integers(1, 4), data=st.lists(ROW, max_size=40), small=st.booleans())
def test_every_data_row_is_kept_or_rejected(width: int, data: list[list[str]],
                                            small: bool) -> None:
    with TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        if small:
            patch.setattr(tabular, "MIN_BLOCK", 256)
            patch.setattr(tabular, "MAX_BLOCK", 256)
        path = _write(Path(folder), width, data)
        try:
            reader = open_input(path, fmt="csv", mapping={"text": "c0"})
            kept = [r["_row"] for b in reader.batches() for r in b.to_pylist()]
        except InputError as err:
            assert "\n" not in str(err)
            return
        columns = len(reader.columns)
        empty = {n for n, row in enumerate(data, 1)
                 if not row or (len(row) == columns and not any(row))}
        rejected = [j.row for j in reader.rejects]
        assert len(kept) + len(rejected) == len(data) - len(empty)
        assert sorted(kept + rejected + sorted(empty)) == list(range(1, len(data) + 1))
        bad = {n for n, row in enumerate(data, 1) if n not in empty and len(row) != columns}
        assert set(rejected) == bad
        assert all(j.line is not None and j.row is not None and j.line > j.row
                   for j in reader.rejects)


@PROFILE
@given(content=st.binary(max_size=400) | st.text(max_size=200).map(str.encode),
       suffix=st.sampled_from([".csv", ".tsv", ".json", ".jsonl", ".xlsx", ".parquet", ".txt"]))
def test_random_bytes_raise_only_input_errors(content: bytes, suffix: str) -> None:
    with TemporaryDirectory() as folder:
        path = Path(folder) / f"random{suffix}"
        path.write_bytes(content)
        try:
            reader = open_input(path, mapping=None)
            for batch in reader.batches():
                assert batch.num_rows >= 0
        except InputError as err:
            assert "\n" not in str(err)
