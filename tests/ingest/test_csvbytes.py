"""Byte facts: line breaks and quotes with spaces beside them, in any chunking."""

from __future__ import annotations

import numpy as np
import pytest

from procurewatch.ingest.csvbytes import ByteFacts
from procurewatch.ingest.quotescan import chunk_prescan

PRESCANS = {"exact": None, "prescan": chunk_prescan()}


def _facts(data: bytes, step: int, prescan: str = "exact") -> ByteFacts:
    facts = ByteFacts(ord(","), prescan=PRESCANS[prescan])
    for start in range(0, len(data), step):
        facts.add(np.frombuffer(data[start : start + step], np.uint8))
    facts.finish()
    return facts


@pytest.mark.parametrize("step", [1, 2, 3, 7, 300, 1 << 20])
@pytest.mark.parametrize(
    ("data", "spaced"),
    [
        (b'a,b\n1,"x"\n', False),
        (b'a,b\n1, "x"\n', True),  # spaces before a quoted value
        (b'a,b\n"x" ,1\n', True),  # spaces after it
        (b'a,b\n"x"  ', True),  # spaces after it, up to the end of the file
        (b'a,b\n1,say "hi" now\n', False),  # quotes inside a value, not at its edges
        (b'a,b\n1,"the ""best"" deal"\n', False),
        (b'a,b\n\t"x",1\n', True),
        (b"a,b\n" + b"x" * 600 + b',"y" ,z\n' + b"w" * 600, True),  # far from both ends
        (b"a,b\n" + b"x" * 600 + b',say "y" z\n' + b"w" * 600, False),
    ],
)
def test_spaced_quotes(data: bytes, spaced: bool, step: int) -> None:
    assert _facts(data, step).spaced_quote is spaced
    if PRESCANS["prescan"] is not None:  # Hyperscan installed: it rules out the same chunks
        assert _facts(data, step, "prescan").spaced_quote is spaced


@pytest.mark.parametrize("step", [1, 2, 5, 1 << 20])
def test_line_breaks(step: int) -> None:
    facts = _facts(b"a,b\r\n1,2\r\n3,4\r\n", step)
    assert (facts.lf, facts.cr, facts.crlf) == (3, 3, 3)
    lone = _facts(b"a,b\n\r1,2\n", step)
    assert (lone.lf, lone.cr, lone.crlf) == (2, 1, 0)
    if PRESCANS["prescan"] is not None:  # Hyperscan installed: it counts the same
        for data in (b"a,b\r\n1,2\r\n3,4\r\n", b"a,b\n\r1,2\n", b"a,b\n1,2\n" * 50):
            exact, fast = _facts(data, step), _facts(data, step, "prescan")
            assert (exact.lf, exact.cr, exact.crlf) == (fast.lf, fast.cr, fast.crlf)


@pytest.mark.skipif(PRESCANS["prescan"] is None, reason="Hyperscan is not installed here")
@pytest.mark.parametrize("seed", range(6))
def test_the_prescan_finds_what_the_exact_test_finds_in_any_chunking(seed: int) -> None:
    """Random files of quotes, blanks, delimiters and line breaks, mostly clean, read in chunks
    long enough for the prescan to skip the exact test, and short ones."""
    rng = np.random.default_rng(seed)
    outcomes = set()
    for _ in range(40):
        alphabet = np.frombuffer(b'ab,\n"' + b'"' * 3 + b"x" * 20, np.uint8)
        data = rng.choice(alphabet, size=int(rng.integers(200, 3000))).tobytes()
        if rng.random() < 0.6:  # blanks beside a quote at a field's edge, or not at one
            at = int(rng.integers(0, len(data)))
            blanks = [b', "', b'" ,', b'\n\t"', b'"  \n', b' "x', b'x" ', b"\t", b" x"]
            data = data[:at] + blanks[int(rng.integers(0, len(blanks)))] + data[at:]
        for step in (300, 257, 1000, 7):
            exact, fast = _facts(data, step), _facts(data, step, "prescan")
            assert fast.spaced_quote is exact.spaced_quote, (data, step)
        outcomes.add(exact.spaced_quote)
    assert outcomes == {True, False}  # both kinds of file were met
