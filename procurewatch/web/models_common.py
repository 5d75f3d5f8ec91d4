"""Response models shared by several endpoints: errors and designations."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class ErrorBody(BaseModel):
    """Every 4xx/5xx answer: a one-line message and, for invalid requests, the details."""

    error: str = Field(examples=["no run 'run-x' in /data/store.duckdb; list the runs"])
    detail: Any = None


class DesignationOut(BaseModel):
    """A listing that applies to an entity, directly or through a parent (``via``)."""

    model_config = ConfigDict(populate_by_name=True)

    list_id: str = Field(alias="list", examples=["us-ndaa-889-a1a"])
    list_name: str | None = None
    authority: str | None = None
    listed: str | None = None
    in_force_from: str | None = None
    ended: str | None = None
    holder: str | None = None
    via: list[str] = Field(default_factory=list)
    via_from: str | None = None
    """When the relations to the holder began (the latest start), if known."""
    via_until: str | None = None
    """When a relation to the holder ended (Lorex: sold by Dahua 2022-11-24), if known."""
    in_force: bool | None = None
    """On the record's (or the query's) date; null when that date is unknown."""
    citation: str | None = None
    source: str | None = None


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries for error status codes, all with :class:`ErrorBody`."""
    text = {
        400: "Bad request (the one-line reason says how to fix it)",
        401: "Missing or wrong token (Authorization: Bearer TOKEN)",
        404: "Not found",
        409: "The store is busy or in conflict",
        413: "Upload or body too large",
        422: "Invalid request parameters or body",
    }
    return {code: {"model": ErrorBody, "description": text.get(code, "Error")} for code in codes}
