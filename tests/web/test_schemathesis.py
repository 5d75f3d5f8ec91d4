"""Property-based API tests from the app's own OpenAPI document (schemathesis, in process).

Every operation gets generated requests, with the write token so writes are exercised too;
no answer may be a 5xx, and answers must match the documented response schemas. (The app is
made at import: schemathesis' fixture-based loader does not work with this pytest.)
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from web_helpers import AUTH, Api, make_app

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is not installed")
from schemathesis.checks import not_a_server_error, response_schema_conformance  # noqa: E402

pytestmark = pytest.mark.slow

_TMP = Path(tempfile.mkdtemp(prefix="procurewatch-schemathesis-"))
atexit.register(shutil.rmtree, _TMP, ignore_errors=True)
APP = make_app(_TMP, max_upload_bytes=256 * 1024)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@pytest.fixture(scope="module", autouse=True)
def _one_screened_run() -> Iterator[None]:
    """A run in the store, so that ``latest`` and the entities' recent hits have data."""
    client = Api(APP)
    client.screened()
    client.close()
    yield
    APP.state.service.jobs.close()


@schema.parametrize()  # type: ignore[untyped-decorator]
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_api_never_fails_with_a_server_error(case: Any) -> None:
    case.call_and_validate(headers=AUTH, checks=[not_a_server_error, response_schema_conformance])
