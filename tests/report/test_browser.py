"""The report in a real headless Chromium (Debian's, through Playwright): it draws every chart and
makes no request at all besides opening its own file.

Skipped when ``/usr/bin/chromium`` or the ``playwright`` package is missing. Never run
``playwright install``: the test uses the system browser.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from procurewatch.report.html import write_report

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
CHARTS = ("chart-months", "chart-months-ban", "chart-timeline", "chart-buyers", "chart-map")
COUNT_MARKS = "gs => gs.reduce((n, g) => n + g.querySelectorAll('path, line, text').length, 0)"
"""JavaScript: the number of drawn elements inside Vega's mark groups."""


def open_offline(browser: Any, html: Path) -> tuple[Any, list[str], list[str]]:
    """A page showing ``html``; every request but the file itself is aborted and recorded.

    Returns the page, the other requests' URLs and the page's script errors.
    """
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    own = html.resolve().as_uri()
    others: list[str] = []
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    def route(r: Any) -> None:
        if r.request.url == own:
            r.continue_()
        else:
            others.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("request", lambda req: None if req.url == own else others.append(req.url))
    page.goto(own)
    page.wait_for_selector("body[data-charts='ready']", timeout=30_000)
    return page, others, errors


def test_report_draws_charts_offline(browser: Any, run_dir: Path) -> None:
    """Every chart container holds an SVG with marks; no request leaves the file."""
    page, others, errors = open_offline(browser, write_report(run_dir))
    try:
        for chart in CHARTS:
            state = page.get_attribute(f"#{chart}", "data-rendered")
            assert state == "true", f"{chart}: {state} ({page.inner_text(f'#{chart}')})"
            marks = page.locator(f"#{chart} svg .role-mark").evaluate_all(COUNT_MARKS)
            assert marks > 0, f"{chart}: the SVG has no marks"
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True)
        assert page.locator("#evidence details").count() == 7
        assert page.locator("text=<script>alert(1)</script>").count() >= 1
    finally:
        page.close()
    assert not others, f"the report made requests: {sorted(set(others))}"
    assert not errors, f"script errors: {errors}"


def test_demo_report_in_browser(browser: Any, tmp_path: Path) -> None:
    """``procurewatch demo`` writes a report that draws offline too.

    The demo files are part of the source tree, so their absence is a failure, not a skip; so is
    any error of the demo itself.
    """
    from procurewatch.cli import main

    demo = Path(__file__).resolve().parents[2] / "examples" / "demo"
    assert (demo / "city_checkbook_payments.csv").is_file(), f"the demo data is missing: {demo}"
    out = tmp_path / "demo"
    try:
        main(["demo", "--out", str(out), "--quiet"])
    except SystemExit as exc:
        assert exc.code in (0, None), f"procurewatch demo exited with {exc.code}"
    assert (out / "report.html").is_file(), "procurewatch demo wrote no report.html"
    page, others, errors = open_offline(browser, out / "report.html")
    try:
        assert page.locator("[data-rendered='error']").count() == 0
        assert page.locator(".chart svg").count() >= 1
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "report-demo.png"), full_page=True)
    finally:
        page.close()
    assert not others, f"the demo report made requests: {sorted(set(others))}"
    assert not errors, f"script errors: {errors}"
