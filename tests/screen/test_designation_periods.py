"""Hits share what designations mean on a day; the sharing never changes the answer."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from procurewatch.match.matcher import in_force_summary
from procurewatch.screen import core
from procurewatch.watchlist.bundled import load_bundled

WATCHLIST = load_bundled()
TUPLES = {
    entity: tuple(WATCHLIST.effective_designations(entity))
    for entity in ("lorex", "hikvision", "dahua", "huawei", "ezviz")
    if WATCHLIST.get(entity) is not None
}


def test_entities_with_dated_relations_are_covered() -> None:
    assert "lorex" in TUPLES and any(r.end for d in TUPLES["lorex"] for r in d.via)


@given(
    st.sampled_from(sorted(TUPLES)),
    st.one_of(st.none(), st.dates(min_value=date(2010, 1, 1), max_value=date(2027, 12, 31))),
)
def test_shared_answer_equals_a_fresh_one(entity: str, day: date | None) -> None:
    designations = TUPLES[entity]
    shared = core._applied(designations, day)
    kept = core.applicable(designations, day)
    assert shared.designations == kept
    assert shared.in_force == core.any_in_force(kept, day)
    assert list(shared.summary) == in_force_summary(kept, day)


def test_days_around_every_boundary() -> None:
    for designations in TUPLES.values():
        for boundary in core._boundaries(designations):
            for day in (boundary - timedelta(days=1), boundary, boundary + timedelta(days=1)):
                shared = core._applied(designations, day)
                assert shared.designations == core.applicable(designations, day)
                assert list(shared.summary) == in_force_summary(shared.designations, day)


def test_summaries_say_when_the_relation_to_the_holder_held() -> None:
    """Lorex is covered only while Dahua owned it: the summary says from and until when."""
    lorex = in_force_summary(TUPLES["lorex"], date(2021, 6, 1))
    assert lorex and all(d["via_until"] == "2022-11-24" for d in lorex)
    assert all(str(d["via_from"]).startswith("2018-") for d in lorex)
    direct = in_force_summary(TUPLES["hikvision"], None)
    assert all(d["via_from"] is None and d["via_until"] is None for d in direct if not d["via"])
