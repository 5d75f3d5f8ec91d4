"""The story-first parts of the report on composed hits: findings, glosses, the charts that must
not mislead (bars that end, one scale per currency). Pure: no files, no browser."""

from __future__ import annotations

import csv
from importlib import resources

from procurewatch.report.charts import month_chart, month_charts, timeline_chart, vendor_chart
from procurewatch.report.glossary import english_label, gloss, glossary

from .composed import DAHUA_USA, ENTITY_LIST, FCC, FEDERAL, NDAA, hit, sample_hits
from .test_aggregate import build


def test_findings_put_purchases_after_a_ban_first() -> None:
    report = build()
    first = report.findings[0]
    assert first.buyer == "喀什地区公安局"  # the largest amount bought while a ban was in force
    assert {eid for eid, _ in first.entities} == {"hytera", "psb-kashgar"}
    assert first.records == (report.records.index(next(
        r for r in report.records if r.buyer == "喀什地区公安局")),)  # fmt: skip
    assert first.in_force and first.first_in_force == "2021-08-19"
    assert [f.in_force for f in report.findings] == sorted(
        (f.in_force for f in report.findings), reverse=True
    )
    yarkant = next(f for f in report.findings if f.buyer == "莎车县人民政府")
    assert not yarkant.in_force and yarkant.in_force_usd == 0
    assert yarkant.first == yarkant.last == "2017-08-21"
    assert all("Annke" not in name for f in report.findings for _, name in f.entities), "leads"
    counted = sum(len(f.records) for f in report.findings)
    assert counted == report.headline.counted_records, "one row per buyer and vendor"


def test_glosses_come_from_the_glossary_with_pinyin() -> None:
    found = gloss("乌鲁木齐市公安局")
    assert found is not None and found.complete
    assert found.english == "Urumqi City Public Security Bureau"
    assert found.pinyin == "Wūlǔmùqí shì gōng'ānjú"
    assert gloss("新疆") is not None and gloss("新疆").english == "Xinjiang"  # type: ignore[union-attr]
    partial = gloss("新疆天山智安科技有限公司")
    assert partial is not None and not partial.complete
    assert partial.english.startswith("Xinjiang Tiān") and partial.english.endswith("Co. Ltd.")
    assert gloss("Springfield Police Department, IL") is None
    assert (
        english_label("莎车县人民政府")
        == "Yarkant (Shache) County People's Government (莎车县人民政府)"
    )
    assert english_label("新疆天山智安科技有限公司") == "新疆天山智安科技有限公司", (
        "partial: as given"
    )


def test_every_glossary_term_has_a_documented_source() -> None:
    data = resources.files("procurewatch.report") / "data"
    rows = list(csv.DictReader(data.joinpath("glossary.csv").read_text("utf-8").splitlines()))
    assert len(rows) == len(glossary()), "no term twice"
    notes = data.joinpath("glossary.md").read_text("utf-8")
    for row in rows:
        assert row["english"].strip() and row["kind"] in ("place", "body", "company"), row
        assert f"`{row['source']}`" in notes, row
    assert glossary()["公安局"] == "Public Security Bureau"


def test_timeline_bars_end_where_a_relation_or_designation_ends() -> None:
    sold = [dict(d, via_until="2022-11-24") for d in (NDAA, FCC)]
    hits = [
        *sample_hits(),
        hit("h20", FEDERAL, 30, "2021-05-03", field="recipient_name", matched="Lorex",
            rule="vendor-name", entity=("lorex", "Lorex Technology Inc."), lists=sold,
            vendor="Lorex", buyer="Fort Bragg", amount="5000", currency="USD"),
        hit("h21", FEDERAL, 31, "2021-05-03", field="recipient_name", matched="Dahua USA",
            rule="vendor-name", entity=DAHUA_USA, lists=[dict(ENTITY_LIST, ended="2023-01-31")],
            vendor="Dahua USA", buyer="Fort Bragg", amount="5000", currency="USD"),
    ]  # fmt: skip
    report = build(hits)
    chart = timeline_chart(report)
    assert chart is not None
    bars = chart.spec["datasets"]["designations"]
    lorex = [b for b in bars if b["entity"] == "Lorex Technology Inc."]
    assert lorex and all(b["end"] == "2022-11-24" and not b["open"] for b in lorex)
    assert all("relation ended" in b["ended"] for b in lorex)
    ended = [b for b in bars if b["entity"] == DAHUA_USA[1] and b["end"] == "2023-01-31"]
    assert ended and "designation ended" in ended[0]["ended"]
    hikvision = [b for b in bars if b["entity"].startswith("Hangzhou Hikvision")]
    assert hikvision and all(b["open"] and b["end"] == report.as_of for b in hikvision)


def test_monthly_spending_gets_one_scale_per_currency() -> None:
    charts = month_charts(build())
    assert [c.id for c in charts] == ["chart-months", "chart-months-cny"]
    usd = charts[0].spec["datasets"]["months"]
    assert "USD" in charts[0].title and max(m["amount"] for m in usd) < 100_000
    cny = charts[1].spec["datasets"]["months"]
    assert "CNY" in charts[1].title and max(m["amount"] for m in cny) > 600_000_000


def test_vendor_chart_labels_in_english_and_keeps_full_names() -> None:
    chart = vendor_chart(build())
    assert chart is not None and chart.id == "chart-vendors"
    rows = chart.spec["datasets"]["buyers"]
    dahua = next(r for r in rows if r["name"] == "浙江大华技术股份有限公司")
    assert dahua["label"] == "Zhejiang Dahua Technology Co. Ltd. (joint-stock)"
    tooltip = chart.spec["layer"][0]["encoding"]["tooltip"]
    assert tooltip[0] == {"field": "name", "title": "vendor"}


def test_after_ban_chart_shows_every_currency_on_a_log_scale() -> None:
    report = build()
    chart = month_chart(report, after_ban=True)
    assert chart is not None and "logarithmic" in chart.caption
    bars = chart.spec["layer"][0]["encoding"]
    assert bars["y"]["scale"] == {"type": "symlog"} and bars["y"]["stack"] is None
    assert bars["color"]["field"] == "currency"
    rows = chart.spec["datasets"]["months"]
    assert {r["currency"] for r in rows} == {"USD", "CNY"}
    assert sum(r["records"] for r in rows) == report.headline.in_force_records


def test_runs_without_relation_dates_say_their_bars_cannot_end() -> None:
    old = sample_hits()
    for item in old:
        for d in item["designations"]:
            d.pop("via_until", None)
        if item["entity_id"] == DAHUA_USA[0]:
            for d in item["designations"]:
                d["via"] = ["subsidiary_of dahua"]
    notes = " ".join(build(old).notes)
    assert "screen the files again" in notes and DAHUA_USA[1] in notes
    fresh = sample_hits()
    for item in fresh:
        for d in item["designations"]:
            d["via_until"] = None
    assert "screen the files again" not in " ".join(build(fresh).notes)
