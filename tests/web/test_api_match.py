"""``POST /match``: the OpenSanctions match-API shape, answered by the procurewatch matcher."""

from __future__ import annotations

from typing import Any

from web_helpers import Api


def _match(api: Api, queries: dict[str, Any], **params: Any) -> dict[str, Any]:
    response = api.post("/match", json={"queries": queries}, params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_match_answers_each_query_in_the_opensanctions_shape(api: Api) -> None:
    body = _match(
        api,
        {
            "q1": {"schema": "Company", "properties": {"name": ["Hikvision USA Inc"]}},
            "q2": {"schema": "Company", "properties": {"name": ["Cintas Corporation"]}},
        },
    )
    responses = body["responses"]
    assert set(responses) == {"q1", "q2"}
    q1 = responses["q1"]
    assert q1["status"] == 200
    assert q1["query"]["schema"] == "Company"
    assert q1["total"] == {"value": len(q1["results"]), "relation": "eq"}
    best = q1["results"][0]
    assert best["id"] == "hikvision-usa"
    assert best["match"] is True and best["score"] >= 0.8
    assert {"id", "caption", "schema", "score", "match", "features", "explanations"} <= set(best)
    assert best["features"]["name_match"] == best["score"]
    assert "Hikvision" in best["explanations"]["name_match"]["detail"]
    assert best["datasets"] == ["bundled"]
    lists = {d["list"] for d in best["designations"]}
    assert "us-ndaa-889-a1a" in lists
    assert all(d["via"] for d in best["designations"]), "Hikvision USA is listed through its parent"
    assert responses["q2"]["results"] == [] or not responses["q2"]["results"][0]["match"]


def test_threshold_limit_and_date_parameters(api: Api) -> None:
    query = {"q": {"schema": "Company", "properties": {"name": ["Hikvision"]}}}
    strict = _match(api, query, threshold=1.0, limit=2, date="2018-01-01")
    results = strict["responses"]["q"]["results"]
    assert len(results) <= 2
    assert all(r["match"] == (r["score"] >= 1.0) for r in results)
    ndaa = next(d for d in results[0]["designations"] if d["list"] == "us-ndaa-889-a1a")
    assert ndaa["in_force"] is False, "NDAA 889 took effect in 2019"
    later = _match(api, query, date="2022-01-01")["responses"]["q"]["results"]
    ndaa = next(d for d in later[0]["designations"] if d["list"] == "us-ndaa-889-a1a")
    assert ndaa["in_force"] is True


def test_country_mismatch_lowers_the_score_and_says_why(api: Api) -> None:
    name = {"name": ["Hikvision USA Inc"]}
    plain = _match(api, {"q": {"schema": "Company", "properties": name}})
    moved = _match(api, {"q": {"schema": "Company", "properties": {**name, "country": ["br"]}}})
    before = plain["responses"]["q"]["results"][0]
    after = moved["responses"]["q"]["results"][0]
    assert after["score"] < before["score"]
    assert "country_mismatch" in after["explanations"]


def test_a_person_query_finds_no_companies(api: Api) -> None:
    body = _match(api, {"q": {"schema": "Person", "properties": {"name": ["Hikvision"]}}})
    assert body["responses"]["q"]["results"] == []


def test_a_query_without_a_name_gets_its_own_error(api: Api) -> None:
    body = _match(api, {"empty": {"schema": "Company", "properties": {}}})
    empty = body["responses"]["empty"]
    assert empty["status"] == 400 and "name" in empty["error"]


def test_invalid_requests_get_a_json_error_not_a_traceback(api: Api) -> None:
    for body in ({"queries": {"q": {"schema": "Vessel"}}}, {"nope": 1}, [1, 2]):
        response = api.post("/match", json=body)
        assert response.status_code == 422
        assert set(response.json()) == {"error", "detail"}
        assert "Traceback" not in response.text
    response = api.post(
        "/match", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 422 and response.json()["error"].startswith("invalid request")
    response = api.post("/match", json={"queries": {}}, params={"threshold": 2})
    assert response.status_code == 422


def test_overlong_names_are_refused_before_matching(api: Api) -> None:
    long_word = "海康威视" * 20  # one 80-character run: slow for the matcher
    body = _match(
        api,
        {
            "cjk": {"properties": {"name": [long_word]}},
            "long": {"properties": {"name": ["Hikvision " * 40]}},
            "ok": {"properties": {"name": ["海康威视"]}},
        },
    )
    responses = body["responses"]
    assert responses["cjk"]["status"] == 400 and "longer than" in responses["cjk"]["error"]
    assert responses["long"]["status"] == 400
    assert responses["ok"]["results"][0]["id"] == "hikvision"
    many = {f"q{i}": {"properties": {"name": [f"Vendor {i}"] * 1}} for i in range(100)}
    for query in many.values():
        query["properties"]["alias"] = [f"Alias {n}" for n in range(5)]
    response = api.post("/match", json={"queries": many})
    assert response.status_code == 400 and "at most 500" in response.json()["error"]


def test_match_dataset_route_answers_like_yente(api: Api) -> None:
    """``POST /match/{dataset}``: ``default`` is everything, a list id keeps its entities."""
    query = {"q": {"schema": "Company", "properties": {"name": ["Hikvision"]}}}
    plain = _match(api, query)["responses"]["q"]["results"]
    default = api.post("/match/default", json={"queries": query})
    assert default.status_code == 200, default.text
    assert [r["id"] for r in default.json()["responses"]["q"]["results"]] == [
        r["id"] for r in plain
    ]
    ndaa = api.post("/match/us-ndaa-889-a1a", json={"queries": query}).json()
    results = ndaa["responses"]["q"]["results"]
    assert results and results[0]["id"] == "hikvision"
    assert all("us-ndaa-889-a1a" in {d["list"] for d in r["designations"]} for r in results)
    unknown = api.post("/match/not-a-dataset", json={"queries": query})
    assert unknown.status_code == 404
    assert "not-a-dataset" in unknown.json()["error"] and "default" in unknown.json()["error"]
