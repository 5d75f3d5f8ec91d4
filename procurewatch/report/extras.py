"""Optional inputs of the report from modules that may be missing: FX rates, review decisions.

Both are imported lazily and guarded. Without them the report still works: amounts are summed
only when in US dollars (an amount without a currency is taken as US dollars) and every hit is
shown as pending. Each function also returns the sentence the report prints about the case.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, cast

from procurewatch.report.evidence import ReviewState, Status
from procurewatch.report.records import FxFunction

STATUSES: tuple[Status, ...] = ("pending", "confirmed", "dismissed")


def _optional(module: str) -> Any:
    """The module, or None when it (not one of its own imports) is missing."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name != module:
            raise
        return None


def fx_function() -> tuple[FxFunction | None, str]:
    """``procurewatch.currency.to_usd`` if importable, with a note on how amounts were converted."""
    module = _optional("procurewatch.currency")
    to_usd = getattr(module, "to_usd", None)
    if to_usd is None:
        return None, (
            "Exchange rates were not available (procurewatch.currency is not installed): only "
            "amounts in US dollars are summed; other currencies are listed apart."
        )
    note = (
        "Amounts in other currencies were converted to US dollars with procurewatch.currency "
        "(monthly average rate of the record's month, source: ECB); each record shows its rate."
    )
    return cast(FxFunction, to_usd), note


def review_statuses(
    store: Path | None, hits: Sequence[Mapping[str, Any]]
) -> tuple[dict[str, ReviewState], str]:
    """Review states per hit id from ``procurewatch.review.status_of``, with a note.

    Every hit is pending when the module is missing or no store with decisions is found.
    """
    module = _optional("procurewatch.review")
    if module is None or not hasattr(module, "status_of"):
        return {}, (
            "Review decisions were not available (procurewatch.review is not installed): "
            "every hit is shown as pending."
        )
    if store is None or not store.is_file():
        return {}, "No store with review decisions was found: every hit is shown as pending."
    refs = [
        module.HitRef(
            str(h.get("hit_id") or ""),
            str(h.get("entity_id") or ""),
            str(h.get("matched_text") or ""),
            str(h.get("field") or ""),
            h.get("vendor"),
        )
        for h in hits
    ]
    found = module.status_of(store, refs)
    states = {str(k): _state(v) for k, v in found.items()}
    decided = sum(1 for v in states.values() if v.status != "pending")
    return states, (
        f"Review decisions from the store {store.name}: {decided} of {len(states)} hit(s) decided. "
        "Dismissed hits are shown in the evidence but left out of every figure."
    )


def _state(value: Any) -> ReviewState:
    """A ``procurewatch.review.HitStatus`` as a :class:`ReviewState`."""
    status = str(getattr(value, "status", value))
    if status not in STATUSES or status == "pending":
        return ReviewState()
    who, why = str(getattr(value, "reviewer", "") or ""), str(getattr(value, "reason", "") or "")
    label = str(getattr(value, "label", status))
    detail = label + (f" by {who}" if who else "") + (f": {why}" if why else "")
    return ReviewState(cast(Status, status), detail)


def input_notes(summary: Mapping[str, Any]) -> list[str]:
    """For each input of ``summary.json``, the columns read for each role (with the amount's
    unit and currency), then what could not be decided about its amounts and dates."""
    from procurewatch.ingest.base import FieldMap
    from procurewatch.ingest.columns import describe_field_map
    from procurewatch.ingest.valueformat import AmountFormat, ValueFormats

    lines = []
    for item in summary.get("inputs") or []:
        raw = item.get("field_map") if isinstance(item, Mapping) else None
        if not isinstance(raw, Mapping):
            continue
        formats = raw.get("formats") or {}
        amount = AmountFormat(**(formats.get("amount") or {}))
        value_formats = ValueFormats(amount, bool(formats.get("day_first")))
        roles: dict[str, Any] = {
            k: tuple(v) if isinstance(v, list) else v for k, v in raw.items() if k != "formats"
        }
        try:
            fmap = FieldMap(**roles, formats=value_formats)
        except TypeError:
            continue
        lines.append(f"Columns read in {item.get('path')}: {describe_field_map(fmap)}.")
    lines.extend(f"Note on {note}" for note in summary.get("notes") or [])
    return lines
