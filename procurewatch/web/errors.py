"""Errors as JSON ``{"error": "...", "detail": ...}`` (an HTML page for the UI), never a traceback.

``ProcurewatchError`` s keep their one-line message: a missing run, hit or store is 404, a busy
store 409, any other (bad input, bad arguments) 400.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException
from starlette.status import HTTP_500_INTERNAL_SERVER_ERROR

from procurewatch.errors import ProcurewatchError, StoreError
from procurewatch.web.paths import scrub

log = logging.getLogger("procurewatch.web")
UI_PREFIXES = ("/ui/",)


def status_of(exc: ProcurewatchError) -> int:
    """The HTTP status for a library error."""
    message = str(exc)
    if isinstance(exc, StoreError):
        if "in use by another" in message or "newer procurewatch" in message:
            return 409
        if message.startswith("no "):
            return 404
        return 409
    return 400


def _wants_html(request: Request) -> bool:
    path = request.url.path
    return (path == "/" or path.startswith(UI_PREFIXES)) and "text/html" in request.headers.get(
        "accept", ""
    )


def error_response(
    request: Request, status: int, message: str, detail: Any = None, headers: Any = None
) -> Response:
    """The error answer: an HTML page for the UI's pages, JSON otherwise (server paths cut)."""
    message = scrub(message)
    if _wants_html(request):
        from procurewatch.web.ui_render import render_error

        return HTMLResponse(render_error(request, status, message), status, headers=headers)
    body = {"error": message, "detail": jsonable_encoder(detail)}
    return JSONResponse(body, status, headers=headers)


async def _http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    message = exc.detail if isinstance(exc.detail, str) else "request failed"
    detail = None if isinstance(exc.detail, str) else exc.detail
    return error_response(request, exc.status_code, message, detail, exc.headers)


async def _validation(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
        for e in exc.errors()
    ]
    first = errors[0] if errors else {"loc": [], "msg": "invalid"}
    where = ".".join(str(p) for p in first["loc"])
    return error_response(request, 422, f"invalid request: {where}: {first['msg']}", errors)


async def _library(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ProcurewatchError)
    line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return error_response(request, status_of(exc), line, {"type": type(exc).__name__})


async def _unexpected(request: Request, exc: Exception) -> Response:
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(
        request, HTTP_500_INTERNAL_SERVER_ERROR, "internal error; see the server log"
    )


def install(app: FastAPI) -> None:
    """Register the handlers on ``app``."""
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(ProcurewatchError, _library)
    app.add_exception_handler(Exception, _unexpected)
