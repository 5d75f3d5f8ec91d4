"""The HTML report as text: escaping, no network resources, structure, errors and the CLI."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from procurewatch.cli import main
from procurewatch.errors import InputError
from procurewatch.report.html import build, render, script_json, write_report

from .composed import CHECKBOOK, FORMULA, HIKVISION, NDAA, XSS_VENDOR, hit, sample_hits, write_run

URL_ATTRIBUTES = {"src", "href", "srcset", "poster", "data", "action", "formaction", "xlink:href"}


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text of each script block."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data


def parse(html: str) -> Tags:
    tags = Tags()
    tags.feed(html)
    return tags


@pytest.fixture
def html(run_dir: Path) -> str:
    return write_report(run_dir).read_text(encoding="utf-8")


def test_data_is_escaped(html: str) -> None:
    assert XSS_VENDOR not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "=HYPERLINK(&#34;http://x&#34;)" in html
    assert FORMULA not in html
    assert not re.search(r"<a [^>]*href=[\"']?http", html)


def test_no_resource_is_loaded_from_the_network(html: str) -> None:
    for tag, attrs in parse(html).tags:
        for name, value in attrs.items():
            if name in URL_ATTRIBUTES and value is not None:
                assert not re.match(r"\s*(https?:)?//", value, re.I), f"<{tag} {name}={value!r}>"
                assert value.startswith(("#", "data:")), f"<{tag} {name}={value!r}>"
    assert not re.search(r"url\(\s*['\"]?\s*(https?:)?//", html, re.I)
    assert "@import" not in html


def test_data_cannot_close_a_script_block(run_dir: Path) -> None:
    hits = sample_hits()
    evil = "</script><script>alert(2)</script><!--"
    for item in hits:
        if item["vendor"] == XSS_VENDOR:
            item["vendor"] = evil
    html = write_report(write_run(run_dir, hits)).read_text(encoding="utf-8")
    tags = parse(html)
    scripts = [attrs for tag, attrs in tags.tags if tag == "script"]
    specs = [a for a in scripts if a.get("type") == "application/json"]
    # the tables' script, the vendored libraries and the bootstrap
    assert len(scripts) == len(specs) + 3
    for text in tags.scripts[: len(specs)]:
        json.loads(text)
    assert evil not in html
    escaped = script_json({"v": evil})
    assert "<" not in escaped
    assert json.loads(escaped) == {"v": evil}


def test_charts_and_sections(html: str) -> None:
    tags = parse(html)
    charts = [a.get("id") for t, a in tags.tags if t == "div" and "data-vega-spec" in a]
    assert charts == [
        "chart-months",
        "chart-months-cny",
        "chart-months-ban",
        "chart-timeline",
        "chart-vendors",
        "chart-buyers",
        "chart-map",
    ]
    specs = {a["id"]: s for (t, a), s in zip(
        [(t, a) for t, a in tags.tags if t == "script"], tags.scripts, strict=True)
        if a.get("type") == "application/json"}  # fmt: skip
    months = json.loads(str(specs["chart-months-spec"]))
    assert [m["day"] for m in months["datasets"]["markers"]] == [
        "2019-08-13",
        "2019-10-09",
        "2021-03-12",
    ]
    sections = ("findings", "headline", "charts", "places", "buyers", "entities", "evidence")
    at = [html.index(f'<section id="{section}"') for section in sections]
    assert at == sorted(at), "the findings come first, then figures, charts, tables, evidence"
    assert html.count('<details class="record" id="rec-') == 7
    assert "<mark>DS-2CD2143G2-I</mark>" in html
    assert "<mark>Hikvision</mark> DS-2DE4225IW-DE PTZ camera (qty 3)" in html


def test_no_hits_gives_a_report_without_charts(tmp_path: Path) -> None:
    html = write_report(write_run(tmp_path, [])).read_text(encoding="utf-8")
    assert "No hits: nothing in the screened records matched the watchlist." in html
    assert 'class="chart"' not in html
    assert "vegaEmbed" not in html  # no chart: the libraries are left out


def test_written_atomically_and_idempotent(run_dir: Path) -> None:
    first = write_report(run_dir).read_bytes()
    assert write_report(run_dir).read_bytes() == first
    assert sorted(p.name for p in run_dir.iterdir()) == [
        "hits.jsonl",
        "report.html",
        "summary.json",
    ]


def test_missing_or_bad_outputs(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"no summary\.json"):
        write_report(tmp_path)
    one = hit("b1", CHECKBOOK, 1, "2020-01-01", field="Vendor Name", matched="Hikvision",
              rule="vendor-name", entity=HIKVISION, lists=[NDAA])  # fmt: skip
    folder = write_run(tmp_path / "bad", [one])
    with (folder / "hits.jsonl").open("a", encoding="utf-8") as fh:
        fh.write("{not json\n")
    with pytest.raises(InputError, match=r"hits.jsonl:2: not a JSON line"):
        write_report(folder)


def test_cli_report_folder(run_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["report", str(run_dir)])
    assert capsys.readouterr().out.strip() == str(run_dir / "report.html")
    assert (run_dir / "report.html").is_file()


def test_cli_report_unknown_target(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["report", "run-nope", "--store", str(tmp_path / "store.duckdb")])
    assert exit_info.value.code == 1
    assert capsys.readouterr().err.startswith(
        "error: run-nope: neither an output folder nor a run id"
    )


def test_evidence_is_capped_but_figures_are_not(run_dir: Path) -> None:
    report, charts = build(run_dir)
    html = render(report, charts, max_evidence=2)
    assert html.count('<details class="record" id="rec-') == 2
    assert "5 more flagged records are not shown here" in html
    cap = html.index('id="cap"')
    assert cap < html.index('<section id="findings"'), "the cap is said at the top"
    assert "first 2 of" in html and "hits.jsonl" in html[cap : cap + 800]
    uncapped = render(report, charts)
    assert 'id="cap"' not in uncapped
    assert f">{report.headline.counted_records}</div>" in html


def test_one_process_at_a_time_builds_a_folders_report(tmp_path: Path) -> None:
    """Another process holding the folder's report lock makes write_report wait; once it is
    released, ``unless`` (asked under the lock) can skip a build another process just made."""
    import subprocess
    import sys
    import threading

    out = write_run(tmp_path / "run", sample_hits())
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import fcntl, os, sys; fd = os.open(sys.argv[1], os.O_RDONLY); "
         "fcntl.flock(fd, fcntl.LOCK_EX); print('held', flush=True); sys.stdin.readline()",
         str(out)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert holder.stdout is not None and holder.stdin is not None
    assert holder.stdout.readline().strip() == "held"
    done = threading.Event()
    worker = threading.Thread(target=lambda: (write_report(out), done.set()))
    worker.start()
    assert not done.wait(0.5)  # waiting on the other process
    assert not (out / "report.html").exists()
    holder.stdin.write("go\n")
    holder.stdin.flush()
    holder.wait()
    worker.join()
    assert done.is_set() and (out / "report.html").is_file()
    before = (out / "report.html").stat().st_mtime_ns
    write_report(out, unless=lambda: True)
    assert (out / "report.html").stat().st_mtime_ns == before
