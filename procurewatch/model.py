"""The watchlist data model: frozen, I/O-free dataclasses.

An :class:`Entity` is a listed company, organization, public body or person. It carries its
:class:`Name` s in every script, :class:`Identifier` s, :class:`Designation` s (which list, which
authority, since when), :class:`Relation` s to other entities (subsidiary of, brand of, OEM for,
owned by, each with a date range) and the id of every :class:`Source` its facts come from.
:class:`ProductFamily` holds a model-number pattern of a listed maker. A :class:`Watchlist` is
the whole set, with lookups for relations and effective designations.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date

SCHEMAS = ("Company", "Organization", "PublicBody", "Person", "LegalEntity")
"""Entity kinds, named as in FollowTheMoney."""

NAME_KINDS = (
    "legal",  # the registered legal name
    "alias",  # another name the entity is known by (a.k.a.)
    "brand",  # a brand or sub-brand the entity sells under (EZVIZ, Imou)
    "former",  # a former name
    "abbreviation",  # a short form (XPCC, PSB)
    "transliteration",  # the name in another romanization (pinyin, Uyghur-derived, Wade-Giles)
    "local",  # the name in its own script (Chinese characters, Uyghur Arabic script)
)
"""What kind of name a :class:`Name` is."""

RELATION_KINDS = (
    "subsidiary_of",  # a company the target controls
    "brand_of",  # a brand the target sells under, modelled as an entity
    "owned_by",  # owned by the target for a period (Lorex by Dahua 2018-02 .. 2022-11-24)
    "part_of",  # a unit of a public body (a prefecture PSB of the XUAR PSB)
    "oem_for",  # relabels the target's products (a lead, not proof, unless sourced so)
    "affiliate_of",  # otherwise affiliated
)
"""Relation kinds from an entity to another."""

COVERING_RELATIONS = ("subsidiary_of", "brand_of", "owned_by", "part_of")
"""Relations through which a parent's designation reaches an entity."""


@dataclass(frozen=True, slots=True)
class Source:
    """Where a fact comes from: an official list file, a law, a filing, a report."""

    id: str
    title: str
    url: str | None = None
    date: str | None = None
    licence: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Name:
    """One name of an entity, with its kind, language and source."""

    value: str
    kind: str = "alias"
    lang: str | None = None
    source: str = ""
    weak: bool = False
    """A short or ambiguous name (a common word): in free text it needs context nearby."""


@dataclass(frozen=True, slots=True)
class Identifier:
    """A registry identifier: USCC, stock code, LEI, UEI, CAGE, DUNS, ISIN."""

    scheme: str
    value: str
    source: str = ""


@dataclass(frozen=True, slots=True)
class ListInfo:
    """A restricted-party list or legal provision that designations point to."""

    id: str
    name: str
    authority: str
    jurisdiction: str
    program: str | None = None
    citation: str | None = None
    url: str | None = None
    covers_affiliates: bool = False
    """Whether the provision itself extends to subsidiaries and affiliates (NDAA 889 does)."""
    source: str = ""


@dataclass(frozen=True, slots=True)
class Designation:
    """One listing of an entity on a list, with its dates."""

    list_id: str
    listed: date | None = None
    """When the listing was published or the law enacted."""
    in_force: date | None = None
    """When the restriction took effect (None: same as ``listed``)."""
    ended: date | None = None
    scope: str | None = None
    citation: str | None = None
    source: str = ""

    @property
    def start(self) -> date | None:
        """The first day the restriction applies."""
        return self.in_force or self.listed

    def in_force_on(self, day: date | None) -> bool | None:
        """True if in force on ``day``; None if ``day`` or the start date is unknown."""
        if day is None or self.start is None:
            return None
        if day < self.start:
            return False
        return not (self.ended is not None and day >= self.ended)


@dataclass(frozen=True, slots=True)
class Relation:
    """A dated relation from one entity to another (the ``target``)."""

    kind: str
    target: str
    start: date | None = None
    end: date | None = None
    source: str = ""
    lead: bool = False
    """A community lead, not an established fact: shown, but marked as a lead."""
    note: str | None = None

    def active_on(self, day: date | None) -> bool | None:
        """True if the relation held on ``day``; None if ``day`` is unknown and it is dated."""
        if day is None:
            return None if (self.start or self.end) else True
        if self.start is not None and day < self.start:
            return False
        return not (self.end is not None and day > self.end)


@dataclass(frozen=True, slots=True)
class ProductFamily:
    """A maker's product line recognized by a model-number pattern."""

    id: str
    entity_id: str
    name: str
    pattern: str
    """A regular expression over upper-cased text, anchored by the scanner at word edges."""
    examples: tuple[str, ...] = ()
    counter_examples: tuple[str, ...] = ()
    needs_context: bool = False
    """Matches only with a brand name or product word nearby (short or ambiguous patterns)."""
    source: str = ""


@dataclass(frozen=True, slots=True)
class Entity:
    """A listed party or a party related to one."""

    id: str
    schema: str
    caption: str
    names: tuple[Name, ...] = ()
    countries: tuple[str, ...] = ()
    identifiers: tuple[Identifier, ...] = ()
    designations: tuple[Designation, ...] = ()
    relations: tuple[Relation, ...] = ()
    addresses: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    lead: bool = False
    """The entity itself is a lead (an OEM relabel reported by the community)."""
    notes: str | None = None
    dataset: str = "bundled"
    """``bundled`` or the id of the imported list version it came from."""

    def all_names(self) -> Iterator[str]:
        """The caption and every name value, caption first, without repeats."""
        seen: set[str] = set()
        for value in (self.caption, *(n.value for n in self.names)):
            if value not in seen:
                seen.add(value)
                yield value


@dataclass(frozen=True, slots=True)
class EffectiveDesignation:
    """A designation as it applies to an entity, directly or through a parent."""

    designation: Designation
    list: ListInfo
    holder: str
    """Id of the entity that is itself listed."""
    via: tuple[Relation, ...] = ()
    """The relations from the entity to the holder; empty when listed directly."""

    def in_force_on(self, day: date | None) -> bool | None:
        """In force on ``day`` and every relation on the path held on that day."""
        states = [self.designation.in_force_on(day), *(r.active_on(day) for r in self.via)]
        if any(s is False for s in states):
            return False
        if any(s is None for s in states):
            return None
        return True


@dataclass(frozen=True)
class Watchlist:
    """All entities, lists, sources and product families, with relation lookups."""

    entities: Mapping[str, Entity]
    lists: Mapping[str, ListInfo]
    sources: Mapping[str, Source] = field(default_factory=dict)
    products: tuple[ProductFamily, ...] = ()
    versions: tuple[str, ...] = ("bundled",)

    def get(self, entity_id: str) -> Entity | None:
        """The entity with this id, or None."""
        return self.entities.get(entity_id)

    def list_info(self, list_id: str) -> ListInfo:
        """The list definition, or a placeholder naming the unknown id."""
        found = self.lists.get(list_id)
        if found is None:
            return ListInfo(id=list_id, name=list_id, authority="unknown", jurisdiction="")
        return found

    def effective_designations(self, entity_id: str) -> list[EffectiveDesignation]:
        """The entity's own designations, then those reaching it through covering relations."""
        out: list[EffectiveDesignation] = []
        self._collect(entity_id, (), out, {entity_id})
        return out

    def _collect(
        self,
        entity_id: str,
        via: tuple[Relation, ...],
        out: list[EffectiveDesignation],
        seen: set[str],
    ) -> None:
        entity = self.entities.get(entity_id)
        if entity is None:
            return
        for des in entity.designations:
            out.append(EffectiveDesignation(des, self.list_info(des.list_id), entity_id, via))
        for rel in entity.relations:
            if rel.kind in COVERING_RELATIONS and rel.target not in seen:
                seen.add(rel.target)
                self._collect(rel.target, (*via, rel), out, seen)

    def children(self, entity_id: str) -> list[tuple[Entity, Relation]]:
        """Entities with a relation pointing at ``entity_id``."""
        found: list[tuple[Entity, Relation]] = []
        for entity in self.entities.values():
            for rel in entity.relations:
                if rel.target == entity_id:
                    found.append((entity, rel))
        return found
