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
    syllable_levels: frozenset[str]
    """One-syllable pinyin of level words (``shi`` 市, ``zhou`` 州): levels inside a body's
    name only, too common elsewhere (surnames) to be weak words of the index."""


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
    levels = {str(w) for w in data["levels"]["latin"]}
    syllable_levels: set[str] = set()
    for text, what, ident in zh:  # the pinyin of the Chinese forms, joined and in syllables
        syllables = lazy_pinyin(text)
        if what == "place" and not (len(text) == 2 and text.endswith("州")):  # 博州 ~ 亳州
            places.setdefault("".join(syllables), ident)
            phrases.setdefault(" ".join(syllables), ident)
        elif what == "kind":
            for spelled in (" ".join(syllables), "".join(syllables),
                            "".join(syllables[:2]) + " " + " ".join(syllables[2:])):  # fmt: skip
                phrases.setdefault(spelled, ident)
        elif what == "level" and len(syllables) == 1:
            syllable_levels.add(syllables[0])
        elif what == "level":
            levels.add("".join(syllables))
            phrases.setdefault(" ".join(syllables), "".join(syllables))
    return BodyWords(
        places=places,
        phrases=tuple(sorted(phrases.items(), key=lambda kv: -len(kv[0]))),
        kinds=frozenset(str(k) for k in data["kinds"]),
        levels=frozenset(levels),
        syllable_levels=frozenset(syllable_levels) - levels,
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
    pinyin_syllables: frozenset[str]
    """The toneless syllables of pinyin (``data/pinyin_syllables.yaml``)."""

    def pinyin_word(self, word: str) -> bool:
        """Whether ``word`` is two or more pinyin syllables written together (``huawei``)."""
        return _pinyin_parts(self.pinyin_syllables, word) >= 2

    def pinyin_split(self, word: str) -> tuple[str, ...]:
        """``word`` cut into the fewest pinyin syllables (``dahua`` -> da, hua); () if it
        does not split into two or more."""
        parts = _pinyin_cut(self.pinyin_syllables, word)
        return parts if len(parts) >= 2 else ()

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


@lru_cache(maxsize=65536)
def _pinyin_parts(syllables: frozenset[str], word: str) -> int:
    """The fewest pinyin syllables ``word`` splits into, or 0 if it does not split."""
    best = [0] + [-1] * len(word)
    for end in range(1, len(word) + 1):
        for size in range(1, min(6, end) + 1):
            start = end - size
            fits = best[start] >= 0 and word[start:end] in syllables
            if fits and (best[end] < 0 or best[start] + 1 < best[end]):
                best[end] = best[start] + 1
    return max(best[-1], 0)


@lru_cache(maxsize=4096)
def _pinyin_cut(syllables: frozenset[str], word: str) -> tuple[str, ...]:
    """The fewest-syllable cut of ``word`` (its syllables in order), or () if none."""
    best: list[tuple[str, ...] | None] = [()] + [None] * len(word)
    for end in range(1, len(word) + 1):
        for size in range(1, min(6, end) + 1):
            head = best[end - size]
            if head is None or word[end - size : end] not in syllables:
                continue
            found = best[end]
            if found is None or len(head) + 1 < len(found):
                best[end] = (*head, word[end - size : end])
    return best[-1] or ()


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
        pinyin_syllables=frozenset(str(w) for w in _load("pinyin_syllables.yaml")["syllables"]),
    )


VOCAB = _build()
"""The vocabulary, loaded at import."""
