"""Inventory detection: per device, MAC OUI, manufacturer name, model number and banner findings.

Devices are built from real identifiers: MAC blocks of the IEEE registry (44:19:B6 Hikvision,
3C:EF:8C Dahua, E0:06:30 Huawei, 70:66:B9 Huawei Device, Uniview's 48:EA:63 ...), model numbers
from the manufacturers' catalogues as copied in ``shared/data/devices``.
"""

from __future__ import annotations

from datetime import date

import pyarrow as pa
import pytest

from procurewatch.ingest.inventory import Device, InventoryMap, devices
from procurewatch.screen.inventory import (
    DeviceResult,
    Finding,
    InventoryContext,
    maker_of,
    screen_device,
    screen_inventory_batch,
)
from procurewatch.screen.inventory_run import FINDING_COLUMNS, build_inventory_context
from procurewatch.screen.remediation import remediation_rows
from procurewatch.watchlist.bundled import load_bundled

DAY = date(2024, 3, 31)


@pytest.fixture(scope="module")
def ctx() -> InventoryContext:
    return build_inventory_context(load_bundled(), DAY)


def device(
    mac: str = "",
    maker: str = "",
    model: str = "",
    banner: str = "",
    row: int = 1,
    site: str | None = None,
    hostname: str | None = None,
) -> Device:
    return Device(
        "assets.csv",
        row,
        macs=(("MAC", mac),) if mac else (),
        manufacturers=(("Make", maker),) if maker else (),
        models=(("Model", model),) if model else (),
        banners=(("Notes", banner),) if banner else (),
        site=site,
        hostname=hostname,
    )


def found(result: DeviceResult) -> set[tuple[str, str, str]]:
    return {(f.hit.rule, f.hit.entity_id, f.maker) for f in result.findings}


def test_a_hikvision_camera_is_flagged_by_every_signal(ctx: InventoryContext) -> None:
    result = screen_device(
        device("44:19:b6:3a:10:7c", "Hikvision", "DS-2CD2143G2-I", "Hikvision IP camera httpd"), ctx
    )
    assert found(result) == {
        ("oui", "hikvision", "hikvision"),
        ("manufacturer-name", "hikvision", "hikvision"),
        ("model", "hikvision", "hikvision"),
        ("banner", "hikvision", "hikvision"),
    }
    assert [f.hit.rule for f in result.findings] == ["oui", "manufacturer-name", "model", "banner"]
    oui = result.findings[0]
    assert oui.hit.in_force is True and oui.use_banned is True and not oui.hit.lead
    assert "44:19:B6/24" in oui.hit.explanation and "us-ndaa-889-a1b" in oui.hit.lists
    model = next(f for f in result.findings if f.hit.rule == "model")
    assert model.hit.matched_text == "DS-2CD2143G2-I" and model.hit.span == (0, 14)


@pytest.mark.parametrize(
    ("maker", "model", "entity", "company"),
    [
        ("EZVIZ", "CS-C6N", "ezviz", "hikvision"),
        ("HiLook", "THC-B120-PC", "hilook", "hikvision"),
        ("IMOU", "IPC-A22EP", "imou", "dahua"),
        ("Dahua Technology", "IPC-HFW2431S-S-S2", "dahua", "dahua"),
        ("Hytera Communications Corporation Limited", "PD782", "hytera", "hytera"),
    ],
)
def test_brands_lead_to_the_listed_maker(
    ctx: InventoryContext, maker: str, model: str, entity: str, company: str
) -> None:
    result = screen_device(device(maker=maker, model=model), ctx)
    name = next(f for f in result.findings if f.hit.rule == "manufacturer-name")
    assert (name.hit.entity_id, name.maker) == (entity, company)
    assert name.use_banned is True and not name.hit.lead
    assert {f.maker for f in result.findings} == {company}


@pytest.mark.parametrize(
    ("mac", "maker", "model"),
    [
        ("48:EA:63:00:00:01", "Uniview", "IPC2124LB-SF28KM-G"),  # Zhejiang Uniview's MA-L block
        ("", "Uniarch", "IPC-B122-APF28"),
        ("", "Tiandy", "TC-C32GN"),
        ("", "Honor", "MagicBook 14"),
        ("", "Axis", "P3265-LVE"),
        ("", "Hanwha", "XNO-6080R"),
    ],
)
def test_look_alikes_are_not_flagged(
    ctx: InventoryContext, mac: str, maker: str, model: str
) -> None:
    assert screen_device(device(mac, maker, model), ctx).findings == ()


def test_a_model_family_that_needs_its_brand_uses_the_manufacturer_as_context(
    ctx: InventoryContext,
) -> None:
    assert found(screen_device(device(maker="EZVIZ", model="CS-C6N"), ctx)) >= {
        ("model", "ezviz", "hikvision")
    }
    assert screen_device(device(model="CS-C6N"), ctx).findings == ()
    alone = screen_device(device(model="IPC-HFW2431S-S-S2"), ctx)
    assert found(alone) == {("model", "dahua", "dahua")}


def test_randomized_multicast_and_bad_macs_are_noted_not_attributed(ctx: InventoryContext) -> None:
    result = screen_device(device("DA:A1:19:5B:2C:01; 01:00:5E:00:00:FB, not-a-mac"), ctx)
    assert result.findings == ()
    assert [n.lookup.status for n in result.notes] == ["local", "multicast", "invalid"]
    assert all(n.column == "MAC" for n in result.notes)


def test_several_macs_in_one_cell_are_each_looked_up(ctx: InventoryContext) -> None:
    result = screen_device(device("3C:EF:8C:11:22:33 | E0:06:30:00:00:01"), ctx)
    assert {(f.hit.matched_text, f.maker) for f in result.findings} == {
        ("3C:EF:8C:11:22:33", "dahua"),
        ("E0:06:30:00:00:01", "huawei"),
    }


def test_in_force_and_the_use_ban_depend_on_the_inventory_date() -> None:
    early = build_inventory_context(load_bundled(), date(2020, 1, 1))
    finding = screen_device(device("44:19:B6:00:00:01"), early).findings[0]
    assert finding.hit.in_force is True  # 889(a)(1)(A) since 2019-08-13
    assert finding.use_banned is False  # 889(a)(1)(B) only from 2020-08-13
    before = build_inventory_context(load_bundled(), date(2018, 1, 1))
    assert screen_device(device("44:19:B6:00:00:01"), before).findings[0].hit.in_force is False


def test_oem_relabelers_and_former_subsidiaries_are_leads(ctx: InventoryContext) -> None:
    amcrest = screen_device(device(maker="Amcrest", model="IP8M-2496E"), ctx).findings
    assert [(f.hit.entity_id, f.maker, f.hit.lead, f.use_banned) for f in amcrest] == [
        ("amcrest", "dahua", True, None)
    ]
    lorex = screen_device(device(maker="Lorex"), ctx).findings[0]  # Dahua-owned 2018-02..2022-11-24
    assert (lorex.maker, lorex.hit.lead, lorex.hit.in_force, lorex.use_banned) == (
        "dahua",
        True,
        False,
        False,
    )
    assert "owned_by dahua" in lorex.hit.explanation and "a lead" in lorex.hit.explanation
    during = build_inventory_context(load_bundled(), date(2021, 6, 1))
    owned = screen_device(device(maker="Lorex"), during).findings[0]
    assert (owned.hit.lead, owned.use_banned) == (False, True)


def test_a_registrant_that_only_carries_a_listed_name_is_a_lead(ctx: InventoryContext) -> None:
    result = screen_device(
        device("00:22:A1:00:00:01"), ctx
    )  # registered to Huawei Symantec Technologies Co.,Ltd. (a joint venture, not in the watchlist)
    finding = result.findings[0]
    assert (finding.hit.rule, finding.maker, finding.hit.lead) == ("oui", "huawei", True)
    assert "Huawei Symantec Technologies Co.,Ltd." in finding.hit.explanation


def test_a_huawei_device_block_is_the_bundled_subsidiary(ctx: InventoryContext) -> None:
    result = screen_device(
        device("70:66:B9:00:00:01"), ctx
    )  # registered to Huawei Device Co., Ltd. (bundled in issue 14, round 2)
    finding = result.findings[0]
    assert (finding.hit.rule, finding.hit.entity_id, finding.maker, finding.hit.lead) == (
        "oui",
        "huawei-device",
        "huawei",
        False,
    )


def test_maker_of_follows_relations() -> None:
    watchlist = load_bundled()
    for entity, company in [
        ("ezviz", "hikvision"),
        ("hilook", "hikvision"),
        ("imou", "dahua"),
        ("prama-hikvision-india", "hikvision"),
        ("hisilicon", "huawei"),
        ("amcrest", "dahua"),
        ("annke", "hikvision"),
        ("hikvision", "hikvision"),
        ("chengdu-dahua-wisdom", "dahua"),  # listed itself (1260H), use ban through Dahua
        ("huawei-holding", "huawei-holding"),
    ]:
        found_entity = watchlist.get(entity)
        assert found_entity is not None and maker_of(found_entity, watchlist) == company


def test_a_batch_becomes_devices_by_role(ctx: InventoryContext) -> None:
    batch = pa.RecordBatch.from_pydict(
        {
            "Hostname": ["cam-1", "laptop-2"],
            "MAC Address": ["44:19:B6:00:00:01", "A4:83:E7:00:00:01"],
            "Manufacturer": ["Hikvision", "Apple"],
            "Model": ["DS-2CD2143G2-I", "MacBook Air"],
            "Site": ["HQ", "HQ"],
            "Room": ["Lobby", None],
            "_source_file": ["a.csv", "a.csv"],
            "_row": [1, 2],
        }
    )
    roles = InventoryMap(
        mac=("MAC Address",),
        manufacturer=("Manufacturer",),
        model=("Model",),
        site=("Site", "Room"),
        hostname="Hostname",
    )
    first, second = devices(batch, roles)
    assert (first.site, first.hostname, first.mac, first.model) == (
        "HQ / Lobby",
        "cam-1",
        "44:19:B6:00:00:01",
        "DS-2CD2143G2-I",
    )
    assert second.site == "HQ" and second.label() == "laptop-2"
    results = screen_inventory_batch(batch, roles, ctx)
    assert [bool(r.findings) for r in results] == [True, False]


def test_finding_rows_carry_the_contract_columns_and_the_device(ctx: InventoryContext) -> None:
    result = screen_device(
        device("44:19:B6:00:00:01", "EZVIZ", hostname="cam-9", site="Annex"), ctx
    )
    row = result.findings[0].row_dict()
    contract = (
        "source_file",
        "row",
        "field",
        "matched_text",
        "rule",
        "entity_id",
        "entity_name",
        "score",
        "lists",
        "in_force",
    )
    assert set(contract) <= set(row) and set(contract) <= set(FINDING_COLUMNS)
    assert (row["device"], row["site"], row["inventory_date"], row["use_banned"]) == (
        "cam-9",
        "Annex",
        "2024-03-31",
        "true",
    )
    data = result.findings[0].json_dict()
    assert data["use_banned"] is True and data["designations"]


def test_remediation_lists_each_flagged_device_once_grouped_by_site(ctx: InventoryContext) -> None:
    results = [
        screen_device(
            device(
                "44:19:B6:00:00:01",
                "Hikvision",
                "DS-2CD2143G2-I",
                row=1,
                site="Warehouse",
                hostname="cam-w",
            ),
            ctx,
        ),
        screen_device(
            device(maker="IMOU", model="IPC-A22EP", row=2, site="Annex", hostname="cam-a"), ctx
        ),
        screen_device(device(maker="Amcrest", row=3), ctx),
    ]
    rows = remediation_rows(results, load_bundled())
    assert [(r["site"], r["row"]) for r in rows] == [("Annex", 2), ("Warehouse", 1), ("", 3)]
    annex, warehouse, lead = rows
    assert annex["entity"] == "Zhejiang Dahua Technology Co., Ltd. (via Imou)"
    assert "889(a)(1)(B)" in annex["designation"] and annex["in_force_since"] == "2020-08-13"
    assert (
        warehouse["why"].startswith("MAC '44:19:B6:00:00:01'")
        and "model 'DS-2CD2143G2-I'" in warehouse["why"]
    )
    assert warehouse["device"] == "cam-w | 44:19:B6:00:00:01 | DS-2CD2143G2-I"
    assert (lead["lead"], lead["use_banned"], lead["in_force_since"]) == ("true", "", "")


def test_findings_are_pure_values(ctx: InventoryContext) -> None:
    one = screen_device(device("44:19:B6:00:00:01", "Hikvision"), ctx)
    two = screen_device(device("44:19:B6:00:00:01", "Hikvision"), ctx)
    assert [f.row_dict() for f in one.findings] == [f.row_dict() for f in two.findings]
    assert all(isinstance(f, Finding) for f in one.findings)
