"""A run's hits (filters, sort, pages, evidence) and review decisions on them."""

from __future__ import annotations

from typing import Any

from web_helpers import AUTH, Api


def _hits(api: Api, run_id: str, **params: object) -> dict[str, Any]:
    response = api.get(f"/runs/{run_id}/hits", params=params)
    assert response.status_code == 200, response.text
    page: dict[str, Any] = response.json()
    return page


def test_hits_carry_evidence_and_review_status(screened: tuple[Api, str]) -> None:
    api, run_id = screened
    page = _hits(api, run_id, limit=500)
    assert page["total"] == len(page["hits"]) > 10
    assert page["counts"]["pending"] == page["total"]
    for hit in page["hits"]:
        assert hit["review"]["status"] == "pending"
        assert hit["field"] and hit["matched_text"] and hit["rule"] and hit["entity_id"]
        assert isinstance(hit["lists"], list)
    model = next(h for h in page["hits"] if h["rule"] == "model")
    start, end = model["span"]
    assert model["description"][start:end] == model["matched_text"]
    assert any(d["in_force"] is not None for d in model["designations"])


def test_a_page_reads_the_evidence_of_its_own_hits(screened: tuple[Api, str]) -> None:
    api, run_id = screened
    everything = {h["hit_id"]: h for h in _hits(api, run_id, limit=500)["hits"]}
    for offset in (0, 7, 20):
        page = _hits(api, run_id, sort="-score", offset=offset, limit=5)["hits"]
        assert page
        for hit in page:
            whole = everything[hit["hit_id"]]
            assert (hit["span"], hit["designations"], hit["via"], hit["lead"]) == (
                whole["span"], whole["designations"], whole["via"], whole["lead"]
            )  # fmt: skip


def test_filters_sort_and_pages(screened: tuple[Api, str]) -> None:
    api, run_id = screened
    everything = _hits(api, run_id, limit=500)["hits"]
    dahua = _hits(api, run_id, entity="dahua", limit=500)
    assert dahua["total"] == sum(1 for h in everything if h["entity_id"] == "dahua") > 0
    models = _hits(api, run_id, rule="model", limit=500)["hits"]
    assert models and all(h["rule"] == "model" for h in models)
    high = _hits(api, run_id, min_score=0.95, limit=500)["hits"]
    assert all(h["score"] >= 0.95 for h in high)
    in_force = _hits(api, run_id, in_force=True, limit=500)["hits"]
    assert in_force and all(h["in_force"] is True for h in in_force)
    by_score = [h["score"] for h in _hits(api, run_id, sort="-score", limit=500)["hits"]]
    assert by_score == sorted(by_score, reverse=True)
    first, second = _hits(api, run_id, limit=5), _hits(api, run_id, limit=5, offset=5)
    assert len(first["hits"]) == 5 and first["total"] == second["total"]
    assert {h["hit_id"] for h in first["hits"]}.isdisjoint(h["hit_id"] for h in second["hits"])
    assert _hits(api, run_id, q="patriot video")["total"] >= 1
    assert api.get(f"/runs/{run_id}/hits", params={"sort": "vendor; drop"}).status_code == 422
    assert _hits(api, "latest")["run_id"] == run_id


def test_decisions_need_the_token_then_change_the_status(api: Api) -> None:
    run_id = api.screened()
    hits = _hits(api, run_id, limit=500)["hits"]
    first, second = hits[0], hits[1]
    body = {"run_id": run_id, "decision": "confirm", "reviewer": "ana", "reason": "model no."}
    url = f"/hits/{first['hit_id']}/decision"
    assert api.post(url, json=body).status_code == 401
    assert api.post(url, json=body, headers={"Authorization": "Bearer x"}).status_code == 401
    assert api.post(url, json=body, headers={"Authorization": "Basic dGVzdA=="}).status_code == 401
    assert _hits(api, run_id)["counts"]["confirmed"] == 0

    made = api.post(url, json=body, headers=AUTH)
    assert made.status_code == 200, made.text
    assert made.json()["review"]["status"] == "confirmed"
    assert made.json()["decision"]["reviewer"] == "ana"

    dismissal = {"run_id": run_id, "decision": "dismiss", "reviewer": "bo", "rule": True}
    url2 = f"/hits/{second['hit_id']}/decision"
    no_reason = api.post(url2, json=dismissal, headers=AUTH)
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["error"]
    dismissed = api.post(url2, json={**dismissal, "reason": "another company"}, headers=AUTH)
    assert dismissed.status_code == 200
    assert dismissed.json()["rule"]["entity_id"] == second["entity_id"]

    page = _hits(api, run_id, limit=500)
    assert page["counts"]["confirmed"] == 1 and page["counts"]["dismissed"] >= 1
    confirmed = _hits(api, run_id, status="confirmed")["hits"]
    assert [h["hit_id"] for h in confirmed] == [first["hit_id"]]
    assert confirmed[0]["review"]["reviewer"] == "ana"


def test_decision_errors_are_clear(api: Api) -> None:
    run_id = api.screened()
    hit_id = _hits(api, run_id)["hits"][0]["hit_id"]
    base = {"run_id": run_id, "decision": "confirmed", "reviewer": "ana"}
    cases = [
        ("nohit", base, 404, "no hit"),
        (hit_id, {**base, "run_id": "run-nope"}, 404, "no run"),
        (hit_id, {**base, "reviewer": "  "}, 400, "reviewer"),
        (hit_id, {**base, "rule": True}, 400, "rule"),
        (hit_id, {**base, "decision": "maybe"}, 422, "decision"),
    ]
    for hit, body, status, words in cases:
        response = api.post(f"/hits/{hit}/decision", json=body, headers=AUTH)
        assert response.status_code == status, (body, response.text)
        assert words in response.json()["error"]


def test_report_shows_the_latest_decisions(api: Api) -> None:
    run_id = api.screened()
    before = api.get(f"/runs/{run_id}/files/report.html").text
    hit = _hits(api, run_id)["hits"][0]
    body = {"run_id": run_id, "decision": "confirmed", "reviewer": "ana", "reason": "seen"}
    assert api.post(f"/hits/{hit['hit_id']}/decision", json=body, headers=AUTH).status_code == 200
    after = api.get(f"/runs/{run_id}/files/report.html").text
    assert after != before
    assert "1 of" in after and "decided" in after


def test_decision_words_are_the_clis_and_the_old_ones_still_work(api: Api) -> None:
    """``confirm``/``dismiss`` as on the command line; ``confirmed``/``dismissed`` as aliases."""
    run_id = api.screened()
    hits = _hits(api, run_id, limit=500)["hits"]
    for hit, word, status in (
        (hits[0], "confirmed", "confirmed"),
        (hits[1], "dismissed", "dismissed"),
        (hits[2], "dismiss", "dismissed"),
    ):
        body = {"run_id": run_id, "decision": word, "reviewer": "ana", "reason": "checked"}
        made = api.post(f"/hits/{hit['hit_id']}/decision", json=body, headers=AUTH)
        assert made.status_code == 200, made.text
        assert made.json()["review"]["status"] == status
