"""The review UI's pages: they render, and everything that came from data is escaped."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from web_helpers import Api

SCRIPT = "<script>alert(1)</script>"
IMG = '<img src=x onerror="alert(2)">'


def _hostile_csv(tmp_path: Path) -> Path:
    path = tmp_path / "payments.csv"
    path.write_text(
        "Check Date,Vendor Name,Department,Invoice Description,Amount\n"
        f'03/10/2022,{SCRIPT},"Police {IMG}",Hikvision DS-2CD2143G2-I dome camera {SCRIPT},100.00\n'
        f"04/11/2022,Hikvision USA Inc {SCRIPT},Parks,NVR,200.00\n",
        encoding="utf-8",
    )
    return path


class _Tags(HTMLParser):
    """Every start tag of a page, with its attributes, as a browser's parser would see them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _assert_escaped(html: str) -> None:
    assert SCRIPT not in html and "<img src=x" not in html
    parser = _Tags()
    parser.feed(html)
    scripts = [attrs for tag, attrs in parser.tags if tag == "script"]
    assert scripts == [{"src": "/ui/static/app.js", "defer": None}], scripts
    assert not [tag for tag, _ in parser.tags if tag == "img"]
    assert not [a for _, attrs in parser.tags for a in attrs if a.startswith("on")]


def test_data_from_an_upload_is_escaped_on_every_page(api: Api, tmp_path: Path) -> None:
    job = api.screen(_hostile_csv(tmp_path), name=f"{IMG}.csv")
    done = api.wait(job["job_id"])
    assert done["status"] == "done", done
    run_id = done["run_id"]
    hits = api.get(f"/runs/{run_id}/hits").json()["hits"]
    assert any(h["vendor"] == SCRIPT for h in hits), "the vendor reached the store as it was"
    pages = {
        "run": api.get(f"/ui/runs/{run_id}"),
        "job": api.get(f"/ui/jobs/{job['job_id']}"),
        "home": api.get("/"),
        "entity": api.get("/ui/entities/hikvision"),
        "search": api.get("/ui/search", params={"q": SCRIPT}),
    }
    for name, page in pages.items():
        assert page.status_code == 200, name
        _assert_escaped(page.text)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages["run"].text
    assert "&lt;img src=x" in pages["job"].text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages["entity"].text
    report = api.get(f"/runs/{run_id}/files/report.html").text
    assert SCRIPT not in report


def test_matched_text_is_highlighted_in_its_field(screened: tuple[Api, str]) -> None:
    api, run_id = screened
    page = api.get(f"/ui/runs/{run_id}", params={"rule": "model", "sort": "-score"}).text
    assert re.search(r"<mark>DS-2[A-Z0-9-]+</mark>", page)
    assert 'data-endpoint="/hits/' in page and 'data-decision="confirm"' in page


def test_search_page_shows_scores_designations_and_explanation(api: Api) -> None:
    page = api.get("/ui/search", params={"q": "Hikvision", "date": "2021-01-01"})
    assert page.status_code == 200
    assert "Hangzhou Hikvision Digital Technology" in page.text
    assert "1.00" in page.text and "name_match" in page.text
    assert "NDAA FY2019 sec. 889" in page.text
    bad_date = api.get("/ui/search", params={"q": "Dahua", "date": "soon"})
    assert bad_date.status_code == 200 and "is not a date" in bad_date.text


def test_ui_errors_are_pages(api: Api) -> None:
    page = api.get("/ui/runs/run-nope", headers={"accept": "text/html"})
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "no run" in page.text
    assert api.get("/ui/static/app.js").headers["content-type"].startswith("text/javascript")
    assert api.get("/ui/static/../app.py").status_code == 404


def test_run_list_shows_inputs_dates_and_counts(screened: tuple[Api, str]) -> None:
    api, run_id = screened
    page = api.get("/").text
    runs_table = page[page.index('id="runs"') :]
    row = runs_table[: runs_table.index(f"<code>{run_id}</code>")]
    assert "city_checkbook_payments.csv" in row, "the run is named by its input file"
    assert re.search(r'<td class="date">\d{4}-\d{2}-\d{2} \d{2}:\d{2}</td>', row)
    assert "<th>Inputs</th>" in page and "Finished (UTC)" in page
    runs = api.get("/runs").json()["runs"]
    assert runs[0]["inputs"] and runs[0]["inputs"][0].endswith("city_checkbook_payments.csv")


def test_hits_filter_by_buyer_vendor_entity_and_ban(screened: tuple[Api, str]) -> None:
    api, run_id = screened
    every = api.get(f"/runs/{run_id}/hits", params={"limit": 500}).json()["hits"]
    buyer = next(h["buyer"] for h in every if h["buyer"])
    by_buyer = api.get(f"/runs/{run_id}/hits", params={"buyer": buyer.lower()}).json()
    assert 0 < by_buyer["total"] < len(every)
    assert all(buyer.lower() in h["buyer"].lower() for h in by_buyer["hits"])
    vendor = next(h["vendor"] for h in every if h["vendor"])
    by_vendor = api.get(f"/runs/{run_id}/hits", params={"vendor": vendor}).json()
    assert by_vendor["total"] >= 1 and all(vendor in h["vendor"] for h in by_vendor["hits"])

    page = api.get(f"/ui/runs/{run_id}", params={"buyer": buyer, "in_force": "yes"}).text
    shown = re.findall(r'<article class="hit', page)
    expected = [h for h in every if buyer.lower() in (h["buyer"] or "").lower() and h["in_force"]]
    assert len(shown) == min(25, len(expected))
    assert 'id="filter-entity"' in page and '<option value="hikvision"' in page
    assert '<option value="yes" selected>' in page
    none = api.get(f"/ui/runs/{run_id}", params={"vendor": "no such vendor at all"}).text
    assert '<article class="hit' not in none and "0 hits" in none
    assert api.get(f"/ui/runs/{run_id}", params={"in_force": "maybe"}).status_code == 422


def test_amounts_carry_their_currency(screened: tuple[Api, str]) -> None:
    api, run_id = screened
    page = api.get(f"/ui/runs/{run_id}").text
    amounts = re.findall(r'<dd class="amount">([^<]*)</dd>', page)
    assert amounts, "the checkbook hits have amounts"
    assert all(re.search(r"\b(USD|CNY|EUR)\b", a) for a in amounts), amounts
    assert any("taken as USD" in a for a in amounts), "the checkbook gives no currency"


def test_the_filter_form_with_empty_fields_means_any(screened: tuple[Api, str]) -> None:
    """The form sends every field; empty ones must not be a 422."""
    api, run_id = screened
    every = "status=&buyer=&vendor=&entity=&in_force=&rule=&min_score=&q=&sort=row"
    page = api.get(f"/ui/runs/{run_id}?{every}")
    assert page.status_code == 200, page.text[:300]
    total = api.get(f"/runs/{run_id}/hits").json()["total"]
    assert f"{total} hits" in page.text
    high = api.get(f"/ui/runs/{run_id}?min_score=0.99&status=pending")
    assert high.status_code == 200 and 'value="0.99"' in high.text
    assert api.get(f"/ui/runs/{run_id}?min_score=2").status_code == 422
    assert api.get(f"/ui/runs/{run_id}?status=maybe").status_code == 422


def test_record_dates_are_shown_in_iso_form(screened: tuple[Api, str]) -> None:
    api, run_id = screened
    page = api.get(f"/ui/runs/{run_id}").text
    days = re.findall(r'<dd class="date" title="as given: ([^"]*)">([^<]*)</dd>', page)
    assert days, "the checkbook hits have dates"
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", iso) for _, iso in days), days
    assert any(given != iso for given, iso in days), "the checkbook writes MM/DD/YYYY"
