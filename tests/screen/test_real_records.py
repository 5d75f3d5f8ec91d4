"""Files shaped like the ones investigators get, screened end to end through the CLI.

Each file is composed for the test (the shapes, not the rows, come from real exports: a
Chinese bid-results table with a 万元 amount column, a European semicolon CSV, a city workbook
with a cover sheet and notes above the header).
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

import pytest

CN_HEADER = "项目名称,中标供应商,采购内容,中标金额（万元）,公告日期\n"
CN_ROWS = (
    "某市公安局视频监控采购项目,杭州海康威视数字技术股份有限公司,网络摄像机,150,2021年6月1日\n"
    "某学校安防设备采购,某某科技有限公司,大华 DH-IPC-HFW 摄像头,200.5,2021年7月2日\n"
)
EU = (
    "Proveedor;Descripción;Importe;Fecha;Moneda\n"
    "Huawei Technologies;routers;1.234,56;28/05/2020;EUR\n"
    "ACME;cámaras de vigilancia;2.000,00;15/06/2020;EUR\n"
)


@pytest.fixture
def run(cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Run ``procurewatch ARGS...`` with a store of its own; ``(status, stdout, stderr)``."""
    monkeypatch.setenv("PROCUREWATCH_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("PROCUREWATCH_STORE", raising=False)

    return cli


def _hits(out: Path) -> list[dict[str, str]]:
    with (out / "hits.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_wan_yuan_award_in_dollars(run: Any, tmp_path: Path) -> None:
    src = tmp_path / "bids.csv"
    src.write_text(CN_HEADER + CN_ROWS, encoding="utf-8")
    code, _, _ = run("screen", str(src), "--out", str(tmp_path / "out"), "-q")
    assert code == 0
    hit = next(h for h in _hits(tmp_path / "out") if h["row"] == "1")
    assert hit["amount"] == "150"
    assert float(hit["amount_value"]) == 1_500_000.0
    assert hit["currency"] == "CNY"
    assert hit["date"] == "2021-06-01"
    # June 2021: about 6.46 yuan per dollar (Federal Reserve H.10), so about $232,000
    reference = 1_500_000 / 6.46
    assert abs(float(hit["amount_usd"]) - reference) / reference < 0.05
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    fmt = summary["inputs"][0]["field_map"]["formats"]["amount"]
    assert fmt["unit"] == 10_000 and fmt["currency"] == "CNY"


def test_european_semicolon_file(run: Any, tmp_path: Path) -> None:
    src = tmp_path / "compras.csv"
    src.write_text(EU, encoding="utf-8")
    code, out, _ = run("screen", str(src), "--out", str(tmp_path / "out"))
    assert code == 0
    assert "amount=Importe (decimal comma)" in out and "date=Fecha (day first)" in out
    hit = next(h for h in _hits(tmp_path / "out") if h["field"] == "Proveedor")
    assert float(hit["amount_value"]) == pytest.approx(1234.56)
    assert hit["currency"] == "EUR" and hit["date"] == "2020-05-28"
    assert 1234.56 < float(hit["amount_usd"]) < 1234.56 * 1.2  # a euro was $1.10 in May 2020


def test_ambiguous_amounts_said_once(run: Any, tmp_path: Path) -> None:
    src = tmp_path / "ambiguous.csv"
    src.write_text("Vendor;Amount\nHikvision USA Inc;1.234\nAcme;2.500\n", encoding="utf-8")
    code, out, _ = run("screen", str(src), "--out", str(tmp_path / "out"))
    assert code == 0
    assert out.count("either way") == 1
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert any("either way" in note for note in summary["notes"])


def _cover_workbook(path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    cover = book.active
    assert cover is not None
    cover.title = "Cover"
    cover.append(["City of Springfield - FY2021 Purchase Orders"])
    cover.append([])
    cover.append(["Prepared by:", "Finance Department"])
    data = book.create_sheet("Purchase Orders")
    data.append(["Purchase orders issued July 2020 - June 2021"])
    data.append(["Note: amounts include tax"])
    data.append(["PO Number", "PO Date", "Requesting Dept", "Vendor", "Description", "Amount"])
    data.append(["PO-1", "05/28/2020", "Police", "Hikvision USA Inc", "IP cameras", "$12,500.00"])
    data.append(["PO-2", "06/15/2020", "Parks", "Acme Supply", "Huawei router", "$1,234.56"])
    more = book.create_sheet("FY2022")
    more.append(["Vendor", "Description", "Amount"])
    more.append(["Dahua Technology USA", "NVR", "$900"])
    book.save(path)


def test_cover_sheet_workbook_needs_no_option(run: Any, tmp_path: Path) -> None:
    src = tmp_path / "springfield.xlsx"
    _cover_workbook(src)
    code, out, _ = run("screen", str(src), "--out", str(tmp_path / "out"))
    assert code == 0, out
    assert "buyer=Requesting Dept" in out
    hits = _hits(tmp_path / "out")
    first = next(h for h in hits if h["row"] == "1")
    assert first["buyer"] == "Police" and first["date"] == "2020-05-28"
    assert float(first["amount_usd"]) == 12_500.0
    assert {h["entity_id"] for h in hits} >= {"hikvision-usa", "huawei"}


def test_sheet_option(run: Any, tmp_path: Path) -> None:
    src = tmp_path / "springfield.xlsx"
    _cover_workbook(src)
    code, _, _ = run("screen", str(src), "--out", str(tmp_path / "all"), "--sheet", "all")
    assert code == 0
    sources = {h["source_file"] for h in _hits(tmp_path / "all")}
    assert sources == {f"{src}#Purchase Orders", f"{src}#FY2022"}
    code, _, _ = run("screen", str(src), "--out", str(tmp_path / "three"), "--sheet", "3")
    assert code == 0
    assert [(h["source_file"], h["entity_id"]) for h in _hits(tmp_path / "three")] == [
        (str(src), "dahua-usa")
    ]
    code, _, err = run("screen", str(src), "--out", str(tmp_path / "x"), "--sheet", "Nope")
    assert code == 1 and "no sheet 'Nope'" in err and "'Purchase Orders'" in err
    assert "Traceback" not in err and err.count("\n") == 1
    code, _, err = run("screen", str(src), "--out", str(tmp_path / "y"), "--sheet", "Cover")
    assert code == 1 and "--sheet NAME" in err and "'Purchase Orders'" in err


def test_hit_in_second_text_column_shows_its_own_text(run: Any, tmp_path: Path) -> None:
    src = tmp_path / "bids.csv"
    src.write_text(CN_HEADER + CN_ROWS, encoding="utf-8")
    out = tmp_path / "out"
    assert run("screen", str(src), "--out", str(out), "-q")[0] == 0
    hit = next(h for h in _hits(out) if h["field"] == "采购内容")
    assert hit["field_text"] == "大华 DH-IPC-HFW 摄像头"
    assert hit["description"] == "某学校安防设备采购"  # the record's first text column
    assert run("report", str(out))[0] == 0
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "<mark>大华</mark> DH-IPC-HFW 摄像头" in html
    # the total: 150 + 200.5 万元 = 3,505,000 yuan, about $542,600 at 6.46 yuan per dollar
    # (Federal Reserve H.10, mid-2021), not $350
    total = re.search(r">\$([\d,]+)</div><div class=\"label\">total amount \(USD\)", html)
    assert total is not None
    reference = 3_505_000 / 6.46
    assert abs(int(total.group(1).replace(",", "")) - reference) / reference < 0.05
    # the field map that was guessed, with the unit read from the amount column's header
    assert "Columns read in" in html and "amount=中标金额（万元） (x10,000 (万元), CNY)" in html


def test_report_shows_iso_dates(run: Any, tmp_path: Path) -> None:
    src = tmp_path / "springfield.xlsx"
    _cover_workbook(src)
    out = tmp_path / "out"
    assert run("screen", str(src), "--out", str(out), "-q")[0] == 0
    assert run("report", str(out))[0] == 0
    html = (out / "report.html").read_text(encoding="utf-8")
    assert re.search(r"<strong>(?:<span[^>]*>)?2020-05-28(?:</span>)?</strong>", html)
    assert "<strong>05/28/2020</strong>" not in html


def test_export_reads_the_default_store_like_report(run: Any, tmp_path: Path) -> None:
    src = tmp_path / "springfield.xlsx"
    _cover_workbook(src)
    out = tmp_path / "out"
    assert run("screen", str(src), "--out", str(out), "-q")[0] == 0
    hits = _hits(out)
    first, second = hits[0]["hit_id"], hits[1]["hit_id"]
    assert run("review", "confirm", "latest", first, "--reviewer", "ana")[0] == 0
    code, _, err = run(
        "review", "dismiss", "latest", second, "--reviewer", "ana", "--reason", "not a device"
    )
    assert code == 0, err
    assert run("export", str(out), "--format", "csv", "--out", str(tmp_path / "e.csv"))[0] == 0
    with (tmp_path / "e.csv").open(encoding="utf-8", newline="") as fh:
        statuses = {r["hit_id"]: r["review_status"] for r in csv.DictReader(fh)}
    assert statuses[first] == "confirmed" and statuses[second] == "dismissed"
    assert run("export", str(out), "--format", "md", "--out", str(tmp_path / "e.md"))[0] == 0
    summary = (tmp_path / "e.md").read_text(encoding="utf-8")
    assert "none recorded" not in summary and "1 confirmed" in summary


def test_inventory_refuses_a_checkbook(run: Any, tmp_path: Path) -> None:
    src = tmp_path / "checkbook.csv"
    src.write_text(
        "Check Date,Vendor Name,Department,Invoice Description,Amount\n"
        "2021-03-01,Huawei Road Bakery,Parks,Pastries for volunteers,85.00\n"
        "2021-03-02,Acme Office Supply,Finance,Toner,120.50\n",
        encoding="utf-8",
    )
    code, out, err = run("inventory", str(src), "--out", str(tmp_path / "inv"))
    assert code == 1 and out == ""
    assert "looks like procurement data" in err and "procurewatch screen" in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert not (tmp_path / "inv" / "findings.csv").exists()
