"""OCDS: the real CDMX and Paraguay publications, and small packages built from them."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from procurewatch.errors import InputError
from procurewatch.ingest import open_input
from procurewatch.ingest.ocds_flatten import COLUMNS, release_rows

from .conftest import rows

CDMX_PACKAGE = "ocds_cdmx_sefin_release_package_2015.json"
CDMX_RECORDS = "ocds_cdmx_records_stream_1.1.jsonl"
PARAGUAY = "ocds_paraguay_dncp_release_package_1.1.json"


@pytest.mark.shared
def test_cdmx_release_package(procurement: Path) -> None:
    reader = open_input(procurement / CDMX_PACKAGE)
    assert reader.format == "ocds-release-package"
    got = rows(reader)
    assert reader.rejects == []
    assert len(got) == 30 and sorted({r["_row"] for r in got}) == [1, 2, 3, 4]
    suppliers = {r["supplier_name"] for r in got if r["role"] == "supplier"}
    assert suppliers == {"COMUNIC@RTE & CONSULTING SA DE C", "BENTLEY SYSTEMS DE MEXICO SA de"}
    assert Counter(r["role"] for r in got) == {"supplier": 4, "payee": 24, "tenderer": 2}
    loser = next(r for r in got if r["role"] == "tenderer")
    assert loser["supplier_name"] == "SERVICIO Y DISTRIBUIDORA"
    first = got[0]
    assert first["ocid"] == "OCDS-87SD3T-AD-SF-DRM-063-2015" and first["release_id"] == "01"
    assert first["buyer_name"] == "SECRETARÍA DE FINANZAS"
    assert first["item_description"] == "COMPUTADORA PORTATIL TIPO 1"
    assert (first["amount"], first["currency"]) == ("1311264.0", "MXN")
    assert first["date"] == first["award_date"] == "2015-12-30T00:00:00-06:00"
    assert set(reader.columns) == set(COLUMNS)
    assert reader.field_map.vendor == ("supplier_name",)


@pytest.mark.shared
def test_cdmx_records_as_json_lines(procurement: Path) -> None:
    reader = open_input(procurement / CDMX_RECORDS)
    assert reader.format == "ocds-jsonl"
    got = rows(reader)
    assert reader.rejects == []
    assert len(got) == 15 and Counter(r["_row"] for r in got) == {1: 13, 2: 2}
    assert "BENTLEY SYSTEMS DE MEXICO SA de" in {r["supplier_name"] for r in got}


@pytest.mark.shared
def test_record_package_uses_compiled_release(procurement: Path, tmp_path: Path) -> None:
    records = [json.loads(line) for line in (procurement / CDMX_RECORDS).read_text().splitlines()]
    path = tmp_path / "records.json"
    path.write_text(json.dumps({"uri": "x", "version": "1.1", "records": records}))
    reader = open_input(path)
    assert reader.format == "ocds-record-package"
    assert len(rows(reader)) == 15


@pytest.mark.shared
def test_record_without_compiled_release_reads_its_releases(procurement: Path,
                                                             tmp_path: Path) -> None:
    package = json.loads((procurement / CDMX_PACKAGE).read_text())
    record = {"ocid": "x", "releases": package["releases"][:2]}
    linked = {"ocid": "y", "releases": [{"url": "http://example/r.json", "date": "2016"}]}
    path = tmp_path / "records.jsonl"
    path.write_text(json.dumps(record) + "\n" + json.dumps(linked) + "\n")
    reader = open_input(path)
    got = rows(reader)
    assert len(got) == 26 and {r["_row"] for r in got} == {1}
    assert [(j.line, j.row) for j in reader.rejects] == [(2, 2)]
    assert "compiledRelease" in reader.rejects[0].reason


@pytest.mark.shared
def test_paraguay_contract_with_transactions(procurement: Path) -> None:
    reader = open_input(procurement / PARAGUAY)
    got = rows(reader)
    assert len(got) == 6 and {r["_row"] for r in got} == {1}
    items = [r for r in got if r["role"] == "supplier"]
    assert [r["supplier_name"] for r in items] == ["11 DE SETIEMBRE SRL"] * 5
    assert items[0]["item_classification"].startswith("42201810-001")
    payee = next(r for r in got if r["role"] == "payee")
    assert payee["supplier_name"] == "NUCLEO S.A."
    assert (payee["amount"], payee["currency"], payee["date"]) == (
        "2372509", "PYG", "2012-05-31T00:00:00Z")
    assert payee["contract_title"] == "ADQUSICION DE GUANTES Y OTROS INSUMOS MEDICOS"


def _release(n: int, **extra: Any) -> dict[str, Any]:
    return {"ocid": f"ocds-x-{n}", "id": str(n), "date": "2021-01-01", "tag": ["award"],
            "parties": [{"id": "P1", "name": "Hangzhou Hikvision Digital Technology Co., Ltd.",
                         "identifier": {"scheme": "CN-USCC", "id": "91330000733796106P"}}],
            "awards": [{"id": "a1", "suppliers": [{"id": "P1"}],
                        "items": [{"description": "IP camera",
                                   "classification": {"scheme": "CPV", "id": "32323500"}}],
                        "value": {"amount": 10, "currency": "CNY"}}], **extra}


def test_parties_fill_in_supplier_names_and_ids() -> None:
    (row,) = release_rows(_release(1))
    assert row["supplier_name"] == "Hangzhou Hikvision Digital Technology Co., Ltd."
    assert row["supplier_id"] == "91330000733796106P"
    assert row["item_classification"] == "CPV:32323500"
    assert row["date"] == "2021-01-01"


def test_release_without_awards_gives_its_tender(tmp_path: Path) -> None:
    release = {"ocid": "o", "id": "1", "tender": {"title": "Cámaras de videovigilancia",
                                                   "items": [{"description": "DS-2CD2143G0-I"}]}}
    (row,) = release_rows(release)
    assert row["tender_title"] == "Cámaras de videovigilancia"
    assert row["item_description"] == "DS-2CD2143G0-I" and row["role"] is None


def test_wrong_shapes_are_skipped_not_errors() -> None:
    release = {"ocid": 5, "awards": ["oops", {"suppliers": "x", "items": [None]}],
               "contracts": {"not": "a list"}, "tender": []}
    assert len(release_rows(release)) == 1


def test_big_package_streams_in_batches(tmp_path: Path) -> None:
    path = tmp_path / "package.json"
    releases = [_release(n) for n in range(1, 501)]
    path.write_text(json.dumps({"version": "1.1", "releases": releases, "publisher": {}}))
    batches = list(open_input(path, batch_size=100).batches())
    assert len(batches) == 5
    assert [r["_row"] for b in batches for r in b.to_pylist()] == list(range(1, 501))


def test_non_object_release_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "package.json"
    path.write_text(json.dumps({"releases": [_release(1), "junk", _release(3)]}, indent=1))
    reader = open_input(path, fmt="ocds-release-package")
    assert [r["_row"] for r in rows(reader)] == [1, 3]
    assert [j.row for j in reader.rejects] == [2] and reader.rejects[0].line is not None


def test_depth_bomb_package_is_a_clean_input_error(tmp_path: Path) -> None:
    path = tmp_path / "bomb.json"
    bomb = "[" * 200_000 + "]" * 200_000
    path.write_text('{"releases": [{"ocid": "x", "tender": ' + bomb + "}]}")
    reader = open_input(path, fmt="ocds-release-package")
    with pytest.raises(InputError, match="nested too deeply"):
        rows(reader)


def test_depth_bomb_line_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "bomb.jsonl"
    bomb = "[" * 200_000 + "]" * 200_000
    path.write_text(json.dumps(_release(1)) + '\n{"ocid": "x", "tender": ' + bomb + "}\n")
    reader = open_input(path)
    assert reader.format == "ocds-jsonl"
    assert len(rows(reader)) == 1 and [j.line for j in reader.rejects] == [2]
