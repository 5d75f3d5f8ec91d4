"""take_rows gives what Arrow's take gives, chunked or not."""

from __future__ import annotations

import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st

from procurewatch.arrowtake import take_rows


@given(st.lists(st.lists(st.text(max_size=3), max_size=5), max_size=5), st.data())
def test_same_rows_as_arrow(chunks: list[list[str]], data: st.DataObject) -> None:
    column = pa.chunked_array([pa.array(c, pa.string()) for c in chunks], pa.string())
    n = len(column)
    rows = sorted(data.draw(st.lists(st.integers(0, max(n - 1, 0)), max_size=8))) if n else []
    assert (
        take_rows(column, rows).to_pylist() == column.take(pa.array(rows, pa.int64())).to_pylist()
    )
    table = pa.table({"a": column, "b": column})
    assert take_rows(table, rows).to_pylist() == table.take(pa.array(rows, pa.int64())).to_pylist()


def test_unsorted_rows_still_right() -> None:
    column = pa.chunked_array([["a", "b"], ["c"]])
    assert take_rows(column, [2, 0]).to_pylist() == ["c", "a"]
    assert take_rows(pa.array(["x", "y"]), [1]).to_pylist() == ["y"]
