"""The DuckDB fast path gives exactly what the careful CSV reader gives, or steps aside."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from procurewatch.errors import InputError
from procurewatch.ingest import duckcsv
from procurewatch.ingest.base import open_input
from procurewatch.ingest.tabular import DelimitedReader

HEADER = "Check Date,Vendor Name,Department,Invoice Description,Amount"
ROWS = [
    '2020-03-02,Hikvision USA Inc,Police,"DS-2CD2143G2-I dome camera, x12","4,310.00"',
    '2021-07-19,"Summit ""Electric"" LLC",Parks,Dahua IPC-HFW2431S-S-S2 bullet camera,980.00',
    "2018-01-05,Acme Office Supply,Finance,Toner and paper,",
    ",,,,",
    "2022-05-05,HIKVISON USA,Water,海康威视 NVR DS-7608NI-K2,655.00",
]


def _write(path: Path, lines: list[str], newline: str = "\n", prefix: bytes = b"") -> Path:
    path.write_bytes(prefix + newline.join(lines).encode("utf-8") + newline.encode())
    return path


def _careful(path: Path) -> tuple[pa.Table, list[tuple[object, ...]]]:
    reader = open_input(path)
    table = pa.Table.from_batches(list(reader.batches()), schema=reader.schema)
    return table, [(r.line, r.row, r.reason) for r in reader.rejects]


def _fast(path: Path) -> tuple[pa.Table, list[tuple[object, ...]]]:
    reader = open_input(path)
    assert duckcsv.eligible(reader)
    assert isinstance(reader, DelimitedReader)
    tables = list(duckcsv.FastCsv(reader, batch_size=2).batches())
    table = pa.concat_tables(tables) if tables else reader.schema.empty_table()
    return table, [(r.line, r.row, r.reason) for r in reader.rejects]


CLEAN = {
    "lf": ([HEADER, *ROWS], "\n", b""),
    "crlf": ([HEADER, *ROWS], "\r\n", b""),
    "bom": ([HEADER, *ROWS], "\n", b"\xef\xbb\xbf"),
    "trailing blank lines": ([HEADER, *ROWS, "", ""], "\n", b""),
    "trailing blank lines, crlf": ([HEADER, *ROWS, "", ""], "\r\n", b""),
    "repeated header": ([HEADER, ROWS[0], HEADER, ROWS[1]], "\n", b""),
    "semicolons": ([h.replace(",", ";") for h in [HEADER, "2020-01-01;Dahua;IT;NVR;1"]], "\n", b""),
    "excel sep line": (["sep=,", HEADER, *ROWS], "\n", b""),
    "quotes inside a value": ([HEADER, '2020-01-01,Dahua "Tech" Co,IT,NVR,1'], "\n", b""),
}


@pytest.mark.parametrize("case", sorted(CLEAN))
def test_clean_files_read_the_same_both_ways(tmp_path: Path, case: str) -> None:
    lines, newline, prefix = CLEAN[case]
    path = _write(tmp_path / "clean.csv", lines, newline, prefix)
    fast, fast_rejects = _fast(path)
    careful, careful_rejects = _careful(path)
    assert fast.num_rows > 0
    assert fast.to_pylist() == careful.select(fast.column_names).to_pylist()
    assert fast_rejects == careful_rejects


def test_a_file_without_a_final_line_break(tmp_path: Path) -> None:
    path = tmp_path / "open-end.csv"
    path.write_text("\n".join([HEADER, *ROWS]), encoding="utf-8")
    fast = _fast(path)[0]
    assert fast.to_pylist() == _careful(path)[0].select(fast.column_names).to_pylist()


def test_header_only_gives_no_rows(tmp_path: Path) -> None:
    path = _write(tmp_path / "empty.csv", [HEADER])
    fast, rejects = _fast(path)
    assert fast.num_rows == 0 and rejects == []


def test_only_mapped_columns_come_out_and_rows_count_the_same(tmp_path: Path) -> None:
    wide = [f"{HEADER},Note,Code"] + [f"{r},n{i},c{i}" for i, r in enumerate(ROWS)]
    wide.append(",,,,,only the unmapped note,")  # blank where it matters, but a record
    path = _write(tmp_path / "wide.csv", wide)
    fast, careful = _fast(path)[0], _careful(path)[0]
    assert "Note" not in fast.column_names and "Invoice Description" in fast.column_names
    assert fast.num_rows == careful.num_rows == len(ROWS) + 1  # every row holds something
    assert fast.to_pylist() == careful.select(fast.column_names).to_pylist()


UNPROVEN = {
    "blank line inside": [HEADER, ROWS[0], "", ROWS[1]],
    "value over two lines": [HEADER, '2020-01-01,Dahua,IT,"NVR\nDS-7608NI-K2",1', ROWS[1]],
    "ragged row": [HEADER, ROWS[0], "2020-01-01,Dahua", ROWS[1]],
    "stray quote at a value start": [HEADER, '2020-01-01,"Dahua" Tech,IT,NVR,1', ROWS[1]],
}


@pytest.mark.parametrize("case", sorted(UNPROVEN))
def test_files_it_cannot_vouch_for_raise_not_fast(tmp_path: Path, case: str) -> None:
    path = _write(tmp_path / "odd.csv", UNPROVEN[case])
    reader = open_input(path)
    assert isinstance(reader, DelimitedReader)
    with pytest.raises(duckcsv.NotFast):
        list(duckcsv.FastCsv(reader).batches())


def test_not_utf8_is_not_even_tried(tmp_path: Path) -> None:
    path = tmp_path / "cp1252.csv"
    path.write_bytes(f"{HEADER}\n2020-01-01,Caf\xe9 Dahua,IT,NVR,1\n".encode("latin-1"))
    reader = open_input(path)
    assert not duckcsv.eligible(reader) or reader.layout is not None
    if duckcsv.eligible(reader):  # sniffed as UTF-8 with a stray byte: DuckDB must refuse
        assert isinstance(reader, DelimitedReader)
        with pytest.raises(duckcsv.NotFast):
            list(duckcsv.FastCsv(reader).batches())


def test_json_is_not_eligible(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_text('{"vendor": "Dahua", "description": "NVR"}\n', encoding="utf-8")
    assert not duckcsv.eligible(open_input(path))


FIELD = st.text(alphabet=st.sampled_from(list('ab ,;"\'\r\n\t\\Üü海-|')), max_size=6)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.lists(FIELD, min_size=3, max_size=3), min_size=1, max_size=6),
    st.sampled_from(["\n", "\r\n"]),
    st.booleans(),
)
def test_any_file_the_fast_path_keeps_reads_as_the_careful_reader_does(
    tmp_path_factory: pytest.TempPathFactory, rows: list[list[str]], newline: str, raw: bool
) -> None:
    """Written by Python's csv module or joined raw (stray quotes, spaces before quotes): when
    the fast path does not step aside, it gives exactly the careful reader's rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=newline)
    writer.writerow(["Vendor Name", "Invoice Description", "Amount"])
    for row in rows:
        if raw:
            buffer.write(",".join(row) + newline)
        else:
            writer.writerow(row)
    path = tmp_path_factory.mktemp("any") / "rows.csv"
    path.write_bytes(buffer.getvalue().encode("utf-8"))
    try:
        reader = open_input(path)
    except InputError:
        return  # not a CSV the careful reader takes either
    if not duckcsv.eligible(reader):
        return
    assert isinstance(reader, DelimitedReader)
    try:
        fast = pa.concat_tables(list(duckcsv.FastCsv(reader, batch_size=2).batches()) or
                                [reader.schema.empty_table()])  # fmt: skip
    except duckcsv.NotFast:
        event("the fast path stepped aside")
        return
    event("compared")
    fast_rejects = [(r.line, r.row, r.reason) for r in reader.rejects]
    careful, careful_rejects = _careful(path)
    assert fast.to_pylist() == careful.select(fast.column_names).to_pylist()
    assert fast_rejects == careful_rejects
