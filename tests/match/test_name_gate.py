"""The name gate: a name it turns away is one the matcher finds nothing for.

The gate decides for a whole array of vendor names which of them can match anything, so that
the matcher scores only those. The property that matters is one-sided: a name the gate turns
away (False) must get no result at all from :meth:`Matcher.match_name`. The gate must also
turn away ordinary names, or it would save nothing.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from procurewatch.ingest.base import open_input
from procurewatch.match.matcher import Matcher
from procurewatch.screen.core import ScreenContext
from procurewatch.screen.run import build_context
from procurewatch.watchlist.bundled import load_bundled

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "demo"


def _words(matcher: Matcher) -> list[str]:
    """Words of the listed names, some misspelled, and words of ordinary vendor names."""
    listed = sorted({w for k in matcher._index.letter_keys() for w in (k[:5], k[:9], k)})[:200]
    typos = [w[:2] + w[3:] for w in listed if len(w) > 5][:60]
    ordinary = ["Harbor", "Systems", "Co", "LLC", "Inc.", "Corp", "Supply", "Motorola", "72",
                "Dell", "O'Brien", "Tech", "Security", "A", "B", "Bureau", "Public"]  # fmt: skip
    return listed + typos + ordinary


def _vendor_names() -> list[str]:
    """The vendor, parent and buyer names of the bundled example, as screening reads them."""
    names: set[str] = set()
    for path in sorted(EXAMPLES.glob("*.csv")):
        if path.name == "expected_findings.csv":
            continue
        reader = open_input(path)
        fmap = reader.field_map
        for batch in reader.batches():
            for column in (*fmap.vendor, *fmap.parent, *fmap.buyer):
                names.update(v for v in batch.column(column).to_pylist() if v)
    return sorted(names)


KNOWN = {
    "Hikvision USA Inc": True,
    "HIKVISON": True,  # a typo of a listed name
    "hik vision": True,  # a listed name, run together
    "Dahua Technology, Flushing NY": True,
    "海康威视": True,  # not ASCII: always let through
    "91330000-733796106P": True,  # Hikvision's USCC, written with a dash
    "Harbor Systems Co 72": False,
    "Acme, Inc.": False,
    "Cintas Corporation": False,
    "Halnex Engineering B.V.": False,  # one-letter words that spell no listed name
    "Z T E": True,  # initials that do
}

ORDINARY = [  # composed vendor names with legal forms written as initials
    "Halnex Engineering B.V.",
    "Mokohal Printing S.r.l.",
    "Nexrabel Environmental Services S.A.",
    "Kawickmi Consulting B V",
]


@pytest.mark.parametrize(("name", "expected"), sorted(KNOWN.items()))
def test_known_names(matcher: Matcher, name: str, expected: bool) -> None:
    assert bool(matcher.gate.may_match([name])[0]) is expected


def test_every_name_that_matches_passes(matcher: Matcher) -> None:
    names = [*_vendor_names(), *KNOWN]
    assert len(names) > 50, "the example files were not found"
    passed = dict(zip(names, matcher.gate.may_match(names), strict=True))
    matching = [n for n in names if matcher.match_name(n)]
    assert matching, "the examples name listed companies"
    assert all(passed[n] for n in matching)
    assert sum(not p for p in passed.values()) >= len(names) // 3, "the gate turns few away"


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_name_turned_away_matches_nothing(matcher: Matcher, data: st.DataObject) -> None:
    words = data.draw(st.lists(st.sampled_from(_words(matcher)) | st.text(max_size=6),
                               min_size=0, max_size=5))  # fmt: skip
    seps = data.draw(st.lists(st.sampled_from([" ", ", ", "-", "&", " '", ".", ""]),
                              min_size=len(words), max_size=len(words)))  # fmt: skip
    name = "".join(w + s for w, s in zip(words, seps, strict=True))
    alone = bool(matcher.gate.may_match([name])[0])
    in_batch = bool(matcher.gate.may_match(["Harbor Systems", name, "Hikvision"])[1])
    assert alone is in_batch, "a name's answer does not depend on its neighbours"
    if not alone:
        assert matcher.match_name(name) == [], name


def test_screening_flags_the_same_names_as_scoring_every_name() -> None:
    names = _vendor_names()
    assert names, "the example files were not found"
    gated = build_context(load_bundled())
    gated.score_new(names)
    every = ScreenContext(gated.matcher, gated.scanner)
    for name in names:
        every.names(name)
    assert gated.flagged_names.keys() == every.flagged_names.keys()
    assert set(gated.seen[""].to_pylist()) == set(names)
    assert set(gated.name_cache) < set(names), "the gate sent every name to the matcher"


def test_new_names_are_told_apart_across_batches() -> None:
    ctx = build_context(load_bundled())
    ctx.score_new(["Acme, Inc.", "Hikvision USA Inc", None, "  "], "vendor")
    ctx.score_new(pa.chunked_array([["Hikvision USA Inc", "Dahua Technology"], ["Acme, Inc."]]),
                  "vendor")  # fmt: skip
    ctx.score_new(["Acme, Inc."], "buyer")
    assert sorted(ctx.seen["vendor"].to_pylist()) == ["  ", "Acme, Inc.", "Dahua Technology",
                                                      "Hikvision USA Inc"]  # fmt: skip
    assert ctx.seen["buyer"].to_pylist() == ["Acme, Inc."]
    assert sorted(ctx.flagged_names) == ["Dahua Technology", "Hikvision USA Inc"]
    assert "Acme, Inc." not in ctx.name_cache, "a name sharing no word reached the matcher"


def test_the_gate_answers_as_the_one_name_test(matcher: Matcher) -> None:
    """For ASCII names without a comma or an identifier the gate makes exactly the index's
    one-name test: it lets through no more names than the matcher would look at."""
    names = [n for n in [*_vendor_names(), *KNOWN, *ORDINARY] if n.isascii() and "," not in n]
    gate = matcher.gate.may_match(names)
    alone = [matcher._index.may_have_candidates(n) for n in names]
    ident = matcher.gate._identifier(pa.array(names, pa.string()))
    assert [bool(g) for g in gate] == [a or bool(i) for a, i in zip(alone, ident, strict=True)]
    assert not any(matcher.gate.may_match(ORDINARY))


def test_the_gate_tries_the_runs_the_index_tries() -> None:
    from procurewatch.match import index, name_gate

    assert name_gate.RUN_MAX == index.RUN_MAX


@given(st.lists(st.text(max_size=30), min_size=1, max_size=20))
def test_byte_maps_split_and_strip_as_the_regexes_do(texts: list[str]) -> None:
    """The gate splits words and strips identifiers with byte maps instead of regexes; both
    give exactly what the regexes give, for any text (non-ASCII characters included)."""
    import pyarrow.compute as pc

    from procurewatch.arrowtake import map_bytes
    from procurewatch.match import name_gate as ng

    lowered = pc.ascii_lower(pa.array(texts, pa.string()))
    by_map = pc.split_pattern(map_bytes(lowered, ng._KEEP_WORD), " ").to_pylist()
    by_regex = pc.split_pattern_regex(lowered, ng.NON_WORD).to_pylist()
    assert [[w for w in ws if w] for ws in by_map] == [[w for w in ws if w] for ws in by_regex]
    upper = pc.ascii_upper(pa.array(texts, pa.string()).slice(len(texts) // 2))
    keys = pc.replace_substring(map_bytes(upper, ng._KEEP_IDENT), " ", "").to_pylist()
    assert keys == pc.replace_substring_regex(upper, ng.NOT_IDENT, "").to_pylist()
