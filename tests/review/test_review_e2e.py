"""End to end with the real pipeline: screen, review, screen the same file again, export."""

from __future__ import annotations

import json
from pathlib import Path

from openpyxl import load_workbook

from procurewatch.report.export import export_ftm, export_markdown, export_xlsx
from procurewatch.review import audit_events, confirm, dismiss, review_run
from procurewatch.screen.run import RunResult, run_screen, write_outputs
from procurewatch.store.runs import save_run
from procurewatch.watchlist.bundled import load_bundled

CSV = (
    "Date,Vendor,Department,Description,Amount\n"
    '2021-03-15,<script>alert(1)</script>,Police Department,"=HYPERLINK(""http://x"") '
    'DS-2CD2042WD-I 4MP camera",12500.00\n'
    "2019-05-01,Hikvision USA Inc,Schools,Cameras,8000\n"
    "2020-01-01,Office Depot,Parks,Paper,50\n"
)


def screen(source: Path, out: Path, store: Path) -> RunResult:
    """``procurewatch screen SOURCE --out OUT --currency USD`` recorded in ``store``."""
    result = run_screen([source], load_bundled(), default_currency="USD")
    write_outputs(out, result)
    save_run(store, result, out)
    return result


def test_review_survives_a_rescreen_and_reaches_the_exports(tmp_path: Path) -> None:
    source, store = tmp_path / "purchases.csv", tmp_path / "store.duckdb"
    source.write_text(CSV, encoding="utf-8")
    first = screen(source, tmp_path / "out1", store)
    by_rule = {h.rule: h for h in first.hits}
    model, vendor = by_rule["model"], by_rule["vendor-name"]
    assert (model.row, model.entity_id, model.matched_text) == (1, "hikvision", "DS-2CD2042WD-I")
    confirm(store, first.run_id, model.hit_id, reviewer="alice", reason="DS-2CD is Hikvision")
    dismiss(store, first.run_id, vendor.hit_id, reviewer="bob", reason="test row", rule=True)

    second = screen(source, tmp_path / "out2", store)
    run_id, hits = review_run(store, "latest")
    assert run_id == second.run_id != first.run_id
    labels = {h["hit_id"]: h["review"]["label"] for h in hits}
    assert labels == {model.hit_id: "confirmed", vendor.hit_id: "dismissed"}
    assert [(e.action, e.who) for e in audit_events(store)] == [
        ("confirm", "alice"),
        ("dismiss", "bob"),
        ("rule-add", "bob"),
    ]

    out2 = tmp_path / "out2"
    export_xlsx(out2, tmp_path / "f.xlsx", store)
    sheet = load_workbook(tmp_path / "f.xlsx")["Hits"]
    header = [c.value for c in sheet[1]]
    row = {h: c.value for h, c in zip(header, sheet[2], strict=True)}
    assert row["description"].startswith("'=HYPERLINK(") and row["review_status"] == "confirmed"
    assert row["vendor"] == "<script>alert(1)</script>" and row["amount_usd"] == 12500.0
    export_markdown(out2, tmp_path / "f.md", store)
    text = (tmp_path / "f.md").read_text(encoding="utf-8")
    assert "\\<script\\>alert(1)\\</script\\>" in text and "<script>" not in text
    assert "confirmed by alice: DS-2CD is Hikvision" in text
    export_ftm(out2, tmp_path / "f.ftm.json", store)
    schemas = {json.loads(line)["schema"] for line in (tmp_path / "f.ftm.json").open()}
    assert {"Company", "PublicBody", "Contract", "ContractAward", "UnknownLink"} <= schemas
