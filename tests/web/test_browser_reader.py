"""The review UI as a reader sees it, in Debian's Chromium at desktop and phone widths: runs
named by their input files with dates and counts, hits filtered by buyer and ban state, Chinese
buyers with English glosses, amounts with their currency.

Screenshots go to ``test-artifacts/web-reader-*.png``.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from live_server import serve
from web_helpers import DEMO_CSV, REPO, Api, make_app

pytestmark = pytest.mark.browser

BIDS = DEMO_CSV.parent / "xinjiang_bidding_results.csv"
WIDTHS = {"desktop": 1280, "phone": 390}
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO / "test-artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, str]]:
    """A live service with the demo checkbook and the Chinese bids screened:
    ``(url, checkbook run, bids run)``."""
    if not BIDS.is_file():
        pytest.skip("needs the demo data in examples/demo")
    app = make_app(tmp_path_factory.mktemp("reader"))
    api = Api(app)
    try:
        checkbook = api.screened(DEMO_CSV)
        bids = api.screened(BIDS)
        with serve(app) as url:
            yield url, checkbook, bids
    finally:
        api.close()
        app.state.service.jobs.close()


@pytest.fixture(scope="module")
def chromium(served: tuple[str, str, str]) -> Iterator[Any]:
    """Chromium, started after the runs are screened (the in-process client and Playwright's
    sync API each run an event loop; they must not overlap)."""
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="the playwright Python package is not installed"
    )
    if not CHROMIUM.is_file() and shutil.which("chromium") is None:
        pytest.skip(f"Debian's chromium is not installed at {CHROMIUM}")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


@pytest.fixture(params=sorted(WIDTHS))
def page(request: pytest.FixtureRequest, chromium: Any) -> Iterator[Any]:
    context = chromium.new_context(viewport={"width": WIDTHS[request.param], "height": 900})
    shown = context.new_page()
    errors: list[str] = []
    shown.on("pageerror", lambda exc: errors.append(str(exc)))
    shown.width_name = request.param
    yield shown
    context.close()
    assert not errors, errors


def _shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"web-reader-{name}-{page.width_name}.png"))


def test_runs_are_listed_by_their_inputs(page: Any, served: tuple[str, str, str]) -> None:
    url = served[0]
    page.goto(url + "/")
    runs = page.locator("#runs tbody tr")
    assert runs.count() == 2
    text = runs.all_inner_texts()
    assert any("xinjiang_bidding_results.csv" in t for t in text)
    assert any("city_checkbook_payments.csv" in t for t in text)
    dates = page.locator("#runs td.date").all_inner_texts()
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", d.strip()) for d in dates), dates
    page.locator("#runs").scroll_into_view_if_needed()
    _shot(page, "runs")
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[page.width_name]


def test_chinese_buyers_are_glossed_and_amounts_have_currency(
    page: Any, served: tuple[str, str, str]
) -> None:
    url, _, bids = served
    page.goto(f"{url}/ui/runs/{bids}")
    glosses = page.locator("article.hit .gloss").all_inner_texts()
    assert any("Public Security Bureau" in g for g in glosses), glosses
    amounts = page.locator("article.hit dd.amount").all_inner_texts()
    assert amounts and all(re.search(r"\b(CNY|USD)\b", a) for a in amounts), amounts
    _shot(page, "bids")


def test_hits_filter_by_buyer_and_ban(page: Any, served: tuple[str, str, str]) -> None:
    url, _, bids = served
    page.goto(f"{url}/ui/runs/{bids}")
    every = page.locator("article.hit").count()
    page.fill("#filter-buyer", "公安局")
    page.select_option("#filter-in-force", "yes")
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(r"buyer="))
    hits = page.locator("article.hit")
    assert 0 < hits.count() < every
    for text in hits.all_inner_texts():
        assert "公安局" in text and "ban in force" in text
    _shot(page, "filtered")


def test_checkbook_amounts_say_the_currency_was_assumed(
    page: Any, served: tuple[str, str, str]
) -> None:
    url, checkbook, _ = served
    page.goto(f"{url}/ui/runs/{checkbook}")
    amounts = page.locator("article.hit dd.amount").all_inner_texts()
    assert amounts and all("USD" in a for a in amounts), amounts


def test_repo_has_the_docs_screenshots() -> None:
    """The README shows the report and the UI (made by scripts/screenshots.py)."""
    shots = REPO / "docs" / "screenshots"
    for name in (
        "report-desktop.png",
        "report-phone.png",
        "ui-run-desktop.png",
        "ui-run-phone.png",
    ):
        assert (shots / name).is_file(), name
    assert "docs/screenshots/report-desktop.png" in (REPO / "README.md").read_text("utf-8")
