"""Set aside, never dropped: mentions the context rules set aside go to ``set_aside.csv`` and the
store, are counted in ``summary.json``, shown in the report, and a reviewer can confirm one
back into a hit of the run."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from procurewatch.errors import StoreError
from procurewatch.report.html import write_report
from procurewatch.review import confirm, dismiss, review_run
from procurewatch.screen.run import RunResult, run_screen, write_outputs
from procurewatch.store.runs import save_run
from procurewatch.store.set_aside import open_mentions
from procurewatch.watchlist.bundled import load_bundled

CSV = (
    "Date,Vendor,Description,Amount\n"
    "2021-03-15,Acme Security,NDAA compliant cameras - no Hikvision or Dahua,5200\n"
    "2021-04-02,Acme Security,NVR compatible with Hikvision cameras,900\n"
    "2021-05-10,Acme Security,Hikvision DS-2CD2143G2-I dome camera x4,1400\n"
    "2021-06-01,Road Works Inc,Resurfacing of Huawei Road,88000\n"
)


def _screen(tmp_path: Path) -> tuple[RunResult, Path, Path]:
    source, out, store = tmp_path / "purchases.csv", tmp_path / "out", tmp_path / "store.duckdb"
    source.write_text(CSV, encoding="utf-8")
    result = run_screen([source], load_bundled(), default_currency="USD")
    write_outputs(out, result)
    save_run(store, result, out)
    return result, out, store


def test_set_aside_mentions_are_written_counted_and_stored(tmp_path: Path) -> None:
    result, out, store = _screen(tmp_path)
    with (out / "set_aside.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    reasons = {(int(r["row"]), r["entity_id"]): r["reason"] for r in rows}
    assert reasons[(1, "hikvision")].startswith("exclusion: ")
    assert reasons[(1, "dahua")].startswith("exclusion: ")
    assert reasons[(2, "hikvision")].startswith("reference: ")
    assert reasons[(4, "huawei")].startswith("place: ")
    assert all(r["text"] and r["matched_text"] for r in rows)
    with (out / "hits.csv").open(encoding="utf-8", newline="") as fh:
        hit_rows = {int(r["row"]) for r in csv.DictReader(fh)}
    assert hit_rows == {3}
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["set_aside"] == len(rows) == len(result.set_aside) == 4
    assert summary["set_aside_by_reason"] == {"exclusion": 2, "reference": 1, "place": 1}
    stored = {m["hit_id"] for m in open_mentions(store, result.run_id)}
    assert stored == {r["hit_id"] for r in rows}


def test_a_reviewer_confirms_a_set_aside_mention_into_a_hit(tmp_path: Path) -> None:
    result, out, store = _screen(tmp_path)
    reference = next(h for h in result.set_aside if h.set_aside.startswith("reference"))
    before = len(review_run(store, result.run_id)[1])
    confirm(store, result.run_id, reference.hit_id, reviewer="ana", reason="buys the cameras too")
    _, hits = review_run(store, result.run_id)
    assert len(hits) == before + 1
    restored = next(h for h in hits if h["hit_id"] == reference.hit_id)
    assert restored["review"]["status"] == "confirmed"
    assert "confirmed as a hit by a reviewer" in restored["explanation"]
    assert reference.hit_id not in {m["hit_id"] for m in open_mentions(store, result.run_id)}
    report = write_report(out, store=store).read_text(encoding="utf-8")
    assert "1 confirmed back into hits" in report
    assert "3 mentions set aside" in report


def test_a_set_aside_mention_can_be_dismissed_but_an_unknown_id_cannot(tmp_path: Path) -> None:
    result, _, store = _screen(tmp_path)
    place = next(h for h in result.set_aside if h.set_aside.startswith("place"))
    dismiss(store, result.run_id, place.hit_id, reviewer="ana", reason="a street")
    assert place.hit_id in {m["hit_id"] for m in open_mentions(store, result.run_id)}
    with pytest.raises(StoreError, match="no hit"):
        confirm(store, result.run_id, "0000000000000000", reviewer="ana")


def test_review_list_set_aside_shows_the_mentions_and_their_reasons(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from procurewatch.cli import main

    result, _, store = _screen(tmp_path)
    main(["review", "list", "latest", "--set-aside", "--store", str(store)])
    lines = capsys.readouterr().out.splitlines()
    assert (
        lines[0] == f"{result.run_id}: 4 mentions set aside (not hits; confirm one to restore it)"
    )
    place = next(h for h in result.set_aside if h.set_aside.startswith("place"))
    (line,) = [x for x in lines if x.startswith(place.hit_id)]
    assert "'Huawei' in Description" in line and "place: " in line and "purchases.csv:4" in line
    confirm(store, result.run_id, place.hit_id, reviewer="ana", reason="a camera shop there")
    main(["review", "list", "latest", "--set-aside", "--json", "--store", str(store)])
    data = json.loads(capsys.readouterr().out)
    assert place.hit_id not in {m["hit_id"] for m in data["set_aside"]}
    assert len(data["set_aside"]) == 3


def test_exports_carry_the_set_aside_mentions_with_their_status(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from procurewatch.report.export import export_json, export_xlsx

    result, out, store = _screen(tmp_path)
    reference = next(h for h in result.set_aside if h.set_aside.startswith("reference"))
    confirm(store, result.run_id, reference.hit_id, reviewer="ana", reason="buys the cameras too")
    export_json(out, tmp_path / "x.json", store)
    rows = json.loads((tmp_path / "x.json").read_text(encoding="utf-8"))["set_aside"]
    status = {r["hit_id"]: r["status"] for r in rows}
    assert len(rows) == 4 and status[reference.hit_id] == "confirmed"
    assert sorted(status.values()).count("pending") == 3
    export_xlsx(out, tmp_path / "x.xlsx", store)
    sheet = load_workbook(tmp_path / "x.xlsx")["Set aside"]
    header = [c.value for c in sheet[1]]
    reasons = [
        dict(zip(header, (c.value for c in r), strict=True))["reason"]
        for r in sheet.iter_rows(min_row=2)
    ]
    assert len(reasons) == 4 and any(str(r).startswith("place: ") for r in reasons)
