"""Runs, their hits and output files, and review decisions on hits."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import FileResponse

from procurewatch.store.runs import get_run, list_runs
from procurewatch.web.hits import HitFilter, hit_page
from procurewatch.web.models_common import error_responses
from procurewatch.web.models_runs import (
    DecisionIn,
    DecisionResult,
    HitPage,
    HitSort,
    ReviewStatus,
    RunDetail,
    RunList,
)
from procurewatch.web.paths import public
from procurewatch.web.runs import (
    FILES,
    REPORT_CSP,
    available_files,
    decide_hit,
    file_path,
    run_folder,
)
from procurewatch.web.security import State, require_read, require_write

router = APIRouter(tags=["runs"])
reads = APIRouter(tags=["runs"], dependencies=[Depends(require_read)])
RunId = Annotated[str, Path(max_length=200, description="A run id (see GET /runs) or 'latest'.")]


@reads.get("/runs", response_model=RunList, responses=error_responses(401))
def runs(state: State) -> dict[str, Any]:
    """Every screening run in the store, newest first."""
    return {"runs": state.read(list_runs, state.store_path)}


@reads.get("/runs/{run_id}", response_model=RunDetail, responses=error_responses(401, 404))
def run(run_id: RunId, state: State) -> dict[str, Any]:
    """A run's summary (records, flagged records, hits by rule and entity, inputs, lists)."""
    run_id, folder = run_folder(state, run_id)
    summary = state.read(get_run, state.store_path, run_id)
    return {"run_id": run_id, "summary": public(summary), "files": available_files(folder)}


@reads.get("/runs/{run_id}/hits", response_model=HitPage, responses=error_responses(401, 404))
def hits(
    run_id: RunId,
    state: State,
    status: Annotated[ReviewStatus | None, Query(description="Only this review status.")] = None,
    entity: Annotated[str | None, Query(max_length=200, description="Only this entity id.")] = None,
    rule: Annotated[str | None, Query(max_length=50, description="Only this rule.")] = None,
    min_score: Annotated[float | None, Query(ge=0.0, le=1.0)] = None,
    in_force: Annotated[
        bool | None, Query(description="Only with a ban in force (or not).")
    ] = None,
    q: Annotated[str | None, Query(max_length=200, description="Text in vendor, buyer ...")] = None,
    buyer: Annotated[str | None, Query(max_length=200, description="Text in the buyer.")] = None,
    vendor: Annotated[str | None, Query(max_length=200, description="Text in the vendor.")] = None,
    sort: Annotated[
        HitSort, Query(description="Sort key; a leading '-' sorts descending.")
    ] = "row",
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    """A page of the run's hits, each with its evidence and review status."""
    chosen = HitFilter(
        status, entity, rule, min_score, in_force, q, sort, limit, offset, buyer, vendor
    )
    return hit_page(state, run_id, chosen)


@reads.get(
    "/runs/{run_id}/files/{name}",
    response_class=FileResponse,
    responses={
        200: {"description": "The file", "content": {t.split(";")[0]: {} for t in FILES.values()}},
        **error_responses(401, 404),
    },
)
def run_file(
    run_id: RunId,
    name: Annotated[str, Path(max_length=50, description=f"One of: {', '.join(FILES)}.")],
    state: State,
) -> FileResponse:
    """Download an output file of a run: hits.csv, hits.jsonl, summary.json, report.html or
    rejects.csv (the report is remade when a review decision is newer than it)."""
    path = file_path(state, run_id, name)
    headers = {"Content-Security-Policy": REPORT_CSP} if name == "report.html" else {}
    disposition = "inline" if name.endswith((".html", ".json")) else "attachment"
    return FileResponse(
        path,
        media_type=FILES[name],
        filename=f"{run_id}-{name}",
        content_disposition_type=disposition,
        headers=headers,
    )


@router.post(
    "/hits/{hit_id}/decision",
    response_model=DecisionResult,
    dependencies=[Depends(require_write)],
    responses=error_responses(400, 401, 404, 409, 422),
)
def decision(
    body: DecisionIn,
    hit_id: Annotated[str, Path(max_length=100)],
    state: State,
) -> dict[str, Any]:
    """Confirm or dismiss a hit (by hit id, in the run named in the body). A dismissal needs a
    reason; with ``rule`` the matched text is dismissed for this entity and vendor in every run."""
    return decide_hit(state, hit_id, body)
