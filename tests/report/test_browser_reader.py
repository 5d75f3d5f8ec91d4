"""What a reader must see in the demo's report, in Debian's Chromium at desktop and phone widths:
the findings table first (sortable), a timeline bar that ends (Lorex, sold by Dahua on
2022-11-24), Chinese buyers with English glosses, every amount with its currency, evidence in
pages with a search box, and a page less than half as tall as before issue 18.

Skipped when Chromium, Playwright or the demo data is missing. Screenshots go to
``test-artifacts/report-reader-*.png``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from procurewatch.report.html import write_report

from .test_browser import ARTIFACTS, open_offline

pytestmark = pytest.mark.browser

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo"
WIDTHS = {"desktop": 1280, "phone": 390}
HEIGHT_BEFORE = 16_613
"""The demo report's height at 1280 px before issue 18 (measured in this Chromium)."""


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (DEMO / "city_checkbook_payments.csv").is_file():
        pytest.skip("needs the demo data in examples/demo")
    from procurewatch.cli import main

    out = tmp_path_factory.mktemp("demo") / "out"
    store = out.parent / "store.duckdb"
    main(["demo", "--out", str(out), "--store", str(store), "--quiet"])
    return write_report(out, store=store)


@pytest.fixture(params=sorted(WIDTHS))
def page(request: pytest.FixtureRequest, browser: Any, demo_report: Path) -> Any:
    shown, others, errors = open_offline(browser, demo_report, WIDTHS[request.param])
    shown.width_name = request.param
    yield shown
    shown.close()
    assert not others, f"the report made requests: {sorted(set(others))}"
    assert not errors, f"script errors: {errors}"


def test_findings_come_first_and_sort(page: Any) -> None:
    sections = page.eval_on_selector_all("main > section", "els => els.map(e => e.id)")
    assert sections[0] == "findings", sections
    table = page.locator("#findings-table")
    assert table.is_visible()
    heads = [h.strip() for h in table.locator("thead th").all_inner_texts()]
    assert heads[:3] == ["buyer", "vendor", "listed entities"] and "ban in force" in heads
    rows = table.locator("tbody tr:visible")
    assert rows.count() == 7, "the seven largest first; the rest behind 'Show all'"
    assert rows.first.locator(".badge.b-force").is_visible(), "after-ban purchases come first"
    page.click("#findings-table thead th:nth-child(6) button")  # total (USD), ascending
    totals = [float(v) for v in table.locator("tbody tr td:nth-child(6)").evaluate_all(
        "tds => tds.map(td => td.getAttribute('data-value'))")]  # fmt: skip
    assert totals == sorted(totals) and len(totals) > 7, "sorting shows every finding"
    page.screenshot(path=str(_artifact(page, "findings")))


def test_timeline_bars_end_where_ownership_ended(page: Any) -> None:
    bars = page.locator(
        "#chart-timeline svg path[aria-label*='Lorex Technology'][aria-label*='list:']"
    )
    labels = bars.evaluate_all("ps => ps.map(p => p.getAttribute('aria-label'))")
    assert labels and all("Nov 24, 2022" in label for label in labels), labels
    assert all("relation ended" in label for label in labels)
    lorex = max(
        b["x"] + b["width"] for b in (bars.nth(i).bounding_box() for i in range(len(labels)))
    )
    open_bars = page.locator(
        "#chart-timeline svg path[aria-label*='Hangzhou Hikvision'][aria-label*='list:']"
    )
    hikvision = max(open_bars.nth(i).bounding_box()["x"] + open_bars.nth(i).bounding_box()["width"]
                    for i in range(open_bars.count()))  # fmt: skip
    assert lorex < hikvision - 20, "Lorex's bars stop well before the open-ended ones"


def test_chinese_buyers_have_english_glosses(page: Any) -> None:
    glosses = page.locator("#findings-table .gloss").all_inner_texts()
    assert any("Public Security Bureau" in g for g in glosses), glosses
    assert any("Xinjiang" in g for g in glosses)
    font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "WenQuanYi Zen Hei" in font and "Noto Sans CJK SC" in font


def test_every_amount_has_its_currency_and_dates_are_iso(page: Any) -> None:
    amounts = page.locator("#evidence details.record:visible .amount").all_inner_texts()
    assert amounts and all(re.search(r"\b(USD|CNY)$|no amount", a) for a in amounts), amounts
    days = page.locator("#evidence details.record:visible summary strong").all_inner_texts()
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}|no date", d) for d in days), days


def test_evidence_pages_and_search(page: Any) -> None:
    records = page.locator("#evidence details.record")
    total = records.count()
    assert total > 40, "the demo flags some fifty records"
    assert page.locator("#evidence details.record:visible").count() == 20
    page.fill("#evidence-search", "喀什地区公安局")
    visible = page.locator("#evidence details.record:visible")
    assert 0 < visible.count() < 20
    assert all("喀什地区公安局" in t for t in visible.all_inner_texts())
    assert f"of {total} records" in page.inner_text("#evidence-count")
    page.fill("#evidence-search", "")
    page.click("#evidence-next")
    assert f"page 2 of {-(-total // 20)}" in page.inner_text("#evidence-page")
    first = page.locator("#evidence details.record:visible").first
    assert first.get_attribute("id") == "rec-20"
    first.locator("summary").click()
    link = first.locator("a[href^='#ent-']").first
    target = link.get_attribute("href")
    assert page.locator(target).count() == 1, "each entity's designation table is in one place"


def test_report_fits_and_is_less_than_half_as_tall(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTHS[page.width_name], "nothing overflows the page sideways"
    page.screenshot(path=str(_artifact(page, "full")), full_page=True)
    if page.width_name == "desktop":
        height = page.evaluate("document.documentElement.scrollHeight")
        assert height < HEIGHT_BEFORE / 2, f"{height} px"


def _artifact(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / f"report-reader-{name}-{page.width_name}.png"
