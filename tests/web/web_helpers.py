"""Helpers for the web tests: a synchronous face over an in-process ASGI client, and waiting."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from procurewatch.web.app import create_app

REPO = Path(__file__).resolve().parents[2]
DEMO_CSV = REPO / "examples" / "demo" / "city_checkbook_payments.csv"
TOKEN = "test-write-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


class Api:
    """``httpx.AsyncClient`` over ``httpx.ASGITransport`` (no network), called synchronously."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app
        self._loop = asyncio.new_event_loop()
        self._client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://testserver"
        )

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """One request, answered by the app in this process."""
        return self._loop.run_until_complete(self._client.request(method, url, **kwargs))

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", url, **kwargs)

    def close(self) -> None:
        self._loop.run_until_complete(self._client.aclose())
        self._loop.close()

    def screen(self, path: Path, *, name: str | None = None, **data: Any) -> dict[str, Any]:
        """Upload ``path`` to ``POST /screen`` with the write token; the accepted job."""
        with path.open("rb") as fh:
            files = {"files": (name or path.name, fh, "text/csv")}
            response = self.post("/screen", files=files, data=data, headers=AUTH)
        assert response.status_code == 202, response.text
        job: dict[str, Any] = response.json()
        return job

    def wait(self, job_id: str, hang_guard: float = 600.0) -> dict[str, Any]:
        """Block until the job is done or failed (its ``finished`` event), then return what
        ``GET /jobs/{id}`` says of it. ``hang_guard`` only stops a hung job from hanging the
        suite; it is not a measurement."""
        job = self.app.state.service.jobs.get(job_id)
        assert job is not None, f"no job {job_id}"
        if not job.finished.wait(hang_guard):
            pytest.fail(f"hang: job {job_id} still {job.status} after {hang_guard:.0f} s")
        answer: dict[str, Any] = self.get(f"/jobs/{job_id}").json()
        assert answer["status"] in ("done", "failed"), answer
        return answer

    def screened(self, path: Path = DEMO_CSV, **data: Any) -> str:
        """Screen ``path`` and wait; the run id."""
        job = self.wait(self.screen(path, **data)["job_id"])
        assert job["status"] == "done", job
        run_id: str = job["run_id"]
        return run_id


def make_app(tmp_path: Path, **options: object) -> FastAPI:
    """An app over ``tmp_path/store.duckdb`` with uploads in ``tmp_path/data``."""
    return create_app(
        tmp_path / "store.duckdb",
        token=TOKEN,
        data_dir=tmp_path / "data",
        **options,  # type: ignore[arg-type]
    )
