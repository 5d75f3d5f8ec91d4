"""The web service: ``create_app(store_path)`` builds the FastAPI app (API + review UI).

Routes live in ``routes_*.py`` (API) and ``ui.py`` (pages); shared state (configuration, store
lock, compiled matcher, job queue) in :class:`~procurewatch.web.state.ServiceState`; request
guards (hosts, body limits, headers) in :mod:`~procurewatch.web.middleware`; the error shape
in :mod:`~procurewatch.web.errors`. The OpenAPI document is at ``/openapi.json``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path

from fastapi import FastAPI
from pydantic import BaseModel

from procurewatch.web import (
    errors,
    routes_entities,
    routes_match,
    routes_reconcile,
    routes_runs,
    routes_screen,
    ui,
)
from procurewatch.web.middleware import Guard
from procurewatch.web.security import announce_token, new_token
from procurewatch.web.state import MiB, ServiceState, WebConfig

API_VERSION = "1"


class Health(BaseModel):
    """The service is up."""

    status: str = "ok"
    store: str
    jobs_running: int


def _config(
    store_path: Path,
    token: str | None,
    read_token: str | None,
    data_dir: Path | None,
    max_upload_bytes: int,
    workers: int,
    allowed_hosts: Sequence[str],
) -> WebConfig:
    if not token:
        token = new_token()
        announce_token(token)
    return WebConfig(
        store_path=Path(store_path),
        data_dir=Path(data_dir) if data_dir is not None else Path(store_path).parent / "web",
        token=token,
        read_token=read_token or None,
        max_upload_bytes=max_upload_bytes,
        workers=workers,
        allowed_hosts=tuple(allowed_hosts),
    )


def create_app(
    store_path: Path,
    *,
    token: str | None = None,
    data_dir: Path | None = None,
    max_upload_bytes: int = 200 * MiB,
    read_token: str | None = None,
    workers: int = 1,
    allowed_hosts: Sequence[str] = (),
    keep_uploads_days: float = 30.0,
) -> FastAPI:
    """The procurewatch web service over the store at ``store_path``.

    ``token`` guards every write (generated and printed once on stderr when not given);
    ``read_token``, when given, guards reads too. Uploads and run outputs go to ``data_dir``
    (default: a ``web`` folder next to the store). ``allowed_hosts`` limits the ``Host``
    header (empty: any). Uploads of completed jobs are kept ``keep_uploads_days`` days, those
    of jobs that did not complete are removed (:mod:`procurewatch.web.retention`).
    """
    config = replace(
        _config(store_path, token, read_token, data_dir, max_upload_bytes, workers, allowed_hosts),
        keep_uploads_days=keep_uploads_days,
    )
    state = ServiceState(config)
    state.ensure_store()
    config.data_dir.mkdir(parents=True, exist_ok=True)
    state.jobs.tidy()  # what a stopped or killed service left

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        state.jobs.close()

    app = FastAPI(
        title="procurewatch",
        version=API_VERSION,
        summary="Screen procurement records for purchases of blacklisted surveillance and "
        "telecom equipment; review the hits.",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.service = state
    errors.install(app)
    for module in (routes_match, routes_screen, routes_entities, routes_reconcile):
        app.include_router(module.router)
    app.include_router(routes_runs.reads)
    app.include_router(routes_runs.router)
    ui.install(app)

    @app.get("/healthz", response_model=Health, tags=["service"])
    def healthz() -> Health:
        """Liveness: the service answers (no token needed)."""
        running = sum(1 for j in state.jobs.recent(1000) if j.status == "running")
        return Health(store=config.store_path.name, jobs_running=running)

    app.add_middleware(
        Guard,
        max_upload_bytes=config.max_upload_bytes,
        max_body_bytes=config.max_body_bytes,
        allowed_hosts=config.allowed_hosts,
        upload_token=config.token,
    )
    return app
