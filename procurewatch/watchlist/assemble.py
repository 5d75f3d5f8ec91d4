"""The watchlist used for screening: the bundled, curated data plus imported list versions.

Imported entities keep their own ids (``csl-30946``, ``ofac-30946``, ``fcc-...``,
``dod1260h-...``); the matcher finds them next to the bundled ones. When a list id is defined
both in the bundled ``lists.yaml`` and by an importer, the bundled definition is kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from procurewatch.errors import StoreError
from procurewatch.model import Entity, ListInfo, Source, Watchlist
from procurewatch.watchlist.bundled import load_bundled

if TYPE_CHECKING:  # DuckDB is imported only when there is a store to read
    from procurewatch.store.lists import ListVersion

Part = tuple["ListVersion", Sequence[Entity]]
T = TypeVar("T")


def load_watchlist(store_path: Path | None, versions: Sequence[str] | None = None) -> Watchlist:
    """The bundled watchlist plus imported lists from the store at ``store_path``.

    Uses the newest version of each imported list kind, or exactly ``versions`` when given.
    Without a store file (or with ``store_path`` None) the bundled watchlist alone is returned
    and no file is created. Naming versions without a store is a :class:`StoreError`.
    """
    base = load_bundled()
    if store_path is None or not Path(store_path).is_file():
        if versions:
            raise StoreError(
                f"no store at {store_path}; cannot load list versions {', '.join(versions)}"
            )
        return base
    from procurewatch.store.db import open_store
    from procurewatch.store.lists import get_version, latest_versions, load_entities

    with open_store(Path(store_path), read_only=True) as store:
        chosen = [get_version(store, v) for v in versions] if versions else latest_versions(store)
        parts = [(version, load_entities(store, version.id)) for version in chosen]
    return merge_imported(base, parts)


def merge_imported(base: Watchlist, parts: Iterable[Part]) -> Watchlist:
    """``base`` with the entities, lists and source of every imported version added."""
    entities: dict[str, Entity] = dict(base.entities)
    lists: dict[str, ListInfo] = dict(base.lists)
    sources: dict[str, Source] = dict(base.sources)
    names = list(base.versions)
    for version, part_entities in parts:
        names.append(version.id)
        for list_id, info in version.lists.items():
            lists.setdefault(list_id, info)
        if version.source is not None:
            sources.setdefault(version.source.id, version.source)
        for entity in part_entities:
            known = entities.get(entity.id)
            entities[entity.id] = entity if known is None else merge_entities(known, entity)
    return Watchlist(
        entities=entities,
        lists=lists,
        sources=sources,
        products=base.products,
        versions=tuple(names),
    )


def _union(first: tuple[T, ...], second: tuple[T, ...]) -> tuple[T, ...]:
    return tuple(dict.fromkeys((*first, *second)))


def merge_entities(first: Entity, second: Entity) -> Entity:
    """One entity with the facts of both (one id in two versions); ``first`` keeps its caption."""
    return Entity(
        id=first.id,
        schema=first.schema,
        caption=first.caption,
        names=_union(first.names, second.names),
        countries=_union(first.countries, second.countries),
        identifiers=_union(first.identifiers, second.identifiers),
        designations=_union(first.designations, second.designations),
        relations=_union(first.relations, second.relations),
        addresses=_union(first.addresses, second.addresses),
        sources=_union(first.sources, second.sources),
        lead=first.lead and second.lead,
        notes=first.notes or second.notes,
        dataset=first.dataset,
    )
