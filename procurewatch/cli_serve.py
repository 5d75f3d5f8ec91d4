"""``procurewatch serve``: the HTTP API and review UI (uvicorn)."""

from __future__ import annotations

import ipaddress
import sys
from pathlib import Path
from typing import Annotated

import typer

from procurewatch import settings
from procurewatch.cli_common import StoreOption, app, resolve_store
from procurewatch.errors import UsageError

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def allowed_hosts(host: str, extra: list[str] | None) -> tuple[str, ...]:
    """Host headers to accept: on a loopback bind, only loopback names (and ``extra``)."""
    if extra:
        return (*LOOPBACK_NAMES, host, *extra)
    if _loopback(host):
        return (*LOOPBACK_NAMES, host)
    return ()


@app.command("serve")
def serve_command(
    host: Annotated[str, typer.Option(help="Address to bind (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.", min=1, max=65535)] = 8000,
    store: StoreOption = None,
    token: Annotated[
        str | None,
        typer.Option(
            help="Write token (default: $PROCUREWATCH_TOKEN, else generated and printed)."
        ),
    ] = None,
    read_token: Annotated[
        str | None, typer.Option("--read-token", help="Also require this token for reads.")
    ] = None,
    data_dir: Annotated[
        Path | None,
        typer.Option(
            "--data-dir", help="Folder for uploads and run outputs (default: next to the store)."
        ),
    ] = None,
    max_upload_mb: Annotated[
        int, typer.Option("--max-upload-mb", help="Largest upload in MiB.", min=1)
    ] = 200,
    workers: Annotated[int, typer.Option(help="Screening jobs run at once.", min=1)] = 1,
    keep_uploads: Annotated[
        float,
        typer.Option(
            "--keep-uploads",
            help="Days to keep the uploads of completed jobs (re-screens read them); uploads "
            "of jobs that did not complete are removed at once.",
            min=0,
        ),
    ] = 30.0,
    allow_host: Annotated[
        list[str] | None,
        typer.Option(
            "--allow-host", help="Accept this Host header too (behind a proxy; repeatable)."
        ),
    ] = None,
) -> None:
    """Serve the HTTP API (OpenAPI at /openapi.json) and the review UI at /."""
    import uvicorn

    from procurewatch.web.app import create_app
    from procurewatch.web.state import MiB

    if read_token is not None and not read_token.strip():
        raise UsageError("--read-token is empty; give a token or leave the option out")
    if not _loopback(host):
        typer.echo(
            f"warning: binding {host}: anyone who can reach it can read the runs"
            + ("" if read_token else " (use --read-token to require a token for reads)"),
            err=True,
        )
    web = create_app(
        resolve_store(store),
        token=token or settings.service_token(),
        data_dir=data_dir,
        max_upload_bytes=max_upload_mb * MiB,
        read_token=read_token,
        workers=workers,
        allowed_hosts=allowed_hosts(host, allow_host),
        keep_uploads_days=keep_uploads,
    )
    typer.echo(
        f"procurewatch serve: http://{host}:{port}/ (store {resolve_store(store)})", err=True
    )
    sys.stderr.flush()
    uvicorn.run(web, host=host, port=port, log_level="info", access_log=False)
