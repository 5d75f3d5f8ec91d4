"""The word lists of name normalization, loaded once from ``normalize/data/*.yaml``."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from importlib.metadata import version
from typing import Any

from rapidfuzz.distance import OSA

from procurewatch import yamlload
from procurewatch.cache import DiskCache


def _load(name: str) -> dict[str, Any]:
    text = (resources.files("procurewatch.normalize") / "data" / name).read_text(encoding="utf-8")
    data = yamlload.safe_load(text)
    assert isinstance(data, dict), name
    return data


@dataclass(frozen=True)
class Vocabulary:
    """Legal forms, generic words, stopwords, abbreviations and CJK parts."""

    legal_class: dict[str, str]
    legal_words: frozenset[str]
    generic: frozenset[str]
    stopwords: frozenset[str]
    abbreviations: dict[str, str]
    numeric_words: frozenset[str]
    cjk_suffixes: tuple[str, ...]
    cjk_places: tuple[str, ...]
    cjk_generic: tuple[str, ...]
    latin_places: frozenset[str]
    """Pinyin of the CJK places (hangzhou, zhejiang): place words in Latin names too."""

    def is_legal_word(self, word: str) -> bool:
        """A legal-form word, allowing one typo in words of 4+ letters (``joynt``, ``compan``)."""
        if word in self.legal_words or word in self.legal_class:
            return True
        if len(word) < 4 or word in self.generic:
            return False
        return _fuzzy_legal(self.legal_words, word)


@lru_cache(maxsize=65536)
def _fuzzy_legal(words: frozenset[str], word: str) -> bool:
    return any(
        abs(len(w) - len(word)) <= 1 and OSA.distance(w, word) <= 1 for w in words if len(w) >= 4
    )


def _latin_places(places: Sequence[str]) -> frozenset[str]:
    """The pinyin of the CJK place names, kept in the cache folder: importing pypinyin takes
    0.15 s, more than the rest of a ``procurewatch match``. The entry is named by a hash of the
    places and pypinyin's version, so a changed list or library builds it again."""
    key = hashlib.sha256("\n".join(places).encode()).hexdigest()[:16]
    name = f"latin-places-{key}-pypinyin-{version('pypinyin')}.json"
    disk = DiskCache()
    try:
        kept = json.loads(disk.get(name) or b"null")
    except ValueError:
        kept = None
    if isinstance(kept, list) and all(isinstance(p, str) for p in kept):
        return frozenset(kept)
    from pypinyin import lazy_pinyin

    built = frozenset("".join(lazy_pinyin(p)) for p in places)
    disk.put(name, json.dumps(sorted(built), ensure_ascii=False).encode())
    return built


def _build() -> Vocabulary:
    legal = _load("legal_forms.yaml")
    generic = _load("generic_words.yaml")
    words = _load("name_words.yaml")
    classes = {tok: cls for cls, toks in legal["classes"].items() for tok in toks}
    return Vocabulary(
        legal_class=classes,
        legal_words=frozenset(legal["words"]),
        generic=frozenset(generic["latin"]),
        stopwords=frozenset(str(w) for w in words["stopwords"]),
        abbreviations={str(k): str(v) for k, v in words["abbreviations"].items()},
        numeric_words=frozenset(),
        cjk_suffixes=tuple(sorted(legal["cjk_suffixes"], key=len, reverse=True)),
        cjk_places=tuple(sorted(generic["cjk_places"], key=len, reverse=True)),
        cjk_generic=tuple(generic["cjk_generic"]),
        latin_places=_latin_places([str(p) for p in generic["cjk_places"]]),
    )


VOCAB = _build()
"""The vocabulary, loaded at import."""
