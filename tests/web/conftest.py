"""Fixtures of the web tests: an app over a temporary store and data folder, and a client."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from web_helpers import Api, make_app


@pytest.fixture
def app(tmp_path: Path) -> Iterator[FastAPI]:
    """A fresh app per test; its job workers stop afterwards."""
    web = make_app(tmp_path)
    yield web
    web.state.service.jobs.close()


@pytest.fixture
def api(app: FastAPI) -> Iterator[Api]:
    """The in-process client of :func:`app`."""
    client = Api(app)
    yield client
    client.close()


@pytest.fixture(scope="module")
def screened(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Api, str]]:
    """One app per test module with the demo checkbook screened: ``(api, run_id)``.

    For tests that only read; tests that decide on hits use their own app.
    """
    web = make_app(tmp_path_factory.mktemp("screened"))
    client = Api(web)
    run_id = client.screened()
    yield client, run_id
    client.close()
    web.state.service.jobs.close()
