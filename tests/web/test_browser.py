"""End to end in Debian's Chromium, driven by Playwright: search, upload, review, report.

Screenshots of every step go to ``test-artifacts/web-*.png``.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from live_server import serve
from web_helpers import DEMO_CSV, REPO, TOKEN, make_app

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO / "test-artifacts"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]

pytestmark = pytest.mark.browser


@pytest.fixture
def browser() -> Iterator[Any]:
    """Chromium through Playwright, or a skip saying what is missing."""
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="the playwright Python package is not installed"
    )
    if not CHROMIUM.is_file() and shutil.which("chromium") is None:
        pytest.skip(f"Debian's chromium is not installed at {CHROMIUM}")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


def _shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"web-{name}.png"))


def test_search_upload_review_report(browser: Any, tmp_path: Path) -> None:
    app = make_app(tmp_path)
    try:
        with serve(app) as url:
            _walk(browser, url)
    finally:
        app.state.service.jobs.close()


def _walk(browser: Any, url: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)

    page.goto(url + "/")
    page.fill("#search-q", "Hikvision")
    page.click("#search-go")
    page.wait_for_selector("article.result")
    assert "Hangzhou Hikvision Digital Technology" in page.inner_text("#results")
    _shot(page, "1-search")

    page.goto(url + "/")
    page.fill("#token", TOKEN)
    page.click("#token-save")
    page.wait_for_selector("#token-state:has-text('kept')")
    page.set_input_files("#screen-files", str(DEMO_CSV))
    page.locator("#screen").scroll_into_view_if_needed()
    _shot(page, "2-upload")
    page.click("#screen-submit")
    page.wait_for_url("**/ui/jobs/*")
    page.wait_for_selector("#job-links:not([hidden])", timeout=60_000)
    assert page.inner_text("#job-status") == "done"
    _shot(page, "3-job-done")

    page.click("#open-hits")
    page.wait_for_selector("article.hit")
    _shot(page, "4-hits")

    page.fill("#reviewer", "Ana Analyst")
    first = page.locator("article.hit").first
    first.locator("input[name=reason]").fill("model number of a Hikvision camera")
    first.locator("button.confirm").click()
    first.locator("[data-role=msg]:has-text('saved')").wait_for()
    assert first.locator("[data-role=status]").inner_text().lower() == "confirmed"
    first.scroll_into_view_if_needed()
    _shot(page, "5-confirmed")

    page.reload()
    assert page.locator("article.hit").first.get_attribute("class") == "hit status-confirmed"

    with context.expect_page() as opened:
        page.click("#open-report")
    report = opened.value
    report.wait_for_load_state("load")
    report.wait_for_timeout(1500)  # let the inline charts draw
    assert "/files/report.html" in report.url
    assert "1 of" in report.inner_text("body")
    _shot(report, "6-report")

    page.locator("article.hit a.entity").first.click()
    page.wait_for_selector("#entity")
    assert "Designations timeline" in page.inner_text("main")
    _shot(page, "7-entity")
    assert not errors, errors
    context.close()
