"""A mutable entity under construction: importers add facts row by row, then freeze it.

Rows of one party are spread over several lines or files (a CSL party on two lists, an OFAC
entry with its aliases in ``alt.csv``, a 1260H company in every yearly edition); a draft
collects them without repeats and :meth:`EntityDraft.build` returns the frozen :class:`Entity`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from procurewatch.model import Designation, Entity, Identifier, Name, Relation


@dataclass
class EntityDraft:
    """Facts of one entity collected from an imported file; all cite ``source``."""

    id: str
    schema: str
    caption: str
    source: str
    names: list[Name] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    identifiers: list[Identifier] = field(default_factory=list)
    designations: list[Designation] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    _seen_names: set[str] = field(default_factory=set, repr=False)

    def __post_init__(self) -> None:
        self.add_name(self.caption, "legal")

    def add_name(self, value: str, kind: str = "alias", *, weak: bool = False) -> None:
        """Add a name unless the same text (ignoring case) is already there."""
        value = " ".join(value.split())
        key = value.casefold()
        if value and key not in self._seen_names:
            self._seen_names.add(key)
            self.names.append(Name(value=value, kind=kind, source=self.source, weak=weak))

    def add_identifier(self, scheme: str, value: str) -> None:
        """Add a registry identifier once."""
        ident = Identifier(scheme=scheme, value=value, source=self.source)
        if value and ident not in self.identifiers:
            self.identifiers.append(ident)

    def add_designation(self, designation: Designation) -> None:
        """Add a listing once."""
        if designation not in self.designations:
            self.designations.append(designation)

    def add_relation(self, relation: Relation) -> None:
        """Add a relation once per kind and target."""
        if all((r.kind, r.target) != (relation.kind, relation.target) for r in self.relations):
            self.relations.append(relation)

    def add_address(self, address: str) -> None:
        """Add a postal address once."""
        address = " ".join(address.split())
        if address and address not in self.addresses:
            self.addresses.append(address)

    def add_country(self, code: str | None) -> None:
        """Add a lower-case ISO country code once."""
        if code and code.lower() not in self.countries:
            self.countries.append(code.lower())

    def add_note(self, note: str) -> None:
        """Add a remark once."""
        note = note.strip()
        if note and note not in self.notes:
            self.notes.append(note)

    def build(self) -> Entity:
        """The frozen entity."""
        return Entity(
            id=self.id,
            schema=self.schema,
            caption=self.caption,
            names=tuple(self.names),
            countries=tuple(self.countries),
            identifiers=tuple(self.identifiers),
            designations=tuple(self.designations),
            relations=tuple(self.relations),
            addresses=tuple(self.addresses),
            sources=(self.source,),
            notes="\n".join(self.notes) or None,
            dataset=self.source,
        )
