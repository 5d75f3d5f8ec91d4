"""Inventory tables: column roles guessed from their names, ``--map`` overrides, opening files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import Workbook

from procurewatch.errors import InputError, UsageError
from procurewatch.ingest.inventory import (
    InventoryMap,
    apply_inventory_mapping,
    guess_inventory_map,
    open_inventory,
)

ASSET_COLUMNS = [
    "Asset Tag",
    "Hostname",
    "IP Address",
    "MAC Address",
    "Manufacturer",
    "Model Number",
    "Serial Number",
    "Site",
    "Building",
    "Description",
    "Vendor ID",
    "Purchase Date",
]


def test_common_asset_list_columns_are_recognized() -> None:
    roles = guess_inventory_map(ASSET_COLUMNS)
    assert roles == InventoryMap(
        mac=("MAC Address",),
        manufacturer=("Manufacturer",),
        model=("Model Number",),
        banner=("Description",),
        site=("Site", "Building"),
        serial="Serial Number",
        hostname="Hostname",
        ip="IP Address",
    )


@pytest.mark.parametrize(
    ("column", "role"),
    [
        ("macAddress", "mac"),
        ("HW Address", "mac"),
        ("hw_addr", "mac"),
        ("Physical Address", "mac"),
        ("MAC Vendor", "manufacturer"),
        ("Make", "manufacturer"),
        ("Brand", "manufacturer"),
        ("Make/Model", "model"),
        ("Product", "model"),
        ("Device Name", "hostname"),
        ("FQDN", "hostname"),
        ("IPv4", "ip"),
        ("S/N", "serial"),
        ("Location", "site"),
        ("Device Type", "banner"),
        ("Operating System", "banner"),
        ("Firmware Version", "banner"),
        ("Machine Type", "banner"),
        ("Vendor Contact", None),
        ("Purchase Date", None),
        ("Cost", None),
    ],
)
def test_single_columns(column: str, role: str | None) -> None:
    roles = guess_inventory_map([column])
    claimed = [
        name
        for name in ("mac", "manufacturer", "model", "banner", "site", "serial", "hostname", "ip")
        if getattr(roles, name)
    ]
    assert claimed == ([role] if role else [])


def test_map_overrides_and_clears_roles() -> None:
    roles = guess_inventory_map(["HW", "Maker Name", "Notes"])
    mapped = apply_inventory_mapping(
        roles,
        {"mac": "hw", "manufacturer": "Maker Name", "banner": ""},
        ["HW", "Maker Name", "Notes"],
        "x.csv",
    )
    assert (mapped.mac, mapped.manufacturer, mapped.banner) == (("HW",), ("Maker Name",), ())
    with pytest.raises(UsageError, match="unknown role 'vendor'"):
        apply_inventory_mapping(roles, {"vendor": "HW"}, ["HW"], "x.csv")
    with pytest.raises(InputError, match="--map mac=Nope: no such column; the columns are: HW"):
        apply_inventory_mapping(roles, {"mac": "Nope"}, ["HW"], "x.csv")


def _rows(path: Path, **kwargs: object) -> list[dict[str, object]]:
    opened = open_inventory(path, **kwargs)  # type: ignore[arg-type]
    return [row for batch in opened.reader.batches() for row in batch.to_pylist()]


def test_csv_xlsx_and_jsonl_inventories_open_with_their_roles(tmp_path: Path) -> None:
    header, row = ["Hostname", "MAC", "Vendor"], ["cam-1", "44:19:B6:00:00:01", "Hikvision"]
    (tmp_path / "a.csv").write_text(
        ",".join(header) + "\n" + ",".join(row) + "\n", encoding="utf-8"
    )
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header)
    sheet.append(row)
    book.save(tmp_path / "a.xlsx")
    (tmp_path / "a.jsonl").write_text(
        json.dumps(dict(zip(header, row, strict=True)))
        + "\n"
        + json.dumps({"Hostname": "cam-2"})
        + "\n",
        encoding="utf-8",
    )
    for name in ("a.csv", "a.xlsx", "a.jsonl"):
        opened = open_inventory(tmp_path / name)
        assert opened.roles.mac == ("MAC",) and opened.roles.manufacturer == ("Vendor",), name
        rows = _rows(tmp_path / name)
        assert rows[0]["MAC"] == "44:19:B6:00:00:01" and rows[0]["_row"] == 1, name


def test_a_table_with_only_network_columns_opens(tmp_path: Path) -> None:
    path = tmp_path / "dhcp.csv"
    path.write_text("ip,mac,lease\n10.0.0.5,44:19:B6:00:00:01,3600\n", encoding="utf-8")
    opened = open_inventory(path)
    assert (opened.roles.mac, opened.roles.ip) == (("mac",), "ip")


def test_a_table_without_device_columns_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "budget.csv"
    path.write_text("account,amount\n100,5\n", encoding="utf-8")
    with pytest.raises(
        InputError, match="no MAC, manufacturer, model or description column"
    ) as err:
        open_inventory(path)
    assert "account, amount" in str(err.value) and "--map mac=COL" in str(err.value)


def test_an_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="unknown inventory format 'pdf'"):
        open_inventory(tmp_path / "x.csv", fmt="pdf")
