"""A hand-written screening run for the report tests (used by ``conftest.py``).

The hits below were composed for these tests: real company names, brands, buyers and model
numbers, in the shape of ``hits.jsonl`` lines, but no row is a real procurement record. They do
not come from the screen, so the report tests do not depend on the matcher.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

XSS_VENDOR = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://x")'

NDAA = {
    "list": "us-ndaa-889-a1a",
    "list_name": "NDAA FY2019 sec. 889(a)(1)(A): prohibition on federal procurement of covered "
    "telecommunications and video surveillance equipment or services",
    "authority": "US Congress (implemented in FAR subpart 4.21)",
    "listed": "2018-08-13",
    "in_force_from": "2019-08-13",
    "ended": None,
    "citation": "Pub. L. 115-232, sec. 889(a)(1)(A)",
    "source": "pl-115-232",
}
ENTITY_LIST = {
    "list": "us-bis-entity-list",
    "list_name": "Entity List (EL)",
    "authority": "US Department of Commerce, Bureau of Industry and Security (BIS)",
    "listed": "2019-10-09",
    "in_force_from": "2019-10-09",
    "ended": None,
    "citation": "84 FR 54002",
    "source": "fr-2019-22210",
}
FCC = {
    "list": "us-fcc-covered-list",
    "list_name": "FCC Covered List (equipment and services covered by section 2 of the Secure "
    "Networks Act)",
    "authority": "US Federal Communications Commission (FCC)",
    "listed": "2021-03-12",
    "in_force_from": "2021-03-12",
    "ended": None,
    "citation": "FCC Covered List",
    "source": "fcc-covered-list",
}


def designation(
    base: dict[str, Any], holder: str, day: str, via: list[str] | None = None
) -> dict[str, Any]:
    """A designation as the screen records it, in force on ``day`` or not."""
    return {
        **base,
        "holder": holder,
        "via": via or [],
        "in_force": day >= str(base["in_force_from"]),
    }


def hit(
    hit_id: str,
    source: str,
    row: int,
    day: str,
    *,
    field: str,
    matched: str,
    rule: str,
    entity: tuple[str, str],
    lists: list[dict[str, Any]],
    **record: Any,
) -> dict[str, Any]:
    """One ``hits.jsonl`` line; ``record``: vendor, buyer, amount, currency, description, lead."""
    designations = [designation(d, entity[0], day) for d in lists]
    description = record.get("description")
    span = None
    if description and matched in description and field != "vendor":
        start = description.index(matched)
        span = [start, start + len(matched)]
    return {
        "hit_id": hit_id,
        "source_file": source,
        "row": row,
        "field": field,
        "matched_text": matched,
        "rule": rule,
        "entity_id": entity[0],
        "entity_name": entity[1],
        "score": record.get("score", 0.97),
        "lists": [d["list"] for d in designations],
        "in_force": any(d["in_force"] for d in designations) if designations else None,
        "record_date": day,
        "vendor": record.get("vendor"),
        "buyer": record.get("buyer"),
        "amount": record.get("amount"),
        "currency": record.get("currency"),
        "description": description,
        "via": record.get("via", ""),
        "lead": record.get("lead", False),
        "explanation": record.get("explanation", f"{rule}: {matched!r} -> {entity[1]}"),
        "span": span,
        "designations": designations,
        "input_sha256": "",
    }


HIKVISION = ("hikvision", "Hangzhou Hikvision Digital Technology Co., Ltd.")
DAHUA = ("dahua", "Zhejiang Dahua Technology Co., Ltd.")
DAHUA_USA = ("dahua-usa", "Dahua Technology USA Inc.")
HYTERA = ("hytera", "Hytera Communications Corporation Limited")
PSB_KASHGAR = ("psb-kashgar", "Kashgar Prefecture Public Security Bureau")
ANNKE = ("annke", "Annke")

CHECKBOOK = "city_checkbook_payments.csv"
FEDERAL = "usaspending_contracts_award.csv"
BIDS = "xinjiang_bidding_results.csv"


def sample_hits() -> list[dict[str, Any]]:
    """Seven composed records, nine hits (record 1 has two hits; one record is a lead only)."""
    pre = {
        "vendor": "Tri-County Security Systems LLC",
        "buyer": "Springfield Police Department, IL",
        "amount": "4,812.50",
        "description": "Hikvision DS-2DE4225IW-DE PTZ camera (qty 3)",
    }
    post = {
        "vendor": "GULF COAST LOW VOLTAGE LLC",
        "buyer": "Harris County Sheriff's Office, TX",
        "amount": "18,250.00",
        "currency": "USD",
        "description": "DS-2DE4A425IW-DE PTZ cameras, Federal Grants Fund",
    }
    npsrec = {
        "vendor": "DAHUA TECHNOLOGY USA INC.",
        "buyer": "National Park Service",
        "amount": "96400.00",
        "currency": "USD",
        "description": "DAHUA IPC-HFW3441E-AS BULLET CAMERAS",
    }
    yarkant = {
        "vendor": "浙江大华技术股份有限公司",
        "buyer": "莎车县人民政府",
        "amount": "4314790000.00",
        "currency": "CNY",
        "description": "莎车县平安城市项目：视频监控前端、视频专网、指挥中心",
    }
    kashgar = {
        "vendor": "海能达通信股份有限公司",
        "buyer": "喀什地区公安局",
        "amount": "8650000.00",
        "currency": "CNY",
        "description": "PDT数字集群对讲机及基站",
    }
    lead = {
        "vendor": "B&H Foto & Electronics Corp",
        "buyer": "Springfield Parks Department, IL",
        "amount": "899.99",
        "description": "Annke C800 4K PoE cameras",
        "lead": True,
    }
    xss = {
        "vendor": XSS_VENDOR,
        "buyer": "City of Austin, TX",
        "amount": "2,400.00",
        "description": f"{FORMULA} Hikvision DS-2CD2143G2-I dome cameras",
    }
    return [
        hit(
            "h01",
            CHECKBOOK,
            10,
            "2017-11-02",
            field="Invoice Description",
            matched="Hikvision",
            rule="text-brand",
            entity=HIKVISION,
            lists=[NDAA, ENTITY_LIST, FCC],
            **pre,
        ),
        hit(
            "h02",
            CHECKBOOK,
            10,
            "2017-11-02",
            field="Invoice Description",
            matched="DS-2DE4225IW-DE",
            rule="model",
            entity=HIKVISION,
            lists=[NDAA, ENTITY_LIST, FCC],
            **pre,
        ),
        hit(
            "h03",
            CHECKBOOK,
            55,
            "2020-02-11",
            field="Invoice Description",
            matched="DS-2DE4A425IW-DE",
            rule="model",
            entity=HIKVISION,
            lists=[NDAA, ENTITY_LIST, FCC],
            **post,
        ),
        hit(
            "h04",
            FEDERAL,
            14,
            "2019-09-16",
            field="recipient_name",
            matched="DAHUA TECHNOLOGY USA INC.",
            rule="vendor-name",
            entity=DAHUA_USA,
            lists=[NDAA, FCC],
            via="subsidiary_of dahua",
            **npsrec,
        ),
        hit(
            "h05",
            BIDS,
            7,
            "2017-08-21",
            field="中标供应商",
            matched="浙江大华技术股份有限公司",
            rule="vendor-name",
            entity=DAHUA,
            lists=[NDAA, ENTITY_LIST, FCC],
            **yarkant,
        ),
        hit(
            "h06",
            BIDS,
            23,
            "2021-08-19",
            field="中标供应商",
            matched="海能达通信股份有限公司",
            rule="vendor-name",
            entity=HYTERA,
            lists=[NDAA, FCC],
            **kashgar,
        ),
        hit(
            "h07",
            BIDS,
            23,
            "2021-08-19",
            field="采购人",
            matched="喀什地区公安局",
            rule="buyer-name",
            entity=PSB_KASHGAR,
            lists=[ENTITY_LIST],
            **kashgar,
        ),
        hit(
            "h08",
            CHECKBOOK,
            87,
            "2021-06-01",
            field="Invoice Description",
            matched="Annke",
            rule="text-brand",
            entity=ANNKE,
            lists=[],
            **lead,
        ),
        hit(
            "h09",
            CHECKBOOK,
            140,
            "2022-05-03",
            field="Invoice Description",
            matched="DS-2CD2143G2-I",
            rule="model",
            entity=HIKVISION,
            lists=[NDAA, ENTITY_LIST, FCC],
            **xss,
        ),
    ]


def sample_summary(hits: list[dict[str, Any]]) -> dict[str, Any]:
    """A ``summary.json`` matching :func:`sample_hits` (216 records screened)."""
    return {
        "run_id": "run-20240701-120000-abc123",
        "started_at": "2024-07-01T12:00:00+00:00",
        "finished_at": "2024-07-01T12:00:04+00:00",
        "engine": "local",
        "records": 216,
        "flagged_records": 7,
        "rejected_rows": 3,
        "hits": len(hits),
        "hits_in_force": 0,
        "hits_by_rule": {},
        "hits_by_entity": {},
        "inputs": [],
        "lists": ["bundled"],
        "parameters": {},
    }


def write_run(folder: Path, hits: list[dict[str, Any]]) -> Path:
    """Write ``hits.jsonl`` and ``summary.json`` for ``hits`` into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = (json.dumps(h, ensure_ascii=False) + "\n" for h in hits)
    (folder / "hits.jsonl").write_text("".join(lines), encoding="utf-8")
    (folder / "summary.json").write_text(json.dumps(sample_summary(hits)), encoding="utf-8")
    return folder
