"""Column-role guessing from common names."""

from __future__ import annotations

import pytest

from procurewatch.ingest.base import ROLES
from procurewatch.ingest.columns import guess_field_map, is_checkbook, normalize, vocabulary


def test_vocabulary_is_well_formed() -> None:
    data = vocabulary()
    for role in ROLES:
        assert set(data[role]) == {"exact", "contains", "not"}, role
        for key in ("exact", "contains", "not"):
            assert all(isinstance(word, str) and word for word in data[role][key]), (role, key)
    assert all(isinstance(word, str) for word in data["checkbook_markers"])


def test_normalize() -> None:
    assert normalize(" Vendor_Name ") == normalize("vendor-name") == normalize("VENDOR NAME")


@pytest.mark.parametrize(
    ("columns", "role", "expected"),
    [
        (["Vendor ID", "Vendor Name", "Amount"], "vendor", ("Vendor Name",)),
        (["VendorID", "VendorLegalName"], "vendor", ("VendorLegalName",)),
        (["vendor_no", "vendor_address", "Payee Name"], "vendor", ("Payee Name",)),
        (["SUPPLIER_NAME_1", "SUPPLIER_NUMBER"], "vendor", ("SUPPLIER_NAME_1",)),
        (["中标供应商", "项目编号"], "vendor", ("中标供应商",)),
        (["LINE_ITEM_DESCRIPTION", "DESCRIPTION_CODE"], "text", ("LINE_ITEM_DESCRIPTION",)),
        (["采购项目名称", "品目"], "text", ("品目", "采购项目名称")),
        (["供应商", "品牌", "规格型号", "描述", "金额"], "vendor", ("供应商", "品牌")),
        (["供应商", "品牌", "规格型号", "描述", "金额"], "text", ("描述", "规格型号")),
        (["凭证号", "摘要", "借方金额"], "text", ("摘要",)),
        (["機關名稱", "標案名稱", "得標廠商", "決標金額", "決標日期"], "vendor", ("得標廠商",)),
        (["機關名稱", "標案名稱", "得標廠商", "決標金額", "決標日期"], "buyer", ("機關名稱",)),
        (["機關名稱", "標案名稱", "得標廠商", "決標金額", "決標日期"], "text", ("標案名稱",)),
        (["採購機關", "廠商名稱", "採購項目說明"], "text", ("採購項目說明",)),
        (["Asset Tag", "Make", "Model", "Serial Number"], "vendor", ("Make",)),
        (["Asset Tag", "Make", "Model", "Serial Number"], "text", ("Model",)),
        (["PO Line", "Mfr Part Number", "Unit Price"], "text", ("Mfr Part Number",)),
        (["Supplier", "Mfg Part #", "Unit Price", "Extended Price"], "text", ("Mfg Part #",)),
        (["Supplier", "Mfg Part #", "Unit Price", "Extended Price"], "amount", "Extended Price"),
        (["Payee Name", "Sub Vendor", "Contract Purpose"], "vendor", ("Payee Name", "Sub Vendor")),
        (["Invoice Amount", "Net Amount"], "amount", "Invoice Amount"),
        (["成交金额（万元）"], "amount", "成交金额（万元）"),
        (["Fiscal Year", "Check Date"], "date", "Check Date"),
        (["Fiscal Year End", "Contract End Date"], "date", None),
        (["采购单位", "Agency Code"], "buyer", ("采购单位",)),
        (["State", "Country"], "place", ("State", "Country")),
    ],
)
def test_guesses(columns: list[str], role: str, expected: object) -> None:
    assert getattr(guess_field_map(columns), role) == expected


def test_checkbook_markers() -> None:
    assert is_checkbook(["Check Number", "Vendor"])
    assert not is_checkbook(["Vendor", "Amount"])
