"""The fast CSV path with its fetch thread (DuckDB's tables taken ahead from ``start()`` on):
the same rows and ``_row`` numbers as the careful reader, a prompt ``close(abandon=True)``, and
``NotFast`` for files it cannot vouch for, with no thread left behind.

The files are composed here (made-up payments), not real records.
"""

from __future__ import annotations

import csv
import threading
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from procurewatch.ingest import duckcsv
from procurewatch.ingest.base import ROW_COLUMN, open_input
from procurewatch.ingest.tabular import DelimitedReader

HEADER = ["Check Date", "Vendor Name", "Department", "Invoice Description", "Amount"]
VENDORS = ["Hikvision USA Inc", "Acme Office Supply", "Summit Electric LLC", "ZTE USA Inc"]
WAIT = 10.0
"""Seconds allowed for what happens at once (only a hang waits this long)."""


def _write(
    path: Path, rows: int, *, blank_at: int | None = None, header_at: int | None = None,
    newline: str = "\n",
) -> Path:  # fmt: skip
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator=newline)
        writer.writerow(HEADER)
        for i in range(rows):
            if i == blank_at:
                handle.write(newline)
            if i == header_at:
                writer.writerow(HEADER)
            writer.writerow([f"2021-{1 + i % 12:02d}-{1 + i % 28:02d}", VENDORS[i % 4],
                             f"Dept {i % 7}", f"item {i}, camera or toner", f"{i}.50"])  # fmt: skip
    return path


def _reader(path: Path) -> DelimitedReader:
    reader = open_input(path)
    assert isinstance(reader, DelimitedReader) and duckcsv.eligible(reader)
    return reader


def _threads() -> set[threading.Thread]:
    return {t for t in threading.enumerate() if t.is_alive()}


def _no_new_threads(before: set[threading.Thread]) -> None:
    left = [t for t in _threads() - before if t.is_alive()]
    for thread in left:  # a thread ending on its own is fine; one still running is not
        thread.join(WAIT)
    alive = [t.name for t in left if t.is_alive()]
    assert not alive, f"threads left running: {alive}"


def _careful(path: Path) -> pa.Table:
    reader = open_input(path)
    return pa.Table.from_batches(list(reader.batches()), schema=reader.schema)


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
def test_batches_equal_the_careful_reader_across_many_batches(tmp_path: Path, newline: str) -> None:
    path = _write(tmp_path / "payments.csv", 5_000, newline=newline)
    fast = duckcsv.FastCsv(_reader(path), batch_size=500)
    before = _threads()
    fast.start()  # the fetch thread takes DuckDB's tables before anyone asks
    assert any(t.name == "procurewatch-reader" for t in _threads() - before)
    tables = list(fast.batches())
    careful = _careful(path)
    assert len(tables) > 3, "the file should span several batches"
    got = pa.concat_tables(tables)
    assert got.num_rows == careful.num_rows == 5_000
    assert got.column(ROW_COLUMN).to_pylist() == list(range(1, 5_001))
    assert got.to_pylist() == careful.select(got.column_names).to_pylist()


def test_prepared_gives_the_same_rows_and_keys(tmp_path: Path) -> None:
    path = _write(tmp_path / "payments.csv", 3_000)
    fast = duckcsv.FastCsv(_reader(path), batch_size=400, keyed=("Vendor Name",))

    def prepare(table: pa.Table, keys: dict[str, Any]) -> tuple[pa.Table, int]:
        assert set(keys) == {"Vendor Name"}
        first, second = keys["Vendor Name"]
        assert len(first) == len(second) == table.num_rows
        return table, threading.get_ident()

    prepared = list(fast.prepared(prepare, ahead=2))
    careful = _careful(path)
    got = pa.concat_tables([table for table, _ in prepared])
    assert len(prepared) > 3
    assert got.to_pylist() == careful.select(got.column_names).to_pylist()
    assert {ident for _, ident in prepared} != {threading.get_ident()}  # prepared elsewhere


def test_a_repeated_header_deep_inside_is_rejected_as_the_careful_reader_does(
    tmp_path: Path,
) -> None:
    path = _write(tmp_path / "joined.csv", 4_000, header_at=3_100)
    reader = _reader(path)
    fast = duckcsv.FastCsv(reader, batch_size=500)
    fast.start()
    got = pa.concat_tables(list(fast.batches()))
    careful_reader = open_input(path)
    careful = pa.Table.from_batches(list(careful_reader.batches()), schema=careful_reader.schema)
    assert got.to_pylist() == careful.select(got.column_names).to_pylist()
    assert got.num_rows == 4_000 and 3_101 not in got.column(ROW_COLUMN).to_pylist()
    assert [(r.line, r.row) for r in reader.rejects] == [(3_102, 3_101)]
    assert [(r.line, r.row) for r in reader.rejects] == [
        (r.line, r.row) for r in careful_reader.rejects
    ]


def test_abandon_right_after_start_returns_and_leaves_no_threads(tmp_path: Path) -> None:
    path = _write(tmp_path / "big.csv", 60_000)  # about 3 MB
    assert path.stat().st_size > 2 << 20
    before = _threads()
    fast = duckcsv.FastCsv(_reader(path), batch_size=2048)
    fast.start()
    assert any(t.name == "procurewatch-reader" for t in _threads() - before)  # fetching
    fast.close(abandon=True)
    assert fast._reading is None
    _no_new_threads(before)
    fast.close(abandon=True)  # twice: nothing


class _HeldCounter(duckcsv._LineCounter):
    """The real line counter, whose first chunk waits until the read is abandoned (its
    ``stopping`` event), so the count is surely under way, and not finished, at that moment."""

    def __init__(self, path: Path, delimiter: str) -> None:
        super().__init__(path, delimiter)
        self.entered = threading.Event()
        real_add = self.facts.add

        def add(data: Any) -> None:
            if not self.entered.is_set():  # the first chunk only
                self.entered.set()
                self.stopping.wait(WAIT)
            real_add(data)

        self.facts.add = add  # type: ignore[method-assign]


def test_abandon_stops_the_line_count_before_its_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _write(tmp_path / "big.csv", 60_000)
    monkeypatch.setattr(duckcsv, "COUNT_STEP", 1 << 16)  # many chunks to count
    monkeypatch.setattr(duckcsv, "_LineCounter", _HeldCounter)
    fast = duckcsv.FastCsv(_reader(path), batch_size=2048)
    before = _threads()
    fast.start()
    assert fast._reading is not None
    counter = fast._reading.counter
    assert isinstance(counter, _HeldCounter)
    assert counter.entered.wait(WAIT), "the line count did not begin at start()"
    fast.close(abandon=True)
    assert counter.stopping.is_set()
    assert not counter.is_alive()
    assert not counter.done, "an abandoned count went on to the file's end"
    assert counter.facts.lf < 60_000  # it stopped after its first chunk
    _no_new_threads(before)


def test_close_without_abandon_lets_the_count_finish(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _write(tmp_path / "big.csv", 60_000)
    monkeypatch.setattr(duckcsv, "COUNT_STEP", 1 << 16)
    fast = duckcsv.FastCsv(_reader(path), batch_size=2048)
    fast.start()
    assert fast._reading is not None
    counter = fast._reading.counter
    fast.close()
    assert counter.done and not counter.stopping.is_set()
    assert counter.lines() == 60_001


def test_a_ragged_row_deep_inside_raises_not_fast_and_leaves_no_threads(tmp_path: Path) -> None:
    path = _write(tmp_path / "ragged.csv", 40_000)
    with path.open("a", encoding="utf-8") as handle:
        handle.write("2021-01-01,Acme,Dept,too,many,fields,here\n")
        handle.write("2021-01-02,Acme,Dept,after,1.00\n")
    reader = _reader(path)  # the head is clean: the careful reader's sample sees no problem
    before = _threads()
    fast = duckcsv.FastCsv(reader, batch_size=2048)
    fast.start()
    with pytest.raises(duckcsv.NotFast):
        for _ in fast.prepared(lambda table, keys: table.num_rows):
            pass
    assert fast._reading is None
    _no_new_threads(before)


def test_a_blank_line_in_the_middle_raises_not_fast(tmp_path: Path) -> None:
    path = _write(tmp_path / "blank.csv", 5_000, blank_at=2_500)
    before = _threads()
    fast = duckcsv.FastCsv(_reader(path), batch_size=500)
    fast.start()
    with pytest.raises(duckcsv.NotFast, match="data lines but"):
        list(fast.batches())
    _no_new_threads(before)
    careful = _careful(path)  # the careful reader numbers the rows after the blank line right
    assert careful.num_rows == 5_000


def _fetcher(fast: duckcsv.FastCsv) -> Any:
    """The fetch thread's Prefetcher."""
    assert fast._reading is not None
    fetcher = fast._reading.batches
    assert fetcher is not None, "the fetch thread was not started"
    return fetcher


def test_a_read_started_and_closed_can_be_read_again(tmp_path: Path) -> None:
    path = _write(tmp_path / "payments.csv", 5_000)
    fast = duckcsv.FastCsv(_reader(path), batch_size=500)
    fast.start()
    taken = iter(_fetcher(fast))
    next(taken)  # a table surely fetched (and, at 4b6d0dd, counted) before the close
    fast.close()
    got = pa.concat_tables(list(fast.batches()))
    assert got.column(ROW_COLUMN).to_pylist() == list(range(1, 5_001))
