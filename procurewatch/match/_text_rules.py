"""Name rules, maker groups, word edges and context words of the text scanner. Pure."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection, Iterator
from dataclasses import dataclass

from rapidfuzz.distance import DamerauLevenshtein

from procurewatch.model import Entity, Watchlist
from procurewatch.normalize.places import territory_code
from procurewatch.normalize.text import normalize_name
from procurewatch.normalize.vocab import VOCAB

_CJK = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_WORDS = re.compile(r"[^\W_]+")
_WORDS_DOT = re.compile(r"[^\W_]+\.?")
_CLAUSE_END = re.compile(r"[,;:()/|]")
LATIN_END = 0x24F
"""Last code point of Latin Extended-B: letters up to here are one script with ASCII."""
MIN_SPLIT = 5
"""Shortest one-word name cut into pinyin syllables for writing variants (``DAHUA``)."""
MAX_SPLIT = 3
"""Most syllables of such a name (longer ones are not written apart)."""
LOOKALIKE_WORDS = 4
SLIP_MIN_LETTERS = 6
"""A word this long that is one letter off a word of the maker's own names (a letter dropped,
added, changed or two swapped: ``Communicatons``, ``Technolgy``, ``Digitial``) counts as that
word: a typo of the maker's legal name is no other company's name."""
"""How many words after a short name are read for a company-name continuation."""
LEGAL_SUFFIXES = frozenset(
    {
        "CORP", "CORPORATION", "INC", "INCORPORATED", "LTD", "LIMITED", "LLC", "LLP", "PLC",
        "GMBH", "COMPANY", "BV", "NV", "PTE", "PTY", "SARL", "SRL", "JSC", "PJSC",
    }
)  # fmt: skip
"""Unambiguous company-name endings (``CO.`` counts with its dot only: ``CO`` is also carbon
monoxide, ``SE`` and ``AS`` are ordinary words)."""
NEUTRAL_WORDS = frozenset(
    {
        "INTERNATIONAL", "INTL", "GLOBAL", "EUROPE", "EUROPEAN", "ASIA", "AMERICA", "AMERICAS",
        "AFRICA", "PACIFIC", "MIDDLE", "EAST", "WEST", "NORTH", "SOUTH", "LATAM", "EMEA", "APAC",
        "HOLDING", "HOLDINGS", "GROUP",
    }
)  # fmt: skip
"""Words a maker's own subsidiaries carry (``Hikvision Europe B.V.``, ``... International``):
they do not make a short name another company's."""

GROUP_RELATIONS = ("subsidiary_of", "brand_of", "owned_by")
"""Relations that put two entities in one maker group (a brand and its maker)."""

RULE_OF_KIND = {"caption": "name", "legal": "name", "brand": "brand"}
"""Name kind -> text rule; every other kind is an ``alias``."""

PRODUCT_WORDS = re.compile(
    r"\b(?:(?:IP |NETWORK |SECURITY |SURVEILLANCE |SPEED )?(?:CAMERA|CAM|DOME|BULLET|TURRET)S?"
    r"|EYEBALL|FISHEYE|PTZ|CCTV|NVRS?|DVRS?|XVRS?|HCVR|RECORDERS?|VIDEO|SURVEILLANCE|THERMAL"
    r"|INTERCOMS?|DOORBELLS?|DOOR STATIONS?|ACCESS CONTROL|ANPR|LPR|HDCVI|HD-?TVI|WEBCAMS?"
    r"|C[AÁ]MARAS?|CAM[EÉ]RAS?|KAMERAS?|VIGILANCIA|VIDEOVIGILANCIA|GRABADORA?S?"
    r"|[0-9]+ ?(?:MP|CH|CHANNELS?)|RADIOS?|WALKIE[- ]?TALKIES?|DMR|TWO[- ]WAY|TRANSCEIVERS?"
    r"|РАЦИ[ЯИ]|RADIOTRANSMISOR|(?:IP-|ВИДЕО|ВІДЕО)?КАМЕР[АЫУИЕ]?|ВИДЕОНАБЛЮДЕНИ[ЕЯ]"
    r"|ВИДЕОРЕГИСТРАТОР[АЫ]?|ВІДЕОСПОСТЕРЕЖЕННЯ|ВІДЕОРЕЄСТРАТОР[АИ]?"
    r"|ROUTERS?|SWITCHES|SIM(?: CARDS?)?|ROAMING|BROADBAND|LEASED LINES?|MPLS|[45]G|LTE)\b"
    r"|监控|摄像|录像机|球机|枪机|半球|视频|门禁|对讲|热成像|安防|กล้อง|วงจรปิด|كاميرا|دوربین"
    r"|路由器|交换机|基站|宽带|专线"
)
"""Product words that make an ambiguous model number or a weak name count (upper-cased text):
cameras, recorders and radios, and the telecom equipment and services of the listed makers and
carriers (routers, switches, SIM cards, roaming, broadband, leased lines)."""


@dataclass(frozen=True, slots=True)
class NameRule:
    """One normalized name of an entity, as a pattern of the automaton."""

    entity_id: str
    value: str
    """The name as written in the watchlist."""
    kind: str
    rule: str
    weak: bool
    group: str
    order: int


def is_word_char(char: str) -> bool:
    """Whether ``char`` continues a Latin-script word (CJK characters do not)."""
    return (char.isalnum() or char == "_") and _CJK.match(char) is None


def needs_left_edge(pattern: str) -> bool:
    """Whether a pattern must start at a word edge (it starts with a word character)."""
    return is_word_char(pattern[0])


def needs_right_edge(pattern: str) -> bool:
    """Whether a pattern must end at a word edge (it ends with a word character)."""
    return is_word_char(pattern[-1])


def is_latin(char: str) -> bool:
    """A Latin letter or any digit (a model number's alphabet); False for other scripts."""
    return char.isdigit() or ord(char) <= LATIN_END


def script_break(left: str, right: str) -> bool:
    """Two word characters of different scripts touch: ``مدلDS-2CE16D0T``, ``ХиквижнDS-2CD``."""
    return is_latin(left) != is_latin(right)


def at_word_start(text: str, pos: int) -> bool:
    """True if no word of the same script continues into ``text[pos]`` from the left."""
    if pos == 0 or not is_word_char(text[pos - 1]):
        return True
    return pos < len(text) and script_break(text[pos - 1], text[pos])


def at_word_end(text: str, pos: int) -> bool:
    """True if no word of the same script continues from ``text[pos - 1]`` to the right."""
    if pos >= len(text) or not is_word_char(text[pos]):
        return True
    return pos > 0 and script_break(text[pos - 1], text[pos])


def at_model_start(text: str, pos: int) -> bool:
    """A word start that is not glued to a preceding token by a hyphen (``HC-IPC-``)."""
    if not at_word_start(text, pos):
        return False
    return not (pos >= 2 and text[pos - 1] == "-" and is_word_char(text[pos - 2]))


def maker_groups(watchlist: Watchlist) -> dict[str, str]:
    """Entity id -> group id; a brand, a subsidiary and its maker share one group."""
    parent: dict[str, str] = {}

    def find(node: str) -> str:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for entity in watchlist.entities.values():
        for rel in entity.relations:
            if rel.kind in GROUP_RELATIONS:
                parent[find(entity.id)] = find(rel.target)
    return {eid: find(eid) for eid in {*watchlist.entities, *parent}}


def _entity_names(entity: Entity) -> Iterator[tuple[str, str, bool]]:
    seen: set[str] = set()
    for name in entity.names:
        if name.value not in seen:
            seen.add(name.value)
            yield name.value, name.kind, name.weak
    if entity.caption not in seen:
        yield entity.caption, "caption", False


def name_rules(
    watchlist: Watchlist, groups: dict[str, str], entity_ids: Collection[str] | None
) -> Iterator[tuple[str, NameRule]]:
    """``(normalized pattern, rule)`` for every name of the selected entities."""
    order = 0
    for entity in watchlist.entities.values():
        if entity_ids is not None and entity.id not in entity_ids:
            continue
        for value, kind, weak in _entity_names(entity):
            pattern = normalize_name(value)
            if len(pattern) < 2:
                continue
            rule = RULE_OF_KIND.get(kind, "alias")
            group = groups.get(entity.id, entity.id)
            for variant, soft in ((pattern, False), *writing_variants(pattern)):
                yield variant, NameRule(entity.id, value, kind, rule, weak or soft, group, order)
                order += 1


def writing_variants(pattern: str) -> list[tuple[str, bool]]:
    """Other ways a brand is written in text: a two-word name with a hyphen (``HIK-VISION``), a
    one-word pinyin name cut into its syllables with a hyphen (``DA-HUA``) and, needing context
    as a person could be named so, with a space (``DA HUA``). ``(variant, weak)`` pairs."""
    if not pattern.isascii():
        return []
    if pattern.count(" ") == 1:  # HIK VISION -> HIK-VISION
        return [(pattern.replace(" ", "-"), False)]
    if " " in pattern or len(pattern) < MIN_SPLIT:
        return []
    parts = VOCAB.pinyin_split(pattern.lower())
    if not 2 <= len(parts) <= MAX_SPLIT:
        return []
    upper = [p.upper() for p in parts]
    return [("-".join(upper), False), (" ".join(upper), True)]


def name_tokens(watchlist: Watchlist, groups: dict[str, str]) -> dict[str, frozenset[str]]:
    """Group id -> every word of every name in the group (normalized)."""
    tokens: dict[str, set[str]] = defaultdict(set)
    for entity in watchlist.entities.values():
        group = groups.get(entity.id, entity.id)
        for value, _, _ in _entity_names(entity):
            tokens[group].update(_WORDS.findall(normalize_name(value)))
    return {group: frozenset(words) for group, words in tokens.items()}


def _is_place(word: str) -> bool:
    lower = word.lower()
    return lower in VOCAB.latin_places or territory_code(lower) is not None


def _is_legal(token: str) -> bool:
    word = token.rstrip(".")
    return word in LEGAL_SUFFIXES or (word == "CO" and token.endswith("."))


def _own_word(word: str, known: frozenset[str]) -> bool:
    """Whether ``word`` is a word of the maker group's names, or one letter off one
    (:data:`SLIP_MIN_LETTERS`)."""
    if word in known:
        return True
    if len(word) < SLIP_MIN_LETTERS:
        return False
    return any(
        abs(len(own) - len(word)) <= 1 and DamerauLevenshtein.distance(word, own) <= 1
        for own in known
    )


def lookalike_company(text: str, end: int, known: frozenset[str]) -> str | None:
    """The words after a short name that make it another company's name, or None.

    ``DAHUA ELECTRONICS CORP``: a company ending follows within a few words and a word before it
    is neither in the maker group's own names nor a place, so the short name is part of a
    different company's name. ``HIKVISION USA INC`` and ``DAHUA TECHNOLOGY CO.`` are not.
    """
    if not text[end : end + 1].isspace():
        return None
    tail = _CLAUSE_END.split(text[end : end + 80], maxsplit=1)[0]
    tokens = _WORDS_DOT.findall(tail)[:LOOKALIKE_WORDS]
    for index, token in enumerate(tokens):
        if _is_legal(token):
            between = [t.rstrip(".") for t in tokens[:index]]
            if any(not _own_word(w, known) and w not in NEUTRAL_WORDS and not _is_place(w)
                   for w in between):  # fmt: skip
                return " ".join(tokens[: index + 1])
            return None
    return None
