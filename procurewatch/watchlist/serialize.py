"""Plain-dict form of the model: the shape of the YAML data files and of stored list versions.

``entity_from_dict(entity_to_dict(e)) == e`` for every entity. Dates are ISO strings or
``datetime.date`` (YAML parses bare ISO dates); unknown keys are an error so that typos in data
files do not pass silently.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from procurewatch.errors import WatchlistError
from procurewatch.model import (
    NAME_KINDS,
    RELATION_KINDS,
    SCHEMAS,
    Designation,
    Entity,
    Identifier,
    ListInfo,
    Name,
    ProductFamily,
    Relation,
    Source,
)

Data = Mapping[str, Any]


def parse_date(value: object, where: str) -> date | None:
    """An ISO date (``2019-10-09``, or ``2018-02`` meaning the 1st) or None."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if len(text) == 7:
        text += "-01"
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise WatchlistError(f"{where}: {value!r} is not an ISO date (YYYY-MM-DD)") from None


def _check_keys(data: Data, allowed: set[str], where: str) -> None:
    unknown = set(data) - allowed
    if unknown:
        raise WatchlistError(
            f"{where}: unknown field(s) {sorted(unknown)}; allowed: {sorted(allowed)}"
        )


def _req(data: Data, key: str, where: str) -> str:
    value = data.get(key)
    if value is None or str(value).strip() == "":
        raise WatchlistError(f"{where}: field {key!r} is required")
    return str(value)


def _opt(data: Data, key: str) -> str | None:
    value = data.get(key)
    return None if value is None or value == "" else str(value)


def name_from_dict(data: Data, where: str) -> Name:
    """A :class:`Name` from ``{value, kind, lang, source, weak}``."""
    _check_keys(data, {"value", "kind", "lang", "source", "weak"}, where)
    kind = str(data.get("kind", "alias"))
    if kind not in NAME_KINDS:
        raise WatchlistError(f"{where}: name kind {kind!r} is not one of {NAME_KINDS}")
    return Name(
        value=_req(data, "value", where),
        kind=kind,
        lang=_opt(data, "lang"),
        source=str(data.get("source", "")),
        weak=bool(data.get("weak", False)),
    )


def designation_from_dict(data: Data, where: str) -> Designation:
    """A :class:`Designation` from ``{list, listed, in_force, ended, scope, citation, source}``."""
    _check_keys(data, {"list", "listed", "in_force", "ended", "scope", "citation", "source"}, where)
    return Designation(
        list_id=_req(data, "list", where),
        listed=parse_date(data.get("listed"), where),
        in_force=parse_date(data.get("in_force"), where),
        ended=parse_date(data.get("ended"), where),
        scope=_opt(data, "scope"),
        citation=_opt(data, "citation"),
        source=str(data.get("source", "")),
    )


def relation_from_dict(data: Data, where: str) -> Relation:
    """A :class:`Relation` from ``{kind, target, start, end, source, lead, note}``."""
    _check_keys(data, {"kind", "target", "start", "end", "source", "lead", "note"}, where)
    kind = _req(data, "kind", where)
    if kind not in RELATION_KINDS:
        raise WatchlistError(f"{where}: relation kind {kind!r} is not one of {RELATION_KINDS}")
    return Relation(
        kind=kind,
        target=_req(data, "target", where),
        start=parse_date(data.get("start"), where),
        end=parse_date(data.get("end"), where),
        source=str(data.get("source", "")),
        lead=bool(data.get("lead", False)),
        note=_opt(data, "note"),
    )


ENTITY_KEYS = {
    "id",
    "schema",
    "caption",
    "names",
    "countries",
    "identifiers",
    "designations",
    "relations",
    "addresses",
    "sources",
    "lead",
    "notes",
    "dataset",
}


def entity_from_dict(data: Data, where: str = "entity") -> Entity:
    """An :class:`Entity` from its dict form (see the data README for the fields)."""
    entity_id = _req(data, "id", where)
    where = f"{where} {entity_id!r}"
    _check_keys(data, ENTITY_KEYS, where)
    schema = _req(data, "schema", where)
    if schema not in SCHEMAS:
        raise WatchlistError(f"{where}: schema {schema!r} is not one of {SCHEMAS}")
    idents = tuple(
        Identifier(_req(i, "scheme", where), _req(i, "value", where), str(i.get("source", "")))
        for i in data.get("identifiers") or ()
    )
    return Entity(
        id=entity_id,
        schema=schema,
        caption=_req(data, "caption", where),
        names=tuple(name_from_dict(n, where) for n in data.get("names") or ()),
        countries=tuple(str(c).lower() for c in data.get("countries") or ()),
        identifiers=idents,
        designations=tuple(designation_from_dict(d, where) for d in data.get("designations") or ()),
        relations=tuple(relation_from_dict(r, where) for r in data.get("relations") or ()),
        addresses=tuple(str(a) for a in data.get("addresses") or ()),
        sources=tuple(str(s) for s in data.get("sources") or ()),
        lead=bool(data.get("lead", False)),
        notes=_opt(data, "notes"),
        dataset=str(data.get("dataset", "bundled")),
    )


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _drop_empty(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v not in (None, (), [], "", False)}


def entity_to_dict(entity: Entity) -> dict[str, Any]:
    """The dict form of an entity; empty fields are left out."""
    return _drop_empty(
        {
            "id": entity.id,
            "schema": entity.schema,
            "caption": entity.caption,
            "names": [
                _drop_empty(
                    {
                        "value": n.value,
                        "kind": n.kind,
                        "lang": n.lang,
                        "source": n.source,
                        "weak": n.weak,
                    }
                )
                for n in entity.names
            ],
            "countries": list(entity.countries),
            "identifiers": [
                _drop_empty({"scheme": i.scheme, "value": i.value, "source": i.source})
                for i in entity.identifiers
            ],
            "designations": [
                _drop_empty(
                    {
                        "list": d.list_id,
                        "listed": _iso(d.listed),
                        "in_force": _iso(d.in_force),
                        "ended": _iso(d.ended),
                        "scope": d.scope,
                        "citation": d.citation,
                        "source": d.source,
                    }
                )
                for d in entity.designations
            ],
            "relations": [
                _drop_empty(
                    {
                        "kind": r.kind,
                        "target": r.target,
                        "start": _iso(r.start),
                        "end": _iso(r.end),
                        "source": r.source,
                        "lead": r.lead,
                        "note": r.note,
                    }
                )
                for r in entity.relations
            ],
            "addresses": list(entity.addresses),
            "sources": list(entity.sources),
            "lead": entity.lead,
            "notes": entity.notes,
            "dataset": entity.dataset if entity.dataset != "bundled" else None,
        }
    )


def source_from_dict(data: Data, where: str = "source") -> Source:
    """A :class:`Source` from ``{id, title, url, date, licence, note}``."""
    _check_keys(data, {"id", "title", "url", "date", "licence", "note"}, where)
    return Source(
        id=_req(data, "id", where),
        title=_req(data, "title", where),
        url=_opt(data, "url"),
        date=_opt(data, "date"),
        licence=_opt(data, "licence"),
        note=_opt(data, "note"),
    )


def list_info_from_dict(data: Data, where: str = "list") -> ListInfo:
    """A :class:`ListInfo` from its dict form."""
    keys = {"id", "name", "authority", "jurisdiction", "program", "citation", "url"}
    _check_keys(data, keys | {"covers_affiliates", "source"}, where)
    return ListInfo(
        id=_req(data, "id", where),
        name=_req(data, "name", where),
        authority=_req(data, "authority", where),
        jurisdiction=_req(data, "jurisdiction", where),
        program=_opt(data, "program"),
        citation=_opt(data, "citation"),
        url=_opt(data, "url"),
        covers_affiliates=bool(data.get("covers_affiliates", False)),
        source=str(data.get("source", "")),
    )


def list_info_to_dict(info: ListInfo) -> dict[str, Any]:
    """The dict form of a list definition."""
    return _drop_empty(
        {
            "id": info.id,
            "name": info.name,
            "authority": info.authority,
            "jurisdiction": info.jurisdiction,
            "program": info.program,
            "citation": info.citation,
            "url": info.url,
            "covers_affiliates": info.covers_affiliates,
            "source": info.source,
        }
    )


def product_from_dict(data: Data, where: str = "product") -> ProductFamily:
    """A :class:`ProductFamily` from its dict form."""
    keys = {"id", "entity", "name", "pattern", "examples", "counter_examples"}
    _check_keys(data, keys | {"needs_context", "source"}, where)
    return ProductFamily(
        id=_req(data, "id", where),
        entity_id=_req(data, "entity", where),
        name=_req(data, "name", where),
        pattern=_req(data, "pattern", where),
        examples=tuple(str(x) for x in data.get("examples") or ()),
        counter_examples=tuple(str(x) for x in data.get("counter_examples") or ()),
        needs_context=bool(data.get("needs_context", False)),
        source=str(data.get("source", "")),
    )
