"""The bundled demo end to end, scored against its answer key (examples/demo/expected_findings.csv).

The demo files are composed (see examples/demo/README.md); the key says for each row which
listed entity a correct screen reports (``flag``), which wrong answer a naive screen would give
(``no_flag``), which rows are OEM leads, and which rows are malformed.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from pathlib import Path

import pytest

from procurewatch.cli import main

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo"
Key = tuple[str, int]


@pytest.fixture(scope="module")
def demo_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    main(["demo", "--out", str(out), "--quiet"])
    return out


def _expected() -> dict[str, dict[Key, set[str]]]:
    table: dict[str, dict[Key, set[str]]] = defaultdict(lambda: defaultdict(set))
    with (DEMO / "expected_findings.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            table[row["expect"]][(row["file"], int(row["row"]))].add(row["entity_id"])
    return table


def _found(out: Path) -> dict[Key, set[str]]:
    found: dict[Key, set[str]] = defaultdict(set)
    with (out / "hits.csv").open(encoding="utf-8") as fh:
        for hit in csv.DictReader(fh):
            found[(Path(hit["source_file"]).name, int(hit["row"]))].add(hit["entity_id"])
    return found


def test_every_expected_finding_is_flagged(demo_out: Path) -> None:
    expected, found = _expected()["flag"], _found(demo_out)
    missed = {k: v - found.get(k, set()) for k, v in expected.items() if v - found.get(k, set())}
    assert not missed


def test_no_trap_is_flagged(demo_out: Path) -> None:
    key, found = _expected(), _found(demo_out)
    wrong = {k: found[k] & v for k, v in key["no_flag"].items() if found.get(k, set()) & v}
    assert not wrong
    unexpected = set(found) - set(key["flag"]) - set(key["lead"])
    assert not unexpected, {k: found[k] for k in unexpected}


def test_malformed_rows_are_rejected_with_their_line(demo_out: Path) -> None:
    with (demo_out / "rejects.csv").open(encoding="utf-8") as fh:
        rejects = {(Path(r["file"]).name, int(r["line"])) for r in csv.DictReader(fh)}
    assert ("city_checkbook_payments.csv", 45) in rejects
    assert ("city_checkbook_payments.csv", 133) in rejects
    key = _expected()
    assert {(f, r + 1) for f, r in key["reject"]} == rejects, "the key and README say which"
    assert all((f, r + 1) not in rejects for f, r in key["keep"]), "kept rows are not rejected"
    summary = json.loads((demo_out / "summary.json").read_text(encoding="utf-8"))
    assert summary["rejected_rows"] == len(rejects)
    assert summary["records"] > 200 and summary["flagged_records"] > 40


def test_hits_carry_evidence_and_in_force(demo_out: Path) -> None:
    with (demo_out / "hits.jsonl").open(encoding="utf-8") as fh:
        hits = [json.loads(line) for line in fh]
    for hit in hits:
        assert hit["explanation"] and hit["rule"] and hit["field"]
        if hit["span"] is not None:
            assert hit["matched_text"]
    before_ban = [
        h for h in hits if h["entity_id"] == "hikvision" and (h["record_date"] or "") < "2019"
    ]
    assert before_ban and all(
        h["in_force"] is not True for h in before_ban if "-" in h["record_date"]
    )
