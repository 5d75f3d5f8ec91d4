"""Tokens, hosts, headers and the OpenAPI document."""

from __future__ import annotations

from pathlib import Path

import pytest
from web_helpers import AUTH, TOKEN, Api, make_app

from procurewatch.web.app import create_app


def test_a_generated_token_is_printed_once_and_required(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    app = create_app(tmp_path / "store.duckdb", data_dir=tmp_path / "data")
    token = app.state.service.config.token
    err = capsys.readouterr().err
    assert len(token) >= 24 and err.count(token) == 1
    api = Api(app)
    try:
        body = {"run_id": "latest", "decision": "confirmed", "reviewer": "x"}
        assert api.post("/hits/h/decision", json=body).status_code == 401
        with_token = api.post(
            "/hits/h/decision", json=body, headers={"Authorization": f"Bearer {token}"}
        )
        assert with_token.status_code == 404, "past the token check: there are no runs"
    finally:
        api.close()


def test_read_token_guards_reads_but_not_health_or_reconcile(tmp_path: Path) -> None:
    app = make_app(tmp_path, read_token="reader")
    api = Api(app)
    try:
        for url in ("/runs", "/entities/hikvision", "/jobs"):
            assert api.get(url).status_code == 401, url
            assert api.get(url, headers={"Authorization": "Bearer reader"}).status_code == 200
            assert api.get(url, headers=AUTH).status_code == 200, "the write token reads too"
        match = {"queries": {"q": {"properties": {"name": ["Dahua"]}}}}
        assert api.post("/match", json=match).status_code == 401
        assert api.get("/healthz").status_code == 200
        assert api.get("/reconcile").status_code == 200
        page = api.get("/", headers={"accept": "text/html"})
        assert page.status_code == 303 and page.headers["location"] == "/ui/login"
        wrong = api.post("/ui/login", data={"token": "guess"})
        assert wrong.status_code == 401
        login = api.post("/ui/login", data={"token": "reader"})
        assert login.status_code == 303
        cookie = login.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie
        assert api.get("/", headers={"cookie": "procurewatch_read=reader"}).status_code == 200
    finally:
        api.close()


def test_allowed_hosts_refuse_other_host_headers(tmp_path: Path) -> None:
    app = make_app(tmp_path, allowed_hosts=("127.0.0.1", "localhost", "testserver"))
    api = Api(app)
    try:
        assert api.get("/healthz").status_code == 200
        assert api.get("/healthz", headers={"host": "localhost:8000"}).status_code == 200
        evil = api.get("/runs", headers={"host": "attacker.example"})
        assert evil.status_code == 400 and "host" in evil.json()["error"]
    finally:
        api.close()


def test_security_headers(api: Api) -> None:
    page = api.get("/")
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["x-frame-options"] == "DENY"
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert api.get("/healthz").headers["x-content-type-options"] == "nosniff"


def test_token_comparison() -> None:
    from procurewatch.web import security

    assert security.same(TOKEN, TOKEN) and not security.same(TOKEN, TOKEN + "x")
    assert not security.same("", "") and not security.same(None, TOKEN)


def test_openapi_has_a_response_model_for_every_endpoint(api: Api) -> None:
    spec = api.get("/openapi.json").json()
    expected = {
        ("post", "/match"),
        ("post", "/screen"),
        ("get", "/jobs/{job_id}"),
        ("get", "/runs"),
        ("get", "/runs/{run_id}"),
        ("get", "/runs/{run_id}/hits"),
        ("get", "/runs/{run_id}/files/{name}"),
        ("post", "/hits/{hit_id}/decision"),
        ("get", "/entities/{entity_id}"),
        ("get", "/reconcile"),
        ("post", "/reconcile"),
        ("get", "/healthz"),
    }
    found = {(m, p) for p, ops in spec["paths"].items() for m in ops}
    assert expected <= found
    assert not any(p.startswith("/ui") or p == "/" for _, p in found), "pages stay out of the API"
    for method, path in found:
        responses = spec["paths"][path][method]["responses"]
        ok = next(code for code in responses if code.startswith("2"))
        assert responses[ok]["content"], (method, path)
    writes = [spec["paths"]["/screen"]["post"], spec["paths"]["/hits/{hit_id}/decision"]["post"]]
    assert all(op.get("security") for op in writes)
