"""XLSX workbooks written with openpyxl: header search, cell text, bad rows, size caps."""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from procurewatch.errors import InputError
from procurewatch.ingest import open_input, xlsx

from .conftest import rows


def _workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = Workbook()
    book.remove(book.active)
    for title, data in sheets.items():
        sheet = book.create_sheet(title)
        for line in data:
            sheet.append(line)
    book.save(path)
    return path


def test_reads_the_first_sheet_with_data(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "po.xlsx", {
        "Empty": [],
        "Orders": [
            [None, None],
            ["Report of purchase orders"],
            [],
            ["Vendor Name", "Item Description", "Amount", "PO Date", "Approved"],
            ["Hikvision USA Inc", "DS-2CD2143G0-I dome camera", 1234.5, date(2020, 3, 1), True],
            [None, None, None, None, None],
            ["ACME", "toner", 12.0, datetime(2021, 1, 2, 13, 30), False],
        ],
    })
    reader = open_input(path)
    assert reader.format == "xlsx"
    assert reader.columns == ("Vendor Name", "Item Description", "Amount", "PO Date", "Approved")
    got = rows(reader)
    assert [r["_row"] for r in got] == [1, 3]
    assert got[0]["Amount"] == "1234.5" and got[1]["Amount"] == "12"
    assert got[0]["PO Date"] == "2020-03-01" and got[1]["PO Date"] == "2021-01-02T13:30:00"
    assert got[0]["Approved"] == "TRUE"
    assert reader.field_map.vendor == ("Vendor Name",)
    assert reader.field_map.text == ("Item Description",)
    assert reader.field_map.date == "PO Date"


def test_values_beyond_the_header_are_rejected(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "extra.xlsx", {"S": [
        ["vendor", "description"], ["A", "x"], ["B", "y", "stray note"], ["C", "z", None]]})
    reader = open_input(path)
    assert [r["vendor"] for r in rows(reader)] == ["A", "C"]
    assert [(j.line, j.row) for j in reader.rejects] == [(3, 2)]
    assert "stray note" in reader.rejects[0].raw


def test_header_only_and_many_batches(tmp_path: Path) -> None:
    only = _workbook(tmp_path / "header.xlsx", {"S": [["vendor", "description"]]})
    assert rows(open_input(only)) == []
    data: list[list[object]] = [["vendor", "memo"]]
    data += [[f"V{n}", "m"] for n in range(25)]
    many = _workbook(tmp_path / "many.xlsx", {"S": data})
    batches = list(open_input(many, batch_size=10).batches())
    assert [b.num_rows for b in batches] == [10, 10, 5]
    assert batches[2].column("_row").to_pylist() == [21, 22, 23, 24, 25]


def test_empty_workbook_is_an_input_error(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "empty.xlsx", {"S": []})
    with pytest.raises(InputError, match="no data"):
        open_input(path)


def test_corrupt_workbook_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml", "<not really")
    with pytest.raises(InputError, match="workbook") as info:
        open_input(path)
    assert "\n" not in str(info.value)


def test_not_a_zip_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not a zip file at all")
    with pytest.raises(InputError, match="xlsx"):
        open_input(path)


def test_zip_bomb_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<" + b" " * (40 << 20) + b">")
    with pytest.raises(InputError, match="unpack"):
        open_input(path)


def test_sheet_bigger_than_the_cap_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                              ) -> None:
    data: list[list[object]] = [["vendor"]]
    data += [["x" * 50] for _ in range(200)]
    path = _workbook(tmp_path / "big.xlsx", {"S": data})
    monkeypatch.setattr(xlsx, "MAX_SHEET_BYTES", 1000)
    with pytest.raises(InputError, match="export the sheet as CSV"):
        open_input(path)


def test_zip_of_csv_files_says_unzip(tmp_path: Path) -> None:
    path = tmp_path / "download.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("Contracts_PrimeAwardSummaries_1.csv", "recipient_name\nA\n")
    with pytest.raises(InputError, match="unzip"):
        open_input(path)


def test_a_name_merged_down_over_a_two_row_header_is_kept(tmp_path: Path) -> None:
    """Vendor and Description span both header rows (merged A1:A2, B1:B2); Amount is a group
    title over USD and CNY: the row of names takes Vendor and Description from above."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Vendor", "Description", "Amount", None])
    sheet.append([None, None, "USD", "CNY"])
    sheet.append(["Hikvision USA Inc", "DS-2CD2143G0-I dome camera", 1234.5, None])
    sheet.merge_cells("A1:A2")
    sheet.merge_cells("B1:B2")
    sheet.merge_cells("C1:D1")
    path = tmp_path / "two-row.xlsx"
    book.save(path)
    layout = xlsx.sniff_sheet(path)
    assert layout.header_row == 2
    assert layout.columns == ("Vendor", "Description", "Amount USD", "Amount CNY")
    (row,) = rows(open_input(path))
    assert row["Vendor"] == "Hikvision USA Inc" and row["_row"] == 1
