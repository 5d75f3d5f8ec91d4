"""``procurewatch inventory`` end to end through the real entry point ``cli.main``.

The asset list is composed for the test from real identifiers: registry MAC blocks (44:19:B6
Hikvision, 3C:EF:8C Dahua, E0:06:30 Huawei, 48:EA:63 Uniview) and catalogue model numbers.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

ASSETS = """\
Asset Tag,Hostname,IP Address,MAC Address,Manufacturer,Model Number,Site,Notes
A-001,cam-lobby,10.1.2.11,44:19:b6:3a:10:7c,Hikvision,DS-2CD2143G2-I,HQ,lobby dome
A-002,cam-garage,10.1.2.12,4419.B63A.107D,EZVIZ,CS-C6N,HQ,
A-003,nvr-1,10.1.2.20,3C-EF-8C-11-22-33,,NVR4108HS-4KS2,Warehouse,Dahua recorder
A-004,cam-yard,10.1.2.21,48:EA:63:00:00:01,Uniview,IPC2124LB-SF28KM-G,Warehouse,
A-005,phone-7,10.1.2.30,da:a1:19:5b:2c:01,Apple,iPhone 13,HQ,randomized Wi-Fi MAC
A-006,cam-door,10.1.2.31,,IMOU,IPC-A22EP,Annex,
A-007,=HYPERLINK("http://x"),10.1.2.42,E0:06:30:00:00:01,,,Annex,
"""
NMAP = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE nmaprun>
<nmaprun scanner="nmap" args="nmap -sV -oX scan.xml 10.1.2.0/24" start="1709547121" version="7.94SVN" xmloutputversion="1.05">
<host><status state="up" reason="arp-response" reason_ttl="0"/>
<address addr="10.1.2.64" addrtype="ipv4"/>
<address addr="44:19:B6:3A:10:7C" addrtype="mac" vendor="Hangzhou Hikvision Digital Technology"/>
<hostnames><hostname name="cam-lobby" type="PTR"/></hostnames>
<ports><port protocol="tcp" portid="80"><state state="open" reason="syn-ack" reason_ttl="64"/><service name="http" product="Hikvision IP camera httpd" devicetype="webcam" method="probed" conf="10"/></port></ports>
</host>
<runstats><finished time="1709547190" exit="success"/><hosts up="1" down="255" total="256"/></runstats>
</nmaprun>
"""
CONTRACT = (
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


@pytest.fixture
def run(cli: Any, tmp_path: Path) -> Any:
    """Run ``procurewatch ARGS... --store (empty)``; returns ``(exit status, stdout, stderr)``."""

    return lambda *args: cli(*args, "--store", str(tmp_path / "no-store.duckdb"))


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_an_asset_list_end_to_end(run: Any, tmp_path: Path) -> None:
    assets, out = tmp_path / "assets.csv", tmp_path / "out"
    assets.write_text(ASSETS, encoding="utf-8")
    code, stdout, stderr = run("inventory", str(assets), "--out", str(out), "--date", "2024-03-31")
    assert (code, stderr) == (0, "")
    assert "7 devices screened as of 2024-03-31, 5 flagged" in stdout
    assert sorted(p.name for p in out.iterdir()) == [
        "findings.csv",
        "findings.jsonl",
        "mac_notes.csv",
        "rejects.csv",
        "remediation.csv",
        "report.html",
        "summary.json",
    ]
    findings = _csv(out / "findings.csv")
    assert set(CONTRACT) <= set(findings[0])
    assert {(f["row"], f["rule"], f["maker"]) for f in findings} >= {
        ("1", "oui", "hikvision"),
        ("1", "manufacturer-name", "hikvision"),
        ("1", "model", "hikvision"),
        ("2", "oui", "hikvision"),
        ("2", "manufacturer-name", "hikvision"),
        ("2", "model", "hikvision"),
        ("3", "oui", "dahua"),
        ("3", "model", "dahua"),
        ("6", "manufacturer-name", "dahua"),
        ("7", "oui", "huawei"),
    }
    assert not [f for f in findings if f["row"] in ("4", "5")]  # Uniview; a randomized MAC
    assert all(f["inventory_date"] == "2024-03-31" and f["in_force"] == "true" for f in findings)
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert (summary["devices"], summary["flagged_devices"], summary["rejected_rows"]) == (7, 5, 0)
    assert summary["mac_not_attributed"] == {"local": 1}
    assert [line["row"] for line in _csv(out / "mac_notes.csv")] == ["5"]
    jsonl = [
        json.loads(line)
        for line in (out / "findings.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert len(jsonl) == len(findings) and jsonl[0]["designations"]


def test_remediation_is_grouped_by_site_and_formula_safe(run: Any, tmp_path: Path) -> None:
    assets, out = tmp_path / "assets.csv", tmp_path / "out"
    assets.write_text(ASSETS, encoding="utf-8")
    assert run("inventory", str(assets), "--out", str(out), "--date", "2024-03-31")[0] == 0
    rows = _csv(out / "remediation.csv")
    assert [(r["site"], r["row"]) for r in rows] == [
        ("Annex", "7"),
        ("Annex", "6"),
        ("HQ", "2"),
        ("HQ", "1"),
        ("Warehouse", "3"),
    ]
    assert rows[0]["device"].startswith("'=HYPERLINK") and rows[0]["hostname"].startswith("'=")
    garage = rows[2]
    assert garage["entity"] == "Hangzhou Hikvision Digital Technology Co., Ltd."
    assert garage["in_force_since"] == "2020-08-13" and "889(a)(1)(B)" in garage["designation"]
    assert "manufacturer 'EZVIZ': EZVIZ" in garage["why"]
    assert not list(out.glob(".*.tmp"))


def test_the_date_decides_the_use_ban(run: Any, tmp_path: Path) -> None:
    assets, out = tmp_path / "assets.csv", tmp_path / "out"
    assets.write_text(ASSETS, encoding="utf-8")
    assert run("inventory", str(assets), "--out", str(out), "--date", "2020-01-01")[0] == 0
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["flagged_devices"] == 5 and summary["devices_use_banned"] == 0


def test_an_nmap_scan_and_a_mapped_column(run: Any, tmp_path: Path) -> None:
    scan, table, out = tmp_path / "scan.xml", tmp_path / "arp.csv", tmp_path / "out"
    scan.write_text(NMAP, encoding="utf-8")
    table.write_text("Interface,HW,Host\neth0,3c:ef:8c:00:00:01,nvr-2\n", encoding="utf-8")
    code, stdout, _ = run(
        "inventory", str(scan), str(table), "--out", str(out), "--map", "mac=HW", "-q"
    )
    assert code == 0 and stdout == ""
    findings = _csv(out / "findings.csv")
    assert {(Path(f["source_file"]).name, f["rule"], f["maker"]) for f in findings} >= {
        ("scan.xml", "oui", "hikvision"),
        ("scan.xml", "manufacturer-name", "hikvision"),
        ("scan.xml", "banner", "hikvision"),
        ("arp.csv", "oui", "dahua"),
    }
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert [i["format"] for i in summary["inputs"]] == ["nmap", "csv"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "budget.csv",
            "account,amount\n100,5\n",
            "no MAC, manufacturer, model or description column",
        ),
        (
            "evil.xml",
            '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "b">]>\n<nmaprun>&a;</nmaprun>\n',
            "refused",
        ),
        ("empty.csv", "", "empty"),
    ],
)
def test_bad_input_is_one_error_line_and_exit_1(
    run: Any, tmp_path: Path, name: str, content: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    code, stdout, stderr = run("inventory", str(path), "--out", str(tmp_path / "out"))
    assert code == 1 and stdout == ""
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0]
    assert "Traceback" not in stderr and not (tmp_path / "out" / "summary.json").exists()


def test_a_missing_file_is_exit_1(run: Any, tmp_path: Path) -> None:
    code, _, stderr = run("inventory", str(tmp_path / "nope.csv"), "--out", str(tmp_path / "out"))
    assert code == 1 and stderr.startswith("error: ") and "no such file" in stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--date", "31/03/2024"), "--date '31/03/2024': write the date as YYYY-MM-DD"),
        (("--map", "vendor=Make"), "unknown role 'vendor' in --map"),
        (("--map", "mac"), "write ROLE=COLUMN"),
        (("--format", "pdf"), "unknown inventory format 'pdf'"),
    ],
)
def test_usage_errors_are_exit_2(
    run: Any, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    assets = tmp_path / "assets.csv"
    assets.write_text(ASSETS, encoding="utf-8")
    code, _, stderr = run("inventory", str(assets), "--out", str(tmp_path / "out"), *args)
    assert code == 2 and stderr.startswith("error: ") and message in stderr
    assert len(stderr.strip().splitlines()) == 1
