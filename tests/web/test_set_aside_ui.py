"""The run page lists the mentions the context rules set aside, collapsed, and confirming one
through the API makes it a hit of the run."""

from __future__ import annotations

import html
from pathlib import Path

from web_helpers import AUTH, Api

CSV = (
    "Date,Vendor,Description,Amount\n"
    "2021-04-02,Acme Security,NVR compatible with Hikvision cameras,900\n"
    "2021-05-10,Acme Security,Hikvision DS-2CD2143G2-I dome camera x4,1400\n"
)


def test_set_aside_mentions_show_collapsed_and_can_be_confirmed(api: Api, tmp_path: Path) -> None:
    source = tmp_path / "purchases.csv"
    source.write_text(CSV, encoding="utf-8")
    run_id = api.screened(source)
    page = html.unescape(api.get(f"/ui/runs/{run_id}").text)
    assert '<details class="set-aside" id="set-aside">' in page
    assert "1 mention set aside by the context rules" in page
    assert "reference: 'compatible with' before it" in page
    hits = api.get(f"/runs/{run_id}/hits").json()
    assert hits["total"] == 2
    aside_id = page.split('class="hit aside" id="hit-', 1)[1].split('"', 1)[0]
    body = {"run_id": run_id, "decision": "confirmed", "reviewer": "ana", "reason": "bought"}
    assert api.post(f"/hits/{aside_id}/decision", json=body).status_code == 401
    made = api.post(f"/hits/{aside_id}/decision", json=body, headers=AUTH)
    assert made.status_code == 200, made.text
    after = api.get(f"/runs/{run_id}/hits").json()
    assert after["total"] == 3
    assert aside_id in {h["hit_id"] for h in after["hits"]}
    assert "set-aside" not in api.get(f"/ui/runs/{run_id}").text
