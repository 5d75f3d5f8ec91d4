"""``procurewatch rescreen``: a stored run's inputs against other list versions, hits compared."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from procurewatch.cli import main

CSL_2025 = "lists/trade_gov_csl_sample_watchman_2025.csv"
AASPT = "Academy of Aerospace Solid Propulsion Technology (AASPT)"
PURCHASES = """When,Who,What,Amount
2022-01-10,SME BANK,wire fees,10.00
2022-02-11,Academy of Aerospace Solid Propulsion Technology,propellant samples,500.00
2022-03-12,Example Surveillance Co,cameras,900.00
2022-04-13,Hikvision USA Inc,DS-2CD2143G2-I dome camera,300.00
2022-05-14,Acme Supply Inc,road salt,80.00
"""


def cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> Any:
    main(args)
    return json.loads(capsys.readouterr().out)


def fails(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as info:
        main(args)
    assert info.value.code == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err
    return err


def edited_list(original: Path, target: Path) -> Path:
    """The 2025 sample with SME BANK delisted, AASPT under a new id and one new party."""
    rows = list(csv.reader(io.StringIO(original.read_text(encoding="utf-8"))))
    header, body = rows[0], rows[1:]
    col = {name: i for i, name in enumerate(header)}
    body = [row for row in body if row[col["name"]] != "SME BANK"]
    for row in body:
        if row[col["name"]] == AASPT:
            row[col["_id"]] = "0123456789abcdef0123456789abcdef"
    body.append(
        [
            "77777",
            "Specially Designated Nationals (SDN) - Treasury Department",
            "77777",
            "Entity",
            "CYBER2",
            "Example Surveillance Co",
            *[""] * (len(header) - 6),
        ]
    )
    with target.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, quoting=csv.QUOTE_ALL).writerows([header, *body])
    return target


@pytest.fixture
def screened(
    shared_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> dict[str, Any]:
    """A store with the 2025 sample imported, one run of PURCHASES, decisions on three hits,
    and the edited list imported as a second version."""
    store = str(tmp_path / "store.duckdb")
    first = cli(["lists", "import", str(shared_data / CSL_2025), "--store", store, "--json"],
                capsys)["id"]  # fmt: skip
    purchases = tmp_path / "purchases.csv"
    purchases.write_text(PURCHASES, encoding="utf-8")
    main(["screen", str(purchases), "--out", str(tmp_path / "run1"), "--store", store, "-q",
          "--map", "vendor=Who", "--map", "text=What"])  # fmt: skip
    capsys.readouterr()
    run = cli(["runs", "--store", store, "--json"], capsys)[0]["run_id"]
    hits = {(h["entity_name"], h["rule"]): h["hit_id"] for h in _hits(tmp_path / "run1")}
    decisions = {
        ("confirm", hits[(AASPT, "vendor-name")]), ("dismiss", hits[("SME BANK", "vendor-name")]),
        ("confirm", hits[("Hangzhou Hikvision Digital Technology Co., Ltd.", "model")]),
    }  # fmt: skip
    for action, hit_id in sorted(decisions):
        main(["review", action, run, hit_id, "--reviewer", "ann", "--reason", "checked",
              "--store", store])  # fmt: skip
    capsys.readouterr()
    edited = edited_list(shared_data / CSL_2025, tmp_path / "csl_edited.csv")
    second = cli(["lists", "import", str(edited), "--store", store, "--json"], capsys)["id"]
    capsys.readouterr()
    return {"store": store, "run": run, "hits": hits, "first": first, "second": second,
            "purchases": purchases, "tmp": tmp_path}  # fmt: skip


def _hits(out: Path) -> list[dict[str, Any]]:
    with (out / "hits.jsonl").open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def test_new_and_vanished_hits_with_their_review_status(
    screened: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    s = screened
    data = cli(["rescreen", s["run"], "--lists", s["second"], "--store", s["store"], "--json",
                "--out", str(s["tmp"] / "run2")], capsys)  # fmt: skip
    assert data["rescreen_of"] == s["run"]
    assert data["lists_before"] == ["bundled", s["first"]]
    assert data["lists_after"] == ["bundled", s["second"]]
    new = {h["entity_id"]: h for h in data["new"]}
    vanished = {h["entity_name"]: h for h in data["vanished"]}
    assert set(new) == {"csl-77777", "csl-0123456789abcdef0123456789abcdef"}
    assert new["csl-77777"]["review"]["status"] == "pending"
    assert set(vanished) == {"SME BANK", AASPT}
    assert vanished["SME BANK"]["review"]["status"] == "dismissed"
    assert vanished[AASPT]["review"]["status"] == "confirmed"
    # AASPT got a new id in the list: the new hit names the vanished one and its decision
    moved = new["csl-0123456789abcdef0123456789abcdef"]
    assert moved["previous"]["hit_id"] == s["hits"][(AASPT, "vendor-name")]
    assert moved["previous"]["review"]["status"] == "confirmed"
    # kept hits keep their decisions: they are keyed by hit id
    kept = {h["hit_id"]: h["review"]["status"] for h in data["kept_reviewed"]}
    hik = s["hits"][("Hangzhou Hikvision Digital Technology Co., Ltd.", "model")]
    assert kept == {hik: "confirmed"}
    assert data["counts"]["kept_by_status"]["confirmed"] == 1
    # recorded as a new run, with outputs
    runs = cli(["runs", "--store", s["store"], "--json"], capsys)
    assert {r["run_id"] for r in runs} == {s["run"], data["run_id"]}
    summary = json.loads((s["tmp"] / "run2" / "summary.json").read_text(encoding="utf-8"))
    assert summary["run_id"] == data["run_id"]
    assert summary["parameters"]["rescreen_of"] == s["run"]
    assert summary["parameters"]["mapping"] == {"vendor": "Who", "text": "What"}


def test_the_readable_report_and_the_default_folder(
    screened: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    s = screened
    main(["rescreen", "latest", "--lists", s["second"], "--store", s["store"], "-q",
          "--limit", "0"])  # fmt: skip
    out = capsys.readouterr().out
    assert f"re-screened {s['run']}: 2 new hits, 2 vanished, " in out
    assert "New hits (2)" in out and "Vanished hits (2)" in out and "dismissed" in out
    folders = list((s["tmp"] / "run1").glob("rescreen-run-*"))
    assert len(folders) == 1 and (folders[0] / "summary.json").is_file()


def test_bundled_only_and_same_lists_change_nothing(
    screened: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    s = screened
    same = cli(["rescreen", s["run"], "--lists", s["first"], "--store", s["store"], "--json",
                "--out", str(s["tmp"] / "same")], capsys)  # fmt: skip
    assert same["counts"]["new"] == 0 and same["counts"]["vanished"] == 0
    bundled = cli(["rescreen", s["run"], "--lists", "bundled", "--store", s["store"], "--json",
                   "--out", str(s["tmp"] / "bundled")], capsys)  # fmt: skip
    assert bundled["lists_after"] == ["bundled"]
    assert {h["entity_name"] for h in bundled["vanished"]} >= {"SME BANK", AASPT}
    assert bundled["counts"]["new"] == 0


def test_a_changed_or_missing_input_is_refused(
    screened: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    s = screened
    args = ["rescreen", s["run"], "--store", s["store"], "--out", str(s["tmp"] / "x")]
    s["purchases"].write_text(PURCHASES + "2022-06-15,ZTE,router,1.00\n", encoding="utf-8")
    err = fails(args, capsys)
    assert "the file changed since run" in err and str(s["purchases"]) in err
    s["purchases"].unlink()
    err = fails(args, capsys)
    assert "an input of run" in err and "is gone" in err
    assert not (s["tmp"] / "x").exists()
    assert len(cli(["runs", "--store", s["store"], "--json"], capsys)) == 1


def test_unknown_run_and_version(
    screened: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    s = screened
    assert "no run 'run-nope'" in fails(["rescreen", "run-nope", "--store", s["store"]], capsys)
    err = fails(["rescreen", s["run"], "--lists", "csl-nope", "--store", s["store"]], capsys)
    assert "no list version 'csl-nope'" in err
