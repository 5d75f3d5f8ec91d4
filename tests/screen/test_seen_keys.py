"""A batch's new names, found by a DuckDB key per name (hash, length) in a numpy hash table."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from procurewatch.ingest import duckcsv
from procurewatch.ingest.base import open_input
from procurewatch.ingest.name_keys import Keys, name_keys
from procurewatch.ingest.tabular import DelimitedReader
from procurewatch.screen.keyset import KeySet
from procurewatch.screen.seen import SeenValues, met_keys

U64 = np.uint64


def test_the_key_set_answers_as_a_python_set_does() -> None:
    rng = np.random.default_rng(7)
    keys, expected = KeySet(), set()
    for _ in range(40):  # grows from 65,536 slots past 2**17
        k1 = rng.integers(0, 2**64, 3000, dtype=U64)
        k1[:200] &= U64(0xFFFF)  # many keys after the same few slots: long probe runs
        k2 = rng.integers(0, 2**64, 3000, dtype=U64)
        k1, first = np.unique(k1, return_index=True)
        k2 = k2[first]
        have = keys.contains(k1, k2)
        assert have.tolist() == [(int(a), int(b)) in expected for a, b in zip(k1, k2, strict=True)]
        keys.add(k1[~have], k2[~have])
        expected |= {(int(a), int(b)) for a, b in zip(k1[~have], k2[~have], strict=True)}
        assert len(keys) == len(expected)
    some = np.array(sorted(expected)[:50], dtype=U64)
    assert keys.contains(some[:, 0], some[:, 1]).all()
    assert not keys.contains(some[:, 0], some[:, 1] ^ U64(1)).any()  # the hash alike is not enough


def test_new_values_come_once_in_order_of_first_appearance() -> None:
    seen = SeenValues()
    first = seen.fresh(pa.array(["b", "a", None, "b", "c", "a"]))
    assert first.to_pylist() == ["b", "a", "c"]
    assert seen.fresh(pa.chunked_array([["c", "d"], ["a", "e", "d"]])).to_pylist() == ["d", "e"]
    assert seen.fresh(pa.array(["e", "a"])).to_pylist() == []
    assert len(seen) == 5 and seen.to_pylist() == ["b", "a", "c", "d", "e"]


def test_seeded_values_are_met_already_and_not_counted() -> None:
    seen = SeenValues(met_keys(pa.array(["Acme LLC", "Kasper Plumbing"])))
    assert seen.fresh(pa.array(["Kasper Plumbing", "Hikvision USA"])).to_pylist() == [
        "Hikvision USA"
    ]
    assert len(seen) == 1


def test_values_sharing_one_hash_are_told_apart_by_length_only() -> None:
    values = pa.array(["x", "yy", "x", "zzz", "yy"])
    clash: Keys = (np.zeros(5, U64), name_keys(values)[1])  # every hash alike
    seen = SeenValues()
    assert seen.fresh(values, clash).to_pylist() == ["x", "yy", "zzz"]
    more = pa.array(["zzz", "wwww", "vv"])
    # the documented limit: "vv" has the hash and the length of "yy", so it counts as met
    assert seen.fresh(more, (np.zeros(3, U64), name_keys(more)[1])).to_pylist() == ["wwww"]
    assert name_keys(pa.array(["yy", "vv"]))[0].tolist() != [0, 0]  # real hashes differ


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_the_scan_gives_the_keys_name_keys_gives(tmp_path: Path, newline: str) -> None:
    lines = ["Vendor,Description,Amount", '"Hikvision USA, Inc.",NVR,1', "Acme,Toner,2", ",x,3",
             '"海康威视",camera,4', "Acme,Paper,5"]  # fmt: skip
    path = tmp_path / "pay.csv"
    path.write_bytes(newline.join(lines).encode() + newline.encode())
    reader = open_input(path)
    assert isinstance(reader, DelimitedReader) and duckcsv.eligible(reader)
    vendor = reader.field_map.vendor[0]
    got: list[tuple[pa.Array, Keys]] = []
    fast = duckcsv.FastCsv(reader, batch_size=2, keyed=(vendor,))

    def keep(table: pa.Table, keys: dict[str, Keys]) -> list[str]:
        got.append((table.column(vendor), keys[vendor]))
        return list(table.column_names)

    for names in fast.prepared(keep):
        assert vendor in names and not any(c.startswith("_pw_key") for c in names)
    assert [v for values, _ in got for v in values.to_pylist()] == [
        "Hikvision USA, Inc.", "Acme", "", "海康威视", "Acme"]  # fmt: skip
    for values, (k1, k2) in got:
        e1, e2 = name_keys(values)
        assert k1.tolist() == e1.tolist() and k2.tolist() == e2.tolist()
