"""Models of ``POST /match`` (the OpenSanctions match-API shape) and of the reconciliation API."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from procurewatch.web.models_common import DesignationOut

MAX_QUERIES = 100
MAX_VALUES = 20
Value = Annotated[str, StringConstraints(max_length=1000)]
Values = Annotated[list[Value], Field(max_length=MAX_VALUES)]
Schema = Literal["Thing", "LegalEntity", "Company", "Organization", "PublicBody", "Person"]


class EntityExample(BaseModel):
    """A query: a schema and FollowTheMoney-style properties (``name`` and others, as lists)."""

    model_config = ConfigDict(populate_by_name=True)

    id: str | None = Field(None, max_length=200)
    entity_schema: Schema = Field("LegalEntity", alias="schema")
    properties: dict[Annotated[str, StringConstraints(max_length=100)], Values] = Field(
        default_factory=dict,
        max_length=30,
        examples=[{"name": ["Hikvision USA Inc"], "country": ["us"]}],
    )


class MatchRequest(BaseModel):
    """``{"queries": {"q1": {"schema": "Company", "properties": {"name": ["..."]}}}}``."""

    queries: dict[Annotated[str, StringConstraints(max_length=100)], EntityExample] = Field(
        max_length=MAX_QUERIES
    )


class Explanation(BaseModel):
    """One feature's part of the score and why."""

    score: float
    detail: str


class MatchResult(BaseModel):
    """A watchlist entity found for a query, best first."""

    model_config = ConfigDict(populate_by_name=True)

    id: str
    caption: str
    entity_schema: str = Field(alias="schema")
    score: float
    match: bool
    features: dict[str, float]
    explanations: dict[str, Explanation]
    matched_name: str
    matched_name_kind: str
    rule: str
    lead: bool
    datasets: list[str]
    designations: list[DesignationOut]
    properties: dict[str, list[str]]


class TotalSpec(BaseModel):
    """How many results (all of them are returned, up to the limit)."""

    value: int
    relation: str = "eq"


class QueryResponse(BaseModel):
    """The results for one query of the batch."""

    status: int = 200
    query: EntityExample
    total: TotalSpec
    results: list[MatchResult]
    error: str | None = None
    """Why a query could not be answered (its ``status`` is then 400)."""


class MatchResponse(BaseModel):
    """One response per query key."""

    responses: dict[str, QueryResponse]
    limit: int
    threshold: float
    date: str | None = None


class ReconcileType(BaseModel):
    """A type in the reconciliation manifest and results."""

    id: str
    name: str


class ReconcileView(BaseModel):
    """Where a reconciled id can be viewed (``{{id}}`` is replaced by OpenRefine)."""

    url: str


class ReconcileManifest(BaseModel):
    """The W3C Reconciliation API service manifest (spec 0.2)."""

    versions: list[str]
    name: str
    identifierSpace: str
    schemaSpace: str
    defaultTypes: list[ReconcileType]
    view: ReconcileView


class ReconcileCandidate(BaseModel):
    """One candidate for a reconciliation query (score 0–100)."""

    id: str
    name: str
    type: list[ReconcileType]
    score: float
    match: bool
    description: str = ""


class ReconcileResult(BaseModel):
    """The candidates for one reconciliation query."""

    result: list[ReconcileCandidate]
