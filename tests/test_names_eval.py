"""The name evaluation sets: halves by hash, cases built from the watchlist (issue 14)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "eval"))
from names_domain import build, default_data, split_half


def test_the_halves_are_fixed_by_the_text_and_both_used() -> None:
    halves = [split_half(f"name {i}", "x") for i in range(400)]
    assert halves == [split_half(f"name {i}", "x") for i in range(400)]
    assert 150 < halves.count("measure") < 250


def test_held_back_names_are_out_of_the_watchlist_both_matchers_get() -> None:
    data = default_data()
    if not (data / "lists").exists():
        pytest.skip(f"shared data not found at {data} (needed for the OFAC negatives)")
    reduced, cases = build(data)
    held = [c for c in cases if c.category == "held-back"]
    assert len(held) >= 40
    for case in held:
        assert case.query not in {n.value for n in reduced.entities[case.expected].names}
    assert {c.category for c in cases} == {"held-back", "public-body", "variant", "look-alike",
                                          "negative"}  # fmt: skip
    assert all(c.expected == "" for c in cases if c.category in ("look-alike", "negative"))
