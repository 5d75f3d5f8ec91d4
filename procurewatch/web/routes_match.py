"""``POST /match`` and ``POST /match/{dataset}``: batch name matching in the OpenSanctions
match-API (yente) shape.

yente clients name a dataset in the path (``/match/default``, ``/match/sanctions``). Here
``default`` is the whole watchlist; a watchlist dataset (``bundled`` or an imported list
version's dataset) or a list id (``us-ndaa-889-a1a``) keeps only the entities in it or
designated by it; any other name is a 404 naming the known ones.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query

from procurewatch.settings import MATCH_THRESHOLD
from procurewatch.web.matching import DEFAULT_DATASET, count_names, known_datasets, match_query
from procurewatch.web.models_common import error_responses
from procurewatch.web.models_match import MatchRequest, MatchResponse
from procurewatch.web.security import State, require_read

MAX_NAMES = 500
"""Names (over all queries) one request may ask to match."""
router = APIRouter(tags=["match"], dependencies=[Depends(require_read)])


Threshold = Annotated[
    float, Query(ge=0.0, le=1.0, description="Score at which a result counts as a match.")
]
Limit = Annotated[int, Query(ge=1, le=100, description="Most results per query.")]
OnDay = Annotated[
    date | None,
    Query(
        alias="date",
        description="Say whether each designation was in force on this day (YYYY-MM-DD).",
    ),
]


@router.post(
    "/match",
    response_model=MatchResponse,
    response_model_by_alias=True,
    responses=error_responses(400, 401, 413, 422),
    summary="Match a batch of names against the watchlist",
)
def match(
    body: MatchRequest,
    state: State,
    threshold: Threshold = MATCH_THRESHOLD,
    limit: Limit = 5,
    on: OnDay = None,
) -> dict[str, Any]:
    """For each query (``schema`` + ``properties.name``, optional ``properties.country`` and
    identifier properties) the watchlist entities it may refer to, best first, with the score,
    whether it counts as a match, the features and their explanations, and the designations."""
    return _answer(body, state, threshold, limit, on, DEFAULT_DATASET)


@router.post(
    "/match/{dataset}",
    response_model=MatchResponse,
    response_model_by_alias=True,
    responses=error_responses(400, 401, 404, 413, 422),
    summary="Match a batch of names against one dataset (as yente clients call it)",
)
def match_dataset(
    dataset: Annotated[
        str,
        Path(
            max_length=100,
            description="'default' (the whole watchlist), a dataset or a list id.",
        ),
    ],
    body: MatchRequest,
    state: State,
    threshold: Threshold = MATCH_THRESHOLD,
    limit: Limit = 5,
    on: OnDay = None,
) -> dict[str, Any]:
    """As ``POST /match``, with only the entities of ``dataset``: ``default`` is the whole
    watchlist; a dataset (``bundled``) or a list id keeps the entities in it or listed on it."""
    known = known_datasets(state.watchlist())
    if dataset not in known:
        raise HTTPException(404, f"no dataset {dataset!r}; known: {', '.join(sorted(known))}")
    return _answer(body, state, threshold, limit, on, dataset)


def _answer(
    body: MatchRequest,
    state: State,
    threshold: float,
    limit: int,
    on: date | None,
    dataset: str,
) -> dict[str, Any]:
    total = sum(count_names(q) for q in body.queries.values())
    if total > MAX_NAMES:
        raise HTTPException(400, f"{total} names in one request; send at most {MAX_NAMES}")
    matcher = state.matcher()
    responses = {
        key: match_query(matcher, query, threshold=threshold, limit=limit, day=on, dataset=dataset)
        for key, query in body.queries.items()
    }
    return {
        "responses": responses,
        "limit": limit,
        "threshold": threshold,
        "date": on.isoformat() if on else None,
    }
