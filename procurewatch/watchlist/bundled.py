"""Load the bundled, curated watchlist from the YAML files in ``procurewatch/watchlist/data``.

Layout (see ``data/README.md``): ``sources.yaml`` (every source a fact cites), ``lists.yaml``
(the lists and provisions designations point to), ``entities/*.yaml`` (entities) and
``products.yaml`` (model-number families). Loading checks that every fact names a known
source, every relation a known entity and every designation a known list.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

import yaml

from procurewatch import yamlload
from procurewatch.errors import WatchlistError
from procurewatch.model import Entity, ListInfo, ProductFamily, Source, Watchlist
from procurewatch.watchlist.serialize import (
    entity_from_dict,
    list_info_from_dict,
    product_from_dict,
    source_from_dict,
)


def data_dir() -> Traversable:
    """The folder of the bundled data files."""
    return resources.files("procurewatch.watchlist") / "data"


def _read_yaml(path: Traversable) -> Any:
    try:
        return yamlload.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise WatchlistError(f"{path.name}: not valid YAML ({exc})") from None


def _items(doc: Any, key: str, where: str) -> list[Mapping[str, Any]]:
    if doc is None:
        return []
    if not isinstance(doc, dict) or not isinstance(doc.get(key, []), list):
        raise WatchlistError(f"{where}: expected a mapping with a list under {key!r}")
    return list(doc.get(key) or [])


SOURCE_FILES = ("sources.yaml", "product_sources.yaml")


def load_sources(folder: Traversable) -> dict[str, Source]:
    """Sources by id, from ``sources.yaml`` and ``product_sources.yaml``."""
    out: dict[str, Source] = {}
    for name in SOURCE_FILES:
        if not (folder / name).is_file():
            continue
        for item in _items(_read_yaml(folder / name), "sources", name):
            src = source_from_dict(item, name)
            if src.id in out:
                raise WatchlistError(f"{name}: source id {src.id!r} is defined twice")
            out[src.id] = src
    return out


def load_lists(folder: Traversable) -> dict[str, ListInfo]:
    """List definitions by id."""
    doc = _read_yaml(folder / "lists.yaml")
    return {
        i.id: i
        for i in (list_info_from_dict(x, "lists.yaml") for x in _items(doc, "lists", "lists.yaml"))
    }


def load_entities(folder: Traversable) -> dict[str, Entity]:
    """Entities of every ``entities/*.yaml`` file, by id."""
    out: dict[str, Entity] = {}
    files = sorted(
        (f for f in (folder / "entities").iterdir() if f.name.endswith(".yaml")),
        key=lambda f: f.name,
    )
    for file in files:
        for item in _items(_read_yaml(file), "entities", file.name):
            entity = entity_from_dict(item, file.name)
            if entity.id in out:
                raise WatchlistError(f"{file.name}: entity id {entity.id!r} is defined twice")
            out[entity.id] = entity
    return out


def load_products(folder: Traversable) -> tuple[ProductFamily, ...]:
    """Product families of ``products.yaml`` (none if the file is absent)."""
    path = folder / "products.yaml"
    if not path.is_file():
        return ()
    return tuple(
        product_from_dict(x, "products.yaml")
        for x in _items(_read_yaml(path), "products", "products.yaml")
    )


def _fact_sources(entity: Entity) -> Iterable[tuple[str, str]]:
    yield "entity", entity.sources[0] if entity.sources else ""
    for n in entity.names:
        yield f"name {n.value!r}", n.source
    for i in entity.identifiers:
        yield f"identifier {i.value!r}", i.source
    for d in entity.designations:
        yield f"designation {d.list_id!r}", d.source
    for r in entity.relations:
        yield f"relation {r.kind} {r.target!r}", r.source


def validate(watchlist: Watchlist) -> None:
    """Raise :class:`WatchlistError` for a fact without a known source or a dangling reference."""
    for entity in watchlist.entities.values():
        for what, source in _fact_sources(entity):
            if source not in watchlist.sources:
                raise WatchlistError(
                    f"entity {entity.id!r}: {what} cites unknown source {source!r}"
                )
        for rel in entity.relations:
            if rel.target not in watchlist.entities:
                raise WatchlistError(
                    f"entity {entity.id!r}: relation to unknown entity {rel.target!r}"
                )
        for des in entity.designations:
            if des.list_id not in watchlist.lists:
                raise WatchlistError(
                    f"entity {entity.id!r}: designation on unknown list {des.list_id!r}"
                )
    for product in watchlist.products:
        if product.entity_id not in watchlist.entities:
            raise WatchlistError(f"product {product.id!r}: unknown entity {product.entity_id!r}")
        if product.source not in watchlist.sources:
            raise WatchlistError(f"product {product.id!r}: unknown source {product.source!r}")


@lru_cache(maxsize=1)
def load_bundled() -> Watchlist:
    """The bundled watchlist, validated (cached: it is immutable)."""
    folder = data_dir()
    watchlist = Watchlist(
        entities=load_entities(folder),
        lists=load_lists(folder),
        sources=load_sources(folder),
        products=load_products(folder),
    )
    validate(watchlist)
    return watchlist
