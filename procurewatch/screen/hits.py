"""A hit: one piece of evidence that a record involves a listed entity. Pure data."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

HIT_COLUMNS = (
    "hit_id",
    "source_file",
    "row",
    "field",
    "matched_text",
    "rule",
    "entity_id",
    "entity_name",
    "score",
    "lists",
    "in_force",
    "record_date",
    "vendor",
    "buyer",
    "amount",
    "currency",
    "description",
    "via",
    "lead",
    "explanation",
)
"""Columns of ``hits.csv`` in order (DESIGN.md contract plus evidence columns)."""

RULES = {
    "vendor-name": "the vendor/supplier/payee name matches a watchlist name",
    "parent-name": "the vendor's parent company name matches a watchlist name",
    "buyer-name": "the buyer itself is a listed entity",
    "text-name": "a listed company's name appears in a description",
    "text-brand": "a brand of a listed company appears in a description",
    "text-alias": "another name of a listed company appears in a description",
    "model": "a model number of a listed maker's product family appears in a description",
    "identifier": "a registry identifier of a listed entity appears in the record",
}
"""The rules a hit can come from, with a sentence each for reports."""


@dataclass(frozen=True, slots=True)
class Hit:
    """Evidence that one field of one record points at a watchlist entity."""

    source_file: str
    row: int
    field: str
    matched_text: str
    rule: str
    entity_id: str
    entity_name: str
    score: float
    lists: tuple[str, ...]
    in_force: bool | None
    record_date: str | None = None
    vendor: str | None = None
    buyer: str | None = None
    amount: str | None = None
    currency: str | None = None
    description: str | None = None
    via: str = ""
    lead: bool = False
    explanation: str = ""
    span: tuple[int, int] | None = None
    designations: tuple[dict[str, Any], ...] = dataclasses.field(default_factory=tuple)
    input_sha256: str = ""
    set_aside: str = ""
    """Why the context rules set this mention aside (an exclusion clause, a reference use, a
    place or a person): empty for a hit. A set-aside mention goes to ``set_aside.csv``, not
    ``hits.csv``; a reviewer can confirm it into a hit."""

    hit_id: str = dataclasses.field(init=False, repr=False, compare=False)
    """A stable id: the same evidence in the same input file gets the same id on a re-screen
    (worked out once, when the hit is made)."""

    def __post_init__(self) -> None:
        key = "|".join(
            (
                self.input_sha256 or self.source_file,
                str(self.row),
                self.field,
                self.entity_id,
                self.rule,
                self.matched_text,
            )
        )
        object.__setattr__(self, "hit_id", hashlib.sha1(key.encode("utf-8")).hexdigest()[:16])

    def row_dict(self) -> dict[str, Any]:
        """The flat form written to ``hits.csv``."""
        data = dict(zip(HIT_COLUMNS, _ROW_VALUES(self), strict=True))
        data["lists"] = ";".join(self.lists)
        data["in_force"] = "" if self.in_force is None else str(self.in_force).lower()
        data["lead"] = str(self.lead).lower()
        return data

    def json_dict(self) -> dict[str, Any]:
        """The full form written to ``hits.jsonl`` (with designations and the text span)."""
        data = dict(zip(_FIELD_NAMES, _FIELD_VALUES(self), strict=True))
        data["lists"] = list(self.lists)
        data["span"] = list(self.span) if self.span else None
        data["designations"] = list(self.designations)
        return data


SET_ASIDE_COLUMNS = (
    "hit_id", "source_file", "row", "field", "matched_text", "entity_id", "entity_name",
    "reason", "text",
)  # fmt: skip
"""Columns of ``set_aside.csv`` (DESIGN.md: file, row, field, text, entity, reason)."""


def hit_from_json(data: dict[str, Any]) -> Hit:
    """A :class:`Hit` from its :meth:`Hit.json_dict` form (a ``hits.jsonl`` line read back)."""
    values = {k: v for k, v in data.items() if k in _INIT_FIELDS}
    values["lists"] = tuple(values.get("lists") or ())
    values["span"] = tuple(values["span"]) if values.get("span") else None
    values["designations"] = tuple(values.get("designations") or ())
    return Hit(**values)


def split_set_aside(hits: Iterable[Hit]) -> tuple[list[Hit], list[Hit]]:
    """``(hits, set_aside)``: the mentions the context rules kept, and those they set aside."""
    kept: list[Hit] = []
    aside: list[Hit] = []
    for hit in hits:
        (aside if hit.set_aside else kept).append(hit)
    return kept, aside


def set_aside_row(hit: Hit) -> dict[str, Any]:
    """One row of ``set_aside.csv``: the mention, its entity, the reason and the field's text."""
    return {
        "hit_id": hit.hit_id, "source_file": hit.source_file, "row": hit.row,
        "field": hit.field, "matched_text": hit.matched_text, "entity_id": hit.entity_id,
        "entity_name": hit.entity_name, "reason": hit.set_aside, "text": hit.description,
    }  # fmt: skip


_FIELD_NAMES = tuple(f.name for f in dataclasses.fields(Hit))
_INIT_FIELDS = frozenset(f.name for f in dataclasses.fields(Hit) if f.init)
"""The fields of :class:`Hit` in order, ``hit_id`` last (looked up once, not per hit)."""
_FIELD_VALUES = attrgetter(*_FIELD_NAMES)
_ROW_VALUES = attrgetter(*HIT_COLUMNS)
