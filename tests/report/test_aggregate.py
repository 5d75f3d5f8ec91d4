"""The report's figures on composed hits (see ``conftest.py``): pure, no files."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from procurewatch.report.aggregate import build_report
from procurewatch.report.evidence import ReviewState, highlight, short_list_name
from procurewatch.report.places import cn_region_in_text, us_state_in_text
from procurewatch.report.records import usd_of

from .composed import CHECKBOOK, ENTITY_LIST, HIKVISION, NDAA, hit, sample_hits, sample_summary

CNY_RATE = 0.15


def fake_fx(amount: float, currency: str, day: date | None) -> tuple[float | None, str]:
    """A fixed-rate converter standing in for ``procurewatch.currency.to_usd``."""
    if currency == "USD":
        return amount, "USD"
    if currency == "CNY":
        return round(amount * CNY_RATE, 2), "CNY at 0.15"
    return None, f"{currency}: no rate"


def build(hits: list[dict[str, Any]] | None = None, **kwargs: Any) -> Any:
    items = sample_hits() if hits is None else hits
    return build_report(items, sample_summary(items), fx=kwargs.pop("fx", fake_fx), **kwargs)


def test_a_record_with_two_hits_counts_once() -> None:
    report = build()
    first = report.records[1]
    assert first.key == (CHECKBOOK, 10)
    assert [e.hit_id for e in first.evidence] == ["h01", "h02"]
    assert report.headline.hits == 9
    assert report.headline.flagged_records == 7
    assert report.headline.counted_records == 6  # the Annke row is a lead only
    assert report.headline.lead_only_records == 1
    springfield = next(g for g in report.buyers if g.name.startswith("Springfield Police"))
    assert len(springfield.records) == 1
    assert springfield.amount_usd == 4812.50
    hikvision = next(g for g in report.entities if g.key == "hikvision")
    assert len(hikvision.records) == 3


def test_headline_amounts_and_amount_after_first_ban() -> None:
    h = build().headline
    yarkant, kashgar = 4_314_790_000.00 * CNY_RATE, 8_650_000.00 * CNY_RATE
    assert h.total_usd == pytest.approx(4812.50 + 18250 + 96400 + yarkant + kashgar + 2400)
    # in force: 2020-02 Hikvision, 2019-09 Dahua USA, 2021-08 Hytera/Kashgar PSB, 2022-05 Hikvision
    assert h.in_force_usd == pytest.approx(18250 + 96400 + kashgar + 2400)
    assert h.in_force_records == 4
    assert h.records_screened == 216
    assert h.distinct_buyers == 6
    assert dict(h.hits_by_rule) == {"model": 3, "vendor-name": 3, "text-brand": 2, "buyer-name": 1}


def test_without_fx_only_dollars_are_summed_and_others_listed() -> None:
    report = build(fx=None)
    assert report.headline.total_usd == pytest.approx(4812.50 + 18250 + 96400 + 2400)
    assert report.headline.unconverted == (("CNY", 4_323_440_000.00, 2),)
    assert any("taken as US dollars" in n for n in report.notes)


def test_dismissed_hits_leave_the_figures() -> None:
    dismissed = ReviewState("dismissed", "dismissed by test: not a purchase")
    report = build(statuses={"h09": dismissed})
    assert report.headline.counted_records == 5
    assert report.headline.dismissed_records == 1
    assert report.headline.in_force_usd == pytest.approx(18250 + 96400 + 8_650_000 * CNY_RATE)
    xss_record = next(r for r in report.records if r.key[1] == 140)
    assert xss_record.status == "dismissed"
    assert xss_record.evidence[0].review.startswith("dismissed by test")


def test_hits_without_date_or_amount() -> None:
    items = [
        hit(
            "x1",
            CHECKBOOK,
            3,
            "",
            field="Invoice Description",
            matched="Hikvision",
            rule="text-brand",
            entity=HIKVISION,
            lists=[NDAA],
            vendor="Acme",
            description="Hikvision cameras",
        )
    ]
    items[0]["record_date"] = None
    report = build(items)
    assert report.headline.counted_records == 1
    assert report.headline.total_usd == 0
    assert report.months == ()
    assert any("no readable date" in n for n in report.notes)
    assert any("no readable amount" in n for n in report.notes)


def test_months_and_designation_markers() -> None:
    report = build()
    months = {(m.month, m.in_force): m.amount_usd for m in report.months}
    assert months[("2017-11", False)] == 4812.50
    assert months[("2020-02", True)] == 18250
    assert [(m.day, m.label) for m in report.markers] == [
        ("2019-08-13", "NDAA FY2019 sec. 889(a)(1)(A)"),
        ("2019-10-09", "Entity List (EL)"),
        ("2021-03-12", "FCC Covered List"),
    ]


def test_entity_designations_are_deduplicated_timeline_rows() -> None:
    hikvision = next(g for g in build().entities if g.key == "hikvision")
    assert [(d.label, d.start) for d in hikvision.designations] == [
        ("NDAA FY2019 sec. 889(a)(1)(A)", "2019-08-13"),
        ("Entity List (EL)", "2019-10-09"),
        ("FCC Covered List", "2021-03-12"),
    ]
    assert hikvision.products == (
        "Hikvision",
        "DS-2DE4225IW-DE",
        "DS-2DE4A425IW-DE",
        "DS-2CD2143G2-I",
    )


def test_places_only_when_beyond_doubt() -> None:
    report = build()
    assert [(g.name, len(g.records)) for g in report.places] == [
        ("China · Xinjiang", 1),
        ("United States · Texas", 2),
        ("United States · Illinois", 1),
    ]
    assert us_state_in_text("Kansas City Police Department") is None
    assert us_state_in_text("Nevada County Sheriff") is None
    assert us_state_in_text("West Virginia State Police") == "WV"
    assert us_state_in_text("City of Seattle, WA") == "WA"
    assert us_state_in_text("Washington Metropolitan Area Transit Authority") is None
    assert cn_region_in_text("乌鲁木齐市公安局") == "Xinjiang"
    assert cn_region_in_text("策勒县人民政府") is None


def test_highlight_uses_the_span_and_falls_back_to_the_whole_match() -> None:
    text_hit = hit(
        "s1",
        CHECKBOOK,
        1,
        "2020-01-01",
        field="Invoice Description",
        matched="DS-2CD2143G2-I",
        rule="model",
        entity=HIKVISION,
        lists=[ENTITY_LIST],
        description="2x DS-2CD2143G2-I domes",
    )
    assert highlight(text_hit) == ("2x ", "DS-2CD2143G2-I", " domes")
    name_hit = {**text_hit, "span": None, "matched_text": "HIKVISION USA INC"}
    assert highlight(name_hit) == ("", "HIKVISION USA INC", "")


def test_short_list_names() -> None:
    assert short_list_name(str(NDAA["list_name"])) == "NDAA FY2019 sec. 889(a)(1)(A)"
    assert short_list_name("", "us-ofac-sdn") == "us-ofac-sdn"


def test_usd_of_without_fx() -> None:
    assert usd_of(10.0, "USD", None, None) == (10.0, "USD: no conversion")
    assert usd_of(10.0, "EUR", None, None)[0] is None
    assert usd_of(None, "USD", None, None) == (None, "no amount")
