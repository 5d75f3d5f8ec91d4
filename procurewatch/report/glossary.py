"""English glosses and pinyin for Chinese names in the report and the UI. Pure, apart from
reading the package's ``data/glossary.csv`` once (sources in ``data/glossary.md``).

``gloss("乌鲁木齐市公安局")`` gives ``Gloss("Urumqi City Public Security Bureau",
"Wūlǔmùqí shì gōng'ānjú", complete=True)``: the name is cut into the longest glossary terms
(乌鲁木齐市 before 市); characters no term covers appear in the English as capitalised pinyin
(新疆天山智安科技有限公司 -> "Xinjiang Tiānshānzhì'ān Technology Co. Ltd.") and the gloss is
then not ``complete``.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from pypinyin import Style, lazy_pinyin

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_OPEN_VOWEL = re.compile(r"^[aeoāáǎàēéěèōóǒò]")


@dataclass(frozen=True, slots=True)
class Gloss:
    """An English reading aid for a Chinese name, its pinyin, and whether every part is glossed."""

    english: str
    pinyin: str
    complete: bool


@cache
def glossary() -> dict[str, str]:
    """Chinese term -> English, from ``data/glossary.csv``."""
    text = (resources.files("procurewatch.report") / "data" / "glossary.csv").read_text("utf-8")
    return {row["term"]: row["english"] for row in csv.DictReader(text.splitlines())}


@cache
def _longest() -> int:
    return max(len(term) for term in glossary())


def has_chinese(text: str) -> bool:
    """Whether the text holds a Chinese (Han) character."""
    return bool(_HAN.search(text))


def segments(name: str, longest: int = 0) -> list[tuple[str, str | None]]:
    """The name cut into ``(text, english or None)``: longest glossary term first, left to right
    (terms up to ``longest`` characters when given)."""
    terms = glossary()
    out: list[tuple[str, str | None]] = []
    i = 0
    while i < len(name):
        for size in range(min(longest or _longest(), len(name) - i), 0, -1):
            piece = name[i : i + size]
            if piece in terms:
                out.append((piece, terms[piece]))
                i += size
                break
        else:
            if out and out[-1][1] is None:
                out[-1] = (out[-1][0] + name[i], None)
            else:
                out.append((name[i], None))
            i += 1
    return out


def _words(piece: str) -> list[str]:
    """A glossary segment as pinyin words: cut further by shorter terms (乌鲁木齐 + 市)."""
    if len(piece) > 2:
        parts = segments(piece, longest=len(piece) - 1)
        if len(parts) > 1:
            return [w for part, _ in parts for w in _words(part)]
    if not has_chinese(piece):
        return [piece.strip().replace("（", "(").replace("）", ")")]
    syllables = lazy_pinyin(piece, style=Style.TONE)
    return [syllables[0] + "".join(("'" + s) if _OPEN_VOWEL.match(s) else s for s in syllables[1:])]


def pinyin_of(text: str) -> str:
    """Pinyin with tone marks, one word per glossary term: ``Wūlǔmùqí shì gōng'ānjú``."""
    words = [w for piece, _ in segments(text) for w in _words(piece) if w]
    joined = re.sub(r"\( ", "(", re.sub(r" \)", ")", " ".join(words)))
    return joined[:1].upper() + joined[1:]


def _romanised(piece: str) -> str:
    """An unglossed piece in the English: its pinyin, capitalised like a name (天山 -> Tiānshān)."""
    if not has_chinese(piece):
        return piece.strip()
    return " ".join(w[:1].upper() + w[1:] for w in _words(piece))


@lru_cache(maxsize=8192)
def gloss(name: str) -> Gloss | None:
    """The English gloss of a name with Chinese characters; None for a name without any."""
    if not has_chinese(name):
        return None
    parts = segments(name)
    english = " ".join(e if e is not None else _romanised(p) for p, e in parts)
    english = re.sub(r"\s+", " ", english.replace("（", " (").replace("）", ") ")).strip()
    english = english.replace("( ", "(").replace(" )", ")")
    complete = all(e is not None or not has_chinese(p) for p, e in parts)
    return Gloss(english, pinyin_of(name), complete)


def english_label(name: str) -> str:
    """The name to show where only one fits (chart axes): the gloss with the Chinese name in
    brackets when the gloss is complete, else the name itself."""
    found = gloss(name)
    if found is None or not found.complete:
        return name
    return f"{found.english} ({name})"
