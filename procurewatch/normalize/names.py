"""Name normalization: from a raw name to the tokens the comparer aligns. Pure, no I/O.

Latin and other alphabetic scripts: Unicode NFKC, casefold, transliteration to ASCII (rigour),
dotted initials joined (``A.B.C.`` -> ``abc``), legal forms rewritten by rigour and classed by
``data/legal_forms.yaml``, number words and Roman numerals turned into numbers, countries
recognized (``U.S.`` = ``United States`` = ``us``), words in parentheses marked as qualifiers.

Chinese, Japanese and Korean: no spaces, so the name is segmented against known parts: the
legal-form suffix (股份有限公司), leading place names (杭州, 浙江) and generic words (技术, 数字)
become qualifier tokens; what remains is the core. A pinyin reading of each part is kept so a
Latin query can meet a Chinese name.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rigour.names import replace_org_types_compare
from rigour.territories import get_territories
from rigour.text import ascii_text

from procurewatch.normalize.han import to_simplified
from procurewatch.normalize.places import territory_code
from procurewatch.normalize.vocab import VOCAB

WORD = "word"
GENERIC = "generic"
PLACE = "place"
NUMBER = "number"
LEGAL = "legal"

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_INITIALS = re.compile(r"\b(?:[^\W\d_]\.){2,}(?:[^\W\d_]\b)?|\b(?:[^\W\d_]\.)(?:[^\W\d_])\b")
_PAREN = re.compile(r"\(([^()]*)\)")
_SPLIT = re.compile(r"[^\w]+")
_A_S = re.compile(r"\ba/s\b")
_QUOTES = re.compile(r"[\"'`´‘’“”«»„]")

_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fourty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_ORDINALS = {"first": 1, "second": 2, "third": 3, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5}
_ROMAN = re.compile(r"^(?=[xvi]+$)x{0,3}(ix|iv|v?i{0,3})$")
"""Roman numerals 1-39 written with I, V and X only (``II``, ``XIV``): the forms names use for
fund vintages and generations. L, C, D and M are left alone, so a person's name or a short word
(``Li``, ``Mix``, ``Di``, ``CV``) is never read as a number."""
_ROMAN_VALUES = {"x": 10, "v": 5, "i": 1}


@dataclass(frozen=True, slots=True)
class Token:
    """One normalized token of a name."""

    text: str
    kind: str = WORD
    """word | generic | place | number | legal"""
    qualifier: bool = False
    """Came from a parenthesized part of the name: ``Deutsche Bank (Schweiz) AG``."""
    key: str = ""
    """For places: the territory code (``United States``, ``USA`` and ``U.S.`` share ``us``)."""


@dataclass(frozen=True, slots=True)
class NormName:
    """A name ready for comparison."""

    original: str
    tokens: tuple[Token, ...]
    cjk: bool = False
    pinyin: tuple[Token, ...] = ()
    """For CJK names: the same tokens read in pinyin (core syllables joined)."""
    letters: str = ""
    """Every letter and digit of the name but legal forms, stopwords kept (``van der bilt``);
    for a CJK name, its pinyin without the legal form (``hainengda``)."""

    @property
    def content(self) -> tuple[Token, ...]:
        """Tokens other than legal forms."""
        return tuple(t for t in self.tokens if t.kind != LEGAL)

    @property
    def legal(self) -> tuple[str, ...]:
        """The legal-form tokens."""
        return tuple(t.text for t in self.tokens if t.kind == LEGAL)

    def compact(self, *, with_legal: bool = False) -> str:
        """All token texts joined without spaces (``good will`` -> ``goodwill``)."""
        return "".join(t.text for t in self.tokens if with_legal or t.kind != LEGAL)


def has_cjk(text: str) -> bool:
    """True if the text contains Chinese, Japanese or Korean characters."""
    return _CJK.search(text) is not None


def _roman(text: str) -> int | None:
    if not text or _ROMAN.match(text) is None:
        return None
    total, prev = 0, 0
    for ch in reversed(text):
        value = _ROMAN_VALUES[ch]
        total = total - value if value < prev else total + value
        prev = max(prev, value)
    return total


def _numbers(words: list[str]) -> list[str]:
    """Turn number words into digits: ``forty four`` / ``forty 4`` -> ``44``; ``1st`` -> ``1``."""
    out: list[str] = []
    for word in words:
        value = _UNITS.get(word, _ORDINALS.get(word))
        if word in _TENS:
            out.append(str(_TENS[word]))
            continue
        if value is None and word.isdigit() and len(word) == 1:
            value = int(word)
        if value is not None and value < 10 and out and out[-1].isdigit() and out[-1].endswith("0"):
            prev = int(out[-1])
            if prev in _TENS.values():
                out[-1] = str(prev + value)
                continue
        out.append(str(value) if value is not None else word)
    return out


def _join_initials(text: str) -> str:
    return _INITIALS.sub(lambda m: m.group(0).replace(".", ""), text)


@lru_cache(maxsize=1)
def _body_phrases() -> tuple[re.Pattern[str], dict[str, str]]:
    table = dict(VOCAB.bodies.phrases)
    alternatives = "|".join(re.escape(p) for p, _ in VOCAB.bodies.phrases)
    return re.compile(rf"\b(?:{alternatives})\b"), table


def _latin_plain(text: str) -> str:
    """Latin text without its accents and tone marks (``kā shí`` -> ``ka shi``); other
    scripts as they are."""
    if text.isascii() or any(c.isalpha() and not _is_latin(c) for c in text):
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _is_latin(char: str) -> bool:
    return ord(char) < 0x250 or 0x1E00 <= ord(char) <= 0x1EFF


def _body_words(text: str) -> str:
    """Public bodies' phrases as one word: ``public security bureau`` -> ``psb``,
    ``gong an ju`` -> ``psb``, ``ka shi`` -> ``kashgar``."""
    pattern, table = _body_phrases()
    plain = _latin_plain(text)
    return pattern.sub(lambda m: table[m.group(0)], plain) if pattern.search(plain) else text


def _prepare(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _QUOTES.sub("", text)
    text = text.replace("&", " and ").replace("+", " and ").replace("%", " percent ")
    text = _body_words(re.sub(r"\s+", " ", text))
    text = _A_S.sub(" as ", _join_initials(text))
    return replace_org_types_compare(text)


@lru_cache(maxsize=65536)
def is_place(phrase: str) -> bool:
    """Whether a word or phrase names a country or territory (or a Chinese province or city)."""
    return phrase in VOCAB.latin_places or phrase in VOCAB.bodies.places or _is_place(phrase)


@lru_cache(maxsize=65536)
def _is_place(phrase: str) -> bool:
    if len(phrase) < 4 and phrase not in ("usa", "uk", "us", "uae", "prc"):
        return False
    return territory_code(phrase) is not None


def _kind(word: str) -> str:
    if word.isdigit() or word in VOCAB.numeric_words:
        return NUMBER
    if word in VOCAB.legal_class:
        return LEGAL
    if VOCAB.is_legal_word(word):
        return LEGAL
    if word in VOCAB.generic:
        return GENERIC
    if word in VOCAB.latin_places or word in VOCAB.bodies.places or _is_place(word):
        return PLACE
    return WORD


def _ascii(text: str) -> str:
    return text if text.isascii() else ascii_text(text)


@lru_cache(maxsize=1)
def _phrase_starts() -> frozenset[str]:
    """First words of multi-word territory names (``united``, ``hong``): only these start a phrase lookup."""
    starts: set[str] = set()
    for territory in get_territories():
        for name in (territory.name, territory.full_name):
            words = _ascii(name.casefold()).split()
            if len(words) > 1:
                starts.add(words[0])
    return frozenset(starts)


def _places(words: list[str]) -> list[tuple[str, str, str]]:
    """(word, kind, key) for words, merging multi-word countries (``united states`` -> ``us``)."""
    out: list[tuple[str, str, str]] = []
    starts = _phrase_starts()
    i = 0
    while i < len(words):
        for size in (3, 2) if words[i] in starts else ():
            phrase = " ".join(words[i : i + size])
            if i + size <= len(words) and _is_place(phrase) and not _is_place(words[i]):
                out.append((phrase.replace(" ", ""), PLACE, place_key(phrase)))
                i += size
                break
        else:
            word = words[i]
            kind = _kind(word)
            out.append((word, kind, place_key(word) if kind == PLACE else word))
            i += 1
    return out


@lru_cache(maxsize=65536)
def place_key(text: str) -> str:
    """The territory code of a place word (``kashi`` -> ``kashgar``, the id of
    ``data/public_bodies.yaml``), or the word itself."""
    if text in VOCAB.bodies.places:
        return VOCAB.bodies.places[text]
    if text in VOCAB.latin_places:
        return text
    if text in ("us", "usa", "u s"):
        return "us"
    return territory_code(text) or text


def _latin_tokens(text: str, qualifier: bool) -> list[Token]:
    words = [w for w in _SPLIT.split(_ascii(text)) if w and w not in VOCAB.stopwords]
    words = [VOCAB.abbreviations.get(w, w) for w in words]
    words = _numbers(words)
    kinds = _places(words)
    last = max((i for i, (_, k, _) in enumerate(kinds) if k != LEGAL), default=-1)
    tokens: list[Token] = []
    for index, (word, kind, key) in enumerate(kinds):
        value = _roman(word) if index > 0 and (len(word) > 1 or index == last) else None
        if value is not None and kind == WORD:
            word, kind, key = str(value), NUMBER, str(value)
        tokens.append(Token(word, kind, qualifier, key))
    return tokens


def _split_parens(text: str) -> list[tuple[str, bool]]:
    parts: list[tuple[str, bool]] = []
    last = 0
    for m in _PAREN.finditer(text):
        parts.append((text[last : m.start()], False))
        parts.append((m.group(1), True))
        last = m.end()
    parts.append((text[last:], False))
    return [(p, q) for p, q in parts if p.strip()]


def cjk_tokens(text: str) -> list[Token]:
    """Segment a CJK name into core and qualifier tokens against the known parts."""
    text = "".join(ch for ch in unicodedata.normalize("NFKC", text) if not ch.isspace())
    text = to_simplified(text)  # 華為技術 is 华为技术
    text = _PAREN.sub("", re.sub(r"[（]", "(", re.sub(r"[）]", ")", text)))
    tokens: list[Token] = []
    for suffix in VOCAB.cjk_suffixes:
        if text.endswith(suffix) and len(text) > len(suffix):
            tokens.append(Token(suffix, LEGAL))
            text = text[: -len(suffix)]
            break
    for place in VOCAB.cjk_places:
        if text.startswith(place) and len(text) > len(place):
            tokens.insert(0, Token(place, PLACE))
            text = text[len(place) :]
            break
    core = text
    for word in VOCAB.cjk_generic:
        if word in core and len(core) > len(word) + 1:
            core = core.replace(word, " ", 1)
            tokens.append(Token(word, GENERIC))
    tokens.extend(Token(part, WORD) for part in core.split() if part)
    return tokens


def to_pinyin(text: str) -> str:
    """Pinyin of a CJK string, syllables joined (``海康威视`` -> ``haikangweishi``)."""
    from pypinyin import lazy_pinyin  # 0.15 s to import: only when a name is Chinese

    return "".join(lazy_pinyin(text)).lower()


@lru_cache(maxsize=8192)
def normalize(name: str) -> NormName:
    """The comparable form of ``name`` (cached)."""
    if has_cjk(name):
        tokens = tuple(cjk_tokens(name))
        pinyin = tuple(Token(to_pinyin(t.text), t.kind, t.qualifier) for t in tokens)
        letters = "".join(t.text for t in pinyin if t.kind != LEGAL)  # hai neng da = 海能达
        return NormName(name, tokens, cjk=True, pinyin=pinyin, letters=letters)
    tokens_list: list[Token] = []
    prepared = _prepare(name)
    for part, qualifier in _split_parens(prepared):
        tokens_list.extend(_latin_tokens(part, qualifier))
    legal = {t.text for t in tokens_list if t.kind == LEGAL}
    letters = "".join(w for w in _SPLIT.split(_ascii(prepared)) if w not in legal)
    return NormName(name, tuple(tokens_list), letters=letters)


def split_alternatives(name: str) -> list[str]:
    """``Al-Qa'ida/Islamic Army`` -> both names; a slash inside a legal form (A/S) stays."""
    parts = [p.strip() for p in re.split(r"\s*/\s*", name)]
    if len(parts) > 1 and all(len(p) > 3 for p in parts):
        return parts
    return [name]
