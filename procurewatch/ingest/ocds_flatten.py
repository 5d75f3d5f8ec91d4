"""Flatten one OCDS release (1.0 or 1.1) into rows a screener can read. Pure; no I/O.

One row per award supplier and item, per contract item not already seen in its award, per
implementation transaction (the payee), and per tenderer who won nothing; a release with none of
these gives one row per tender item, or a single row. The ``role`` column says what the named
party (``supplier_name``/``supplier_id``) was: ``supplier``, ``payee`` or ``tenderer``.
``amount``/``currency`` are the value of the award, contract or transaction the row belongs to
(item rows of one award repeat it); ``date`` is the row's own date (award date, contract
signature, transaction date), falling back to ``release_date``. Data of the wrong shape (a string
where an object belongs) is skipped, never an error.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

Row = dict[str, str | None]

COLUMNS = (
    "ocid", "release_id", "release_date", "date", "buyer_name", "buyer_id",
    "tender_title", "tender_description", "tenderer_names",
    "award_id", "award_title", "award_description", "award_date",
    "contract_id", "contract_title", "contract_description",
    "role", "supplier_name", "supplier_id", "item_description", "item_classification",
    "amount", "currency",
)
"""The columns of every OCDS row."""


def _obj(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


def _dicts(value: Any) -> list[Mapping[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, bool) or value is None:
        return None if value is None else str(value).lower()
    if isinstance(value, int | float):
        return json.dumps(value)
    return None


class _Release:
    """A release with its parties indexed, and the fields every row repeats."""

    def __init__(self, release: Mapping[str, Any]) -> None:
        self.release = release
        self.parties = {_text(p.get("id")): p for p in _dicts(release.get("parties"))}
        tender = _obj(release.get("tender"))
        self.tender = tender
        self.date = _text(release.get("date"))
        buyer = _obj(release.get("buyer")) or _obj(tender.get("procuringEntity"))
        if not buyer:
            buyers = (p for p in self.parties.values() if "buyer" in (p.get("roles") or []))
            buyer = next(buyers, {})
        buyer_name, buyer_id = self.party(buyer)
        self.tenderers = [self.party(t) for t in _dicts(tender.get("tenderers"))]
        self.base: Row = {
            "ocid": _text(release.get("ocid")),
            "release_id": _text(release.get("id")),
            "release_date": self.date,
            "buyer_name": buyer_name,
            "buyer_id": buyer_id,
            "tender_title": _text(tender.get("title")),
            "tender_description": _text(tender.get("description")),
            "tenderer_names": "; ".join(n for n, _ in self.tenderers if n) or None,
        }

    def party(self, ref: Mapping[str, Any]) -> tuple[str | None, str | None]:
        """Name and identifier of an organization reference (1.1) or organization (1.0)."""
        full = self.parties.get(_text(ref.get("id")), {})
        identifier = _obj(ref.get("identifier")) or _obj(full.get("identifier"))
        name = _text(ref.get("name")) or _text(ref.get("legalName")) or _text(full.get("name"))
        name = name or _text(identifier.get("legalName"))
        return name, _text(identifier.get("id")) or _text(ref.get("id"))

    def row(self, **fields: str | None) -> Row:
        """A row: the release fields, then ``fields``; ``date`` defaults to the release date."""
        out = {name: self.base.get(name) for name in COLUMNS}
        out.update(fields)
        out["date"] = out.get("date") or self.date
        return out


def release_rows(release: Mapping[str, Any]) -> list[Row]:
    """The rows of one release."""
    ctx = _Release(release)
    awards = _dicts(release.get("awards"))
    seen: set[tuple[str | None, str | None]] = set()
    rows: list[Row] = []
    for award in awards:
        rows += _award_rows(ctx, award, seen)
    by_id = {_text(award.get("id")): award for award in awards}
    for contract in _dicts(release.get("contracts")):
        rows += _contract_rows(ctx, contract, by_id.get(_text(contract.get("awardID")), {}), seen)
    winners = {name for name, _ in seen if name}
    winners |= {row["supplier_name"] for row in rows if row["supplier_name"]}
    rows += _tenderer_rows(ctx, winners)
    if not rows:
        items = _dicts(ctx.tender.get("items")) or [{}]
        amount, currency = _value(ctx.tender.get("value"))
        rows = [ctx.row(**_item(item), amount=amount, currency=currency) for item in items]
    return rows


def _award_fields(award: Mapping[str, Any]) -> Row:
    return {
        "award_id": _text(award.get("id")),
        "award_title": _text(award.get("title")),
        "award_description": _text(award.get("description")),
        "award_date": _text(award.get("date")),
    }


def _award_rows(ctx: _Release, award: Mapping[str, Any], seen: set[tuple[str | None, str | None]]
                ) -> list[Row]:
    amount, currency = _value(award.get("value"))
    fields = _award_fields(award)
    rows = []
    for supplier in _dicts(award.get("suppliers")) or [{}]:
        name, ident = ctx.party(supplier)
        for item in _dicts(award.get("items")) or [{}]:
            described = _item(item)
            seen.add((name, described["item_description"]))
            rows.append(ctx.row(**fields, role="supplier" if name else None, supplier_name=name,
                                supplier_id=ident, **described, amount=amount,
                                currency=currency, date=fields["award_date"]))
    return rows


def _contract_rows(ctx: _Release, contract: Mapping[str, Any], award: Mapping[str, Any],
                   seen: set[tuple[str | None, str | None]]) -> list[Row]:
    fields = {**_award_fields(award), "contract_id": _text(contract.get("id")),
              "contract_title": _text(contract.get("title")),
              "contract_description": _text(contract.get("description"))}
    signed = _text(contract.get("dateSigned")) or fields["award_date"]
    amount, currency = _value(contract.get("value"))
    suppliers = _dicts(contract.get("suppliers")) or _dicts(award.get("suppliers")) or [{}]
    rows = []
    for supplier in suppliers:
        name, ident = ctx.party(supplier)
        for item in _dicts(contract.get("items")) or ([{}] if not award else []):
            described = _item(item)
            if (name, described["item_description"]) in seen:
                continue  # the award's rows have it already
            rows.append(ctx.row(**fields, role="supplier" if name else None, supplier_name=name,
                                supplier_id=ident, **described, amount=amount,
                                currency=currency, date=signed))
    for deal in _dicts(_obj(contract.get("implementation")).get("transactions")):
        payee = _obj(deal.get("payee")) or _obj(deal.get("receiverOrganization"))
        name, ident = ctx.party(payee)
        amount, currency = _value(deal.get("value") or deal.get("amount"))
        rows.append(ctx.row(**fields, role="payee", supplier_name=name, supplier_id=ident,
                            amount=amount, currency=currency,
                            date=_text(deal.get("date")) or signed))
    return rows


def _tenderer_rows(ctx: _Release, winners: set[str]) -> list[Row]:
    """Rows for tenderers who are not among the suppliers (names compared loosely)."""
    won = {_loose(name) for name in winners}
    rows = []
    for name, ident in ctx.tenderers:
        key = _loose(name or "")
        if not key or any(key.startswith(w) or w.startswith(key) for w in won if w):
            continue
        rows.append(ctx.row(role="tenderer", supplier_name=name, supplier_id=ident))
    return rows


def _loose(name: str) -> str:
    return "".join(name.casefold().split())


def _item(item: Mapping[str, Any]) -> Row:
    scheme = _obj(item.get("classification"))
    code = _text(scheme.get("id"))
    label = f"{_text(scheme.get('scheme'))}:{code}" if code and scheme.get("scheme") else code
    parts = [part for part in (label, _text(scheme.get("description"))) if part]
    return {"item_description": _text(item.get("description")),
            "item_classification": " ".join(parts) or None}


def _value(value: Any) -> tuple[str | None, str | None]:
    data = _obj(value)
    return _text(data.get("amount")), _text(data.get("currency"))
