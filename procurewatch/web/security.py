"""Tokens and the checks every request passes.

* Writes (``POST /screen``, ``POST /hits/{id}/decision``) need ``Authorization: Bearer TOKEN``
  with the service's write token, compared in constant time.
* Reads need nothing, unless the service was started with a read token: then the read token
  or the write token, as a bearer header or in the ``procurewatch_read`` cookie that
  ``/ui/login`` sets for the browser. ``/healthz``, ``/reconcile`` and the login page stay open
  (the reconciliation API only shows watchlist data, and OpenRefine cannot send a token).
"""

from __future__ import annotations

import secrets
import sys
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from procurewatch.web.state import ServiceState

READ_COOKIE = "procurewatch_read"
bearer = HTTPBearer(auto_error=False, description="The service's write (or read) token.")


def new_token() -> str:
    """A random token for a service started without one."""
    return secrets.token_urlsafe(24)


def announce_token(token: str) -> None:
    """Print a generated token once, on stderr."""
    sys.stderr.write(
        "procurewatch serve: no token configured; the write token for this run is\n"
        f"    {token}\n"
        "give it as 'Authorization: Bearer <token>' (or paste it into the web page's token "
        "field); set PROCUREWATCH_TOKEN or --token to choose one\n"
    )
    sys.stderr.flush()


def same(given: str | None, expected: str | None) -> bool:
    """Constant-time comparison; False when either is missing."""
    if not given or not expected:
        return False
    return secrets.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def service(request: Request) -> ServiceState:
    """The app's :class:`ServiceState`."""
    state: ServiceState = request.app.state.service
    return state


State = Annotated[ServiceState, Depends(service)]
"""A route parameter that receives the app's :class:`ServiceState`."""
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


def _unauthorized(message: str) -> HTTPException:
    return HTTPException(401, message, headers={"WWW-Authenticate": "Bearer"})


def require_write(state: State, credentials: Credentials) -> None:
    """Dependency: the request carries the write token."""
    if credentials is None:
        raise _unauthorized("this request changes data; send 'Authorization: Bearer <token>'")
    if not same(credentials.credentials, state.config.token):
        raise _unauthorized("wrong token; use the write token the service was started with")


def read_allowed(request: Request, state: ServiceState) -> bool:
    """Whether the request may read (always, unless a read token is configured)."""
    expected = state.config.read_token
    if expected is None:
        return True
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() == "bearer" and (
        same(given.strip(), expected) or same(given.strip(), state.config.token)
    ):
        return True
    return same(request.cookies.get(READ_COOKIE), expected)


def require_read(request: Request, state: State) -> None:
    """Dependency: the request may read (see the module docstring)."""
    if not read_allowed(request, state):
        raise _unauthorized(
            "this service needs the read token; send 'Authorization: Bearer <token>'"
        )
