"""``procurewatch serve``: options, and a real server on a loopback port."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from live_server import free_port
from typer.testing import CliRunner

from procurewatch.cli import _register
from procurewatch.cli_common import app
from procurewatch.cli_serve import allowed_hosts


def test_serve_is_a_command_with_loopback_defaults() -> None:
    _register()
    result = CliRunner().invoke(app, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--host", "--port", "--store", "--token", "--read-token"):
        assert option in result.output


def test_allowed_hosts() -> None:
    assert "localhost" in allowed_hosts("127.0.0.1", None)
    assert allowed_hosts("0.0.0.0", None) == ()
    assert "pw.example.org" in allowed_hosts("0.0.0.0", ["pw.example.org"])


@pytest.mark.slow
def test_serve_answers_on_loopback_and_prints_the_token_once(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "PROCUREWATCH_TOKEN": ""}
    command = [sys.executable, "-m", "procurewatch.cli", "serve", "--port", str(port)]
    command += ["--store", str(tmp_path / "store.duckdb")]
    server = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)
    assert server.stderr is not None
    seen = []
    try:
        for line in server.stderr:  # until uvicorn says it listens, or the server ends
            seen.append(line)
            if "Uvicorn running on" in line:
                break
        assert server.poll() is None, "the server exited:\n" + "".join(seen)
        url = f"http://127.0.0.1:{port}"
        assert httpx.get(f"{url}/healthz").status_code == 200
        assert httpx.get(f"{url}/openapi.json").json()["info"]["title"] == "procurewatch"
        assert httpx.get(f"{url}/runs", headers={"host": "evil.example"}).status_code == 400
    finally:
        server.terminate()
        _, rest = server.communicate()
    err = "".join(seen) + rest
    lines = [line.strip() for line in err.splitlines()]
    token_line = lines[lines.index(next(x for x in lines if "write token" in x)) + 1]
    assert len(token_line) >= 24 and err.count(token_line) == 1
