"""The review UI: server-rendered pages (``/`` and ``/ui/...``) with a little vanilla JS.

Pages only read; the two writes (start a screening, confirm/dismiss a hit) are made by
``static/app.js`` against the API with the write token the analyst pasted (kept in
``sessionStorage``, sent as a bearer header, never as a cookie, so no other site can make
them). With a read token configured, pages need the ``/ui/login`` cookie.
"""

from __future__ import annotations

from datetime import date
from importlib import resources
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Form, HTTPException, Path, Query, Request
from fastapi.responses import RedirectResponse, Response

from procurewatch.store.runs import get_run, list_runs
from procurewatch.store.set_aside import open_mentions
from procurewatch.web.entities import entity_view
from procurewatch.web.hits import HitFilter, hit_page
from procurewatch.web.matching import match_query
from procurewatch.web.models_match import EntityExample
from procurewatch.web.models_runs import HitSort, ReviewStatus
from procurewatch.web.runs import available_files, run_folder
from procurewatch.web.security import READ_COOKIE, State, read_allowed, same
from procurewatch.web.state import MiB, ServiceState
from procurewatch.web.ui_render import highlight, page_links, render, run_figures

STATIC = {"app.js": "text/javascript; charset=utf-8", "app.css": "text/css; charset=utf-8"}


def ui_reader(request: Request, state: State) -> ServiceState:
    """Dependency: the page may be read (else off to the login page)."""
    if not read_allowed(request, state):
        raise HTTPException(303, "log in first", headers={"Location": "/ui/login"})
    return state


router = APIRouter(include_in_schema=False)
Reader = Annotated[ServiceState, Depends(ui_reader)]


@router.get("/")
def home(request: Request, state: Reader) -> Response:
    """Search, upload, recent jobs and runs."""
    return render(
        request,
        "home.html.j2",
        runs=state.read(list_runs, state.store_path)[:25],
        jobs=[j.public() for j in state.jobs.recent(10)],
        max_upload_mb=state.config.max_upload_bytes // MiB,
    )


def _day(text: str | None) -> tuple[date | None, str]:
    if not text:
        return None, ""
    try:
        return date.fromisoformat(text), ""
    except ValueError:
        return None, f"{text!r} is not a date (YYYY-MM-DD); in-force states are left open"


@router.get("/ui/search")
def search(
    request: Request,
    state: Reader,
    q: Annotated[str, Query(max_length=500)] = "",
    on: Annotated[str | None, Query(alias="date", max_length=20)] = None,
) -> Response:
    """Names matching a query, with score, designations and explanation."""
    day, note = _day(on)
    results: list[dict[str, Any]] = []
    if q.strip():
        matcher = state.matcher()
        query = EntityExample.model_validate({"properties": {"name": [q]}})
        found = match_query(matcher, query, threshold=matcher.threshold, limit=10, day=day)
        results = found["results"]
        note = found.get("error") or note
    return render(request, "search.html.j2", q=q, date=on or "", note=note, results=results)


@router.get("/ui/jobs/{job_id}")
def job_page(
    request: Request, state: Reader, job_id: Annotated[str, Path(max_length=100)]
) -> Response:
    """A screening job's progress (the page polls ``/jobs/{id}``)."""
    job = state.jobs.get(job_id)
    if job is None:
        raise HTTPException(404, f"no job {job_id!r}; jobs are forgotten when the service restarts")
    return render(request, "job.html.j2", job=job.public())


@router.get("/ui/runs/{run_id}")
def run_page(
    request: Request,
    state: Reader,
    run_id: Annotated[str, Path(max_length=200)],
    status: ReviewStatus | None = None,
    entity: Annotated[str | None, Query(max_length=200)] = None,
    rule: Annotated[str | None, Query(max_length=50)] = None,
    min_score: Annotated[float | None, Query(ge=0.0, le=1.0)] = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
    sort: HitSort = "row",
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    """A run's summary and its hits with evidence and review buttons."""
    filters = HitFilter(
        status, entity or None, rule or None, min_score, None, q or None, sort, 25, offset
    )
    page = hit_page(state, run_id, filters)
    run_id, folder = run_folder(state, page["run_id"])
    for hit in page["hits"]:
        hit["marked"] = highlight(hit)
    return render(
        request,
        "run.html.j2",
        run_id=run_id,
        summary=run_figures(state.read(get_run, state.store_path, run_id)),
        files=available_files(folder),
        aside=state.read(open_mentions, state.store_path, run_id),
        page=page,
        pages=page_links(page["total"], page["limit"], page["offset"]),
        filters={
            "status": status or "",
            "entity": entity or "",
            "rule": rule or "",
            "min_score": "" if min_score is None else min_score,
            "q": q or "",
            "sort": sort,
        },
    )


@router.get("/ui/entities/{entity_id}")
def entity_page(
    request: Request, state: Reader, entity_id: Annotated[str, Path(max_length=200)]
) -> Response:
    """A watchlist entity: names, relations, designations timeline, recent hits."""
    return render(request, "entity.html.j2", entity=entity_view(state, entity_id))


@router.get("/ui/login")
def login_form(request: Request) -> Response:
    """Ask for the read token."""
    return render(request, "login.html.j2", message="")


@router.post("/ui/login")
def login(
    request: Request,
    token: Annotated[str, Form(max_length=500)],
    state: State,
) -> Response:
    """Check the read token and keep it in a cookie for the pages."""
    expected = state.config.read_token
    if expected is None:
        return RedirectResponse("/", 303)
    if not (same(token, expected) or same(token, state.config.token)):
        return render(request, "login.html.j2", status=401, message="That is not the read token.")
    response = RedirectResponse("/", 303)
    response.set_cookie(READ_COOKIE, expected, httponly=True, samesite="strict", path="/")
    return response


@router.get("/ui/static/{name}")
def static(name: str) -> Response:
    """The UI's script and style sheet."""
    if name not in STATIC:
        raise HTTPException(404, f"no static file {name!r}")
    body = (resources.files("procurewatch.web") / "static" / name).read_bytes()
    return Response(body, media_type=STATIC[name], headers={"Cache-Control": "no-cache"})


@router.get("/favicon.ico")
def favicon() -> Response:
    """No icon (browsers ask for one anyway)."""
    return Response(status_code=204)


def install(app: FastAPI) -> None:
    """Add the UI's routes to ``app``."""
    app.include_router(router)
