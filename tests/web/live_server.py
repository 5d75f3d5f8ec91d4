"""A real uvicorn server on 127.0.0.1 and a free port, in a thread, for browser tests."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from fastapi import FastAPI


def free_port() -> int:
    """A TCP port nobody listens on right now (127.0.0.1)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class _Server(uvicorn.Server):
    """A uvicorn server that says when its start-up is over (``ready``), however it went."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.ready = threading.Event()

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        try:
            await super().startup(sockets=sockets)
        finally:
            self.ready.set()


@contextmanager
def serve(app: FastAPI) -> Iterator[str]:
    """Serve ``app`` while the block runs; yields its base URL once the server has started
    (an event, not a timed poll; a server that fails to start is an error at once)."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = _Server(config)
    thread = threading.Thread(target=server.run, name="uvicorn-test", daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    while not server.ready.wait(0.5):
        if not thread.is_alive():
            break  # start-up raised (a port taken meanwhile): ready was never reached
    if not server.started:
        server.should_exit = True
        raise RuntimeError(f"the test server did not start on {url}")
    try:
        yield url
    finally:
        server.should_exit = True
        thread.join(10)
