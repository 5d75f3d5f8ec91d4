"""CSV/TSV reading: encodings, delimiters, bad rows with their lines, row numbers."""

from __future__ import annotations

import threading
from pathlib import Path
from types import GeneratorType

import pyarrow as pa
import pytest

from procurewatch.errors import InputError
from procurewatch.ingest import open_input, tabular

from .conftest import rows

CHINESE = (
    "供应商,项目名称,中标金额\n"
    "杭州海康威视数字技术股份有限公司,视频监控摄像机采购,12345.00\n"
    "浙江大华技术股份有限公司,网络硬盘录像机 NVR,500\n"
)
HIKVISION, DAHUA = "杭州海康威视数字技术股份有限公司", "浙江大华技术股份有限公司"


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make Arrow read tiny blocks, so a small file spans many batches."""
    monkeypatch.setattr(tabular, "MIN_BLOCK", 64)
    monkeypatch.setattr(tabular, "MAX_BLOCK", 64)


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16", b""), ("utf-16-le", b"\xff\xfe"),
     ("utf-16-be", b"\xfe\xff"), ("gb18030", b""), ("gbk", b"")],
)
def test_encodings_decode_to_the_same_text(tmp_path: Path, encoding: str, prefix: bytes) -> None:
    path = tmp_path / "bids.csv"
    path.write_bytes(prefix + CHINESE.encode(encoding))
    reader = open_input(path)
    got = rows(reader)
    assert reader.columns == ("供应商", "项目名称", "中标金额")
    assert [r["供应商"] for r in got] == [HIKVISION, DAHUA]
    assert got[1]["项目名称"] == "网络硬盘录像机 NVR"
    assert [r["_row"] for r in got] == [1, 2]
    assert reader.field_map.vendor == ("供应商",)
    assert reader.field_map.text == ("项目名称",)
    assert reader.field_map.amount == "中标金额"


def test_windows_1252(tmp_path: Path) -> None:
    path = tmp_path / "payments.csv"
    text = "Vendor Name,Description,Amount\nCafé Müller GmbH,Überwachungskamera “dome”,12\n"
    path.write_bytes(text.encode("cp1252") * 1)
    got = rows(open_input(path))
    assert got[0]["Vendor Name"] == "Café Müller GmbH"
    assert got[0]["Description"] == "Überwachungskamera “dome”"


def test_stray_latin1_byte_in_utf8_file_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    head = "vendor,description\n" + "ACME,camera\n" * 5000
    path.write_bytes(head.encode() + b"Caf\xe9 Bar,dome\n")
    got = rows(open_input(path))
    assert len(got) == 5001
    assert got[-1]["vendor"] == "Café Bar"


@pytest.mark.parametrize(("delimiter", "suffix"), [(";", ".csv"), ("\t", ".tsv"), ("\t", ".txt"),
                                                   ("|", ".csv")])
def test_delimiters(tmp_path: Path, delimiter: str, suffix: str) -> None:
    path = tmp_path / f"orders{suffix}"
    lines = ["vendor_name", "description", "amount"], ["ACME, Inc.", "camera", "1,5"]
    path.write_text("\n".join(delimiter.join(line) for line in lines) + "\n")
    reader = open_input(path)
    assert reader.format == ("tsv" if delimiter == "\t" else "csv")
    assert rows(reader)[0]["vendor_name"] == "ACME, Inc."


def test_ragged_row_is_rejected_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "ragged.csv"
    path.write_text("vendor,description,amount\nA,cam,1\nB,cam,2\nC,cam\nD,cam,4\nE,cam,5,extra\nF,x,6\n")
    reader = open_input(path)
    got = rows(reader)
    assert [r["vendor"] for r in got] == ["A", "B", "D", "F"]
    assert [r["_row"] for r in got] == [1, 2, 4, 6]
    found = [(j.line, j.row, j.raw) for j in reader.rejects]
    assert found == [(4, 3, "C,cam"), (6, 5, "E,cam,5,extra")]
    assert "2 fields" in reader.rejects[0].reason and "header has 3" in reader.rejects[0].reason
    assert reader.rejects[0].file == str(path)


def test_quoted_newlines_keep_rows_and_lines_right(tmp_path: Path) -> None:
    path = tmp_path / "multiline.csv"
    path.write_text(
        'vendor,description\nA,"two\nlines"\nB,x,extra\nC,"three\r\nline\nvalue"\nD\nE,ok\n',
        newline="",
    )
    reader = open_input(path)
    got = rows(reader)
    assert [(r["vendor"], r["_row"]) for r in got] == [("A", 1), ("C", 3), ("E", 5)]
    assert got[1]["description"] == "three\r\nline\nvalue"
    assert [(j.row, j.line) for j in reader.rejects] == [(2, 4), (4, 8)]


def test_many_batches_number_rows_like_one(tmp_path: Path, small_blocks: None) -> None:
    path = tmp_path / "long.csv"
    lines = ["vendor,description"]
    for n in range(1, 301):
        if n % 37 == 0:
            lines.append(f"V{n},bad,row")
        elif n % 11 == 0:
            lines.append(f'V{n},"multi\nline {n}"')
        elif n % 53 == 0:
            lines.append("")
        else:
            lines.append(f"V{n},d{n}")
    path.write_text("\n".join(lines) + "\n")
    reader = open_input(path)
    batches = list(reader.batches())
    assert len(batches) > 10
    got = [r for b in batches for r in b.to_pylist()]
    assert all(r["vendor"] == f"V{r['_row']}" for r in got)
    expected = [n for n in range(1, 301) if n % 37 and not (n % 53 == 0 and n % 11)]
    assert [r["_row"] for r in got] == expected
    physical = {}
    line = 2
    for n in range(1, 301):
        physical[n] = line
        line += 2 if (n % 11 == 0 and n % 37) else 1
    bad = range(37, 301, 37)
    assert [(j.row, j.line) for j in reader.rejects] == [(n, physical[n]) for n in bad]
    assert all(j.raw.startswith(f"V{j.row},bad") for j in reader.rejects)


def test_batches_are_strings_with_source_and_row(tmp_path: Path) -> None:
    path = tmp_path / "typed.csv"
    path.write_text("vendor,amount,date\nACME,0012.50,2023-01-02\n")
    batch = next(iter(open_input(path).batches()))
    assert batch.schema.field("amount").type == pa.string()
    assert batch.schema.field("_source_file").type == pa.string()
    assert batch.schema.field("_row").type == pa.int64()
    assert batch.to_pylist() == [{"vendor": "ACME", "amount": "0012.50", "date": "2023-01-02",
                                  "_source_file": str(path), "_row": 1}]


def test_blank_lines_and_empty_rows_are_skipped_but_counted(tmp_path: Path) -> None:
    path = tmp_path / "blank.csv"
    path.write_text("\n\nvendor,description\nA,x\n\n,\nB,y\n\n")
    got = rows(open_input(path))
    assert [(r["vendor"], r["_row"]) for r in got] == [("A", 1), ("B", 4)]


def test_trailing_delimiter_on_every_row(tmp_path: Path) -> None:
    path = tmp_path / "trailing.csv"
    path.write_text("vendor,description\n" + "".join(f"V{n},d{n},\n" for n in range(5)))
    reader = open_input(path)
    assert len(rows(reader)) == 5 and not reader.rejects
    assert reader.columns == ("vendor", "description", "column_3")


def test_duplicate_and_blank_header_names(tmp_path: Path) -> None:
    path = tmp_path / "dupes.csv"
    path.write_text("vendor,vendor,,_row\nA,B,C,D\n")
    reader = open_input(path)
    assert reader.columns == ("vendor", "vendor_2", "column_3", "_row_2")
    assert rows(reader)[0]["_row_2"] == "D"


def test_header_only_gives_no_rows(tmp_path: Path) -> None:
    path = tmp_path / "header.csv"
    path.write_text("vendor,description\n")
    reader = open_input(path)
    assert rows(reader) == [] and reader.rejects == []


@pytest.mark.parametrize("content", [b"", b"\n\n  \n", b"\xef\xbb\xbf"])
def test_empty_file_is_an_input_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    with pytest.raises(InputError, match="empty") as info:
        open_input(path)
    assert "\n" not in str(info.value) and str(path) in str(info.value)


def test_binary_file_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_bytes(bytes(range(256)) * 50)
    with pytest.raises(InputError, match="binary"):
        open_input(path)


@pytest.mark.parametrize("blocks", ["small", "large"])
def test_never_closed_quote_is_one_input_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, blocks: str
) -> None:
    if blocks == "small":
        monkeypatch.setattr(tabular, "MAX_BLOCK", 64)
        monkeypatch.setattr(tabular, "MIN_BLOCK", 64)
    path = tmp_path / "quote.csv"
    body = "".join(f"V{n},d{n}\n" for n in range(20))
    path.write_text("vendor,description\n" + body + 'X,"never closed\n' + body * 20)
    reader = open_input(path)
    with pytest.raises(InputError, match="quote") as info:
        rows(reader)
    assert "\n" not in str(info.value)


def test_never_closed_quote_in_a_middle_column_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "quote3.csv"
    body = "".join(f"V{n},d{n},{n}\n" for n in range(5))
    path.write_text("vendor,description,amount\n" + body + 'X,"never closed,1\n' + body)
    reader = open_input(path)
    assert len(rows(reader)) == 5
    assert len(reader.rejects) == 1 and "never closed" in reader.rejects[0].reason


def test_last_row_with_closed_multiline_value_is_fine(tmp_path: Path) -> None:
    path = tmp_path / "closed.csv"
    path.write_text('vendor,description\nA,"x\ny"\n')
    assert [r["description"] for r in rows(open_input(path))] == ["x\ny"]


def test_reading_twice_gives_the_same(tmp_path: Path) -> None:
    path = tmp_path / "again.csv"
    path.write_text("vendor,description\nA,x\nB\nC,z\n")
    reader = open_input(path)
    first, rejects = rows(reader), list(reader.rejects)
    assert rows(reader) == first and reader.rejects == rejects


def test_stopping_early_stops_the_reader(tmp_path: Path, small_blocks: None) -> None:
    path = tmp_path / "early.csv"
    path.write_text("vendor,description\n" + "".join(f"V{n},d{n}\n" for n in range(2000)))
    batches = open_input(path).batches()
    assert isinstance(batches, GeneratorType)
    assert next(batches).num_rows > 0
    batches.close()  # must not hang or leak the reading thread
    assert not [t for t in threading.enumerate() if t.name == "procurewatch-reader"]


def test_bad_utf8_late_in_the_file_loses_and_repeats_nothing(tmp_path: Path,
                                                             small_blocks: None) -> None:
    path = tmp_path / "late.csv"
    lines = [b"vendor,description"]
    for n in range(1, 201):
        if n % 50 == 0:
            lines.append(b"bad row")
        elif n == 151:
            lines.append(b"Caf\xe9 Bar,dome")
        else:
            lines.append(f"V{n},d{n}".encode())
    path.write_bytes(b"\n".join(lines) + b"\n")
    reader = open_input(path)
    got = rows(reader)
    assert [r["_row"] for r in got] == [n for n in range(1, 201) if n % 50]
    assert {r["_row"]: r["vendor"] for r in got}[151] == "Café Bar"
    assert [j.row for j in reader.rejects] == [50, 100, 150, 200]


def test_excel_sep_hint_and_title_lines(tmp_path: Path) -> None:
    hinted = tmp_path / "excel.csv"
    hinted.write_text("sep=;\nvendor;description\nACME, Inc.;cam\n")
    reader = open_input(hinted)
    assert reader.columns == ("vendor", "description")
    assert [(r["vendor"], r["_row"]) for r in rows(reader)] == [("ACME, Inc.", 1)]
    titled = tmp_path / "titled.csv"
    titled.write_text("Payments report FY2023\n\nvendor,description\nA,x\nB,y\nC,z\n")
    reader = open_input(titled)
    assert reader.columns == ("vendor", "description")
    assert [r["_row"] for r in rows(reader)] == [1, 2, 3]


def test_one_column_file_keeps_its_header(tmp_path: Path) -> None:
    path = tmp_path / "one.csv"
    path.write_text('description\n"cam, dome"\n"a,b,c"\nplain\n')
    reader = open_input(path)
    assert reader.columns == ("description",)
    assert [r["description"] for r in rows(reader)] == ["cam, dome", "a,b,c", "plain"]


def test_bracketed_csv_header_is_not_json(tmp_path: Path) -> None:
    path = tmp_path / "sqlserver.csv"
    path.write_text("[Vendor Name],[Description]\nACME,cam\n")
    reader = open_input(path)
    assert reader.format == "csv" and reader.columns == ("[Vendor Name]", "[Description]")


def test_batches_never_exceed_batch_size(tmp_path: Path) -> None:
    path = tmp_path / "sized.csv"
    path.write_text("vendor,description\n" + "".join(f"V{n},d\n" for n in range(1, 26)))
    batches = list(open_input(path, batch_size=10).batches())
    assert [b.num_rows for b in batches] == [10, 10, 5]
    assert batches[2].column("_row").to_pylist() == [21, 22, 23, 24, 25]


def test_a_value_longer_than_a_block_is_read(tmp_path: Path) -> None:
    path = tmp_path / "long_value.tsv"
    path.write_text("vendor\tdescription\nA\t" + "x" * 3_000_000 + "\nB\ty\nC\n")
    reader = open_input(path)
    got = rows(reader)
    assert [(r["vendor"], len(r["description"]), r["_row"]) for r in got] == [
        ("A", 3_000_000, 1), ("B", 1, 2)]
    assert [(j.line, j.row) for j in reader.rejects] == [(4, 3)]
