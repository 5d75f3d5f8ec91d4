"""Model of ``GET /entities/{id}``."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from procurewatch.web.models_common import DesignationOut


class NameOut(BaseModel):
    """One name of the entity."""

    value: str
    kind: str
    lang: str | None = None
    source: str = ""


class IdentifierOut(BaseModel):
    """A registry identifier."""

    scheme: str
    value: str


class RelationOut(BaseModel):
    """A dated relation to another entity (``entity_id``)."""

    kind: str = Field(examples=["subsidiary_of"])
    entity_id: str
    caption: str
    start: str | None = None
    end: str | None = None
    lead: bool = False
    note: str | None = None
    source: str = ""


class Relations(BaseModel):
    """Relations from this entity, and from others to it."""

    outgoing: list[RelationOut]
    incoming: list[RelationOut]


class SourceOut(BaseModel):
    """Where facts about the entity come from."""

    id: str
    title: str
    url: str | None = None
    date: str | None = None


class EntityHit(BaseModel):
    """A recent hit on the entity in any run."""

    run_id: str
    hit_id: str
    source_file: str | None
    row: int | None
    field: str | None
    matched_text: str | None
    rule: str | None
    score: float | None
    record_date: str | None
    vendor: str | None
    buyer: str | None
    amount: str | None
    currency: str | None
    in_force: bool | None


class EntityOut(BaseModel):
    """A watchlist entity with its names, relations, designations timeline and recent hits."""

    model_config = ConfigDict(populate_by_name=True)

    id: str
    caption: str
    entity_schema: str = Field(alias="schema")
    dataset: str
    lead: bool
    notes: str | None
    countries: list[str]
    addresses: list[str]
    names: list[NameOut]
    identifiers: list[IdentifierOut]
    relations: Relations
    designations: list[DesignationOut]
    """Ordered by the day each came into force; ``via`` names the relations to the holder;
    ``in_force`` is today's state."""
    sources: list[SourceOut]
    recent_hits: list[EntityHit]
