"""In Chromium (Playwright): a hit found in a second text column shows that column's own text.

The bid-results file is composed for the test (a Chinese 万元 table, two text columns).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from live_server import serve
from test_browser import browser  # noqa: F401 (the fixture)
from web_helpers import AUTH, make_app

pytestmark = pytest.mark.browser

BIDS = (
    "项目名称,中标供应商,采购内容,中标金额（万元）,公告日期\n"
    "某学校安防设备采购,某某科技有限公司,大华 DH-IPC-HFW 摄像头,200.5,2021年7月2日\n"
)


def test_second_column_hit_shows_its_own_text(
    browser: Any,  # noqa: F811
    tmp_path: Path,
) -> None:
    src = tmp_path / "bids.csv"
    src.write_text(BIDS, encoding="utf-8")
    app = make_app(tmp_path)
    try:
        with serve(app) as url:
            run_id = _screen(url, src)
            page = browser.new_page()
            page.goto(f"{url}/ui/runs/{run_id}")
            hit = page.locator("article.hit").filter(has_text="采购内容").first
            evidence = hit.locator("p.evidence").inner_text()
            assert "采购内容" in evidence and "大华 DH-IPC-HFW 摄像头" in evidence
            assert hit.locator("p.evidence mark").inner_text() == "大华"
            assert "某学校安防设备采购" not in evidence  # the first text column is beside it
            facts = hit.locator("dl.facts").inner_text()
            assert "某学校安防设备采购" in facts and "2021-07-02" in facts
            assert "2,005,000.00" in facts
            page.close()
    finally:
        app.state.service.jobs.close()


def _screen(url: str, path: Path) -> str:
    """Upload ``path`` to the live service and wait for its run (plain HTTP: Playwright's
    sync API holds this thread's event loop)."""
    with path.open("rb") as fh:
        files = {"files": (path.name, fh, "text/csv")}
        job = httpx.post(f"{url}/screen", files=files, headers=AUTH, timeout=60).json()
    deadline = time.monotonic() + 60
    while job.get("status") not in ("done", "failed"):
        assert time.monotonic() < deadline, job
        time.sleep(0.2)
        job = httpx.get(f"{url}/jobs/{job['job_id']}", timeout=60).json()
    assert job["status"] == "done", job
    return str(job["run_id"])
