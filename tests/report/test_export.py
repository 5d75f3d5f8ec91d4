"""Exports of a hand-built run with review decisions: CSV, JSON, XLSX, Markdown and FtM."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from followthemoney import model
from openpyxl import load_workbook

from procurewatch.cli import main
from procurewatch.currency import default_table
from procurewatch.errors import InputError, UsageError
from procurewatch.ingest.base import FieldMap
from procurewatch.report._export_data import input_currency
from procurewatch.report._export_md import md
from procurewatch.report.export import (
    export,
    export_csv,
    export_ftm,
    export_json,
    export_markdown,
    export_xlsx,
)
from procurewatch.review import confirm, dismiss
from procurewatch.screen.engines.local import InputResult
from procurewatch.screen.hits import Hit
from procurewatch.screen.run import RunResult, write_outputs
from procurewatch.store.runs import save_run

NDAA: dict[str, Any] = {
    "list": "us-ndaa-889-a1a",
    "list_name": "NDAA sec. 889(a)(1)(A)",
    "authority": "US Congress",
    "listed": "2018-08-13",
    "in_force_from": "2019-08-13",
    "ended": None,
    "holder": "hikvision",
    "via": [],
    "in_force": True,
    "citation": "Pub. L. 115-232, sec. 889",
    "source": "pl-115-232",
}
FORMULA = '=HYPERLINK("http://x") DS-2CD2042WD-I PTZ camera'
CNY_AMOUNT = 188_700_000.0


def hit(file: str, row: int, rule: str, matched: str, entity: str, **extra: Any) -> Hit:
    """A hit of ``file``'s row with the record fields in ``extra``."""
    fields: dict[str, Any] = {
        "field": "Description",
        "score": 1.0,
        "lists": ("us-ndaa-889-a1a",),
        "in_force": True,
        "designations": (NDAA,),
        "input_sha256": file * 4,
    }
    fields.update(extra)
    return Hit(
        source_file=file,
        row=row,
        matched_text=matched,
        rule=rule,
        entity_id=entity,
        entity_name=entity.title(),
        **fields,
    )


HITS = [
    hit(
        "purchases.csv",
        1,
        "model",
        "DS-2CD2042WD-I",
        "hikvision",
        vendor="<script>alert(1)</script>",
        buyer="City of Springfield",
        amount="12,500.00",
        currency="USD",
        record_date="2021-03-15",
        description=FORMULA,
    ),
    hit(
        "purchases.csv",
        1,
        "text-brand",
        "HYPERLINK",
        "hikvision",
        vendor="<script>alert(1)</script>",
        buyer="City of Springfield",
        amount="12,500.00",
        currency="USD",
        record_date="2021-03-15",
        description=FORMULA,
    ),
    hit(
        "bids.csv",
        4,
        "vendor-name",
        "大华股份",
        "dahua",
        field="中标供应商",
        vendor="大华股份",
        buyer="喀什地区公安局",
        amount="188700000.00",
        currency="CNY",
        record_date="2016-02-26",
        description="平安城市",
        in_force=False,
    ),
    hit(
        "checkbook_payments.csv",
        2,
        "text-name",
        "Dahua",
        "dahua",
        vendor="Dahua Plumbing LLC",
        buyer="Water Utility",
        amount="500",
        currency="USD",
        record_date="2020-06-01",
        description="Dahua pipe fittings",
    ),
    hit(
        "checkbook_payments.csv",
        3,
        "text-brand",
        "Lorex",
        "lorex",
        vendor="Amazon Capital Services",
        buyer="Library",
        amount="$329.99",
        record_date="06/15/2020",
        description="Lorex DVR kit",
    ),
]


@pytest.fixture
def screened(tmp_path: Path) -> tuple[Path, Path]:
    """(output folder, store) of a run whose hits are reviewed: 3 records confirmed, 1 dismissed."""
    inputs = [
        InputResult(
            name,
            fmt,
            name * 4,
            FieldMap(),
            records=20,
            hits=[h for h in HITS if h.source_file == name],
        )
        for name, fmt in (
            ("purchases.csv", "csv"),
            ("bids.csv", "csv"),
            ("checkbook_payments.csv", "checkbook"),
        )
    ]
    run = RunResult(
        "run-x",
        "2026-01-01T00:00:00+00:00",
        "2026-01-01T00:00:01+00:00",
        "local",
        inputs,
        ("bundled",),
    )
    out, store = tmp_path / "out", tmp_path / "store.duckdb"
    write_outputs(out, run)
    save_run(store, run, out)
    for index in (0, 2, 4):
        confirm(store, "run-x", HITS[index].hit_id, reviewer="alice", reason="checked the invoice")
    dismiss(store, "run-x", HITS[3].hit_id, reviewer="bob", reason="a plumbing supplier")
    return out, store


def cny_usd() -> float:
    """The table's CNY rate for February 2016 applied to the bid amount."""
    return round(CNY_AMOUNT * default_table().rates["CNY", "2016-02"], 2)


def test_csv_has_review_and_usd_columns_and_no_live_formulas(screened: tuple[Path, Path]) -> None:
    out, store = screened
    assert export_csv(out, out / "x.csv", store) == 5
    with (out / "x.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert (
        rows[0]["description"] == "'" + FORMULA and rows[0]["vendor"] == "<script>alert(1)</script>"
    )
    assert [r["review_status"] for r in rows] == [
        "confirmed",
        "pending",
        "confirmed",
        "dismissed",
        "confirmed",
    ]
    assert (
        rows[2]["amount_usd"] == str(cny_usd())
        and "2016-02 monthly average (ECB)" in rows[2]["fx_note"]
    )
    assert rows[3]["reviewer"] == "bob" and rows[3]["review_reason"] == "a plumbing supplier"
    assert not any(v.startswith(("=", "+", "@")) for r in rows for v in r.values())


def test_xlsx_sheets_are_neutralized(screened: tuple[Path, Path]) -> None:
    out, store = screened
    export_xlsx(out, out / "x.xlsx", store)
    book = load_workbook(out / "x.xlsx")
    assert book.sheetnames == ["Hits", "Buyers", "Designations", "Set aside"]
    hits = book["Hits"]
    header = [c.value for c in hits[1]]
    first = dict(zip(header, (c for c in hits[2]), strict=True))
    assert first["description"].value == "'" + FORMULA and first["description"].data_type == "s"
    assert first["amount_usd"].value == 12500.0 and first["row"].value == 1
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    assert not any(isinstance(c.value, str) and c.value.startswith("=") for c in cells)
    buyers = [[c.value for c in row] for row in book["Buyers"].iter_rows(values_only=False)]
    assert buyers[1][:2] == ["喀什地区公安局", 1] and buyers[1][4] == cny_usd()
    water = next(r for r in buyers if r[0] == "Water Utility")
    assert water[1:4] == [0, 0, 1]
    designations = [[c.value for c in row] for row in book["Designations"].iter_rows()]
    assert designations[1][:3] == ["dahua", "Dahua", "us-ndaa-889-a1a"]


def test_json_carries_evidence_review_and_tables(screened: tuple[Path, Path]) -> None:
    out, store = screened
    export_json(out, out / "x.json", store)
    data = json.loads((out / "x.json").read_text(encoding="utf-8"))
    assert data["reviewed"] and data["summary"]["run_id"] == "run-x"
    first = data["hits"][0]
    assert (
        first["review"]["status"] == "confirmed"
        and first["designations"][0]["list"] == "us-ndaa-889-a1a"
    )
    assert first["description"] == FORMULA
    assert {b["buyer"] for b in data["buyers"]} == {
        "City of Springfield",
        "喀什地区公安局",
        "Water Utility",
        "Library",
    }


def test_markdown_summary_for_a_journalist(screened: tuple[Path, Path]) -> None:
    out, store = screened
    export_markdown(out, out / "x.md", store)
    text = (out / "x.md").read_text(encoding="utf-8")
    total = 12500 + cny_usd() + 329.99
    assert "- Records screened: 60\n" in text
    assert "- Records flagged: 3 (3 confirmed, 0 awaiting review; 1 dismissed" in text
    assert "- Buyers: 3\n" in text
    assert f"- Total amount: ${total:,.0f} (US dollars)\n" in text
    assert "- After a ban was in force: $12,830 in 2 records" in text
    assert "| 喀什地区公安局 | 1 |" in text
    assert "\\<script\\>alert(1)\\</script\\>" in text and "<script>" not in text
    assert "“DS-2CD2042WD-I” in Description → Hikvision" in text
    assert "confirmed by alice: checked the invoice" in text
    assert "Dahua Plumbing" not in text and "Dahua pipe" not in text


def test_markdown_without_a_store_counts_everything_pending(
    screened: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    out, _ = screened
    # no --store, no DIR/store.duckdb and no default store (export reads it, as report does)
    monkeypatch.setenv("PROCUREWATCH_STORE", str(tmp_path / "absent" / "store.duckdb"))
    export_markdown(out, out / "x.md")
    text = (out / "x.md").read_text(encoding="utf-8")
    assert "- Records flagged: 4 (0 confirmed, 4 awaiting review; 0 dismissed" in text
    assert "Review: none recorded" in text and "None confirmed yet" in text


def test_ftm_entities_validate_and_reference_each_other(screened: tuple[Path, Path]) -> None:
    out, store = screened
    count = export_ftm(out, out / "x.ftm.json", store)
    entities = [
        json.loads(line) for line in (out / "x.ftm.json").read_text(encoding="utf-8").splitlines()
    ]
    assert len(entities) == count
    ids = {e["id"] for e in entities}
    for data in entities:
        proxy = model.get_proxy(data, cleaned=False)
        proxy.schema.validate({"properties": proxy.to_dict()["properties"]})
        assert all(proxy.get(p) for p in proxy.schema.required), data
        for prop in proxy.iterprops():
            if prop.type.name == "entity":
                assert set(proxy.get(prop)) <= ids, (data["schema"], prop.name)
    by_schema: dict[str, list[dict[str, Any]]] = {}
    for data in entities:
        by_schema.setdefault(data["schema"], []).append(data)
    names = {e["properties"]["name"][0]: e for e in entities if "name" in e["properties"]}
    assert (
        names["喀什地区公安局"]["schema"] == "PublicBody"
        and names["大华股份"]["schema"] == "Company"
    )
    assert "Dahua Plumbing LLC" not in names
    payment = by_schema["Payment"][0]["properties"]
    assert payment["payer"] == [names["Library"]["id"]]
    assert payment["beneficiary"] == [names["Amazon Capital Services"]["id"]]
    assert payment["amount"] == ["329.99"] and payment["currency"] == ["USD"]
    contract = next(c for c in by_schema["Contract"] if c["properties"]["title"] == ["平安城市"])
    assert contract["properties"]["authority"] == [names["喀什地区公安局"]["id"]]
    assert contract["properties"]["contractDate"] == ["2016-02-26"]
    award = next(
        a for a in by_schema["ContractAward"] if a["properties"]["contract"] == [contract["id"]]
    )
    assert award["properties"]["supplier"] == [names["大华股份"]["id"]]
    assert float(award["properties"]["amountUsd"][0]) == cny_usd()
    assert len(by_schema["UnknownLink"]) == 4 and {"Sanction"} <= by_schema.keys()


def test_errors(screened: tuple[Path, Path], tmp_path: Path) -> None:
    out, _ = screened
    with pytest.raises(UsageError, match="--format 'pdf': use one of csv, json, xlsx, md, ftm"):
        export(out, "pdf", tmp_path / "x.pdf")
    with pytest.raises(InputError, match=r"no hits\.jsonl here"):
        export_csv(tmp_path / "empty", tmp_path / "x.csv")
    (out / "hits.jsonl").write_text("not json\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"hits\.jsonl:1: not a hit written by"):
        export_csv(out, tmp_path / "x.csv")


def test_cli(screened: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    out, store = screened
    main(
        ["export", str(out), "--format", "ftm", "--out", str(out / "f.json"), "--store", str(store)]
    )
    assert capsys.readouterr().out.endswith(f"entities -> {out / 'f.json'}\n")
    with pytest.raises(SystemExit) as exc:
        main(["export", str(out / "nope"), "--format", "md", "--out", str(out / "f.md")])
    assert exc.value.code == 1
    assert capsys.readouterr().err.startswith("error: ") and not (out / "f.md").exists()


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("<script>alert(1)</script>", "\\<script\\>alert(1)\\</script\\>"),
        ("city_checkbook_payments.csv", "city_checkbook_payments.csv"),
        (
            "__init__ *x* [a](b) a|b `c` &amp;",
            "\\_\\_init\\_\\_ \\*x\\* \\[a\\](b) a\\|b \\`c\\` \\&amp;",
        ),
        ("two\nlines", "two lines"),
    ],
)
def test_markdown_escapes_record_text(text: str, escaped: str) -> None:
    assert md(text) == escaped


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ({"format": "usaspending-award"}, "USD"),
        ({"format": "csv", "field_map": {"amount": "中标金额(元)"}}, "CNY"),
        ({"format": "csv", "field_map": {"amount": "Amount (EUR)"}}, "EUR"),
        ({"format": "checkbook", "field_map": {"amount": "Amount"}}, None),
    ],
)
def test_the_currency_of_an_input_without_one_per_row(
    item: dict[str, Any], expected: str | None
) -> None:
    found = input_currency(item)
    assert (found[0] if found else None) == expected
