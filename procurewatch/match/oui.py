"""MAC addresses and the IEEE registry: which company a device's network interface belongs to.

A MAC address starts with a block the IEEE assigned to a company: 24 bits (MA-L, the classic
OUI), 28 bits (MA-M) or 36 bits (MA-S and the older IAB). :class:`OuiIndex` holds the blocks;
the **narrowest block wins** (a /36 inside a /28 inside a /24). Blocks come from the registry
netaddr ships (MA-L ``oui.txt``, IAB ``iab.txt``) plus ``data/oui_blocks.csv``, the MA-M and
MA-S blocks of listed and look-alike vendors taken from Wireshark's ``manuf`` file.

The registrant's name is mapped to watchlist entities through the name matcher, never through
a list of prefixes. Registrants write their own name, so :class:`OuiAttributor` accepts only a
match without spelling tolerance: every token pairs exactly and every distinctive word of the
watchlist name is present. A registrant that carries the full distinctive name of an entity
plus other words (``Huawei Symantec Technologies Co.,Ltd.``) and no place the entity is not known by is
reported as a **lead** (a possibly related company the watchlist does not name).

A locally administered address (bit 0x02 of the first octet: randomized Wi-Fi MACs, virtual
machines) or a multicast address (bit 0x01) was never assigned to a company and is not
attributed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from procurewatch.match.matcher import Matcher, NameMatch
from procurewatch.model import COVERING_RELATIONS, EffectiveDesignation, Entity, Watchlist
from procurewatch.normalize.names import LEGAL, NUMBER, PLACE, WORD, normalize

BITS = (36, 28, 24)
"""Block widths, narrowest first."""
MAC_STATUSES = ("invalid", "multicast", "local", "unregistered", "registered")
"""``invalid`` not a MAC address · ``multicast`` a group address · ``local`` locally
administered (randomized or virtual) · ``unregistered`` in no known block · ``registered``."""
LEAD_FLOOR = 0.4
"""Lowest name score at which a registrant that contains an entity's name becomes a lead."""

_PLAIN = re.compile(r"[0-9a-f]{12}")
_DOTTED = re.compile(r"[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}")
_HALVES = re.compile(r"[0-9a-f]{6}-[0-9a-f]{6}")
_OCTETS = re.compile(r"[0-9a-f]{1,2}(?P<sep>[:\- ])(?:[0-9a-f]{1,2}(?P=sep)){4}[0-9a-f]{1,2}")
_LEAD_KINDS = (WORD, PLACE, NUMBER)
_STATUS_WORDS = {"local": "locally administered (randomized or virtual)", "multicast": "multicast"}


@dataclass(frozen=True, slots=True)
class Mac:
    """A 48-bit MAC address."""

    value: int

    @property
    def text(self) -> str:
        """``AA:BB:CC:DD:EE:FF``."""
        raw = f"{self.value:012X}"
        return ":".join(raw[i : i + 2] for i in range(0, 12, 2))

    @property
    def kind(self) -> str:
        """``multicast``, ``local`` (locally administered) or ``universal``."""
        first = self.value >> 40
        if first & 0x01:
            return "multicast"
        return "local" if first & 0x02 else "universal"

    def prefix(self, bits: int) -> int:
        """The first ``bits`` bits as an integer."""
        return self.value >> (48 - bits)


def parse_mac(text: str) -> Mac | None:
    """A MAC in any common notation (``aa:bb:cc:dd:ee:ff``, ``AA-BB-..``, ``aabb.ccdd.eeff``,
    ``aabbccddeeff``, ``aabbcc-ddeeff``, ``a:b:c:d:e:f``); None if ``text`` is not one."""
    value = text.strip().lower()
    if _PLAIN.fullmatch(value):
        digits = value
    elif _DOTTED.fullmatch(value) or _HALVES.fullmatch(value):
        digits = value.replace(".", "").replace("-", "")
    elif _OCTETS.fullmatch(value):
        digits = "".join(part.zfill(2) for part in re.split(r"[:\- ]", value))
    else:
        return None
    return Mac(int(digits, 16))


@dataclass(frozen=True, slots=True)
class Block:
    """An address block the IEEE assigned to an organization."""

    prefix: int
    bits: int
    organization: str
    registry: str
    """Which registry file it comes from (``IEEE MA-L (netaddr 1.3.0 oui.txt)`` ...)."""

    @property
    def label(self) -> str:
        """The block as Wireshark writes it: ``44:19:B6/24``, ``14:AE:85:30/28``."""
        raw = f"{self.prefix:0{self.bits // 4}X}"
        raw += "0" * (len(raw) % 2)
        return ":".join(raw[i : i + 2] for i in range(0, len(raw), 2)) + f"/{self.bits}"


class OuiIndex:
    """Registry blocks by width and prefix; :meth:`lookup` finds the narrowest holding a MAC."""

    def __init__(self, blocks: Iterable[Block]) -> None:
        self._blocks: dict[int, dict[int, Block]] = {bits: {} for bits in BITS}
        for block in blocks:
            self._blocks[block.bits].setdefault(block.prefix, block)

    def __len__(self) -> int:
        return sum(len(table) for table in self._blocks.values())

    def lookup(self, mac: Mac) -> Block | None:
        """The narrowest block containing ``mac``, or None."""
        for bits in BITS:
            found = self._blocks[bits].get(mac.prefix(bits))
            if found is not None:
                return found
        return None

    def blocks(self) -> Iterable[Block]:
        """Every block, widest first."""
        for bits in reversed(BITS):
            yield from self._blocks[bits].values()


@dataclass(frozen=True, slots=True)
class Registrant:
    """A watchlist entity found for a registrant's name, with why."""

    entity: Entity
    score: float
    lead: bool
    designations: tuple[EffectiveDesignation, ...]
    explanation: str


@dataclass(frozen=True, slots=True)
class MacLookup:
    """What the registry says about one MAC address value."""

    text: str
    mac: Mac | None
    status: str
    """One of :data:`MAC_STATUSES`."""
    block: Block | None = None
    registrants: tuple[Registrant, ...] = ()

    def note(self) -> str:
        """One line for a report: why the address is or is not attributed."""
        if self.status == "invalid":
            return f"{self.text!r} is not a usable MAC address"
        assert self.mac is not None
        if self.status in ("local", "multicast"):
            what = _STATUS_WORDS[self.status]
            return f"{self.mac.text} is {what}: not assigned to any company, not attributed"
        if self.block is None:
            return f"{self.mac.text} is in no known registry block"
        block = self.block
        owner = f"{block.organization!r} ({block.registry})"
        return f"{self.mac.text} is in block {block.label} of {owner}"


def _candidate_tokens(match: NameMatch) -> list[tuple[str, str, bool]]:
    assert match.comparison is not None
    norm = normalize(match.comparison.candidate)
    return [(t.text, t.kind, t.qualifier) for t in (norm.pinyin or norm.tokens) if t.kind != LEGAL]


def _names_entity_fully(match: NameMatch, kinds: tuple[str, ...] = (WORD,)) -> bool:
    """Distinctive words pair without typos, and every token of ``kinds`` of the watchlist name
    is paired (at least one distinctive word among them)."""
    comparison = match.comparison
    if match.rule != "name" or comparison is None or _weak(match):
        return False
    if any(p.startswith(("acronym", "conflicting")) for p in comparison.penalties):
        return False
    tokens = [(text, kind) for text, kind, qualifier in _candidate_tokens(match) if not qualifier]
    words = {text for text, kind in tokens if kind == WORD}
    if any(p.similarity < 1.0 and words & set(p.candidate.split()) for p in comparison.pairs):
        return False
    needed = {text for text, kind in tokens if kind in kinds}
    paired = {word for p in comparison.pairs for word in p.candidate.split()}
    return bool(words & paired) and not needed & set(comparison.unmatched_candidate)


def _weak(match: NameMatch) -> bool:
    """The matched name, or a name of the entity with the same text, is marked weak."""
    value = match.matched_name.value.casefold()
    same = (n for n in match.entity.names if n.value.casefold() == value)
    return match.matched_name.weak or any(n.weak for n in same)


def _known_places(entity: Entity, watchlist: Watchlist) -> set[str]:
    """Place words in the names and addresses of the entity and of its parents."""
    parents = (watchlist.get(r.target) for r in entity.relations if r.kind in COVERING_RELATIONS)
    places: set[str] = set()
    for member in (e for e in (entity, *parents) if e is not None):
        tokens = (t for n in member.all_names() for t in normalize(n).tokens)
        places.update(t.text for t in tokens if t.kind == PLACE)
        places.update(w for a in member.addresses for w in re.split(r"\W+", a.casefold()) if w)
    return places


def _places_fit(org: str, match: NameMatch, watchlist: Watchlist) -> bool:
    """No place word of the registrant that the entity is not known by (Shanghai Dahua ...)."""
    assert match.comparison is not None
    unpaired = set(match.comparison.unmatched_query)
    places = {t.text for t in normalize(org).tokens if t.kind == PLACE and t.text in unpaired}
    return places <= _known_places(match.entity, watchlist)


@dataclass
class OuiAttributor:
    """Registry lookups with registrants mapped to watchlist entities (cached per name)."""

    index: OuiIndex
    matcher: Matcher
    _cache: dict[str, tuple[Registrant, ...]] = field(default_factory=dict)

    def registrants(self, organization: str) -> tuple[Registrant, ...]:
        """Watchlist entities for a registrant name: full matches, then leads."""
        found = self._cache.get(organization)
        if found is None:
            found = tuple(self._attribute(organization))
            self._cache[organization] = found
        return found

    def _attribute(self, org: str) -> list[Registrant]:
        full: list[Registrant] = []
        leads: list[Registrant] = []
        watchlist = self.matcher.watchlist
        for m in self.matcher.match_name(org, limit=5, floor=LEAD_FLOOR):
            entity = m.entity
            if self.matcher.is_match(m) and _names_entity_fully(m):
                why = f"registrant {org!r} is {entity.caption!r}: {m.explanation()}"
                full.append(Registrant(entity, m.score, entity.lead, m.designations, why))
            elif _names_entity_fully(m, _LEAD_KINDS) and _places_fit(org, m, watchlist):
                why = (
                    f"registrant {org!r} carries the name of {entity.caption!r} but is not "
                    f"in the watchlist (a related company?): {m.explanation()}"
                )
                leads.append(Registrant(entity, m.score, True, m.designations, why))
        best = max((r.score for r in leads), default=0.0)
        return full or [r for r in leads if r.score == best]

    def lookup(self, text: str) -> MacLookup:
        """Parse ``text`` as a MAC, find its block and the entities of its registrant."""
        mac = parse_mac(text)
        if mac is None or mac.value == 0:
            return MacLookup(text, None, "invalid")
        if mac.kind != "universal":
            return MacLookup(text, mac, mac.kind)
        block = self.index.lookup(mac)
        if block is None:
            return MacLookup(text, mac, "unregistered")
        return MacLookup(text, mac, "registered", block, self.registrants(block.organization))
