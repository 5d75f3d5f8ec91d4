"""The inventory report (``report.html`` of ``procurewatch inventory``) through the real CLI.

The asset list is composed for the test from real identifiers: MAC blocks of the IEEE registry
as listed in ``shared/data/devices/oui_extract_chinese_vendors.csv`` (44:19:B6 Hikvision,
3C:EF:8C Dahua, 64:F2:FB Hangzhou Ezviz, 48:EA:63 Uniview) and 00:40:8C (Axis Communications),
catalogue model numbers, an Amcrest recorder (a reported Dahua OEM: a lead), a randomized MAC,
and a host name that is markup.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from procurewatch.cli import main
from procurewatch.errors import InputError
from procurewatch.report.inventory import explanation_parts, write_inventory_report

from .test_browser import ARTIFACTS, COUNT_MARKS, open_offline
from .test_html import URL_ATTRIBUTES, parse

XSS = "<script>alert(1)</script>"
ASSETS = f"""\
Asset Tag,Hostname,IP Address,MAC Address,Manufacturer,Model,Site,Notes
A-101,{XSS},10.20.0.11,44:19:B6:3A:10:7C,Hikvision,DS-2CD2143G2-I,HQ,lobby dome
A-102,nvr-warehouse,10.20.0.20,3C:EF:8C:11:22:33,Dahua,NVR4108HS-4KS2,Warehouse,recorder
A-103,ezviz-door,10.20.0.31,64:F2:FB:01:02:03,EZVIZ,CS-C6N,HQ,
A-104,cam-yard,10.20.0.41,48:EA:63:00:00:01,Uniview,IPC2124LB-SF28KM-G,Warehouse,
A-105,axis-gate,10.20.0.51,00:40:8C:AA:BB:CC,Axis Communications,AXIS P3245-V,Warehouse,
A-106,amcrest-shed,10.20.0.61,,Amcrest,IP4M-1041B,,
A-107,laptop-9,10.20.0.70,DA:A1:19:5B:2C:01,Dell,Latitude 5440,HQ,randomized Wi-Fi MAC
"""
HIKVISION = "Hangzhou Hikvision Digital Technology Co., Ltd."
DAHUA = "Zhejiang Dahua Technology Co., Ltd."


def run_inventory(folder: Path, assets: str) -> Path:
    """``procurewatch inventory`` on ``assets`` as of 2024-03-31; returns the --out folder."""
    path, out = folder / "assets.csv", folder / "out"
    path.write_text(assets, encoding="utf-8")
    args = [str(path), "--out", str(out), "--date", "2024-03-31", "-q"]
    main(["inventory", *args, "--store", str(folder / "no-store.duckdb")])
    return out


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The output folder of one inventory run over :data:`ASSETS`."""
    return run_inventory(tmp_path_factory.mktemp("inventory"), ASSETS)


@pytest.fixture(scope="module")
def html(out: Path) -> str:
    return (out / "report.html").read_text(encoding="utf-8")


def _section(html: str, name: str) -> str:
    found = re.search(rf'<section id="{name}".*?</section>', html, re.S)
    assert found, f"no section {name}"
    return found.group(0)


def test_the_cli_writes_the_report_with_every_section(out: Path, html: str) -> None:
    assert (out / "report.html").is_file() and not list(out.glob(".*.tmp"))
    for section in ("headline", "charts", "remediation", "devices", "mac-notes"):
        assert f'<section id="{section}"' in html
    cards = re.findall(r'<div class="value">([\d,]+)</div><div class="label">([^<]+)', html)
    assert cards[:4] == [
        ("7", "devices screened"),
        ("4", "flagged devices"),
        ("3", "use banned under 889(a)(1)(B) on 2024-03-31"),
        ("1", "leads only (OEM relabels, past ownership)"),
    ]
    by_company = _section(html, "headline")
    assert re.search(
        rf'"num">2</td><td>{re.escape(HIKVISION)} <span class="small">\(2 use', by_company
    )
    assert re.search(rf'"num">2</td><td>{re.escape(DAHUA)} <span class="small">\(1 use', by_company)


def test_remediation_is_grouped_by_site(html: str) -> None:
    table = _section(html, "remediation")
    sites = re.findall(r'<td class="site" rowspan="(\d)">([^<]+)<', table)
    assert sites == [("2", "HQ"), ("1", "Warehouse"), ("1", "(no site given)")]
    devices = re.findall(r'<td class="device"><a href="#(dev-\d)">([^<]+)</a>', table)
    labels = [label for _, label in devices]
    assert labels == ["&lt;script&gt;alert(1)&lt;/script&gt;", "ezviz-door", "nvr-warehouse",
                      "amcrest-shed"]  # fmt: skip
    assert {anchor for anchor, _ in devices} == set(re.findall(r'<details id="(dev-\d)"', html))
    for unflagged in ("cam-yard", "axis-gate", "laptop-9", "Uniview", "Axis"):
        assert unflagged not in table
    assert f"{HIKVISION} (via EZVIZ)" in table and f"{DAHUA} (via Amcrest)" in table
    assert table.count("Pub. L. 115-232, sec. 889(a)(1)(B), (f)(3)(B)") == 3
    assert table.count("2020-08-13") == 3 and table.count("lead only") == 1
    assert '<span class="badge b-rule" title="the MAC address block is registered' in table


def test_each_device_shows_its_evidence(html: str) -> None:
    devices = _section(html, "devices")
    assert devices.count("<details id=") == 4
    assert "<dt>MAC block</dt><dd>44:19:B6:3A:10:7C is in block 44:19:B6/24 of" in devices
    assert "<dt>registrant</dt><dd>registrant &#39;Hangzhou Ezviz Software" in devices
    assert "<dt>name match</dt><dd>query &#39;EZVIZ&#39; vs legal name" in devices
    assert re.search(
        r"<dt>model family</dt><dd>Hikvision IP camera .*\[hikvision-ip-camera\]", devices
    )
    assert "[dahua-nvr]</dd>" in devices
    assert "<h3>Designations of Zhejiang Dahua Technology Co., Ltd.</h3>" in devices
    assert '<span class="badge b-force">use ban</span>' in devices
    assert "<h3>Designations of Amcrest</h3>" not in devices  # a lead has none of its own


def test_data_is_escaped(out: Path, html: str) -> None:
    assert XSS not in html
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 3  # table, summary, facts
    tags = parse(html)
    scripts = [a for t, a in tags.tags if t == "script"]
    assert len(scripts) == 3  # the chart spec, the vendored libraries and the bootstrap
    spec = json.loads(tags.scripts[0])
    assert "<" not in tags.scripts[0] and spec["datasets"]["devices"]
    notes = _section(html, "mac-notes")
    assert "DA:A1:19:5B:2C:01" in notes and "laptop-9" in notes


def test_no_resource_is_loaded_from_the_network(html: str) -> None:
    for tag, attrs in parse(html).tags:
        for name, value in attrs.items():
            if name in URL_ATTRIBUTES and value is not None:
                assert value.startswith(("#", "data:")), f"<{tag} {name}={value!r}>"
    assert not re.search(r"url\(\s*['\"]?\s*(https?:)?//", html, re.I)
    assert "@import" not in html


def test_the_chart_counts_devices_by_company_and_site(html: str) -> None:
    spec = json.loads(parse(html).scripts[0])
    rows = {(r["company"], r["site"], r["state"]) for r in spec["datasets"]["devices"]}
    assert rows == {
        (HIKVISION, "HQ", "use banned"),
        (DAHUA, "Warehouse", "use banned"),
        (DAHUA, "(no site given)", "lead only"),
    }
    assert len(spec["datasets"]["devices"]) == 4
    assert [v["encoding"]["y"]["field"] for v in spec["vconcat"]] == ["company", "site"]


@pytest.mark.parametrize(
    ("rule", "explanation", "labels"),
    [
        ("oui", "A is in block B of 'X'; registrant 'X' is 'Y': 1.00", ["MAC block", "registrant"]),
        ("manufacturer-name", "query 'X' vs legal name 'X': 1.00", ["name match"]),
        ("model", "model number M matches Fam (A / B) [fam-id]; 'X' nearby",
         ["model family", "explanation"]),
        ("model", "model name 'M'", ["explanation"]),
        ("banner", "abbreviation name 'Dahua'", ["explanation"]),
    ],
)  # fmt: skip
def test_explanation_parts(rule: str, explanation: str, labels: list[str]) -> None:
    parts = explanation_parts(rule, explanation)
    assert [label for label, _ in parts] == labels
    if rule == "model" and len(parts) == 2:
        assert parts[0][1] == "Fam (A / B) [fam-id]"


def test_an_inventory_without_flagged_devices(tmp_path: Path) -> None:
    clean = "Hostname,MAC Address,Manufacturer,Model\naxis-gate,00:40:8C:AA:BB:CC,Axis,P3245-V\n"
    html = (run_inventory(tmp_path, clean) / "report.html").read_text(encoding="utf-8")
    assert "No flagged device: nothing in the inventory points at a listed maker." in html
    assert "vegaEmbed" not in html and 'class="chart"' not in html


def test_not_an_inventory_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"no summary\.json"):
        write_inventory_report(tmp_path)
    (tmp_path / "summary.json").write_text('{"records": 3}', encoding="utf-8")
    with pytest.raises(InputError, match=r"not the summary\.json of an inventory run"):
        write_inventory_report(tmp_path)


def test_the_html_module_exports_the_writer(out: Path) -> None:
    from procurewatch.cli_inventory import write_report_if_available
    from procurewatch.report import html

    assert html.write_inventory_report is write_inventory_report
    first = (out / "report.html").read_bytes()
    assert write_report_if_available(out) and (out / "report.html").read_bytes() == first


@pytest.mark.browser
def test_the_report_draws_offline_in_chromium(browser: Any, out: Path) -> None:
    """The chart is drawn as an SVG with marks; no request leaves the file; no script error."""
    page, others, errors = open_offline(browser, out / "report.html")
    try:
        assert page.get_attribute("#chart-devices", "data-rendered") == "true"
        marks = page.locator("#chart-devices svg .role-mark").evaluate_all(COUNT_MARKS)
        assert marks > 0, "the chart's SVG has no marks"
        assert page.locator("#devices details").count() == 4
        page.locator("#dev-0 > summary").click()  # open the drill-down of the first device
        assert page.locator(f"#dev-0 dd:text-is('{XSS}')").count() == 1
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "inventory-report.png"), full_page=True)
    finally:
        page.close()
    assert not others, f"the report made requests: {sorted(set(others))}"
    assert not errors, f"script errors: {errors}"
