"""``procurewatch lists import|versions|show`` through the real entry point ``cli.main``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

CSL_HEADER = (
    "_id,source,entity_number,type,programs,name,title,addresses,federal_register_notice,"
    "start_date,end_date,standard_order,license_requirement,license_policy,call_sign,vessel_type,"
    "gross_tonnage,gross_registered_tonnage,vessel_flag,vessel_owner,remarks,source_list_url,"
    "alt_names,citizenships,dates_of_birth,nationalities,places_of_birth,source_information_url,ids"
)
BAD_FILES: dict[str, bytes] = {
    "utf16.csv": "name,address\nHikvision,Hangzhou\n".encode("utf-16"),
    "gbk.csv": "名称,地址\n杭州海康威视数字技术股份有限公司,杭州市滨江区\n".encode("gbk"),
    "binary.csv": bytes(range(256)) * 8,
    "empty.csv": b"",
    "truncated.csv": (CSL_HEADER + '\n"1","Entity List (EL)","","","","Foo').encode(),
    "unrelated.csv": b"vendor,amount,date\nAcme Cameras,1200,2021-05-01\n",
}


@pytest.fixture
def run(cli: Any) -> Any:
    """Run ``procurewatch ARGS...``; returns ``(exit status, stdout, stderr)``."""

    return cli


@pytest.fixture
def lists(shared_data: Path) -> Path:
    return shared_data / "lists"


def test_import_prints_the_version_and_counts(run: Any, lists: Path, tmp_path: Path) -> None:
    store = str(tmp_path / "store.duckdb")
    code, out, err = run(
        "lists", "import", str(lists / "fcc_covered_list_table.csv"), "--store", store
    )
    assert (code, err) == (0, "")
    first = out.splitlines()[0]
    assert first.startswith("imported fcc-2026-") and "13 entities" in first
    assert "from 16 rows; 0 rejected, 4 skipped" in first
    assert "  skipped line 13: names no company (covers a class of equipment)" in out
    code, out, _ = run(
        "lists", "import", str(lists / "fcc_covered_list_table.csv"), "--store", store
    )
    assert code == 0 and out.startswith("already imported as fcc-2026-")


def test_import_reports_rejected_rows_by_line(run: Any, lists: Path, tmp_path: Path) -> None:
    store = str(tmp_path / "store.duckdb")
    code, out, _ = run(
        "lists", "import", str(lists / "trade_gov_csl_2023_watchman.csv"), "--store", store
    )
    assert code == 0
    assert "4,219 entities" in out and "1 rejected, 1 skipped" in out
    assert "  rejected line 4233: expected 29 fields, found 8" in out


def test_versions_and_show(run: Any, lists: Path, tmp_path: Path) -> None:
    store = str(tmp_path / "store.duckdb")
    for name in ("fcc_covered_list_table.csv", "fcc_covered_list_data_2024.csv"):
        assert run("lists", "import", str(lists / name), "--store", store)[0] == 0
    code, out, _ = run("lists", "versions", "--json", "--store", store)
    versions = json.loads(out)["versions"]
    # the file imported second holds older content (2022 against 2026): the first stays in use
    assert code == 0 and [(v["kind"], v["in_use"]) for v in versions] == [
        ("fcc", False),
        ("fcc", True),
    ]
    assert versions[1]["why"].startswith("most recent content (2026-")
    assert versions[1]["skipped_rows"] == 4 and versions[0]["entities"] == 11
    assert run("lists", "use", versions[0]["id"], "--store", store)[0] == 0
    code, out, _ = run("lists", "show", "--json", "--store", store)
    shown = json.loads(out)
    assert code == 0 and shown["versions"][-1] == versions[0]["id"]
    fcc = next(row for row in shown["lists"] if row["id"] == "us-fcc-covered-list")
    assert fcc["entities"] >= 11
    code, out, _ = run("lists", "show", "fcc-comnet-usa-llc", "--json", "--store", store)
    comnet = json.loads(out)
    assert comnet["relations"][0] == {
        "kind": "subsidiary_of",
        "target": "fcc-pacific-networks-corp",
        "source": versions[0]["id"],
    }
    assert [e["list"] for e in comnet["effective_designations"]] == ["us-fcc-covered-list"] * 2
    code, out, _ = run("lists", "show", "fcc-comnet-usa-llc", "--store", store)
    assert code == 0 and "ComNet (USA) LLC" in out and "Pacific Networks Corp" in out


def test_show_unknown_entity_is_one_error_line(run: Any, tmp_path: Path) -> None:
    code, out, err = run("lists", "show", "no-such-entity", "--store", str(tmp_path / "s.duckdb"))
    assert code == 1 and out == ""
    assert (
        err.startswith("error: no entity 'no-such-entity' in the watchlist")
        and err.count("\n") == 1
    )


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_input_exits_1_with_one_error_line(run: Any, tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(BAD_FILES[name])
    store = tmp_path / "store.duckdb"
    code, out, err = run("lists", "import", str(path), "--store", str(store))
    assert code == 1 and out == ""
    assert err.startswith(f"error: {path}") and err.count("\n") == 1 and "Traceback" not in err
    assert not store.exists()  # nothing is stored, not even an empty store


def test_missing_file_and_wrong_kind(run: Any, lists: Path, tmp_path: Path) -> None:
    store = str(tmp_path / "store.duckdb")
    code, _, err = run("lists", "import", str(tmp_path / "nope.csv"), "--store", store)
    assert code == 1 and err.startswith("error: ") and "nope.csv" in err
    csl = str(lists / "trade_gov_csl_sample_watchman_2025.csv")
    code, _, err = run("lists", "import", csl, "--kind", "fcc", "--store", store)
    assert code == 1 and "expected the FCC Covered List" in err and err.count("\n") == 1
    code, _, err = run("lists", "import", csl, "--kind", "xml", "--store", store)
    assert (code, err) == (
        2,
        "error: unknown list format 'xml'; use one of csl, ofac, fcc, dod1260h\n",
    )


def test_older_sample_does_not_take_the_full_list_out_of_use(
    run: Any, lists: Path, tmp_path: Path
) -> None:
    store = str(tmp_path / "store.duckdb")
    full, sample = "trade_gov_csl_2023_watchman.csv", "trade_gov_csl_sample_watchman_2025.csv"
    assert run("lists", "import", str(lists / full), "--store", store)[0] == 0
    code, out, _ = run("lists", "import", str(lists / sample), "--store", store)
    # the sample is dated 2023-07-19 inside, whatever its file name says
    assert code == 0 and out.startswith("imported csl-2023-") and "13 entities" in out
    assert "not in use: csl-2023-" in out and "content is older (2023-07-19" in out
    assert "procurewatch lists use csl-2023-" in out
    code, out, _ = run("lists", "versions", "--json", "--store", store)
    used = [v for v in json.loads(out)["versions"] if v["in_use"]]
    assert [v["entities"] for v in used] == [4219]
    # an Entity List party that only the full file holds still matches
    code, out, _ = run("match", "Albrecht Import-Export", "--json", "--store", store)
    results = json.loads(out)["results"]
    assert code == 0 and results and results[0]["match"]
    assert "us-bis-entity-list" in {d["list"] for d in results[0]["designations"]}
    # switching is explicit, and then the full file's party is no longer in the watchlist
    sample_id = next(
        v["id"]
        for v in json.loads(run("lists", "versions", "--json", "--store", store)[1])["versions"]
        if v["entities"] == 13
    )
    assert run("lists", "use", sample_id, "--store", store)[0] == 0
    code, out, _ = run("match", "Albrecht Import-Export", "--json", "--store", store)
    assert code == 0 and json.loads(out)["results"] == []


def test_import_with_use_switches_at_once(run: Any, lists: Path, tmp_path: Path) -> None:
    store = str(tmp_path / "store.duckdb")
    assert (
        run("lists", "import", str(lists / "fcc_covered_list_table.csv"), "--store", store)[0] == 0
    )
    code, out, _ = run(
        "lists",
        "import",
        str(lists / "fcc_covered_list_data_2024.csv"),
        "--use",
        "--json",
        "--store",
        store,
    )
    imported = json.loads(out)
    assert code == 0 and imported["in_use"] is True and imported["status"] == ""
