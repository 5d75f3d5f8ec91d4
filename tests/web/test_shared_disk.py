"""What the service and the command line leave on disk and show: a new run's report is never
an older run's, one report is built at a time, an upload without the token is refused before
its body is read, and no answer shows a server path."""

from __future__ import annotations

import json
import socket
import threading
from pathlib import Path
from typing import Any

import httpx
import pytest
from live_server import serve
from web_helpers import DEMO_CSV, Api, make_app

import procurewatch.web.runs as web_runs


def _run_id(folder: Path) -> str:
    value: str = json.loads((folder / "summary.json").read_text(encoding="utf-8"))["run_id"]
    return value


def test_a_new_run_never_serves_the_previous_runs_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Any
) -> None:
    monkeypatch.setenv("PROCUREWATCH_HOME", str(tmp_path))
    store, out = tmp_path / "store.duckdb", tmp_path / "out"
    screen = ["screen", str(DEMO_CSV), "--out", str(out), "--store", str(store), "-q"]
    assert cli(*screen)[0] == 0
    first = _run_id(out)
    assert cli("report", str(out), "--store", str(store))[0] == 0
    assert first in (out / "report.html").read_text(encoding="utf-8")
    assert cli(*screen, "--force")[0] == 0
    second = _run_id(out)
    assert second != first
    assert not (out / "report.html").exists()  # the old report went with the old outputs
    app = make_app(tmp_path)
    api = Api(app)
    try:
        report = api.get(f"/runs/{second}/files/report.html")
        assert report.status_code == 200 and second in report.text and first not in report.text
        old = api.get(f"/runs/{first}/files/hits.csv")
        assert old.status_code == 404 and f"replaced by run {second}" in old.json()["error"]
    finally:
        api.close()
        app.state.service.jobs.close()


def test_concurrent_requests_build_the_report_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(tmp_path)
    api = Api(app)
    built: list[Path] = []
    real = web_runs.write_report  # type: ignore[attr-defined]

    def counted(folder: Path, **kwargs: Any) -> Path:
        built.append(folder)
        return real(folder, **kwargs)

    try:
        run_id = api.screened()
        (_, folder) = web_runs.run_folder(app.state.service, run_id)
        (folder / "report.html").unlink()  # as after a new run: no report yet
        monkeypatch.setattr(web_runs, "write_report", counted)
        with serve(app) as url:
            answers: list[int] = []

            def fetch() -> None:
                answers.append(httpx.get(f"{url}/runs/{run_id}/files/report.html", timeout=120)
                               .status_code)  # fmt: skip

            threads = [threading.Thread(target=fetch) for _ in range(4)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(180)
            assert answers == [200] * 4
            assert httpx.get(f"{url}/runs/{run_id}/files/report.html").status_code == 200
        assert len(built) == 1, built
    finally:
        api.close()
        app.state.service.jobs.close()


def test_an_upload_without_the_token_is_refused_before_its_body_is_read(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    try:
        with serve(app) as url:
            port = int(url.rsplit(":", 1)[1])
            head = (
                "POST /screen HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                "Content-Type: multipart/form-data; boundary=XyZ\r\n"
                f"Content-Length: {150 * 1024 * 1024}\r\n\r\n"
                '--XyZ\r\nContent-Disposition: form-data; name="files"; filename="a.csv"\r\n'
                "Content-Type: text/csv\r\n\r\nVendor\r\n"
            )  # 150 MB announced, a few bytes sent: an answer now means the body was not awaited
            with socket.create_connection(("127.0.0.1", port), timeout=15) as sock:
                sock.sendall(head.encode())
                answer = _answer(sock)
        assert answer.startswith("HTTP/1.1 401"), answer
        assert "Authorization: Bearer" in answer
        assert not list((tmp_path / "data").rglob("*.csv"))  # nothing spooled or staged
    finally:
        app.state.service.jobs.close()


def _answer(sock: socket.socket) -> str:
    """The whole HTTP answer (head and its Content-Length of body), however it is split."""
    data = b""
    while b"\r\n\r\n" not in data or len(data.split(b"\r\n\r\n", 1)[1]) < _length(data):
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return data.decode("latin-1")


def _length(data: bytes) -> int:
    for line in data.split(b"\r\n\r\n", 1)[0].split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value.strip())
    return 0


def _no_server_path(text: str, tmp_path: Path) -> None:
    assert str(tmp_path) not in text and "/tmp/" not in text, text


def test_no_answer_shows_a_server_path(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    api = Api(app)
    try:
        run_id = api.screened()
        detail = api.get(f"/runs/{run_id}")
        _no_server_path(detail.text, tmp_path)
        assert detail.json()["summary"]["inputs"][0]["path"].endswith("city_checkbook_payments.csv")
        _no_server_path(api.get(f"/runs/{run_id}/hits").text, tmp_path)
        (_, folder) = web_runs.run_folder(app.state.service, run_id)
        (folder / "hits.jsonl").unlink()
        missing = api.get(f"/runs/{run_id}/files/hits.jsonl")
        assert missing.status_code == 404
        _no_server_path(missing.text, tmp_path)
        bad = tmp_path / "garbage.csv"
        bad.write_bytes(b"\x00\x01\x02" * 1000)
        job = api.wait(api.screen(bad)["job_id"])
        assert job["status"] == "failed" and job["error"]
        _no_server_path(json.dumps(job), tmp_path)
    finally:
        api.close()
        app.state.service.jobs.close()
