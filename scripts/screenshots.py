"""Make the README's screenshots: the demo's findings report and the review UI's run page, at
desktop (1280 px) and phone (390 px) widths, in Debian's Chromium through Playwright.

    .venv/bin/python scripts/screenshots.py            # writes docs/screenshots/*.png

The data is the bundled demo (composed, see examples/demo/README.md); nothing is fetched.
"""

from __future__ import annotations

import secrets
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import uvicorn
from playwright.sync_api import sync_playwright

from procurewatch.cli import main as cli
from procurewatch.web.app import create_app

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "docs" / "screenshots"
BIDS = REPO / "examples" / "demo" / "xinjiang_bidding_results.csv"
SIZES = {"desktop": (1280, 1000), "phone": (390, 844)}
CHROMIUM = "/usr/bin/chromium"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _screen_bids(url: str, token: str) -> str:
    with BIDS.open("rb") as fh:
        job = httpx.post(
            f"{url}/screen",
            files={"files": (BIDS.name, fh, "text/csv")},
            headers={"Authorization": f"Bearer {token}"},
            timeout=60,
        ).json()
    for _ in range(600):
        state = httpx.get(f"{url}/jobs/{job['job_id']}", timeout=10).json()
        if state["status"] in ("done", "failed"):
            break
        time.sleep(0.1)
    if state["status"] != "done":
        sys.exit(f"error: the screening job failed: {state.get('error')}")
    return str(state["run_id"])


def main() -> None:
    """Write the four screenshots."""
    OUT.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="pw-shots-"))
    cli(["demo", "--out", str(work / "demo"), "--store", str(work / "demo.duckdb"), "--quiet"])
    token = secrets.token_urlsafe(16)
    app = create_app(work / "web.duckdb", token=token, data_dir=work / "web")
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    while not server.started:
        time.sleep(0.05)
    run_id = _screen_bids(url, token)
    report = (work / "demo" / "report.html").resolve().as_uri()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for name, (width, height) in SIZES.items():
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(report)
            page.wait_for_selector("body[data-charts='ready']", timeout=60_000)
            page.screenshot(path=str(OUT / f"report-{name}.png"))
            page.goto(f"{url}/ui/runs/{run_id}?buyer=公安局&in_force=yes")
            page.locator("article.hit").first.scroll_into_view_if_needed()
            page.evaluate("window.scrollBy(0, -120)")
            page.screenshot(path=str(OUT / f"ui-run-{name}.png"))
            page.close()
        browser.close()
    server.should_exit = True
    thread.join(timeout=10)
    app.state.service.jobs.close()
    sys.stdout.write(f"wrote {', '.join(sorted(p.name for p in OUT.glob('*.png')))} to {OUT}\n")


if __name__ == "__main__":
    main()
