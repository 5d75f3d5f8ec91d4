"""``POST /match``: batch name matching in the OpenSanctions match-API shape."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query

from procurewatch.settings import MATCH_THRESHOLD
from procurewatch.web.matching import count_names, match_query
from procurewatch.web.models_common import error_responses
from procurewatch.web.models_match import MatchRequest, MatchResponse
from procurewatch.web.security import State, require_read

MAX_NAMES = 500
"""Names (over all queries) one request may ask to match."""
router = APIRouter(tags=["match"], dependencies=[Depends(require_read)])


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
    threshold: Annotated[
        float, Query(ge=0.0, le=1.0, description="Score at which a result counts as a match.")
    ] = MATCH_THRESHOLD,
    limit: Annotated[int, Query(ge=1, le=100, description="Most results per query.")] = 5,
    on: Annotated[
        date | None,
        Query(
            alias="date",
            description="Say whether each designation was in force on this day (YYYY-MM-DD).",
        ),
    ] = None,
) -> dict[str, Any]:
    """For each query (``schema`` + ``properties.name``, optional ``properties.country`` and
    identifier properties) the watchlist entities it may refer to, best first, with the score,
    whether it counts as a match, the features and their explanations, and the designations."""
    total = sum(count_names(q) for q in body.queries.values())
    if total > MAX_NAMES:
        raise HTTPException(400, f"{total} names in one request; send at most {MAX_NAMES}")
    matcher = state.matcher()
    responses = {
        key: match_query(matcher, query, threshold=threshold, limit=limit, day=on)
        for key, query in body.queries.items()
    }
    return {
        "responses": responses,
        "limit": limit,
        "threshold": threshold,
        "date": on.isoformat() if on else None,
    }
