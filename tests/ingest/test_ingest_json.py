"""JSON documents and JSON Lines: flattening, bad records, late keys, streaming, depth bombs."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from procurewatch.errors import InputError
from procurewatch.ingest import jsonfiles, open_input
from procurewatch.ingest.jsonstream import JsonScanner

from .conftest import rows

RECORDS = [
    {"vendor": {"name": "Hikvision USA Inc", "id": 7}, "description": "NVR", "amount": 12.5,
     "tags": ["cctv", "nvr"], "lines": [{"sku": "DS-7608"}], "paid": True, "note": None},
    {"vendor": {"name": "ACME"}, "description": "toner", "amount": 3},
]


def test_array_of_objects(tmp_path: Path) -> None:
    path = tmp_path / "payments.json"
    path.write_text(json.dumps(RECORDS, indent=2))
    reader = open_input(path)
    assert reader.format == "json"
    got = rows(reader)
    assert got[0]["vendor.name"] == "Hikvision USA Inc" and got[0]["vendor.id"] == "7"
    assert got[0]["amount"] == "12.5" and got[1]["amount"] == "3"
    assert got[0]["tags"] == "cctv; nvr"
    assert json.loads(got[0]["lines"]) == [{"sku": "DS-7608"}]
    assert got[0]["paid"] == "true" and got[0]["note"] is None
    assert [r["_row"] for r in got] == [1, 2]
    assert reader.field_map.text == ("description",)
    assert reader.field_map.amount == "amount"


def test_object_with_the_list_under_a_common_key(tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_text(json.dumps({"meta": {"count": 2}, "results": RECORDS}))
    assert [r["description"] for r in rows(open_input(path, mapping={"vendor": "vendor.name"}))] \
        == ["NVR", "toner"]


def test_object_without_a_list_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "odd.json"
    path.write_text(json.dumps({"meta": 1, "stuff": RECORDS}))
    with pytest.raises(InputError, match="top-level keys: meta, stuff"):
        open_input(path)


def test_non_object_elements_are_rejected_with_their_line(tmp_path: Path) -> None:
    path = tmp_path / "mixed.json"
    path.write_text('[\n{"vendor": "A", "memo": "x"},\n42,\n{"vendor": "B"}\n]\n')
    reader = open_input(path)
    assert [(r["vendor"], r["_row"]) for r in rows(reader)] == [("A", 1), ("B", 3)]
    assert [(j.line, j.row) for j in reader.rejects] == [(3, 2)]


def test_broken_json_document_is_an_input_error_with_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('[\n{"vendor": "A"},\n{"vendor": "B",,}\n]\n')
    with pytest.raises(InputError, match=r"broken.json:3: invalid JSON"):
        rows(open_input(path, mapping={"vendor": "vendor"}))


def test_jsonl_broken_line_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "lines.jsonl"
    path.write_text('{"vendor": "A", "memo": "x"}\n\n{"vendor": "B", oops}\n["list"]\n'
                    '{"vendor": "C"}\n')
    reader = open_input(path)
    assert reader.format == "jsonl"
    assert [(r["vendor"], r["_row"]) for r in rows(reader)] == [("A", 1), ("C", 5)]
    assert [(j.line, j.row) for j in reader.rejects] == [(3, 3), (4, 4)]
    assert "not valid JSON" in reader.rejects[0].reason
    assert "oops" in reader.rejects[0].raw


def test_jsonl_detected_without_the_extension(tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_text('{"vendor": "A"}\n{"vendor": "B"}\n')
    assert open_input(path).format == "jsonl"


def test_keys_first_seen_after_the_sample_go_to_extra(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jsonfiles, "SAMPLE_RECORDS", 2)
    path = tmp_path / "late.jsonl"
    lines = [{"vendor": "A"}, {"vendor": "B"}, {"vendor": "C", "memo": "Hikvision DS-2CD"}]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    reader = open_input(path)
    assert reader.columns == ("vendor", "_extra")
    assert "_extra" in reader.field_map.text
    got = rows(reader)
    assert got[2]["_extra"] == '{"memo": "Hikvision DS-2CD"}' and got[0]["_extra"] is None


def test_depth_bomb_document_is_a_clean_input_error(tmp_path: Path) -> None:
    path = tmp_path / "bomb.json"
    path.write_text('[{"vendor": "A", "x": ' + "[" * 100_000 + "]" * 100_000 + "}]")
    with pytest.raises(InputError, match="nested too deeply"):
        rows(open_input(path, fmt="json", mapping={"vendor": "vendor"}))


def test_depth_bomb_line_is_a_reject(tmp_path: Path) -> None:
    path = tmp_path / "bomb.jsonl"
    path.write_text('{"vendor": "A"}\n{"x": ' + "[" * 100_000 + "]" * 100_000 + "}\n")
    reader = open_input(path)
    assert len(rows(reader)) == 1
    assert [j.line for j in reader.rejects] == [2] and "deeply" in reader.rejects[0].reason


def test_deep_but_readable_object_is_flattened_without_recursion() -> None:
    value: dict[str, object] = {"leaf": "x"}
    for _ in range(500):
        value = {"k": value}
    flat = jsonfiles.flatten(value)
    assert len(flat) == 1 and next(iter(flat.values())) is not None


def test_scanner_streams_elements_across_chunks() -> None:
    doc = {"version": "1.1", "data": [{"n": n, "text": "é\"\\" * n} for n in range(50)],
           "after": 1.5}
    text = json.dumps(doc, indent=1, ensure_ascii=False)
    for chunk in (1, 3, 17, 1 << 20):
        scanner = JsonScanner(io.StringIO(text), "doc.json", chunk=chunk)
        found = list(scanner.elements(("data",)))
        assert [e.value for e in found] == doc["data"]
        assert found[0].line == 4 and found[0].key == "data"
        assert scanner.keys == ["version", "data", "after"]


def test_scanner_numbers_cut_by_a_chunk_end() -> None:
    text = "[" + ",".join(["12345.678e-3"] * 40) + "]"
    for chunk in range(1, 14):
        values = [e.value for e in JsonScanner(io.StringIO(text), "n", chunk=chunk).elements(None)]
        assert values == [12.345678] * 40


def test_huge_value_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from procurewatch.ingest import jsonstream

    monkeypatch.setattr(jsonstream, "MAX_VALUE_CHARS", 100)
    text = '[{"a": "' + "x" * 1000 + '"}]'
    with pytest.raises(InputError, match="larger than"):
        list(JsonScanner(io.StringIO(text), "big", chunk=10).elements(None))


def test_empty_array_gives_no_rows(tmp_path: Path) -> None:
    path = tmp_path / "none.json"
    path.write_text('{"data": []}')
    reader = open_input(path)
    assert rows(reader) == [] and reader.rejects == []
    scalars = tmp_path / "scalars.json"
    scalars.write_text("[1, 2]")
    reader = open_input(scalars)
    assert rows(reader) == [] and [j.row for j in reader.rejects] == [1, 2]
