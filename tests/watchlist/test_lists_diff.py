"""``procurewatch lists diff``: entries added, removed and changed between two list versions."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest

from procurewatch.cli import main
from procurewatch.model import Designation, Entity, Name
from procurewatch.watchlist.diff import DiffSide, diff_lists, match_entities

CSL_2023 = "lists/trade_gov_csl_2023_watchman.csv"
CSL_2025 = "lists/trade_gov_csl_sample_watchman_2025.csv"


def entity(
    id_: str,
    caption: str,
    list_id: str = "us-bis-entity-list",
    listed: date | None = None,
    names: tuple[str, ...] = (),
) -> Entity:
    return Entity(
        id=id_, schema="Company", caption=caption, names=tuple(Name(n) for n in names),
        designations=(Designation(list_id, listed=listed, source="v"),),
    )  # fmt: skip


def side(*entities: Entity) -> DiffSide:
    return DiffSide("test", "v", "csl", entities)


def run_json(args: list[str], capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    main([*args, "--json"])
    data: dict[str, object] = json.loads(capsys.readouterr().out)
    return data


def test_matching_by_id_then_caption_then_other_names() -> None:
    before = [entity("csl-1", "Alpha Co., Ltd."), entity("csl-h1", "Beta Technology Inc."),
              entity("csl-h2", "Gamma Corp", names=("Gamma Systems",)),
              entity("csl-h3", "Delta", "us-bis-meu")]  # fmt: skip
    after = [entity("csl-1", "Alpha Co., Ltd."), entity("csl-x1", "BETA TECHNOLOGY, INC"),
             entity("csl-x2", "Gamma Systems Co."),
             entity("csl-x3", "Delta", "us-state-isn")]  # fmt: skip
    pairs, removed, added = match_entities(before, after)
    assert [(b.id, a.id, how) for b, a, how in pairs] == [
        ("csl-1", "csl-1", "id"), ("csl-h1", "csl-x1", "caption"), ("csl-h2", "csl-x2", "name"),
    ]  # fmt: skip
    # same name on another list is another listing, not the same entry
    assert [e.id for e in removed] == ["csl-h3"] and [e.id for e in added] == ["csl-x3"]


def test_a_name_two_entries_share_matches_neither() -> None:
    before = [entity("a", "Omega Ltd"), entity("b", "Omega Limited")]
    after = [entity("c", "Omega Ltd")]
    pairs, removed, added = match_entities(before, after)
    assert pairs == [] and len(removed) == 2 and len(added) == 1


def test_changed_names_and_designation_dates() -> None:
    old = entity("e1", "Zeta Co", listed=date(2020, 12, 23), names=("ZETA OLD NAME", "Zeta Inc"))
    new = entity("e1", "ZETA CO", listed=date(2021, 1, 5), names=("Zeta New", "zeta  inc"))
    same = entity("e2", "Eta Co")
    result = diff_lists(side(old, same), side(new, same))
    assert result.counts()["changed"] == 1 and result.counts()["unchanged"] == 1
    change = result.changed[0]
    assert change.names_added == ("Zeta New",)  # case and spacing do not count
    assert change.names_removed == ("ZETA OLD NAME",)
    assert change.designations_changed[0].changes == (("listed", "2020-12-23", "2021-01-05"),)
    data = result.to_dict()["changed"][0]
    assert data["designations_changed"] == [
        {"list": "us-bis-entity-list", "changes": {"listed": ["2020-12-23", "2021-01-05"]}}
    ]


def test_designations_added_and_removed() -> None:
    old = Entity("e1", "Company", "Theta", designations=(Designation("us-ofac-sdn"),
                 Designation("us-ofac-ssi", scope="A; B")))  # fmt: skip
    new = Entity("e1", "Company", "Theta", designations=(Designation("us-ofac-ssi", scope="B; A"),
                 Designation("us-bis-entity-list", ended=date(2024, 1, 1))))  # fmt: skip
    change = diff_lists(side(old), side(new)).changed[0]
    assert [d.list_id for d in change.designations_added] == ["us-bis-entity-list"]
    assert [d.list_id for d in change.designations_removed] == ["us-ofac-sdn"]
    assert change.designations_changed == ()  # programs in another order are the same


def test_csl_2023_against_the_2025_sample(
    shared_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = run_json(["lists", "diff", str(shared_data / CSL_2023), str(shared_data / CSL_2025)],
                    capsys)  # fmt: skip
    assert data["counts"] == {"before": 4219, "after": 13, "added": 2, "removed": 4208,
                              "changed": 0, "unchanged": 11, "matched_by_name": 2}  # fmt: skip
    added = {e["id"]: e for e in data["added"]}  # type: ignore[attr-defined]
    assert added["csl-52291"]["caption"] == "RIM, Ryong Nam"
    assert added["csl-52291"]["lists"] == ["us-ofac-sdn"]
    cetc = added["csl-99ed1b052fdb09695fae1ba87516d8a0882b0df04652e07aeb5ce7be"]
    assert cetc["designations"] == [{"list": "us-bis-entity-list", "listed": "2018-08-01",
                                     "in_force": None, "ended": None, "scope": None,
                                     "citation": cetc["designations"][0]["citation"]}]  # fmt: skip
    removed = {e["id"] for e in data["removed"]}  # type: ignore[attr-defined]
    assert {"csl-30882", "csl-17013"} <= removed  # China Telecom (CMIC), VTB Bank (SSI)
    # kept: same id (Rosneft Trade) or, with a new hash id, same list and name (AASPT)
    assert "csl-18300" not in removed and "csl-dcc742038bcb47f1bf9e805ef279484d" not in removed
    renumbered = {(e["before_id"], e["after_id"]) for e in data["renumbered"]}  # type: ignore[attr-defined]
    assert renumbered == {
        ("csl-dcc742038bcb47f1bf9e805ef279484d", "csl-66f6ab3f26234b75a9093fce79ef0ce0"),
        ("csl-e0621257094740e0b49e16bc396ce231", "csl-34d6611355974b0ba70eba9a096971f8"),
    }


def _csl_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    return rows[0], rows[1:]


def test_edited_csl_file_shows_its_changes(
    shared_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    header, rows = _csl_rows(shared_data / CSL_2025)
    col = {name: i for i, name in enumerate(header)}
    edited = [list(row) for row in rows]
    for row in edited:
        if row[col["name"]].startswith("Academy of Aerospace"):
            row[col["start_date"]] = "2021-01-05"
            row[col["_id"]] = "0123456789abcdef0123456789abcdef"  # a new hash id
        if row[col["name"]] == "SME BANK":
            row[col["alt_names"]] += "; SME BANK NEW ALIAS"
    edited = [row for row in edited if row[col["name"]] != "Atlas Sanatgaran"]
    edited.append(
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
    new = tmp_path / "csl_edited.csv"
    with new.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, quoting=csv.QUOTE_ALL).writerows([header, *edited])
    data = run_json(["lists", "diff", str(shared_data / CSL_2025), str(new)], capsys)
    counts = data["counts"]
    assert counts["added"] == 1 and counts["removed"] == 1 and counts["changed"] == 2  # type: ignore[index]
    assert [e["caption"] for e in data["added"]] == ["Example Surveillance Co"]  # type: ignore[attr-defined]
    assert [e["caption"] for e in data["removed"]] == ["Atlas Sanatgaran"]  # type: ignore[attr-defined]
    changes = {c["caption"]: c for c in data["changed"]}  # type: ignore[attr-defined]
    aaspt = changes["Academy of Aerospace Solid Propulsion Technology (AASPT)"]
    assert aaspt["matched_by"] == "caption"
    assert aaspt["after_id"] == "csl-0123456789abcdef0123456789abcdef"
    assert aaspt["designations_changed"][0]["changes"]["listed"] == ["2020-12-23", "2021-01-05"]
    assert changes["SME BANK"]["names_added"] == ["SME BANK NEW ALIAS"]


def test_stored_versions_and_the_table(
    shared_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "store.duckdb"
    ids = []
    for name in (CSL_2023, CSL_2025):
        main(["lists", "import", str(shared_data / name), "--store", str(store), "--json"])
        ids.append(json.loads(capsys.readouterr().out)["id"])
    main(["lists", "diff", *ids, "--store", str(store), "--limit", "3"])
    out = capsys.readouterr().out
    assert f"{ids[0]} (4,219 entries) -> {ids[1]} (13 entries): 2 added, 4,208 removed" in out
    assert "RIM, Ryong Nam" in out and "... and 4,205 more removed (see --json)" in out


def test_unknown_version_is_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as info:
        main(["lists", "diff", "csl-nope", "csl-nope2", "--store", str(tmp_path / "s.duckdb")])
    assert info.value.code == 1
    err = capsys.readouterr().err
    assert err.startswith("error: csl-nope: no such file, and no store at") and err.count("\n") == 1
