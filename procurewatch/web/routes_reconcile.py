"""The W3C Reconciliation Service API (spec 0.2, as OpenRefine 3.x speaks it) over the watchlist.

``GET /reconcile`` answers the service manifest; ``POST /reconcile`` (or ``GET`` with
``queries``) takes the form field ``queries``: ``{"q0": {"query": "Hikvision", "type":
"Company", "limit": 3}}`` and answers ``{"q0": {"result": [{"id", "name", "type", "score",
"match"}]}}``. Scores are 0–100; ``match`` is true only for the best candidate, when it is at
or above the match threshold and :data:`MARGIN` ahead of the next, so that OpenRefine matches it
without asking. Open to every origin (CORS) and without a token: it only shows watchlist data.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Query, Request, Response
from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from procurewatch.web.matching import match_query
from procurewatch.web.models_common import error_responses
from procurewatch.web.models_match import (
    EntityExample,
    ReconcileManifest,
    ReconcileResult,
)
from procurewatch.web.security import State
from procurewatch.web.state import ServiceState

router = APIRouter(tags=["reconcile"])
TYPES = ("LegalEntity", "Company", "Organization", "PublicBody", "Person")
MAX_QUERIES = 100
MARGIN = 0.1
"""How far ahead of the next candidate the best one must be to count as a sure match."""
QUERIES_DOC = 'JSON: {"q0": {"query": "Hikvision", "type": "Company", "limit": 3}}'


class PropertyValue(BaseModel):
    """A property constraint (``country`` is used)."""

    pid: str = Field(max_length=100)
    v: str | list[str] | int | float | bool | None = None


class ReconcileQuery(BaseModel):
    """One reconciliation query."""

    query: str = Field(max_length=1000)
    type: str | list[str] | None = None
    limit: int | None = Field(None, ge=0)
    properties: list[PropertyValue] = Field(default_factory=list, max_length=20)
    type_strict: str | None = None


_QUERIES = TypeAdapter(dict[Annotated[str, Field(max_length=100)], ReconcileQuery])


def _parse(text: str) -> dict[str, ReconcileQuery]:
    try:
        parsed = _QUERIES.validate_json(text)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise HTTPException(
            400, f"queries is not valid: {where}: {first['msg']}; send {QUERIES_DOC}"
        ) from None
    if len(parsed) > MAX_QUERIES:
        raise HTTPException(400, f"at most {MAX_QUERIES} queries per request; send fewer")
    return parsed


def _schema(kind: str | list[str] | None) -> str:
    first = kind[0] if isinstance(kind, list) and kind else kind
    return first if isinstance(first, str) and first in TYPES else "LegalEntity"


def _countries(query: ReconcileQuery) -> list[str]:
    out: list[str] = []
    for prop in query.properties:
        if prop.pid.casefold() in ("country", "jurisdiction"):
            values = prop.v if isinstance(prop.v, list) else [prop.v]
            out.extend(str(v) for v in values if v not in (None, ""))
    return out


def _sure(results: list[dict[str, Any]]) -> bool:
    """Whether the best candidate is a match clearly ahead of the next one."""
    if not results or not results[0]["match"]:
        return False
    return len(results) == 1 or results[0]["score"] - results[1]["score"] >= MARGIN


def _candidate(result: dict[str, Any], match: bool) -> dict[str, Any]:
    return {
        "id": result["id"],
        "name": result["caption"],
        "type": [{"id": result["schema"], "name": result["schema"]}],
        "score": round(result["score"] * 100, 2),
        "match": match,
        "description": ", ".join(dict.fromkeys(d["list"] for d in result["designations"])),
    }


def reconcile(state: ServiceState, queries: dict[str, ReconcileQuery]) -> dict[str, Any]:
    """Candidates for each query, best first."""
    matcher = state.matcher()
    out: dict[str, Any] = {}
    for key, query in queries.items():
        limit = max(1, min(query.limit or 5, 25))
        example = EntityExample.model_validate(
            {
                "schema": _schema(query.type),
                "properties": {"name": [query.query], "country": _countries(query)[:20]},
            }
        )
        found = match_query(
            matcher, example, threshold=matcher.threshold, limit=max(limit, 2), day=None
        )
        results, sure = found["results"], _sure(found["results"])
        out[key] = {
            "result": [_candidate(r, n == 0 and sure) for n, r in enumerate(results[:limit])]
        }
    return out


def manifest(request: Request) -> dict[str, Any]:
    """The service manifest; ids are viewed on the UI's entity page."""
    base = str(request.base_url)
    return {
        "versions": ["0.1", "0.2"],
        "name": "procurewatch watchlist (restricted surveillance and telecom suppliers)",
        "identifierSpace": f"{base}entities/",
        "schemaSpace": "https://followthemoney.tech/explorer/schemata/",
        "defaultTypes": [{"id": t, "name": t} for t in TYPES],
        "view": {"url": f"{base}ui/entities/{{{{id}}}}"},
    }


@router.get(
    "/reconcile",
    response_model=ReconcileManifest | dict[str, ReconcileResult],
    responses=error_responses(400),
)
def reconcile_get(
    request: Request,
    response: Response,
    state: State,
    queries: Annotated[str | None, Query(max_length=200_000, description=QUERIES_DOC)] = None,
) -> dict[str, Any]:
    """The service manifest; with ``queries``, the candidates for each query."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    if queries is None:
        return manifest(request)
    return reconcile(state, _parse(queries))


@router.post(
    "/reconcile",
    response_model=dict[str, ReconcileResult],
    responses=error_responses(400, 413, 422),
)
def reconcile_post(
    response: Response,
    queries: Annotated[str, Form(max_length=1_000_000, description=QUERIES_DOC)],
    state: State,
) -> dict[str, Any]:
    """Reconcile a batch of names (form field ``queries``, as OpenRefine sends it)."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    return reconcile(state, _parse(queries))
