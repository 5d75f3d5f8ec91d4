"""The word lists of name normalization, loaded once from ``normalize/data/*.yaml``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from pypinyin import lazy_pinyin
from rapidfuzz.distance import OSA

from procurewatch import yamlload


def _load(name: str) -> dict[str, Any]:
    text = (resources.files("procurewatch.normalize") / "data" / name).read_text(encoding="utf-8")
    data = yamlload.safe_load(text)
    assert isinstance(data, dict), name
    return data


@dataclass(frozen=True)
class BodyWords:
    """How public bodies are named: places with their spellings, kinds, level words."""

    places: dict[str, str]
    """A one-word Latin spelling of a place -> the place's id (``kashi`` -> ``kashgar``)."""
    phrases: tuple[tuple[str, str], ...]
    """Multi-word spellings rewritten to one word before splitting, longest first
    (``public security bureau`` -> ``psb``, ``kizil su`` -> ``kizilsu``)."""
    kinds: frozenset[str]
    """The one word of each kind of body (``psb``)."""
    levels: frozenset[str]
    """Latin words of administrative level and of autonomous areas' names."""
    zh_parts: tuple[tuple[str, str, str], ...]
    """Chinese parts (text, ``place``/``kind``/``level``, id), longest first."""


def _body_words(data: dict[str, Any]) -> BodyWords:
    places: dict[str, str] = {}
    phrases: dict[str, str] = {}
    zh: list[tuple[str, str, str]] = []
    for place_id, entry in data["places"].items():
        for spelling in entry["latin"]:
            target = places if " " not in spelling else phrases
            target[str(spelling)] = str(place_id)
        zh.extend((str(z), "place", str(place_id)) for z in entry["zh"])
    for kind, entry in data["kinds"].items():
        for spelling in entry["latin"]:
            phrases[str(spelling)] = str(kind)
        zh.extend((str(z), "kind", str(kind)) for z in entry["zh"])
    zh.extend((str(z), "level", str(z)) for z in data["levels"]["zh"])
    return BodyWords(
        places=places,
        phrases=tuple(sorted(phrases.items(), key=lambda kv: -len(kv[0]))),
        kinds=frozenset(str(k) for k in data["kinds"]),
        levels=frozenset(str(w) for w in data["levels"]["latin"]),
        zh_parts=tuple(sorted(zh, key=lambda part: -len(part[0]))),
    )


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
    bodies: BodyWords
    """The places, kinds and levels of public bodies (``data/public_bodies.yaml``)."""
    lookalikes: frozenset[str]
    """Words near a short listed brand word that name something else (``hytech``)."""

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
        latin_places=frozenset("".join(lazy_pinyin(p)) for p in generic["cjk_places"]),
        bodies=_body_words(_load("public_bodies.yaml")),
        lookalikes=frozenset(str(w) for w in _load("lookalike_words.yaml")["words"]),
    )


VOCAB = _build()
"""The vocabulary, loaded at import."""
