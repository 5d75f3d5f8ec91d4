"""Upload → job → run → files: ``POST /screen``, ``GET /jobs/{id}``, ``GET /runs...``."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from web_helpers import AUTH, DEMO_CSV, Api, make_app


def test_upload_runs_a_job_that_records_a_run(api: Api) -> None:
    job = api.screen(DEMO_CSV)
    assert job["status"] in ("queued", "running", "done")
    assert job["files"] == [DEMO_CSV.name]
    done = api.wait(job["job_id"])
    assert done["status"] == "done", done
    assert done["error"] is None
    assert done["summary"]["records"] > 100 and done["summary"]["hits"] > 10
    runs = api.get("/runs").json()["runs"]
    assert [r["run_id"] for r in runs] == [done["run_id"]]
    detail = api.get(f"/runs/{done['run_id']}").json()
    assert detail["summary"]["records"] == done["summary"]["records"]
    assert detail["files"] == [
        "hits.csv",
        "hits.jsonl",
        "summary.json",
        "report.html",
        "rejects.csv",
    ]
    assert api.get("/jobs").json()["jobs"][0]["job_id"] == job["job_id"]


def test_output_files_download(screened: tuple[Api, str]) -> None:
    api, run_id = screened
    summary = api.get(f"/runs/{run_id}/files/summary.json")
    assert summary.status_code == 200 and summary.json()["run_id"] == run_id
    hits = api.get(f"/runs/{run_id}/files/hits.csv")
    assert hits.status_code == 200 and hits.headers["content-type"].startswith("text/csv")
    assert hits.text.splitlines()[0].startswith("hit_id,source_file,row,field,matched_text")
    assert "attachment" in hits.headers["content-disposition"]
    lines = api.get(f"/runs/{run_id}/files/hits.jsonl").text.splitlines()
    assert all(json.loads(line)["hit_id"] for line in lines)
    report = api.get(f"/runs/{run_id}/files/report.html")
    assert report.status_code == 200 and "<html" in report.text[:500].lower()
    assert "sandbox" in report.headers["content-security-policy"]
    assert api.get(f"/runs/{run_id}/files/rejects.csv").status_code == 200


@pytest.mark.parametrize(
    "name",
    [
        "store.duckdb",
        "%2e%2e",
        "%2E%2E%2Fstore.duckdb",
        "..%2Fstore.duckdb",
        "..%5Cstore.duckdb",
        "hits.csv%00.txt",
    ],
)
def test_no_other_file_can_be_downloaded(screened: tuple[Api, str], name: str) -> None:
    api, run_id = screened
    response = api.get(f"/runs/{run_id}/files/{name}")
    assert response.status_code == 404
    assert set(response.json()) == {"error", "detail"}


def test_unknown_run_and_job_are_404(api: Api) -> None:
    for url in (
        "/runs/run-nope",
        "/runs/run-nope/hits",
        "/runs/run-nope/files/hits.csv",
        "/jobs/x",
    ):
        response = api.get(url)
        assert response.status_code == 404, url
        assert "Traceback" not in response.text


def test_screen_needs_the_write_token(api: Api) -> None:
    files = {"files": ("a.csv", DEMO_CSV.read_bytes(), "text/csv")}
    missing = api.post("/screen", files=files)
    assert missing.status_code == 401 and missing.headers["www-authenticate"] == "Bearer"
    wrong = api.post("/screen", files=files, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    assert wrong.json()["error"].startswith("wrong token")
    assert api.get("/jobs").json()["jobs"] == []


def test_upload_over_the_limit_is_413(tmp_path: Path) -> None:
    app = make_app(tmp_path, max_upload_bytes=4096)
    api = Api(app)
    try:
        big = b"Vendor Name,Amount\n" + b"Hikvision USA Inc,100.00\n" * 400
        files = {"files": ("big.csv", big, "text/csv")}
        response = api.post("/screen", files=files, headers=AUTH)
        assert response.status_code == 413
        assert "limit" in response.json()["error"]

        async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: counted as it streams
            yield (
                b'--xyz\r\nContent-Disposition: form-data; name="files"; filename="s.csv"\r\n'
                b"Content-Type: text/csv\r\n\r\nVendor Name,Amount\r\n"
            )
            for _ in range(20):
                yield b"Hikvision USA Inc,100.00\r\n" * 40

        streamed = api.post(
            "/screen",
            content=chunks(),
            headers={**AUTH, "content-type": "multipart/form-data; boundary=xyz"},
        )
        assert streamed.status_code == 413
        assert streamed.json()["error"].startswith("request body over the limit")
        assert not list((tmp_path / "data").glob("uploads/*/*"))
    finally:
        api.close()
        app.state.service.jobs.close()


def test_bad_mapping_empty_file_and_bad_input_are_clear(api: Api, tmp_path: Path) -> None:
    files = {"files": ("a.csv", DEMO_CSV.read_bytes(), "text/csv")}
    response = api.post("/screen", files=files, data={"map": "colour=Vendor"}, headers=AUTH)
    assert response.status_code == 400 and "unknown role 'colour'" in response.json()["error"]
    response = api.post("/screen", files=files, data={"map": "vendor"}, headers=AUTH)
    assert response.status_code == 400 and "ROLE=COLUMN" in response.json()["error"]
    empty = {"files": ("empty.csv", b"", "text/csv")}
    response = api.post("/screen", files=empty, headers=AUTH)
    assert response.status_code == 400 and "empty" in response.json()["error"]
    mapped = api.screen(DEMO_CSV, map="vendor=No Such Column")
    failed = api.wait(mapped["job_id"])
    assert failed["status"] == "failed"
    assert "No Such Column" in failed["error"] and "\n" not in failed["error"]


def test_mapping_fields_reach_the_screen(api: Api, tmp_path: Path) -> None:
    data = tmp_path / "payments.csv"
    data.write_text("Payee,Memo,Paid\nAcme Supply,Hikvision NVR for lobby,2021-05-01\n")
    run_id = api.screened(data, map=["vendor=Payee", "text=Memo", "date=Paid"])
    page = api.get(f"/runs/{run_id}/hits").json()
    assert page["total"] >= 1
    hit = page["hits"][0]
    assert hit["vendor"] == "Acme Supply" and hit["field"] == "Memo"
    assert (
        api.get(f"/runs/{run_id}").json()["summary"]["parameters"]["mapping"]["vendor"] == "Payee"
    )


def test_latest_names_the_newest_run(screened: tuple[Api, str]) -> None:
    api, run_id = screened
    assert api.get("/runs/latest").json()["run_id"] == run_id
    latest = api.get("/runs/latest/files/summary.json")
    assert latest.status_code == 200 and latest.json()["run_id"] == run_id


def test_the_sheet_field_picks_the_workbook_sheet(api: Api, tmp_path: Path) -> None:
    """Two sheets with tables: by default the first is read; ``sheet`` picks another."""
    from openpyxl import Workbook

    book = Workbook()
    first = book.active
    assert first is not None
    first.title = "Office"
    first.append(["Vendor", "Description", "Amount"])
    first.append(["Staples", "toner", 40])
    second = book.create_sheet("Security")
    second.append(["Vendor", "Description", "Amount"])
    second.append(["Acme Supply", "Hikvision DS-2CD2143G2-I dome camera", 1400])
    path = tmp_path / "book.xlsx"
    book.save(path)
    default = api.screened(path)
    assert api.get(f"/runs/{default}/hits").json()["total"] == 0
    picked = api.screened(path, sheet="Security")
    hits = api.get(f"/runs/{picked}/hits").json()
    assert hits["total"] >= 1 and hits["hits"][0]["vendor"] == "Acme Supply"
