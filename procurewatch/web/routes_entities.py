"""``GET /entities/{id}``: one watchlist entity."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path

from procurewatch.web.entities import entity_view
from procurewatch.web.models_common import error_responses
from procurewatch.web.models_entities import EntityOut
from procurewatch.web.security import State, require_read

router = APIRouter(tags=["entities"], dependencies=[Depends(require_read)])


@router.get(
    "/entities/{entity_id}",
    response_model=EntityOut,
    response_model_by_alias=True,
    responses=error_responses(401, 404),
)
def entity(entity_id: Annotated[str, Path(max_length=200)], state: State) -> dict[str, Any]:
    """A watchlist entity: names, identifiers, relations both ways, designations timeline
    (with the relations through which a parent's listing reaches it) and recent hits."""
    return entity_view(state, entity_id)
