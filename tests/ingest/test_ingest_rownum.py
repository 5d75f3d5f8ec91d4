"""Row numbering around the rows the CSV parser drops."""

from __future__ import annotations

import pyarrow as pa

from procurewatch.ingest.rownum import RowTracker


def _column(values: list[str]) -> pa.Array:
    return pa.array([v.encode() for v in values], pa.binary())


def test_rows_without_drops_count_from_one() -> None:
    tracker = RowTracker(skip_lines=1)
    rows, located = tracker.number([_column(["a", "b"])], 2)
    assert rows.to_pylist() == [1, 2] and located == []
    rows, _ = tracker.number([_column(["c"])], 1)
    assert rows.to_pylist() == [3]


def test_dropped_records_leave_gaps_and_get_lines() -> None:
    tracker = RowTracker(skip_lines=1)
    tracker.drop(3, "bad")  # record 3 counted from line 1 = data row 2
    tracker.drop(4, "bad2")
    rows, located = tracker.number([_column(["a", "b", "c"])], 3)
    assert rows.to_pylist() == [1, 4, 5]
    assert [(d.row, d.line) for d in located] == [(2, 3), (3, 4)]


def test_line_breaks_inside_values_push_lines_down() -> None:
    tracker = RowTracker(skip_lines=1)
    tracker.drop(4, "x\ny")  # data row 3, after two rows with 1 and 2 line breaks
    rows, located = tracker.number([_column(["one\nbreak", "two\nline\nbreaks", "z"])], 3)
    assert rows.to_pylist() == [1, 2, 4]
    assert [(d.row, d.line) for d in located] == [(3, 2 + 2 + 3)]
    tracker.drop(6, "last")  # data row 5, after the batch
    rows, located = tracker.number([], 0)
    assert located == []
    assert [(d.row, d.line) for d in tracker.finish()] == [(5, 1 + 5 + 3 + 1)]


def test_drops_before_a_later_batch_are_located_with_it() -> None:
    tracker = RowTracker(skip_lines=2)
    tracker.number([_column(["a\nb"])], 1)
    tracker.drop(4, "bad")  # data row 2
    rows, located = tracker.number([_column(["c"])], 1)
    assert rows.to_pylist() == [3]
    assert [(d.row, d.line) for d in located] == [(2, 2 + 2 + 1)]
