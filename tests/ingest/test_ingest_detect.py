"""open_input: format detection, --map overrides and their errors, refused files."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from procurewatch.errors import InputError, UsageError
from procurewatch.ingest import FieldMap, InputReader, open_input
from procurewatch.ingest.base import open_input as base_open_input

from .conftest import rows


@pytest.fixture
def table(tmp_path: Path) -> Path:
    path = tmp_path / "po.csv"
    path.write_text("Supplier,Line Description,Total,Dept,Ref\nHikvision,camera,5,Police,R1\n")
    return path


def test_reader_contract(table: Path) -> None:
    reader = open_input(table)
    assert isinstance(reader, InputReader)
    assert reader.path == table and reader.format == "csv"
    assert reader.field_map == FieldMap(vendor=("Supplier",), buyer=("Dept",),
                                        text=("Line Description",), amount="Total")
    assert base_open_input(table).field_map == reader.field_map


def test_map_overrides_roles(table: Path) -> None:
    reader = open_input(table, mapping={"vendor": "Dept", "record_id": "ref", "text": ""})
    assert reader.field_map.vendor == ("Dept",)
    assert reader.field_map.record_id == "Ref"  # matched without case
    assert reader.field_map.text == ()
    both = open_input(table, mapping={"text": "Line Description,Dept"})
    assert both.field_map.text == ("Line Description", "Dept")


def test_map_to_a_missing_column_lists_the_columns(table: Path) -> None:
    with pytest.raises(InputError) as info:
        open_input(table, mapping={"vendor": "Vendor Name"})
    message = str(info.value)
    assert "--map vendor=Vendor Name" in message and "Supplier, Line Description" in message
    assert str(table) in message and "\n" not in message


def test_map_with_an_unknown_role_lists_the_roles(table: Path) -> None:
    with pytest.raises(InputError, match=r"unknown role 'seller'.*vendor, parent, buyer"):
        open_input(table, mapping={"seller": "Supplier"})


def test_no_vendor_and_no_text_column(tmp_path: Path) -> None:
    path = tmp_path / "ledger.csv"
    path.write_text("Fund,Account,Amount\nGeneral,123,5\n")
    with pytest.raises(InputError, match=r"columns are: Fund, Account, Amount.*--map vendor=COL"):
        open_input(path)
    assert open_input(path, mapping={"text": "Account"}).field_map.text == ("Account",)


def test_unknown_format_is_a_usage_error(table: Path) -> None:
    with pytest.raises(UsageError, match="unknown input format 'xls'"):
        open_input(table, fmt="xls")


def test_checkbook_export_is_recognised(tmp_path: Path) -> None:
    path = tmp_path / "checkbook.csv"
    path.write_text("Check Date,Check Number,Payee,Amount,Department,Description\n"
                    "2021-02-03,1001,Hikvision USA Inc,1500.00,Police,NVR\n")
    reader = open_input(path)
    assert reader.format == "checkbook"
    assert reader.field_map.vendor == ("Payee",) and reader.field_map.date == "Check Date"
    assert reader.field_map.record_id == "Check Number"
    assert rows(reader)[0]["Payee"] == "Hikvision USA Inc"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "save it as .xlsx"),
        ("data.csv.gz", gzip.compress(b"vendor\nA\n"), "decompress"),
        ("report.pdf", b"%PDF-1.4 ...", "PDF"),
    ],
)
def test_refused_files(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        open_input(path)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        open_input(tmp_path / "nope.csv")
    with pytest.raises(InputError, match="not a file"):
        open_input(tmp_path)


def test_json_with_wrong_extension_and_csv_without_one(tmp_path: Path) -> None:
    json_path = tmp_path / "export.txt"
    json_path.write_text('[{"vendor": "A", "memo": "cam"}]')
    assert open_input(json_path).format == "json"
    csv_path = tmp_path / "export"
    csv_path.write_text("vendor;memo\nA;cam\n")
    assert open_input(csv_path).format == "csv"
