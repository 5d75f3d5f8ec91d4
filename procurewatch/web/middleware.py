"""An ASGI guard around the whole app: allowed hosts, body size limits and security headers.

* **Host**: with ``allowed_hosts`` set, other ``Host`` headers get 400 (DNS rebinding: a web
  page must not reach a service bound to 127.0.0.1 under a name of its own).
* **Body size**: ``POST /screen`` may send up to ``max_upload_bytes``, everything else up to
  ``max_body_bytes``. A declared ``Content-Length`` over the limit is refused before reading;
  otherwise the body is counted as it streams (uploads are spooled to temporary files) and the
  request stops with 413 as soon as it passes the limit.
* **Token first**: ``POST /screen`` without the write token gets 401 before a byte of its body
  is read (an upload is not spooled to disk for a request that will be refused).
* **Headers**: ``nosniff``, no referrer, no framing; the UI's pages get a strict
  Content-Security-Policy (scripts and styles from this service only).
"""

from __future__ import annotations

import json

from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from procurewatch.web.security import same

UPLOAD_PATH = "/screen"
UI_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)


class BodyTooLarge(HTTPException):
    """Raised from ``receive`` when the body passes the limit (FastAPI re-raises HTTPException)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body over the limit of {limit:,} bytes; send less")


async def _send_json(send: Send, status: int, message: str, authenticate: bool = False) -> None:
    body = json.dumps({"error": message, "detail": None}).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"x-content-type-options", b"nosniff"),
                *([(b"www-authenticate", b"Bearer")] if authenticate else []),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class Guard:
    """The guard middleware (see the module docstring)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_upload_bytes: int,
        max_body_bytes: int,
        allowed_hosts: tuple[str, ...] = (),
        upload_token: str | None = None,
    ) -> None:
        self.app = app
        self.upload_token = upload_token
        self.max_upload_bytes = max_upload_bytes
        self.max_body_bytes = max_body_bytes
        self.allowed_hosts = {h.lower() for h in allowed_hosts}

    def _token_refused(self, headers: Headers) -> str | None:
        """Why an upload is refused on its headers alone (None: the write token is there)."""
        if self.upload_token is None:
            return None
        scheme, _, given = headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not given.strip():
            return "this request changes data; send 'Authorization: Bearer <token>'"
        if not same(given.strip(), self.upload_token):
            return "wrong token; use the write token the service was started with"
        return None

    def _host_ok(self, headers: Headers) -> bool:
        if not self.allowed_hosts:
            return True
        host = headers.get("host", "").lower()
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        return host in self.allowed_hosts or name.strip("[]") in self.allowed_hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        if not self._host_ok(headers):
            await _send_json(send, 400, "host not allowed; reach the service by its own address")
            return
        path, root = scope["path"], scope.get("root_path", "")
        if root and path.startswith(root):
            path = path[len(root) :]
        refused = self._token_refused(headers) if path == UPLOAD_PATH else None
        if refused and scope["method"] == "POST":
            await _send_json(send, 401, refused, authenticate=True)
            return
        limit = self.max_upload_bytes if path == UPLOAD_PATH else self.max_body_bytes
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await _send_json(
                send, 413, f"request body over the limit of {limit:,} bytes; send less"
            )
            return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                _add_headers(scope["path"], MutableHeaders(scope=message))
            await send(message)

        try:
            await self.app(scope, limited_receive, send_with_headers)
        except BodyTooLarge as exc:
            if started:
                raise
            await _send_json(send, 413, str(exc.detail))


def _add_headers(path: str, headers: MutableHeaders) -> None:
    headers.setdefault("x-content-type-options", "nosniff")
    headers.setdefault("referrer-policy", "no-referrer")
    if "content-security-policy" not in headers:
        headers.setdefault("x-frame-options", "DENY")
        if headers.get("content-type", "").startswith("text/html"):
            headers["content-security-policy"] = UI_CSP
