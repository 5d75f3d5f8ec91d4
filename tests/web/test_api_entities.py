"""``GET /entities/{id}``: names, relations both ways, designations timeline, recent hits."""

from __future__ import annotations

from web_helpers import Api


def test_entity_with_relations_both_ways_and_timeline(screened: tuple[Api, str]) -> None:
    api, run_id = screened
    response = api.get("/entities/hikvision")
    assert response.status_code == 200
    entity = response.json()
    assert entity["id"] == "hikvision" and entity["schema"] == "Company"
    assert any(n["value"] == "海康威视" for n in entity["names"])
    assert any(r["entity_id"] == "cetc" for r in entity["relations"]["outgoing"])
    incoming = {r["entity_id"] for r in entity["relations"]["incoming"]}
    assert "hikvision-usa" in incoming
    starts = [d["in_force_from"] or "9999" for d in entity["designations"]]
    assert starts == sorted(starts)
    assert {"us-ndaa-889-a1a", "us-bis-entity-list"} <= {d["list"] for d in entity["designations"]}
    assert entity["recent_hits"] and {h["run_id"] for h in entity["recent_hits"]} == {run_id}


def test_designations_through_a_parent(api: Api) -> None:
    entity = api.get("/entities/hikvision-usa").json()
    assert entity["designations"]
    assert all(d["via"][0] == "subsidiary_of hikvision" for d in entity["designations"])
    direct = [d for d in entity["designations"] if d["holder"] == "hikvision"]
    assert {d["list"] for d in direct} >= {"us-ndaa-889-a1a", "us-fcc-covered-list"}
    grand = [d for d in entity["designations"] if d["holder"] == "cetc"]
    assert all(d["via"] == ["subsidiary_of hikvision", "subsidiary_of cetc"] for d in grand)
    assert entity["recent_hits"] == []


def test_unknown_entity(api: Api) -> None:
    response = api.get("/entities/no-such-entity")
    assert response.status_code == 404
    assert "no entity" in response.json()["error"]
