"""The W3C Reconciliation API as OpenRefine 3.x uses it."""

from __future__ import annotations

import json
from typing import Any

from web_helpers import Api


def _reconcile(api: Api, queries: dict[str, Any]) -> dict[str, Any]:
    response = api.post("/reconcile", data={"queries": json.dumps(queries)})
    assert response.status_code == 200, response.text
    assert response.headers["access-control-allow-origin"] == "*"
    body: dict[str, Any] = response.json()
    return body


def test_manifest(api: Api) -> None:
    response = api.get("/reconcile")
    assert response.status_code == 200
    manifest = response.json()
    assert "0.2" in manifest["versions"]
    assert manifest["name"] and manifest["schemaSpace"]
    assert manifest["identifierSpace"] == "http://testserver/entities/"
    assert {"id": "Company", "name": "Company"} in manifest["defaultTypes"]
    assert manifest["view"]["url"] == "http://testserver/ui/entities/{{id}}"


def test_batch_of_queries(api: Api) -> None:
    body = _reconcile(
        api,
        {
            "q0": {"query": "Hikvision", "type": "Company", "limit": 3},
            "q1": {"query": "Zhejiang Dahua Technology Co., Ltd."},
            "q2": {"query": "Cintas Corporation", "type": "Company"},
            "q3": {"query": "Hikvision USA", "properties": [{"pid": "country", "v": "us"}]},
        },
    )
    assert set(body) == {"q0", "q1", "q2", "q3"}
    q0 = body["q0"]["result"]
    assert 1 <= len(q0) <= 3
    assert q0[0]["id"] == "hikvision" and q0[0]["name"].startswith("Hangzhou Hikvision")
    assert q0[0]["type"] == [{"id": "Company", "name": "Company"}]
    assert q0[0]["score"] == 100.0 and q0[0]["match"] is True
    assert all(r["match"] is False for r in q0[1:])
    assert body["q1"]["result"][0]["id"] == "dahua"
    assert not any(r["match"] for r in body["q2"]["result"])
    assert body["q3"]["result"][0]["id"] == "hikvision-usa"


def test_view_url_opens_the_entity_page(api: Api) -> None:
    url = api.get("/reconcile").json()["view"]["url"].replace("{{id}}", "hikvision")
    page = api.get(url.removeprefix("http://testserver"))
    assert page.status_code == 200 and "Hikvision" in page.text


def test_get_with_queries_and_bad_queries(api: Api) -> None:
    queries = json.dumps({"q0": {"query": "Huawei Technologies"}})
    response = api.get("/reconcile", params={"queries": queries})
    assert response.status_code == 200
    assert response.json()["q0"]["result"][0]["id"].startswith("huawei")
    for bad in ("not json", "[1]", '{"q0": {"type": "Company"}}', '{"q0": {"query": 5}}'):
        response = api.post("/reconcile", data={"queries": bad})
        assert response.status_code == 400, bad
        assert response.json()["error"].startswith("queries is not valid")
