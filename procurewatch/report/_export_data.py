"""What every export starts from: a screen's output folder read back, with review status and USD.

Hits are grouped into flagged records (one source row with one or more hits). A record is
**confirmed** if any of its hits is, **dismissed** if all of them are, else **pending**. Amounts
are parsed once per record and converted to US dollars at the record date's monthly rate.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from procurewatch import settings
from procurewatch.currency import default_table, to_usd
from procurewatch.errors import InputError
from procurewatch.review.decisions import status_of
from procurewatch.review.model import CONFIRMED, DISMISSED, PENDING, HitStatus
from procurewatch.screen.hits import Hit, hit_from_json
from procurewatch.screen.values import currency_of, parse_amount, parse_date


def read_hits(path: Path) -> list[Hit]:
    """Every hit of a ``hits.jsonl`` file; an InputError names the bad line."""
    hits: list[Hit] = []
    with path.open(encoding="utf-8") as fh:
        for line_no, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                hits.append(hit_from_json(json.loads(line)))
            except (ValueError, TypeError) as exc:
                raise InputError(
                    f"not a hit written by procurewatch screen ({exc})",
                    path=str(path),
                    line=line_no,
                ) from None
    return hits


@dataclass
class Record:
    """One flagged source record and its hits, with status, amount in USD and the FX note."""

    source_file: str
    row: int
    hits: list[Hit]
    statuses: list[HitStatus]
    amount: float | None = None
    currency: str | None = None
    day: date | None = None
    usd: float | None = None
    fx_note: str = ""

    @property
    def first(self) -> Hit:
        """The record's first hit (vendor, buyer, date, amount and description are per record)."""
        return self.hits[0]

    @property
    def status(self) -> str:
        """confirmed if any hit is, dismissed if all are, else pending."""
        states = {s.status for s in self.statuses}
        if CONFIRMED in states:
            return CONFIRMED
        return DISMISSED if states == {DISMISSED} else PENDING

    @property
    def live_hits(self) -> list[Hit]:
        """The hits not dismissed."""
        return [h for h, s in zip(self.hits, self.statuses, strict=True) if s.status != DISMISSED]

    @property
    def in_force(self) -> bool:
        """A ban on a listed entity was in force on the record's date (by a hit not dismissed)."""
        return any(h.in_force for h in self.live_hits)


CURRENCY_FORMATS = {"usaspending": "USD"}
"""Input formats whose amounts are always in one currency (USAspending reports US dollars)."""
_CODE = re.compile(r"\b([A-Z]{3})\b")


def input_currency(item: Mapping[str, Any]) -> tuple[str, str] | None:
    """``(currency, why)`` for an input of ``summary.json`` whose records give none themselves.

    From the input format (USAspending: USD) or the amount column's name (``中标金额(元)``: CNY,
    ``Amount (EUR)``: EUR).
    """
    fmt = str(item.get("format") or "")
    for prefix, code in CURRENCY_FORMATS.items():
        if fmt.startswith(prefix):
            return code, f"{prefix} amounts are in {code}"
    column = str((item.get("field_map") or {}).get("amount") or "")
    sign = currency_of(column, None, None)
    codes = [c for c in _CODE.findall(column) if c in default_table().currencies()]
    found = codes[0] if codes else sign
    return (found, f"currency from the amount column {column!r}") if found else None


def _iso_day(iso: str | None) -> date | None:
    try:
        return date.fromisoformat(iso) if iso else None
    except ValueError:
        return None


def _money(record: Record, fallback: tuple[str, str] | None) -> None:
    hit = record.first
    record.amount = hit.amount_value if hit.amount_value is not None else parse_amount(hit.amount)
    record.currency = currency_of(hit.amount, hit.currency, None)
    record.day = _iso_day(hit.date) or parse_date(hit.record_date)
    why = ""
    if not record.currency and fallback is not None:
        record.currency, why = fallback
    if record.amount is None:
        record.fx_note = "no amount"
    elif not record.currency:
        record.fx_note = "no currency given; not converted (screen with --currency to set one)"
    else:
        record.usd, record.fx_note = to_usd(record.amount, record.currency, record.day)
        record.fx_note += f"; {why}" if why else ""


def group_records(
    hits: list[Hit], status: dict[str, HitStatus], inputs: Sequence[Mapping[str, Any]] = ()
) -> list[Record]:
    """Flagged records in input order, each with its hits, their statuses and USD amount.

    ``inputs`` (of ``summary.json``) tell the currency of inputs whose rows give none.
    """
    fallbacks = {str(i.get("path")): input_currency(i) for i in inputs}
    records: dict[tuple[str, int], Record] = {}
    for hit in hits:
        key = (hit.source_file, hit.row)
        if key not in records:
            records[key] = Record(hit.source_file, hit.row, [], [])
        records[key].hits.append(hit)
        records[key].statuses.append(status[hit.hit_id])
    for record in records.values():
        _money(record, fallbacks.get(record.source_file))
    return list(records.values())


@dataclass
class ExportData:
    """A screen's output read back, ready for any export format."""

    out_dir: Path
    summary: dict[str, Any]
    hits: list[Hit]
    status: dict[str, HitStatus]
    records: list[Record]
    store_path: Path | None = None
    """The store the review status came from, when there is one."""

    _by_key: dict[tuple[str, int], Record] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._by_key = {(r.source_file, r.row): r for r in self.records}

    @property
    def reviewed(self) -> bool:
        """Whether review status came from a store (else every hit is pending)."""
        return self.store_path is not None

    def record_of(self, hit: Hit) -> Record:
        """The record a hit belongs to."""
        return self._by_key[hit.source_file, hit.row]


def load_export(out_dir: Path, store_path: Path | None = None) -> ExportData:
    """Read ``out_dir`` (``hits.jsonl``, ``summary.json``) and the review status from the store."""
    hits_path, summary_path = out_dir / "hits.jsonl", out_dir / "summary.json"
    for path in (hits_path, summary_path):
        if not path.is_file():
            raise InputError(
                f"no {path.name} here; run `procurewatch screen ... --out {out_dir}` first",
                path=str(out_dir),
            )
    try:
        summary = json.loads(summary_path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise InputError(f"not valid JSON ({exc})", path=str(summary_path)) from None
    hits = read_hits(hits_path)
    store_path = settings.decisions_store(out_dir, store_path)
    reviewed = store_path is not None and store_path.is_file()
    status = status_of(store_path if reviewed else None, hits)
    records = group_records(hits, status, summary.get("inputs") or [])
    return ExportData(out_dir, summary, hits, status, records, store_path if reviewed else None)
