"""Findings as FollowTheMoney entities (JSON lines) that Aleph and other FtM tools can load.

Per listed entity: a ``Company``/``Organization``/``PublicBody`` (schema, countries from the
watchlist) and a ``Sanction`` per designation the hits relied on. Per vendor a ``Company``, per
buyer a ``PublicBody``. Per flagged record (dismissed ones are left out): a ``Payment`` (buyer
pays vendor) for checkbook-style payment files, else a ``Contract`` (authority: the buyer) with a
``ContractAward`` to the vendor; amount, currency, US-dollar amount, date and description on
both. Per hit not dismissed: an ``UnknownLink`` from the listed entity to the contract (or, for a
payment, to the vendor) whose role states the evidence. Every entity is built with the
``followthemoney`` model and validated before it is written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from followthemoney import model
from followthemoney.proxy import EntityProxy

from procurewatch.report._export_data import ExportData, Record
from procurewatch.review.model import DISMISSED, vendor_key
from procurewatch.screen.hits import Hit

PREFIX = "procurewatch"
PAYMENT_FILE = re.compile(
    r"payment|checkbook|check.?register|expenditure|disburse|voucher|ledger", re.IGNORECASE
)
"""Input names (or formats) whose records are payments rather than contracts or awards."""
CONTRACT_FORMATS = ("usaspending", "ocds")


def validate(proxy: EntityProxy) -> None:
    """Raise ValueError unless ``proxy`` has its schema's required properties and valid values."""
    proxy.schema.validate({"properties": proxy.to_dict()["properties"]})
    missing = [p for p in proxy.schema.required if not proxy.get(p)]
    if missing or not proxy.id:
        raise ValueError(f"{proxy.schema.name} {proxy.id}: missing {', '.join(missing) or 'id'}")


def record_kind(source_file: str, fmt: str | None) -> str:
    """``payment`` for checkbook/expenditure files, else ``contract``."""
    if fmt in CONTRACT_FORMATS:
        return "contract"
    if PAYMENT_FILE.search(Path(source_file).name) or (fmt and PAYMENT_FILE.search(fmt)):
        return "payment"
    return "contract"


class FtmBuilder:
    """Collects entities by id (the same vendor in two records is one entity)."""

    def __init__(self, schemas: Mapping[str, tuple[str, tuple[str, ...]]]) -> None:
        self.schemas = schemas
        """Listed entity id -> (FtM schema, countries), from the watchlist."""
        self.entities: dict[str, EntityProxy] = {}

    def make(self, schema: str, key: tuple[str, ...], props: Mapping[str, Any]) -> EntityProxy:
        """Build (or merge into the existing) entity ``schema`` with id from ``key``."""
        proxy = model.make_entity(schema, key_prefix=PREFIX)
        proxy.make_id(*key)
        for prop, value in props.items():
            if value not in (None, "", [], ()):
                proxy.add(prop, value)
        validate(proxy)
        key_id = str(proxy.id)
        if key_id in self.entities:
            self.entities[key_id].merge(proxy)
        else:
            self.entities[key_id] = proxy
        return self.entities[key_id]

    def listed(self, hit: Hit) -> EntityProxy:
        """The listed entity of ``hit`` and its designations."""
        schema, countries = self.schemas.get(hit.entity_id, ("Company", ()))
        entity = self.make(
            schema,
            ("listed", hit.entity_id),
            {
                "name": hit.entity_name,
                "country": list(countries),
                "topics": "sanction" if hit.lists else None,
                "notes": f"procurewatch id {hit.entity_id}",
            },
        )
        for des in hit.designations:
            self.make(
                "Sanction",
                (
                    "sanction",
                    hit.entity_id,
                    str(des.get("list")),
                    str(des.get("holder")),
                    str(des.get("in_force_from")),
                ),
                {
                    "entity": entity.id,
                    "authority": des.get("authority"),
                    "program": des.get("list_name"),
                    "programId": des.get("list"),
                    "listingDate": des.get("listed"),
                    "startDate": des.get("in_force_from"),
                    "endDate": des.get("ended"),
                    "provisions": des.get("citation"),
                    "sourceUrl": des.get("source"),
                    "summary": f"designated through {', '.join(des.get('via') or [])}"
                    if des.get("via")
                    else None,
                },
            )
        return entity

    def party(self, name: str | None, schema: str, role: str) -> EntityProxy | None:
        """A vendor (``Company``) or buyer (``PublicBody``), one per normalized name."""
        if not name or not name.strip():
            return None
        return self.make(schema, (role, vendor_key(name) or name.strip().lower()), {"name": name})

    def record(self, record: Record, kind: str) -> tuple[EntityProxy, EntityProxy | None]:
        """The record's Payment, or Contract (+ ContractAward); returns (evidence target, award)."""
        hit = record.first
        buyer = self.party(hit.buyer, "PublicBody", "buyer")
        vendor = self.party(hit.vendor, "Company", "vendor")
        where = f"{Path(record.source_file).name} row {record.row}"
        money = {
            "amount": record.amount,
            "currency": record.currency,
            "amountUsd": record.usd,
            "description": hit.description,
        }
        day = record.day.isoformat() if record.day else None
        if kind == "payment" and buyer is not None and vendor is not None:
            self.make(
                "Payment",
                ("payment", record.source_file, str(record.row)),
                {
                    **money,
                    "payer": buyer.id,
                    "beneficiary": vendor.id,
                    "date": day,
                    "purpose": hit.description,
                    "recordId": where,
                    "namesMentioned": [h.entity_name for h in record.live_hits],
                },
            )
            return vendor, None
        title = (
            hit.description or f"{hit.buyer or 'unknown buyer'} / {hit.vendor or 'unknown vendor'}"
        )
        contract = self.make(
            "Contract",
            ("contract", record.source_file, str(record.row)),
            {
                **money,
                "title": title[:200],
                "authority": buyer.id if buyer else None,
                "contractDate": day,
                "notes": f"source: {where}",
            },
        )
        award = None
        if vendor is not None:
            award = self.make(
                "ContractAward",
                ("award", record.source_file, str(record.row)),
                {
                    **money,
                    "supplier": vendor.id,
                    "contract": contract.id,
                    "date": day,
                    "recordId": where,
                },
            )
        return contract, award

    def evidence(self, hit: Hit, listed: EntityProxy, target: EntityProxy) -> None:
        """An UnknownLink from the listed entity to the record (or its vendor) stating the hit."""
        role = (
            f"procurewatch hit {hit.hit_id}: {hit.rule} '{hit.matched_text}' in {hit.field} "
            f"(score {hit.score:.2f})"
        )
        self.make(
            "UnknownLink",
            ("evidence", hit.hit_id),
            {"subject": listed.id, "object": target.id, "role": role[:250]},
        )


def ftm_entities(
    data: ExportData, schemas: Mapping[str, tuple[str, tuple[str, ...]]]
) -> Iterator[dict[str, Any]]:
    """Every entity of the findings as FtM JSON dicts."""
    builder = FtmBuilder(schemas)
    formats = {str(i.get("path")): i.get("format") for i in data.summary.get("inputs") or []}
    for record in data.records:
        if record.status == DISMISSED:
            continue
        target, _ = builder.record(
            record, record_kind(record.source_file, formats.get(record.source_file))
        )
        for hit in record.live_hits:
            builder.evidence(hit, builder.listed(hit), target)
    for proxy in builder.entities.values():
        validate(proxy)
        yield proxy.to_dict()


def watchlist_schemas(store_path: Path | None) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Listed entity id -> (FtM schema, countries) from the watchlist (bundled + store)."""
    from procurewatch.errors import ProcurewatchError
    from procurewatch.watchlist.assemble import load_watchlist

    try:
        watchlist = load_watchlist(store_path)
    except ProcurewatchError:
        return {}
    out = {}
    for entity in watchlist.entities.values():
        schema = model.get(entity.schema)
        name = schema.name if schema is not None and schema.is_a("LegalEntity") else "Company"
        out[entity.id] = (name, tuple(entity.countries))
    return out
