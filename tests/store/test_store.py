"""The DuckDB store: migrations, list versions, the file lock; and the assembled watchlist."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from procurewatch.errors import StoreError
from procurewatch.model import Designation, Entity, ListInfo, Name, Source, Watchlist
from procurewatch.store.db import open_store
from procurewatch.store.lists import (
    ListVersion,
    get_version,
    latest_versions,
    list_versions,
    load_entities,
    load_entity,
    save_list,
    use_version,
)
from procurewatch.store.schema import MIGRATIONS, latest_version
from procurewatch.watchlist.assemble import load_watchlist, merge_imported
from procurewatch.watchlist.bundled import load_bundled
from procurewatch.watchlist.importers import ImportedList, parse_file

REPO_ROOT = Path(__file__).resolve().parents[2]
HOLD_STORE = (
    "import sys; from pathlib import Path; from procurewatch.store.db import open_store; "
    "store = open_store(Path(sys.argv[1])); print('ready', flush=True); sys.stdin.read()"
)


@pytest.fixture(scope="module")
def fcc_table(shared_data: Path) -> ImportedList:
    return parse_file(shared_data / "lists" / "fcc_covered_list_table.csv")


@pytest.fixture(scope="module")
def fcc_2024(shared_data: Path) -> ImportedList:
    return parse_file(shared_data / "lists" / "fcc_covered_list_data_2024.csv")


@pytest.fixture(scope="module")
def dod(shared_data: Path) -> ImportedList:
    return parse_file(shared_data / "lists" / "dod_1260h_chinese_military_companies.csv")


def test_open_creates_folders_and_applies_migrations(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "store.duckdb"
    with open_store(path) as store:
        assert store.schema_version() == latest_version() == MIGRATIONS[-1].version
    with open_store(path) as store:  # a second open applies nothing again
        count = store.con.execute("SELECT count(*) FROM schema_version").fetchone()
        assert count == (len(MIGRATIONS),)
    assert [m.version for m in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1))


def test_save_and_load_round_trip(tmp_path: Path, dod: ImportedList) -> None:
    with open_store(tmp_path / "s.duckdb") as store:
        result = save_list(store, dod)
        assert result.created
        version = result.version
        assert (version.id, version.kind, version.sha256) == (
            dod.version_id,
            "dod1260h",
            dod.sha256,
        )
        assert (version.entity_count, version.row_count, version.rejected_count) == (223, 397, 0)
        assert version.file_date is not None and version.file_date.isoformat() == dod.file_date
        assert version.lists == dod.lists and version.source == dod.source
        loaded = load_entities(store, version.id)
    assert sorted(loaded, key=lambda e: e.id) == sorted(dod.entities, key=lambda e: e.id)


def test_reimport_of_the_same_file_stores_nothing(tmp_path: Path, fcc_table: ImportedList) -> None:
    with open_store(tmp_path / "s.duckdb") as store:
        first = save_list(store, fcc_table)
        again = save_list(store, fcc_table)
        assert (first.created, again.created) == (True, False)
        assert again.version.id == first.version.id
        assert len(list_versions(store)) == 1
        rows = store.con.execute("SELECT count(*) FROM list_entities").fetchone()
        assert rows == (len(fcc_table.entities),)


def test_latest_version_per_kind_and_named_versions(
    tmp_path: Path, fcc_table: ImportedList, fcc_2024: ImportedList, dod: ImportedList
) -> None:
    with open_store(tmp_path / "s.duckdb") as store:
        save_list(store, fcc_table, now=datetime(2026, 1, 1))
        save_list(store, dod, now=datetime(2026, 1, 2))
        save_list(store, fcc_2024, now=datetime(2026, 1, 3))
        # the fcc file imported last holds older content (2022 against 2026): not in use
        assert [v.id for v in latest_versions(store)] == [dod.version_id, fcc_table.version_id]
        assert list_versions(store)[0].id == fcc_2024.version_id
        use_version(store, fcc_2024.version_id)
        assert [v.id for v in latest_versions(store)] == [dod.version_id, fcc_2024.version_id]
        assert get_version(store, fcc_table.version_id).skipped_count == 4
        assert load_entity(store, [fcc_table.version_id], "fcc-digitalsystem-technology-inc")
        assert load_entity(store, [fcc_2024.version_id], "fcc-digitalsystem-technology-inc") is None
        with pytest.raises(StoreError, match="no list version 'nope'"):
            get_version(store, "nope")


def test_a_second_process_gets_a_clear_in_use_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After waiting PROCUREWATCH_STORE_WAIT seconds for the holder, a clear error."""
    monkeypatch.setenv("PROCUREWATCH_STORE_WAIT", "0.5")
    path = tmp_path / "s.duckdb"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_STORE, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO_ROOT,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        for read_only in (False, True):
            with pytest.raises(StoreError) as caught:
                open_store(path, read_only=read_only)
            assert re.fullmatch(
                re.escape(f"store {path} is in use by another procurewatch process "
                          f"(pid {holder.pid}); waited ") + r"[01] s; "
                + re.escape("wait for it to finish or use --store to pick another file "
                            "(PROCUREWATCH_STORE_WAIT sets the wait in seconds)"),
                str(caught.value),
            )  # fmt: skip
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=60)
    open_store(path).close()  # free again once the other process is gone


def test_read_only_needs_an_existing_store_and_a_duckdb_file(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store at"):
        open_store(tmp_path / "missing.duckdb", read_only=True)
    assert not (tmp_path / "missing.duckdb").exists()
    junk = tmp_path / "junk.duckdb"
    junk.write_text("not a database " * 100)
    with pytest.raises(StoreError, match="is not a procurewatch store"):
        open_store(junk)


# --- the assembled watchlist -----------------------------------------------------------------


def test_without_a_store_the_watchlist_is_the_bundled_one(tmp_path: Path) -> None:
    missing = tmp_path / "none" / "store.duckdb"
    assert load_watchlist(missing) is load_bundled()
    assert load_watchlist(None) is load_bundled()
    assert not missing.parent.exists()
    with pytest.raises(StoreError, match="no store at"):
        load_watchlist(missing, ["fcc-2026-x"])


def test_store_lists_are_added_to_the_bundled_ones(
    tmp_path: Path, fcc_table: ImportedList, fcc_2024: ImportedList, dod: ImportedList
) -> None:
    path = tmp_path / "s.duckdb"
    with open_store(path) as store:
        for imported in (fcc_table, dod, fcc_2024):
            save_list(store, imported)
    bundled = load_bundled()
    watchlist = load_watchlist(path)
    # the FCC file imported last holds older content (2022) than the first (2026): the first
    # stays in use, so its entities stay in the watchlist
    assert watchlist.versions == (*bundled.versions, dod.version_id, fcc_table.version_id)
    assert set(bundled.entities) <= set(watchlist.entities)
    assert "dod1260h-hangzhou-hikvision-digital-technology-co-ltd" in watchlist.entities
    assert "fcc-digitalsystem-technology-inc" in watchlist.entities  # only in the 2026 file
    assert {dod.version_id, fcc_table.version_id} <= set(watchlist.sources)
    assert {"us-dod-1260h", "us-fcc-covered-list"} <= set(watchlist.lists)
    named = load_watchlist(path, [fcc_2024.version_id])
    assert named.versions == (*bundled.versions, fcc_2024.version_id)
    assert "fcc-digitalsystem-technology-inc" not in named.entities


def _entity(entity_id: str, list_id: str, source: str, name: str) -> Entity:
    return Entity(
        id=entity_id,
        schema="Company",
        caption=name,
        names=(Name(name, "legal", source=source),),
        designations=(Designation(list_id, source=source),),
        sources=(source,),
        dataset=source,
    )


def _version(version_id: str, lists: dict[str, ListInfo]) -> ListVersion:
    return ListVersion(
        id=version_id, kind="csl", format="csl", source_path="x.csv", files=("x.csv",),
        sha256="0" * 64, imported_at=datetime(2026, 1, 1), file_date=None, entity_count=1,
        name_count=1, row_count=1, rejected_count=0, skipped_count=0, lists=lists,
        source=Source(id=version_id, title="test"),
    )  # fmt: skip


def test_merge_keeps_bundled_list_definitions_and_merges_same_ids() -> None:
    bundled_list = ListInfo("us-x", "Curated X", "Authority", "us", source="law")
    base = Watchlist(
        entities={"a": _entity("a", "us-x", "law", "Alpha")}, lists={"us-x": bundled_list}
    )
    imported_list = ListInfo("us-x", "Imported X", "Authority", "us", source="v1")
    parts = [
        (_version("v1", {"us-x": imported_list}), [_entity("csl-1", "us-x", "v1", "Beta")]),
        (_version("v2", {}), [_entity("csl-1", "us-y", "v2", "Beta Co")]),
    ]
    merged = merge_imported(base, parts)
    assert merged.lists["us-x"] is bundled_list
    assert merged.versions == ("bundled", "v1", "v2")
    beta = merged.entities["csl-1"]
    assert beta.caption == "Beta" and {d.list_id for d in beta.designations} == {"us-x", "us-y"}
    assert set(beta.all_names()) == {"Beta", "Beta Co"} and beta.sources == ("v1", "v2")
