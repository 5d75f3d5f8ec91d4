"""Traditional Chinese characters written as simplified ones, character for character. Pure.

Records from Taiwan, Hong Kong and Macau, and many overseas catalogues, write the makers' names
in traditional characters: 華為技術有限公司, 杭州海康威視數字技術股份有限公司, 中興通訊. The
watchlist holds the simplified names of the official lists. Both sides are folded to simplified
before names are compared and texts scanned, so one spelling serves both scripts.

The table (``data/han_t2s.txt``, 2,853 pairs) is ICU's ``Traditional-Simplified`` transform
(CLDR data), written out by ``scripts/make_han_t2s.py``. Every pair is one character to one
character, so a folded text keeps the length and offsets of the original.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

TABLE_FILE = "han_t2s.txt"


@cache
def han_table() -> dict[int, str]:
    """``str.translate`` table: code point of a traditional character -> its simplified form."""
    text = (resources.files("procurewatch.normalize") / "data" / TABLE_FILE).read_text("utf-8")
    table: dict[int, str] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            traditional, simplified = line.split("\t")
            table[ord(traditional)] = simplified
    return table


def to_simplified(text: str) -> str:
    """``text`` with each traditional Chinese character written as its simplified form."""
    return text.translate(han_table())
